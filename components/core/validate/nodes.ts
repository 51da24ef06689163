// Validation of the node list: each node's fields, unique names and SSH endpoints, a manager.
import { Problems } from "../errors";
import { PlannedNode } from "../spec";
import { checkKeys, isObject, readHost, readInteger, readName, readObject, readUser, NAME } from "../fields";
import { readHostKey } from "../hostKey";

/** A node that passed, with its defaults applied and its field path kept for messages. */
export interface CheckedNode extends PlannedNode {
    readonly path: string;
}

const NODE_KEYS = ["name", "host", "port", "user", "role", "hostKey"];

export function checkNode(problems: Problems, path: string, value: unknown): CheckedNode | undefined {
    const raw = readObject(problems, path, value, "a node: {name, host, role, port?, user?, hostKey?}");
    if (raw === undefined) {
        return undefined;
    }
    checkKeys(problems, path, raw, NODE_KEYS);
    const name = readName(problems, `${path}.name`, raw.name);
    const host = readHost(problems, `${path}.host`, raw.host);
    const port = raw.port === undefined ? 22 : readInteger(problems, `${path}.port`, raw.port, 1, 65535);
    const user = raw.user === undefined ? "root" : readUser(problems, `${path}.user`, raw.user);
    const role = raw.role === "manager" || raw.role === "worker" ? raw.role : undefined;
    if (role === undefined) {
        problems.add(`${path}.role`, raw.role, "must be manager or worker");
    }
    const hostKey = raw.hostKey === undefined ? undefined : readHostKey(problems, `${path}.hostKey`, raw.hostKey);
    if (name === undefined || host === undefined || port === undefined || user === undefined || role === undefined || (raw.hostKey !== undefined && hostKey === undefined)) {
        return undefined;
    }
    return { path, name, host, port, user, role, ...(hostKey !== undefined && { hostKey }) };
}

/**
 * The name of each raw node, or undefined where it is not a valid name. Taken from the raw
 * list so that one bad field elsewhere in a node neither hides a duplicate name nor turns
 * references to that node into "names no node".
 */
export function rawNodeNames(rawNodes: readonly unknown[]): (string | undefined)[] {
    return rawNodes.map((n) => (isObject(n) && typeof n.name === "string" && NAME.test(n.name) ? n.name : undefined));
}

export function checkNodeSet(problems: Problems, nodes: readonly CheckedNode[], rawNodes: readonly unknown[]): void {
    const names = rawNodeNames(rawNodes);
    const seen = new Map<string, number>();
    names.forEach((name, i) => {
        const first = name === undefined ? undefined : seen.get(name);
        if (name !== undefined && first !== undefined) {
            problems.add(`nodes[${i}].name`, name, `is a duplicate of nodes[${first}].name; node names must be unique`);
        }
        if (name !== undefined && first === undefined) {
            seen.set(name, i);
        }
    });
    const endpoints = new Map<string, string>();
    nodes.forEach((node) => {
        const endpoint = `${node.host}:${node.port}`;
        const owner = endpoints.get(endpoint);
        if (owner !== undefined && owner !== node.name) {
            problems.add(`${node.path}.host`, node.host, `with port ${node.port} is also node ${owner}; each node needs its own SSH endpoint`);
        }
        endpoints.set(endpoint, owner ?? node.name);
    });
    // Judged on the raw roles, so a manager with some other bad field is still a manager.
    if (names.length > 0 && !rawNodes.some((n) => isObject(n) && n.role === "manager")) {
        problems.add("nodes", names.filter((n) => n !== undefined).join(","), "has no manager: set role: manager on at least one node");
    }
}
