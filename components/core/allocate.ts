// Range allocation for one address family, by the rule in plan.ts's header: nodes in list
// order, a pinned node gets its pin, any other node the first free block of `ipRangePrefix`.
import { Problems } from "./errors";
import { Cidr, bitsOf, blockOf, formatCidr, lastOf } from "./cidr";
import { FreeBlocks, countFreeBlocksBeside, mergeSpans } from "./freeBlocks";
import { lowerBound } from "./sorted";
import { CheckedFamily } from "./validate";

interface Given {
    readonly node: string;
    readonly range: Cidr;
}

/** Each node's range, in node order, or undefined after reporting why the family has none. */
export function allocate(problems: Problems, fam: CheckedFamily, nodes: readonly string[]): Cidr[] | undefined {
    const blocks = new FreeBlocks(fam.subnet, fam.prefix, [...fam.exclude, blockOf(fam.gateway, fam.prefix)], [...fam.pins.values()]);
    // The unpinned nodes' ranges: handed out in increasing order, so sorted by address.
    const unpinned: Given[] = [];
    const ranges: Cidr[] = [];
    for (const node of nodes) {
        const pin = fam.pins.get(node);
        if (pin !== undefined) {
            // Pins are disjoint (validate/ranges.ts), so only an unpinned range can be in the way.
            const earlier = firstOverlapping(unpinned, pin);
            if (earlier !== undefined) {
                problems.add(`${fam.path}.ranges.${node}`, formatCidr(pin),
                    `overlaps ${formatCidr(earlier.range)}, the range ${earlier.node} gets as an earlier node without a pin; ` +
                    `pin ${earlier.node} too, list ${node} before it, or pin a free block`);
                return undefined;
            }
            blocks.activate(pin);
            ranges.push(pin);
            continue;
        }
        const range = blocks.take();
        if (range === undefined) {
            problems.add(`${fam.path}.ipRangePrefix`, fam.prefix, capacityMessage(fam, nodes.length));
            return undefined;
        }
        unpinned.push({ node, range });
        ranges.push(range);
    }
    return ranges;
}

/** The lowest (so the earliest given) of `sorted` that overlaps `range`. */
function firstOverlapping(sorted: readonly Given[], range: Cidr): Given | undefined {
    const candidate = sorted[lowerBound(sorted, range.base, (g) => lastOf(g.range))];
    return candidate !== undefined && candidate.range.base <= lastOf(range) ? candidate : undefined;
}

function capacityMessage(fam: CheckedFamily, wanted: number): string {
    const pins = [...fam.pins.values()];
    // Sorted once; only the gateway's block depends on the prefix tried.
    const taken = mergeSpans([...fam.exclude, ...pins]);
    const fits = (prefix: number) => countFreeBlocksBeside(fam.subnet, prefix, taken, blockOf(fam.gateway, prefix)) + BigInt(pins.length);
    let suggestion = "a larger subnet";
    for (let p = fam.prefix + 1; p <= bitsOf(fam.subnet.family); p++) {
        if (fits(p) >= BigInt(wanted)) {
            suggestion = `a longer prefix (/${p} fits all) or a larger subnet`;
            break;
        }
    }
    return `leaves room for ${fits(fam.prefix)} of ${wanted} nodes in ${formatCidr(fam.subnet)}; use ${suggestion}`;
}
