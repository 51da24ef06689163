// Which pinned ranges overlap one another or an exclude, found in one sweep instead of by
// comparing every pair. It relies on CIDR blocks being aligned: two blocks either nest or
// are disjoint.
import { Cidr, lastOf } from "../cidr";
import { compareBigints } from "../sorted";

interface Block {
    readonly cidr: Cidr;
    readonly last: bigint;
    readonly pin: boolean;
    /** Position in the pin list or in the exclude list. */
    readonly index: number;
}

/** Overlapping pairs, as positions in the two lists. */
export interface Overlaps {
    /** For each pin, the earlier pins it overlaps, in list order. */
    readonly pins: number[][];
    /** For each pin, the excludes it overlaps, in list order. */
    readonly excludes: number[][];
}

/**
 * @example overlapsOf([cidr("10.0.0.0/24"), cidr("10.0.0.128/25")], [cidr("10.0.0.0/16")])
 * // { pins: [[], [0]], excludes: [[0], [0]] }
 */
export function overlapsOf(pins: readonly Cidr[], excludes: readonly Cidr[]): Overlaps {
    const result: Overlaps = { pins: pins.map(() => []), excludes: pins.map(() => []) };
    const blocks = [
        ...pins.map((cidr, index) => ({ cidr, last: lastOf(cidr), pin: true, index })),
        ...excludes.map((cidr, index) => ({ cidr, last: lastOf(cidr), pin: false, index })),
    ].sort((a, b) => compareBigints(a.cidr.base, b.cidr.base) || a.cidr.prefix - b.cidr.prefix); // outer before inner
    // The pins and the excludes that hold the sweep's position, each a chain of nested blocks,
    // outermost first. Every block still open when a block starts holds that block whole, so
    // each block meets exactly the earlier-sorted blocks it overlaps; excludes do not meet
    // excludes, so the work grows with the overlaps reported.
    const openPins: Block[] = [];
    const openExcludes: Block[] = [];
    for (const block of blocks) {
        closeBefore(openPins, block.cidr.base);
        closeBefore(openExcludes, block.cidr.base);
        for (const outer of openPins) {
            if (block.pin) {
                result.pins[Math.max(block.index, outer.index)].push(Math.min(block.index, outer.index));
            } else {
                result.excludes[outer.index].push(block.index);
            }
        }
        if (block.pin) {
            openExcludes.forEach((outer) => result.excludes[block.index].push(outer.index));
        }
        (block.pin ? openPins : openExcludes).push(block);
    }
    for (const list of [...result.pins, ...result.excludes]) {
        list.sort((a, b) => a - b);
    }
    return result;
}

/** Drops the blocks of `open` that end before `address`: they are the innermost ones. */
function closeBefore(open: Block[], address: bigint): void {
    while (open.length > 0 && open[open.length - 1].last < address) {
        open.pop();
    }
}
