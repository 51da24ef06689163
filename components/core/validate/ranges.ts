// Validation of one address family of a network: subnet, gateway, range prefix, excludes,
// pinned ranges and host addresses. The planner then allocates inside what passed here.
import { Problems } from "../errors";
import { Address, Cidr, Family, addressKey, bitsOf, contains, formatAddress, formatCidr } from "../cidr";
import { Raw, readAddress, readCidr, readInteger, readList, readNodeMap } from "../fields";
import { overlapsOf } from "./overlaps";

/** One address family of a network; undefined in CheckedNetwork when any of its fields failed. */
export interface CheckedFamily {
    readonly path: string;
    readonly subnet: Cidr;
    readonly gateway: Address;
    readonly prefix: number;
    readonly pins: ReadonlyMap<string, Cidr>;
    readonly exclude: readonly Cidr[];
    readonly hosts: ReadonlyMap<string, Address>;
    /** Stable task addresses by node (`taskAddresses`), checked here against the subnet and gateway; family.ts checks them against the ranges. */
    readonly tasks: ReadonlyMap<string, Address>;
}

export function checkFamily(problems: Problems, path: string, raw: Raw, nodes: readonly string[], family: Family): CheckedFamily | undefined {
    const before = problems.list.length;
    const subnet = readCidr(problems, `${path}.subnet`, raw.subnet, family);
    const gateway = readAddress(problems, `${path}.gateway`, raw.gateway, family);
    const max = bitsOf(family);
    let prefix = readInteger(problems, `${path}.ipRangePrefix`, raw.ipRangePrefix, 1, max);
    // Each excluded CIDR keeps its own field path: a bad entry must not shift the others' indices.
    const excluded = readList(problems, `${path}.exclude`, raw.exclude, (p, v) => {
        const cidr = readCidr(problems, p, v, family);
        return cidr && ([p, cidr] as [string, Cidr]);
    });
    const exclude = excluded.map(([, cidr]) => cidr);
    const pins = readNodeMap(problems, `${path}.ranges`, raw.ranges, nodes, (p, v) => readCidr(problems, p, v, family));
    const hosts = readNodeMap(problems, `${path}.hostAddresses`, raw.hostAddresses, nodes, (p, v) => readAddress(problems, p, v, family));
    const tasks = readNodeMap(problems, `${path}.taskAddresses`, raw.taskAddresses, nodes, (p, v) => readAddress(problems, p, v, family));
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
        checkTaskAddresses(problems, `${path}.taskAddresses`, tasks, subnet, gateway);
    }
    if (problems.list.length > before || subnet === undefined || gateway === undefined || prefix === undefined) {
        return undefined;
    }
    return { path, subnet, gateway, prefix, pins, exclude, hosts, tasks };
}

function insideSubnet(problems: Problems, entries: [string, Cidr][], subnet: Cidr): void {
    for (const [path, cidr] of entries) {
        if (!contains(subnet, cidr)) {
            problems.add(path, formatCidr(cidr), `is outside subnet ${formatCidr(subnet)}`);
        }
    }
}

/** Pins that overlap an earlier pin or an exclude: for each pin in node order, earlier pins, then excludes. */
export function checkPinnedRanges(problems: Problems, path: string, pins: ReadonlyMap<string, Cidr>, exclude: readonly Cidr[]): void {
    const entries = [...pins.entries()];
    const overlaps = overlapsOf(entries.map(([, range]) => range), exclude);
    entries.forEach(([node, range], i) => {
        for (const j of overlaps.pins[i]) {
            const [other, otherRange] = entries[j];
            problems.add(`${path}.${node}`, formatCidr(range), `overlaps ${path}.${other} ${formatCidr(otherRange)}; pinned ranges must be disjoint`);
        }
        for (const k of overlaps.excludes[i]) {
            problems.add(`${path}.${node}`, formatCidr(range), `overlaps excluded ${formatCidr(exclude[k])}`);
        }
    });
}

function checkHostAddresses(problems: Problems, path: string, hosts: ReadonlyMap<string, Address>, subnet: Cidr, gateway?: Address): void {
    const seen = new Map<string, string>();
    for (const [node, address] of hosts) {
        const text = formatAddress(address);
        if (!contains(subnet, address)) {
            problems.add(`${path}.${node}`, text, `is outside subnet ${formatCidr(subnet)}`);
        } else if (gateway !== undefined && address.value === gateway.value) {
            problems.add(`${path}.${node}`, text, "is the gateway; a host address must be an unused address of the subnet");
        }
        const other = seen.get(addressKey(address.value));
        if (other !== undefined) {
            problems.add(`${path}.${node}`, text, `is also ${path}.${other}; host addresses must be unique`);
        }
        seen.set(addressKey(address.value), other ?? node);
    }
}

/**
 * What a task address can be judged by before ranges exist: inside the subnet, not the gateway,
 * one node per address (a map cannot hold two for one node). Ranges and reserved addresses
 * follow in family.ts.
 */
function checkTaskAddresses(problems: Problems, path: string, tasks: ReadonlyMap<string, Address>, subnet: Cidr, gateway?: Address): void {
    const seen = new Map<string, string>();
    for (const [node, address] of tasks) {
        const text = formatAddress(address);
        if (!contains(subnet, address)) {
            problems.add(`${path}.${node}`, text, `is outside subnet ${formatCidr(subnet)}; pick an address in ${node}'s range`);
        } else if (gateway !== undefined && address.value === gateway.value) {
            problems.add(`${path}.${node}`, text, `is the gateway; pick an unused address in ${node}'s range`);
        }
        const other = seen.get(addressKey(address.value));
        if (other !== undefined) {
            problems.add(`${path}.${node}`, text, `is also ${path}.${other}; each node's task needs its own address`);
        }
        seen.set(addressKey(address.value), other ?? node);
    }
}
