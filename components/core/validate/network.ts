// Validation of one network's names, interfaces and flags, and of the rules across networks
// (one macvlan network per parent interface per node; unique names).
import { Problems, show } from "../errors";
import { checkKeys, readBoolean, readInteger, readInterface, readName, readNodeMap, readObject, INTERFACE_NAME } from "../fields";
import { nodeInterfaces } from "../interfaces";
import { CheckedFamily, checkFamily } from "./ranges";

export interface CheckedNetwork {
    readonly path: string;
    readonly name: string;
    /** The parent interface on every node (the trunk with `vlanId`). */
    readonly parent: string;
    /** Per-node overrides of `parent`. */
    readonly overrides: ReadonlyMap<string, string>;
    readonly vlanId?: number;
    /** The IPv4 family, undefined when any of its fields failed. */
    readonly v4?: CheckedFamily;
    /** The IPv6 family, undefined when absent or when any of its fields failed (see hasIpv6). */
    readonly v6?: CheckedFamily;
    readonly hasIpv6: boolean;
    readonly shim: boolean;
    /** Move the host's own address onto the shim interface (seed 004). */
    readonly takeover: boolean;
    /** The shim's (or takeover interface's) name; empty without either and no shimName. */
    readonly shimName: string;
    readonly attachable: boolean;
    readonly reserveRangeEnds: boolean;
    readonly adopt: boolean;
    readonly persist: boolean;
    readonly configNetworkName: string;
    readonly swarmNetworkName: string;
}

const NETWORK_KEYS = [
    "name", "parent", "parents", "vlanId", "subnet", "gateway", "ipRangePrefix", "ranges", "exclude",
    "hostAddresses", "taskAddresses", "shim", "takeover", "shimName", "attachable", "reserveRangeEnds", "adopt", "persist", "ipv6", "configNetworkName", "swarmNetworkName",
];
const IPV6_KEYS = ["subnet", "gateway", "ipRangePrefix", "ranges", "exclude", "hostAddresses", "taskAddresses"];

/** True when no value of `fields` is undefined (narrowing each one). */
function complete<T extends object>(fields: T): fields is { [K in keyof T]: Exclude<T[K], undefined> } {
    return Object.values(fields).every((v) => v !== undefined);
}

export function checkNetwork(problems: Problems, path: string, value: unknown, nodes: readonly string[]): CheckedNetwork | undefined {
    const raw = readObject(problems, path, value, "a network: {name, parent, subnet, gateway, ipRangePrefix, ...}");
    if (raw === undefined) {
        return undefined;
    }
    checkKeys(problems, path, raw, NETWORK_KEYS);
    const name = readName(problems, `${path}.name`, raw.name);
    const parent = readInterface(problems, `${path}.parent`, raw.parent);
    const overrides = readNodeMap(problems, `${path}.parents`, raw.parents, nodes, (p, v) => readInterface(problems, p, v));
    const vlanId = raw.vlanId === undefined ? undefined : readInteger(problems, `${path}.vlanId`, raw.vlanId, 1, 4094);
    const shim = readBoolean(problems, `${path}.shim`, raw.shim, false);
    const takeover = readBoolean(problems, `${path}.takeover`, raw.takeover, false);
    if (takeover && shim) {
        problems.add(`${path}.takeover`, true, "and shim: true are two ways to reach the containers from the host; choose one (takeover moves the host's own address, shim adds one)");
    }
    if (takeover && raw.vlanId !== undefined) {
        problems.add(`${path}.takeover`, true, `moves the address of the parent itself, but vlanId ${show(raw.vlanId)} puts the containers on a sub-interface the host has no address on; remove vlanId or use shim`);
    }
    const required = {
        name,
        parent,
        shim,
        takeover,
        attachable: readBoolean(problems, `${path}.attachable`, raw.attachable, true),
        reserveRangeEnds: readBoolean(problems, `${path}.reserveRangeEnds`, raw.reserveRangeEnds, true),
        adopt: readBoolean(problems, `${path}.adopt`, raw.adopt, false),
        persist: readBoolean(problems, `${path}.persist`, raw.persist, true),
        // The derived shim name is only checked when a shim will be made.
        shimName: raw.shimName !== undefined ? readInterface(problems, `${path}.shimName`, raw.shimName)
            : shim || takeover ? derived(problems, `${path}.name`, name, (n) => `shim-${n}`, "shimName") : "",
        configNetworkName: raw.configNetworkName === undefined ? name && `${name}_net` : readName(problems, `${path}.configNetworkName`, raw.configNetworkName),
        swarmNetworkName: raw.swarmNetworkName === undefined ? name && `swarm-${name}_net` : readName(problems, `${path}.swarmNetworkName`, raw.swarmNetworkName),
    };
    const v4 = checkFamily(problems, path, raw, nodes, 4);
    let v6: CheckedFamily | undefined;
    if (raw.ipv6 !== undefined) {
        const ipv6 = readObject(problems, `${path}.ipv6`, raw.ipv6, "an object: {subnet, gateway, ipRangePrefix, ...}");
        if (ipv6 !== undefined) {
            checkKeys(problems, `${path}.ipv6`, ipv6, IPV6_KEYS);
            v6 = checkFamily(problems, `${path}.ipv6`, ipv6, nodes, 6);
        }
    }
    if (parent !== undefined && vlanId !== undefined) {
        for (const node of nodes) {
            const made = nodeInterfaces({ path, parent, overrides, vlanId }, node);
            if (!INTERFACE_NAME.test(made.parent)) {
                problems.add(made.field, made.trunk, `with vlanId ${vlanId} makes ${made.parent} on ${node}, over 15 characters; use a shorter parent`);
            }
        }
    }
    if (!complete(required) || (raw.vlanId !== undefined && vlanId === undefined)) {
        return undefined;
    }
    return { path, ...required, overrides, vlanId, v4, v6, hasIpv6: raw.ipv6 !== undefined };
}

/** A name the library derives from another field; reported against `field` when too long. */
function derived(problems: Problems, path: string, base: string | undefined, make: (b: string) => string, field: string): string | undefined {
    if (base === undefined) {
        return undefined;
    }
    const name = make(base);
    if (!INTERFACE_NAME.test(name)) {
        problems.add(path, base, `makes interface ${name}, over 15 characters; set ${field} or use a shorter name`);
        return undefined;
    }
    return name;
}

/**
 * The prefix of the names of a network's resources on a node (`<name>-<network>-<node>-config`,
 * ...). Resource names are a contract: renaming one deletes its object and makes it again.
 */
export function nodeResourcePrefix(network: string, node: string): string {
    return `${network}-${node}`;
}

/** Rules across networks: unique names; Docker allows one macvlan network per parent interface per node. */
export function checkNetworkSet(problems: Problems, networks: readonly CheckedNetwork[], nodes: readonly string[]): void {
    const names = new Map<string, string>();
    const claim = (path: string, value: string, what: string) => {
        const owner = names.get(value);
        if (owner !== undefined) {
            problems.add(path, value, `is also ${owner}; ${what} must be unique across networks`);
        }
        names.set(value, owner ?? path);
    };
    for (const net of networks) {
        claim(`${net.path}.name`, net.name, "network names");
    }
    names.clear();
    for (const net of networks) {
        claim(`${net.path}.configNetworkName`, net.configNetworkName, "docker network names");
        claim(`${net.path}.swarmNetworkName`, net.swarmNetworkName, "docker network names");
    }
    // Network a with node b-c and network a-b with node c would name their resources alike.
    const prefixes = new Map<string, { net: CheckedNetwork; node: string }>();
    for (const net of networks) {
        for (const node of nodes) {
            const prefix = nodeResourcePrefix(net.name, node);
            const owner = prefixes.get(prefix);
            if (owner !== undefined && owner.net.name !== net.name) { // equal names are reported above
                problems.add(`${net.path}.name`, net.name, `with node ${node} makes resource names ${prefix}-*, as ${owner.net.path}.name ` +
                    `${owner.net.name} with node ${owner.node} does; rename a network or a node`);
            }
            prefixes.set(prefix, owner ?? { net, node });
        }
    }
    // Conflicts are grouped so one line names every node where they occur. Trunks may be
    // shared (VLANs 10 and 20 on eth0, or eth0 itself as another network's parent); a shim
    // may share its name with nothing.
    const conflicts = new Map<string, { path: string; iface: string; owner: string; why: string; nodes: string[] }>();
    for (const node of nodes) {
        const used = new Map<string, { path: string; kind: "parent" | "trunk" | "shim" }>();
        for (const net of networks) {
            const { parent, trunk, field } = nodeInterfaces(net, node);
            const claims = [
                { iface: parent, path: field, kind: "parent" as const },
                { iface: trunk, path: field, kind: "trunk" as const },
                { iface: net.shim || net.takeover ? net.shimName : undefined, path: `${net.path}.shimName`, kind: "shim" as const },
            ];
            for (const claim of claims) {
                if (claim.iface === undefined) {
                    continue;
                }
                const owner = used.get(claim.iface);
                if (owner !== undefined && (claim.kind === "shim" || owner.kind === "shim" || claim.kind === owner.kind && claim.kind === "parent")) {
                    const why = claim.kind === "parent" && owner.kind === "parent"
                        ? "Docker allows one macvlan network per parent interface: use another interface or a vlanId"
                        : "an interface can serve one purpose only";
                    const key = `${claim.path}|${claim.iface}|${owner.path}`;
                    const entry = conflicts.get(key) ?? { path: claim.path, iface: claim.iface, owner: owner.path, why, nodes: [] };
                    entry.nodes.push(node);
                    conflicts.set(key, entry);
                }
                used.set(claim.iface, owner ?? claim);
            }
        }
    }
    for (const c of conflicts.values()) {
        problems.add(c.path, c.iface, `on ${c.nodes.join(", ")} is also ${c.owner}; ${c.why}`);
    }
}
