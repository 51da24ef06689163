// No lockout by routing: a range the library routes on a host (through a shim, or handed to
// containers on the very segment the nodes' SSH addresses live on, with takeover) must not hold
// a node's SSH address. Only literal IP hosts can be judged here; the shim's create script
// checks the SSH session's own source on the host as well (commands/shared.ts).
import { Problems } from "../errors";
import { Address, Cidr, Family, lastOf, parseAddress, parseCidr } from "../cidr";
import { NetworkPlan } from "../plan";
import { CheckedNetwork } from "./network";
import { CheckedNode } from "./nodes";

/** A node's host as an address, when it is a literal IP (a DNS name cannot be judged offline). */
function literal(host: string): Address | undefined {
    for (const family of [4, 6] as Family[]) {
        const parsed = parseAddress(host, family);
        if (parsed.ok) {
            return parsed.value;
        }
    }
    return undefined;
}

/**
 * For each shim network: no node's range (routed through its shim) holds ANOTHER node's
 * literal SSH address (its own is a local address, which the kernel's local table answers
 * first). For each takeover network: no node's range holds ANY node's SSH address (Docker
 * would hand it to a container on the segment where the node answers it).
 */
export function checkRoutedRanges(problems: Problems, nodes: readonly CheckedNode[], checked: readonly CheckedNetwork[], planned: readonly (NetworkPlan | undefined)[]): void {
    const hosts = nodes.flatMap((n, index) => {
        const address = literal(n.host);
        return address === undefined ? [] : [{ node: n, address, index }];
    });
    // The hosts of each family sorted by address: a range's hosts are found by binary search,
    // so thousands of nodes cost N log N, not N squared; reported in node order as ever.
    const sorted = new Map<Family, typeof hosts>();
    for (const h of hosts) {
        // Appended in place: copying the list for each host made this N squared (65,536 nodes: 40 s).
        const list = sorted.get(h.address.family);
        if (list === undefined) {
            sorted.set(h.address.family, [h]);
        } else {
            list.push(h);
        }
    }
    for (const list of sorted.values()) {
        list.sort((a, b) => (a.address.value < b.address.value ? -1 : a.address.value > b.address.value ? 1 : 0));
    }
    const within = (cidr: Cidr): typeof hosts => {
        const list = sorted.get(cidr.family) ?? [];
        let [lo, hi] = [0, list.length];
        while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (list[mid].address.value < cidr.base) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        const found: typeof hosts = [];
        for (let i = lo; i < list.length && list[i].address.value <= lastOf(cidr); i++) {
            found.push(list[i]);
        }
        return found.sort((a, b) => a.index - b.index);
    };
    checked.forEach((net, i) => {
        const plan = planned[i];
        if (plan === undefined || !(net.shim || net.takeover)) {
            return;
        }
        for (const own of plan.nodes) {
            const ranges: [string, string | undefined][] = [[`${net.path}.ranges.${own.node}`, own.ipRange], [`${net.path}.ipv6.ranges.${own.node}`, own.ipv6?.ipRange]];
            for (const [path, range] of ranges) {
                const cidr = range === undefined ? undefined : parseCidr(range, range.includes(":") ? 6 : 4);
                if (cidr === undefined || !cidr.ok) {
                    continue;
                }
                for (const { node } of within(cidr.value)) {
                    if (net.shim && node.name === own.node) {
                        continue;
                    }
                    const why = net.shim
                        ? `is routed through ${own.node}'s shim and holds ${node.path}.host ${node.host} (node ${node.name}): ${own.node} would send its SSH and swarm traffic for ${node.name} to its containers' side, and Docker could give that address to a container`
                        : `holds ${node.path}.host ${node.host} (node ${node.name}): with takeover the range is on the segment where ${node.name} answers that address, and Docker could give it to a container`;
                    problems.add(path, range, `${why}; pin ${own.node} a range without it (${path}) or add ${node.host} to ${path.replace(/ranges\.[^.]+$/, "exclude")}`);
                }
            }
        }
    });
}
