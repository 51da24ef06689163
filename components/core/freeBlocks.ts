// Free blocks of a subnet, found in near-constant time per node where `firstFreeBlock`
// (cidr.ts) scans every taken block for every candidate. Used by the allocator (allocate.ts).
import { Cidr, bitsOf, lastOf, sizeOf } from "./cidr";
import { compareBigints, lowerBound } from "./sorted";

/** The addresses first..last, both included. */
export interface Span {
    readonly first: bigint;
    readonly last: bigint;
}

export function spanOf(cidr: Cidr): Span {
    return { first: cidr.base, last: lastOf(cidr) };
}

/** The union of `cidrs` as spans sorted by address, disjoint and not touching. */
export function mergeSpans(cidrs: readonly Cidr[]): Span[] {
    const sorted = cidrs.map(spanOf).sort((a, b) => compareBigints(a.first, b.first));
    const merged: Span[] = [];
    for (const span of sorted) {
        const previous = merged[merged.length - 1];
        if (previous !== undefined && span.first <= previous.last + 1n) {
            merged[merged.length - 1] = { first: previous.first, last: span.last > previous.last ? span.last : previous.last };
        } else {
            merged.push(span);
        }
    }
    return merged;
}

/**
 * Hands out the lowest aligned block of one prefix length inside a subnet that overlaps no
 * fixed obstacle (excludes, the gateway's block), no activated pin and no block handed out
 * before.
 *
 * Why a cursor is enough: each answer is the lowest free block, and what is taken only grows
 * (blocks handed out, pins activated), so every answer lies above the one before. The cursor
 * (just above the last answer) only moves up; blocks handed out all lie below it and need no
 * index, and the two obstacle lists are walked with pointers that only move up too. Pins of
 * nodes not yet walked wait inactive: a later node's pin must not move an earlier node (the
 * allocator reports the clash instead), exactly as when pins were taken in node order.
 */
export class FreeBlocks {
    private readonly size: bigint;
    private readonly last: bigint;
    private cursor: bigint;
    /** Excludes and the gateway's block, merged: sorted by address, disjoint. */
    private readonly fixed: readonly Span[];
    private nextFixed = 0;
    /** Every pin, sorted by address; pins are disjoint (validate/ranges.ts), so their ends are sorted too. */
    private readonly pins: readonly Span[];
    private readonly active: boolean[];
    private nextPin = 0;

    constructor(private readonly subnet: Cidr, private readonly prefix: number, fixed: readonly Cidr[], pins: readonly Cidr[]) {
        this.size = 1n << BigInt(bitsOf(subnet.family) - prefix);
        this.last = lastOf(subnet);
        this.cursor = subnet.base; // aligned: the prefix is never shorter than the subnet's
        this.fixed = mergeSpans(fixed);
        this.pins = pins.map(spanOf).sort((a, b) => compareBigints(a.first, b.first));
        this.active = this.pins.map(() => false);
    }

    /** From now on `pin` (one of the constructor's pins) blocks the blocks it overlaps. */
    activate(pin: Cidr): void {
        this.active[lowerBound(this.pins, pin.base, (p) => p.first)] = true;
    }

    /** The next free block, or undefined when the subnet has none left. */
    take(): Cidr | undefined {
        let base = this.cursor;
        while (base + this.size - 1n <= this.last) {
            const end = this.obstacleEnd(base, base + this.size - 1n);
            if (end === undefined) {
                this.cursor = base + this.size;
                return { family: this.subnet.family, base, prefix: this.prefix };
            }
            // Every aligned block that starts at or below the obstacle's end overlaps it too.
            const next = end + 1n;
            base = next + ((this.size - (next % this.size)) % this.size);
        }
        return undefined;
    }

    /** The last address of an obstacle overlapping first..last, or undefined when none does. */
    private obstacleEnd(first: bigint, last: bigint): bigint | undefined {
        while (this.nextFixed < this.fixed.length && this.fixed[this.nextFixed].last < first) {
            this.nextFixed++;
        }
        const fixed = this.fixed[this.nextFixed];
        if (fixed !== undefined && fixed.first <= last) {
            return fixed.last;
        }
        while (this.nextPin < this.pins.length && this.pins[this.nextPin].last < first) {
            this.nextPin++;
        }
        // An inactive pin passed over here lies inside this candidate (the next candidate or
        // the cursor starts past it) or holds it whole (then it is the only pin here): each
        // candidate passes over few pins, and no pin twice unless it holds several candidates.
        for (let i = this.nextPin; i < this.pins.length && this.pins[i].first <= last; i++) {
            if (this.active[i]) {
                return this.pins[i].last;
            }
        }
        return undefined;
    }
}

/**
 * How many blocks of length `prefix` inside `subnet` overlap neither `taken` (sorted by
 * address and disjoint, as from mergeSpans) nor `extra`: countFreeBlocks (cidr.ts) without
 * sorting again for each prefix. Every span lies inside the subnet.
 */
export function countFreeBlocksBeside(subnet: Cidr, prefix: number, taken: readonly Span[], extra: Cidr): bigint {
    const size = 1n << BigInt(bitsOf(subnet.family) - prefix);
    let blocked = 0n;
    let end = -1n; // the last block index already counted
    const block = (span: Span) => {
        const first = span.first / size;
        const last = span.last / size;
        const from = first > end ? first : end + 1n;
        if (last >= from) {
            blocked += last - from + 1n;
            end = last;
        }
    };
    const at = lowerBound(taken, extra.base, (s) => s.first);
    taken.slice(0, at).forEach(block);
    block(spanOf(extra));
    taken.slice(at).forEach(block);
    return sizeOf(subnet) / size - blocked;
}
