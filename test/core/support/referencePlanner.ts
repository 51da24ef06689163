// The previous planner: the simple, slow allocator (and the validation helpers rewritten with
// it), kept verbatim as an oracle for the property test in ../plan.reference.test.ts. It scans
// every taken block for each candidate block, every host address for each range and every
// pin for each pin, so it is cubic in the number of nodes; keep it here, never in components/.
// Copied from components/core/plan.ts, cidr.ts, fields.ts and validate/ranges.ts as they were
// before the planner was made near-linear; only names and exports differ.
import { Problems } from "../../../components/core/errors";
import { Address, Cidr, bitsOf, blockOf, contains, formatAddress, formatCidr, lastOf, overlaps, sizeOf } from "../../../components/core/cidr";
import { readObject } from "../../../components/core/fields";
import { FamilyNodePlan } from "../../../components/core/plan";
import { CheckedFamily, CheckedNetwork } from "../../../components/core/validate";

/** Ranges, host addresses and aux addresses of one family, in node order. */
export function referencePlanFamily(problems: Problems, fam: CheckedFamily, nodes: readonly string[], net: CheckedNetwork): FamilyNodePlan[] | undefined {
    const ranges = allocate(problems, fam, nodes);
    if (ranges === undefined) {
        return undefined;
    }
    const hosts = new Map<string, Address>(fam.hosts);
    nodes.forEach((node, i) => {
        if (hosts.has(node)) {
            return;
        }
        const address = defaultHostAddress(ranges[i], [fam.gateway.value, ...[...hosts.values()].map((h) => h.value)]);
        if (address !== undefined) {
            hosts.set(node, { family: fam.subnet.family, value: address });
        } else if (net.shim) {
            problems.add(`${fam.path}.ranges.${node}`, formatCidr(ranges[i]), `has no free address for the host; set ${fam.path}.hostAddresses.${node}`);
        }
    });
    // (The -v6 suffix of IPv6 aux names came after this copy was taken, with the planner it copies.)
    const suffix = fam.subnet.family === 6 ? "-v6" : "";
    return nodes.map((node, i) => {
        const range = ranges[i];
        const aux = new Map<string, bigint>();
        for (const owner of nodes) {
            const address = hosts.get(owner);
            if (address !== undefined && contains(range, address)) {
                aux.set(`${owner === node ? "host" : `host-${owner}`}${suffix}`, address.value);
            }
        }
        if (net.reserveRangeEnds) {
            const reserved = new Set(aux.values());
            for (const [name, value] of [[`range-first${suffix}`, range.base], [`range-last${suffix}`, lastOf(range)]] as const) {
                if (!reserved.has(value)) {
                    aux.set(name, value);
                    reserved.add(value);
                }
            }
        }
        if (BigInt(aux.size) >= sizeOf(range)) {
            problems.add(`${fam.path}.ranges.${node}`, formatCidr(range),
                `leaves no address for containers once ${[...aux.keys()].join(", ")} are reserved; use a shorter ${fam.path}.ipRangePrefix` +
                (net.reserveRangeEnds ? ` or set ${net.path}.reserveRangeEnds: false` : ""));
        }
        const family = fam.subnet.family;
        const host = hosts.get(node);
        return {
            ipRange: formatCidr(range),
            auxAddresses: Object.fromEntries([...aux].map(([name, value]) => [name, formatAddress({ family, value })])),
            ...(host && { hostAddress: formatAddress(host) }),
        };
    });
}

function defaultHostAddress(range: Cidr, taken: readonly bigint[]): bigint | undefined {
    for (let a = lastOf(range) - 1n; a > range.base; a--) {
        if (!taken.includes(a)) {
            return a;
        }
    }
    return undefined;
}

function allocate(problems: Problems, fam: CheckedFamily, nodes: readonly string[]): Cidr[] | undefined {
    const fixed = [...fam.exclude, blockOf(fam.gateway, fam.prefix)];
    const given: { node: string; range: Cidr; pinned: boolean }[] = [];
    let short = false;
    for (const node of nodes) {
        const pin = fam.pins.get(node);
        if (pin !== undefined) {
            const earlier = given.find((g) => overlaps(g.range, pin));
            if (earlier !== undefined && !earlier.pinned) {
                problems.add(`${fam.path}.ranges.${node}`, formatCidr(pin),
                    `overlaps ${formatCidr(earlier.range)}, the range ${earlier.node} gets as an earlier node without a pin; ` +
                    `pin ${earlier.node} too, list ${node} before it, or pin a free block`);
                return undefined;
            }
            given.push({ node, range: pin, pinned: true });
            continue;
        }
        const range = firstFreeBlock(fam.subnet, fam.prefix, [...fixed, ...given.map((g) => g.range)]);
        if (range === undefined) {
            short = true;
            break;
        }
        given.push({ node, range, pinned: false });
    }
    if (short) {
        problems.add(`${fam.path}.ipRangePrefix`, fam.prefix, capacityMessage(fam, nodes.length));
        return undefined;
    }
    return given.map((g) => g.range);
}

function capacityMessage(fam: CheckedFamily, wanted: number): string {
    const pins = [...fam.pins.values()];
    const fits = (prefix: number) => countFreeBlocks(fam.subnet, prefix, [...fam.exclude, blockOf(fam.gateway, prefix), ...pins]) + BigInt(pins.length);
    let suggestion = "a larger subnet";
    for (let p = fam.prefix + 1; p <= bitsOf(fam.subnet.family); p++) {
        if (fits(p) >= BigInt(wanted)) {
            suggestion = `a longer prefix (/${p} fits all) or a larger subnet`;
            break;
        }
    }
    return `leaves room for ${fits(fam.prefix)} of ${wanted} nodes in ${formatCidr(fam.subnet)}; use ${suggestion}`;
}

function firstFreeBlock(subnet: Cidr, prefix: number, taken: readonly Cidr[]): Cidr | undefined {
    const size = 1n << BigInt(bitsOf(subnet.family) - prefix);
    let candidate: Cidr = { family: subnet.family, base: subnet.base, prefix };
    while (contains(subnet, candidate)) {
        const obstacle = taken.find((t) => overlaps(t, candidate));
        if (obstacle === undefined) {
            return candidate;
        }
        const next = lastOf(obstacle) + 1n;
        candidate = { family: subnet.family, base: next + ((size - (next % size)) % size), prefix };
    }
    return undefined;
}

function countFreeBlocks(subnet: Cidr, prefix: number, taken: readonly Cidr[]): bigint {
    const size = 1n << BigInt(bitsOf(subnet.family) - prefix);
    const spans = taken
        .filter((t) => overlaps(t, subnet))
        .map((t) => [(t.base > subnet.base ? t.base : subnet.base) / size, (lastOf(t) < lastOf(subnet) ? lastOf(t) : lastOf(subnet)) / size])
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let blocked = 0n;
    let end = -1n;
    for (const [first, last] of spans) {
        const from = first > end ? first : end + 1n;
        if (last >= from) {
            blocked += last - from + 1n;
            end = last;
        }
    }
    return sizeOf(subnet) / size - blocked;
}

/** validate/ranges.ts checkPinnedRanges: every pin against every earlier pin and every exclude. */
export function referenceCheckPinnedRanges(problems: Problems, path: string, pins: ReadonlyMap<string, Cidr>, exclude: readonly Cidr[]): void {
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

/** fields.ts readNodeMap: each key looked up in the node list. */
export function referenceReadNodeMap<T>(
    problems: Problems,
    path: string,
    value: unknown,
    nodeNames: readonly string[],
    read: (path: string, value: unknown) => T | undefined,
): Map<string, T> {
    const result = new Map<string, T>();
    if (value === undefined) {
        return result;
    }
    const raw = readObject(problems, path, value, "a map from node name to value");
    if (raw === undefined) {
        return result;
    }
    for (const key of Object.keys(raw)) {
        if (!nodeNames.includes(key)) {
            problems.add(`${path}.${key}`, raw[key], `names no node; known nodes: ${nodeNames.join(", ")}`);
        }
    }
    for (const node of nodeNames) {
        if (Object.hasOwn(raw, node)) {
            const item = read(`${path}.${node}`, raw[node]);
            if (item !== undefined) {
                result.set(node, item);
            }
        }
    }
    return result;
}
