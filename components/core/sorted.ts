// Arrays kept sorted by a bigint key, searched by bisection: the planner's indexes of ranges,
// pins and host addresses, which it would otherwise scan once per node.

/** Orders bigints for Array.prototype.sort. */
export function compareBigints(a: bigint, b: bigint): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The first index of `items` whose key is at least `value` (items.length when none is), for
 * `items` sorted by `key`.
 *
 * @example lowerBound([1n, 4n, 9n], 5n, (x) => x) // 2
 */
export function lowerBound<T>(items: readonly T[], value: bigint, key: (item: T) => bigint): number {
    let low = 0;
    let high = items.length;
    while (low < high) {
        const middle = (low + high) >>> 1;
        if (key(items[middle]) < value) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    return low;
}
