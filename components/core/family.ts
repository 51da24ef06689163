// One address family of a network, planned: each node's range (allocate.ts), its host address,
// the aux addresses that reserve every host address inside its range, and its task address.
import { Problems } from "./errors";
import { Address, Cidr, Family, addressKey, contains, formatAddress, formatCidr, lastOf, sizeOf } from "./cidr";
import { allocate } from "./allocate";
import { FamilyNodePlan } from "./plan";
import { compareBigints, lowerBound } from "./sorted";
import { CheckedFamily, CheckedNetwork } from "./validate";

/** A planned node's host address, with its owner's first position in the node list. */
interface Host {
    readonly owner: string;
    readonly value: bigint;
    readonly order: number;
}

/** Ranges, host addresses and aux addresses of one family, in node order. */
export function planFamily(problems: Problems, fam: CheckedFamily, nodes: readonly string[], net: CheckedNetwork): FamilyNodePlan[] | undefined {
    const ranges = allocate(problems, fam, nodes);
    if (ranges === undefined) {
        return undefined;
    }
    const hosts = hostAddresses(problems, fam, nodes, ranges, net.shim);
    const index = hostIndex(nodes, hosts);
    return nodes.map((node, i) => {
        const range = ranges[i];
        const aux = auxAddresses(node, range, hostsIn(index, range), net.reserveRangeEnds, fam.subnet.family === 6 ? "-v6" : "");
        if (BigInt(aux.size) >= sizeOf(range)) {
            problems.add(`${fam.path}.ranges.${node}`, formatCidr(range),
                `leaves no address for containers once ${[...aux.keys()].join(", ")} are reserved; use a shorter ${fam.path}.ipRangePrefix` +
                (net.reserveRangeEnds ? ` or set ${net.path}.reserveRangeEnds: false` : ""));
        }
        const task = fam.tasks.get(node);
        if (task !== undefined) {
            checkTaskAddress(problems, fam.path, task, node, range, aux, nodes, ranges);
        }
        return { ...nodePlan(fam.subnet.family, range, aux, hosts.get(node)), ...(task && { taskAddress: formatAddress(task) }) };
    });
}

/**
 * A task address must lie in its own node's range (so it can never be another node's, and the
 * nodes after it keep their ranges) and be none of the addresses that range reserves.
 */
function checkTaskAddress(problems: Problems, famPath: string, task: Address, node: string, range: Cidr, aux: ReadonlyMap<string, bigint>,
    nodes: readonly string[], ranges: readonly Cidr[]): void {
    const path = `${famPath}.taskAddresses.${node}`;
    const text = formatAddress(task);
    const own = formatCidr(range);
    if (!contains(range, task)) {
        const holder = ranges.findIndex((r) => contains(r, task));
        const where = holder < 0 ? "" : ` (it is in ${nodes[holder]}'s range ${formatCidr(ranges[holder])})`;
        problems.add(path, text, `is outside ${node}'s range ${own}${where}; pick an address in ${own}, or pin ${famPath}.ranges.${node} to a block that holds it`);
        return;
    }
    const reserved = [...aux].find(([, value]) => value === task.value);
    if (reserved !== undefined) {
        problems.add(path, text, `is ${reserved[0]} of ${node}'s range ${own}, reserved with --aux-address; pick another address in ${own}`);
    }
}

/**
 * What --aux-address reserves in a node's range: the host addresses inside it, then its ends
 * unless a host holds them. Docker takes --aux-address as one map for the whole network (and
 * files each address under the subnet that holds it): IPv6 names carry `suffix` (`-v6`) so as
 * not to overwrite the IPv4 ones.
 */
function auxAddresses(node: string, range: Cidr, inside: readonly Host[], reserveEnds: boolean, suffix: string): Map<string, bigint> {
    const aux = new Map<string, bigint>();
    for (const host of inside) {
        aux.set(`${host.owner === node ? "host" : `host-${host.owner}`}${suffix}`, host.value);
    }
    if (reserveEnds) {
        for (const [name, value] of [[`range-first${suffix}`, range.base], [`range-last${suffix}`, lastOf(range)]] as const) {
            if (![...aux.values()].includes(value)) {
                aux.set(name, value);
            }
        }
    }
    return aux;
}

/**
 * A node's share as text. The range's base and the host address are each written twice
 * (`range-first`, `host`) but formatted once: formatting is much of the planner's time.
 */
function nodePlan(family: Family, range: Cidr, aux: ReadonlyMap<string, bigint>, host?: Address): FamilyNodePlan {
    const base = formatAddress({ family, value: range.base });
    const hostText = host && formatAddress(host);
    const text = (value: bigint) => (value === range.base ? base : value === host?.value ? hostText : undefined) ?? formatAddress({ family, value });
    return {
        ipRange: `${base}/${range.prefix}`,
        auxAddresses: Object.fromEntries([...aux].map(([name, value]) => [name, text(value)])),
        ...(hostText !== undefined && { hostAddress: hostText }),
    };
}

/**
 * Every node's host address: the given one, else a default in its range. Every node gets one,
 * reserved with --aux-address whether or not the shim is on: turning the shim on or off later
 * then changes no docker network (which would have to be made again, with every service detached).
 */
function hostAddresses(problems: Problems, fam: CheckedFamily, nodes: readonly string[], ranges: readonly Cidr[], shim: boolean): Map<string, Address> {
    const hosts = new Map<string, Address>(fam.hosts);
    // What a default must avoid: the gateway and every host address so far, given or default.
    const taken = new Set([fam.gateway, ...hosts.values()].map((h) => addressKey(h.value)));
    nodes.forEach((node, i) => {
        if (hosts.has(node)) {
            return;
        }
        const address = defaultHostAddress(ranges[i], taken);
        if (address !== undefined) {
            hosts.set(node, { family: fam.subnet.family, value: address });
            taken.add(addressKey(address));
        } else if (shim) {
            problems.add(`${fam.path}.ranges.${node}`, formatCidr(ranges[i]), `has no free address for the host; set ${fam.path}.hostAddresses.${node}`);
        }
    });
    return hosts;
}

/**
 * The highest address of `range` below its last one (never the last: in IPv4 that may be a
 * broadcast address) that is not in `taken` (the gateway and other hosts), or undefined.
 */
function defaultHostAddress(range: Cidr, taken: ReadonlySet<string>): bigint | undefined {
    for (let a = lastOf(range) - 1n; a > range.base; a--) {
        if (!taken.has(addressKey(a))) {
            return a;
        }
    }
    return undefined;
}

/**
 * The host addresses of the nodes in `nodes`, sorted by address. A host address given for a
 * node left out of `nodes` (one that failed validation) is reserved in no range. A name listed
 * twice keeps its first position, where a walk over `nodes` would first meet it.
 */
function hostIndex(nodes: readonly string[], hosts: ReadonlyMap<string, Address>): Host[] {
    const index = new Map<string, Host>();
    nodes.forEach((owner, order) => {
        const address = hosts.get(owner);
        if (address !== undefined && !index.has(owner)) {
            index.set(owner, { owner, value: address.value, order });
        }
    });
    return [...index.values()].sort((a, b) => compareBigints(a.value, b.value));
}

/** The hosts of `index` inside `range`, in node order (the order their aux addresses are listed in). */
function hostsIn(index: readonly Host[], range: Cidr): Host[] {
    const last = lastOf(range);
    const inside: Host[] = [];
    for (let i = lowerBound(index, range.base, (h) => h.value); i < index.length && index[i].value <= last; i++) {
        inside.push(index[i]);
    }
    return inside.sort((a, b) => a.order - b.order);
}
