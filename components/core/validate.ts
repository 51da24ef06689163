// From untyped input to checked values. Every problem is collected with its field path; the
// planner (plan.ts) only ever sees fields that passed.
import { Problems } from "./errors";
import { Address, Cidr, Family, contains, formatCidr, overlaps, formatAddress } from "./cidr";
import { NodeRole } from "./spec";
import {
    Raw, checkKeys, readAddress, readBoolean, readCidr, readHost, readInteger, readInterface, readList,
    readName, readNodeMap, readObject, readUser, isObject, INTERFACE_NAME, NAME,
} from "./fields";

export interface CheckedNode {
    readonly path: string;
    readonly name: string;
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly role: NodeRole;
}

/** One address family of a network; undefined in CheckedNetwork when any of its fields failed. */
export interface CheckedFamily {
    readonly path: string;
    readonly subnet: Cidr;
    readonly gateway: Address;
    readonly prefix: number;
    readonly pins: ReadonlyMap<string, Cidr>;
    readonly exclude: readonly Cidr[];
    readonly hosts: ReadonlyMap<string, Address>;
}

export interface CheckedNetwork {
    readonly path: string;
    readonly name: string;
    /** The macvlan parent per node (`<trunk>.<vlanId>` when vlanId is set). */
    readonly parents: ReadonlyMap<string, string>;
    /** The field each node's parent comes from: `parent`, or `parents.<node>` when overridden. */
    readonly parentFields: ReadonlyMap<string, string>;
    /** The interface the VLAN rides on, per node; empty without vlanId. */
    readonly trunks: ReadonlyMap<string, string>;
    readonly vlanId?: number;
    readonly v4?: CheckedFamily;
    readonly v6?: CheckedFamily;
    readonly hasIpv6: boolean;
    readonly shim: boolean;
    readonly shimName: string;
    readonly attachable: boolean;
    readonly configNetworkName: string;
    readonly swarmNetworkName: string;
}

const SPEC_KEYS = ["nodes", "networks"];
const NODE_KEYS = ["name", "host", "port", "user", "role"];
const NETWORK_KEYS = [
    "name", "parent", "parents", "vlanId", "subnet", "gateway", "ipRangePrefix", "ranges", "exclude",
    "hostAddresses", "shim", "shimName", "attachable", "ipv6", "configNetworkName", "swarmNetworkName",
];
const IPV6_KEYS = ["subnet", "gateway", "ipRangePrefix", "ranges", "exclude", "hostAddresses"];

export function checkSpec(problems: Problems, raw: unknown): { nodes: CheckedNode[]; networks: CheckedNetwork[] } {
    const spec = readObject(problems, "spec", raw, "an object with nodes and networks");
    if (spec === undefined) {
        return { nodes: [], networks: [] };
    }
    checkKeys(problems, "spec", spec, SPEC_KEYS);
    const rawNodes = nonEmptyList(problems, "nodes", spec.nodes, "nodes");
    const nodes = readList(problems, "nodes", rawNodes, (path, value) => checkNode(problems, path, value));
    // Names come from the raw list so that one bad field elsewhere in a node neither hides a
    // duplicate name nor turns references to that node into "names no node".
    const rawNames = rawNodes.map((n) => (isObject(n) && typeof n.name === "string" && NAME.test(n.name) ? n.name : undefined));
    checkNodeSet(problems, nodes, rawNames, rawNodes.some((n) => isObject(n) && n.role === "manager"));
    const names = [...new Set(rawNames.filter((n): n is string => n !== undefined))];
    const rawNetworks = nonEmptyList(problems, "networks", spec.networks, "networks");
    const networks = readList(problems, "networks", rawNetworks, (path, value) => checkNetwork(problems, path, value, names));
    checkNetworkSet(problems, networks, names);
    return { nodes, networks };
}

/** The list at `path`, or an empty one after reporting that it must be a non-empty list. */
function nonEmptyList(problems: Problems, path: string, value: unknown, what: string): readonly unknown[] {
    if (Array.isArray(value) && value.length > 0) {
        return value;
    }
    problems.add(path, value, `must be a non-empty list of ${what}`);
    return [];
}

function checkNode(problems: Problems, path: string, value: unknown): CheckedNode | undefined {
    const raw = readObject(problems, path, value, "a node: {name, host, role, port?, user?}");
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
    if (name === undefined || host === undefined || port === undefined || user === undefined || role === undefined) {
        return undefined;
    }
    return { path, name, host, port, user, role };
}

function checkNodeSet(problems: Problems, nodes: readonly CheckedNode[], names: readonly (string | undefined)[], hasManager: boolean): void {
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
    if (names.length > 0 && !hasManager) {
        problems.add("nodes", names.filter((n) => n !== undefined).join(","), "has no manager: set role: manager on at least one node");
    }
}

function checkNetwork(problems: Problems, path: string, value: unknown, nodes: readonly string[]): CheckedNetwork | undefined {
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
    const attachable = readBoolean(problems, `${path}.attachable`, raw.attachable, true);
    // The derived shim name is only checked when a shim will be made.
    const shimName = raw.shimName !== undefined ? readInterface(problems, `${path}.shimName`, raw.shimName)
        : shim ? derived(problems, `${path}.name`, name, (n) => `shim-${n}`, "shimName") : "";
    const configNetworkName = raw.configNetworkName === undefined ? name && `${name}_net` : readName(problems, `${path}.configNetworkName`, raw.configNetworkName);
    const swarmNetworkName = raw.swarmNetworkName === undefined ? name && `swarm-${name}_net` : readName(problems, `${path}.swarmNetworkName`, raw.swarmNetworkName);
    const v4 = checkFamily(problems, path, raw, nodes, 4);
    let v6: CheckedFamily | undefined;
    if (raw.ipv6 !== undefined) {
        const ipv6 = readObject(problems, `${path}.ipv6`, raw.ipv6, "an object: {subnet, gateway, ipRangePrefix, ...}");
        if (ipv6 !== undefined) {
            checkKeys(problems, `${path}.ipv6`, ipv6, IPV6_KEYS);
            v6 = checkFamily(problems, `${path}.ipv6`, ipv6, nodes, 6);
        }
    }
    const parents = new Map<string, string>();
    const trunks = new Map<string, string>();
    const parentFields = new Map(nodes.map((node) => [node, overrides.has(node) ? `${path}.parents.${node}` : `${path}.parent`]));
    if (parent !== undefined && vlanId !== undefined) {
        for (const node of nodes) {
            const trunk = overrides.get(node) ?? parent;
            const sub = `${trunk}.${vlanId}`;
            if (!INTERFACE_NAME.test(sub)) {
                problems.add(parentFields.get(node)!, trunk, `with vlanId ${vlanId} makes ${sub} on ${node}, over 15 characters; use a shorter parent`);
            }
            trunks.set(node, trunk);
            parents.set(node, sub);
        }
    } else if (parent !== undefined) {
        nodes.forEach((node) => parents.set(node, overrides.get(node) ?? parent));
    }
    if ([name, parent, shim, attachable, shimName, configNetworkName, swarmNetworkName].includes(undefined)
        || (raw.vlanId !== undefined && vlanId === undefined)) {
        return undefined;
    }
    return {
        path, name: name!, parents, parentFields, trunks, vlanId, v4, v6, hasIpv6: raw.ipv6 !== undefined, shim: shim!, shimName: shimName!,
        attachable: attachable!, configNetworkName: configNetworkName!, swarmNetworkName: swarmNetworkName!,
    };
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

function checkFamily(problems: Problems, path: string, raw: Raw, nodes: readonly string[], family: Family): CheckedFamily | undefined {
    const before = problems.list.length;
    const subnet = readCidr(problems, `${path}.subnet`, raw.subnet, family);
    const gateway = readAddress(problems, `${path}.gateway`, raw.gateway, family);
    const max = family === 4 ? 32 : 128;
    let prefix = readInteger(problems, `${path}.ipRangePrefix`, raw.ipRangePrefix, 1, max);
    // Each excluded CIDR keeps its own field path: a bad entry must not shift the others' indices.
    const excluded = readList(problems, `${path}.exclude`, raw.exclude, (p, v) => {
        const cidr = readCidr(problems, p, v, family);
        return cidr && ([p, cidr] as [string, Cidr]);
    });
    const exclude = excluded.map(([, cidr]) => cidr);
    const pins = readNodeMap(problems, `${path}.ranges`, raw.ranges, nodes, (p, v) => readCidr(problems, p, v, family));
    const hosts = readNodeMap(problems, `${path}.hostAddresses`, raw.hostAddresses, nodes, (p, v) => readAddress(problems, p, v, family));
    if (subnet !== undefined) {
        if (gateway !== undefined && !contains(subnet, gateway)) {
            problems.add(`${path}.gateway`, raw.gateway, `is outside subnet ${formatCidr(subnet)}`);
        }
        if (prefix !== undefined && prefix < subnet.prefix) {
            problems.add(`${path}.ipRangePrefix`, prefix, `is shorter than the subnet's /${subnet.prefix}; allowed: ${subnet.prefix}-${max}`);
            prefix = undefined;
        }
        insideSubnet(problems, excluded, subnet);
        insideSubnet(problems, [...pins.entries()].map(([node, c]) => [`${path}.ranges.${node}`, c]), subnet);
        checkPinnedRanges(problems, `${path}.ranges`, pins, exclude);
        checkHostAddresses(problems, `${path}.hostAddresses`, hosts, subnet, gateway);
    }
    if (problems.list.length > before || subnet === undefined || gateway === undefined || prefix === undefined) {
        return undefined;
    }
    return { path, subnet, gateway, prefix, pins, exclude, hosts };
}

function insideSubnet(problems: Problems, entries: [string, Cidr][], subnet: Cidr): void {
    for (const [path, cidr] of entries) {
        if (!contains(subnet, cidr)) {
            problems.add(path, formatCidr(cidr), `is outside subnet ${formatCidr(subnet)}`);
        }
    }
}

function checkPinnedRanges(problems: Problems, path: string, pins: ReadonlyMap<string, Cidr>, exclude: readonly Cidr[]): void {
    const entries = [...pins.entries()];
    entries.forEach(([node, range], i) => {
        for (const [other, otherRange] of entries.slice(0, i)) {
            if (overlaps(range, otherRange)) {
                problems.add(`${path}.${node}`, formatCidr(range), `overlaps ${path}.${other} ${formatCidr(otherRange)}; pinned ranges must be disjoint`);
            }
        }
        for (const excluded of exclude.filter((e) => overlaps(e, range))) {
            problems.add(`${path}.${node}`, formatCidr(range), `overlaps excluded ${formatCidr(excluded)}`);
        }
    });
}

function checkHostAddresses(problems: Problems, path: string, hosts: ReadonlyMap<string, Address>, subnet: Cidr, gateway?: Address): void {
    const seen = new Map<bigint, string>();
    for (const [node, address] of hosts) {
        const text = formatAddress(address);
        if (!contains(subnet, address)) {
            problems.add(`${path}.${node}`, text, `is outside subnet ${formatCidr(subnet)}`);
        } else if (gateway !== undefined && address.value === gateway.value) {
            problems.add(`${path}.${node}`, text, "is the gateway; a host address must be an unused address of the subnet");
        }
        const other = seen.get(address.value);
        if (other !== undefined) {
            problems.add(`${path}.${node}`, text, `is also ${path}.${other}; host addresses must be unique`);
        }
        seen.set(address.value, other ?? node);
    }
}

/** Rules across networks: Docker allows one macvlan network per parent interface per node. */
function checkNetworkSet(problems: Problems, networks: readonly CheckedNetwork[], nodes: readonly string[]): void {
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
    // Conflicts are grouped so one line names every node where they occur. Trunks may be
    // shared (VLANs 10 and 20 on eth0, or eth0 itself as another network's parent); a shim
    // may share its name with nothing.
    const conflicts = new Map<string, { path: string; iface: string; owner: string; why: string; nodes: string[] }>();
    for (const node of nodes) {
        const used = new Map<string, { path: string; kind: "parent" | "trunk" | "shim" }>();
        for (const net of networks) {
            const claims = [
                { iface: net.parents.get(node), path: net.parentFields.get(node)!, kind: "parent" as const },
                { iface: net.trunks.get(node), path: net.parentFields.get(node)!, kind: "trunk" as const },
                { iface: net.shim ? net.shimName : undefined, path: `${net.path}.shimName`, kind: "shim" as const },
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
