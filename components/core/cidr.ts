// Address arithmetic for both families on one model: an address is a bigint, a CIDR is a base
// and a prefix length. Parsing is strict (canonical text only) because `netmask` silently masks
// host bits and reads octal/hex octets (CVE-2021-29418); see STYLE.md point 7.
import { ip2long, long2ip } from "netmask";
import { Address6 } from "ip-address";

export type Family = 4 | 6;

export interface Cidr {
    readonly family: Family;
    readonly base: bigint;
    readonly prefix: number;
}

export interface Address {
    readonly family: Family;
    readonly value: bigint;
}

/** A parse result: the value, or the reason it was refused (phrased to follow the value). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const V4_ADDRESS = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function bitsOf(family: Family): number {
    return family === 4 ? 32 : 128;
}

export function familyName(family: Family): string {
    return family === 4 ? "IPv4" : "IPv6";
}

export function parseAddress(text: string, family: Family): Parsed<Address> {
    if (family === 4) {
        if (!V4_ADDRESS.test(text)) {
            return { ok: false, reason: "is not an IPv4 address: write four decimal octets without leading zeros, e.g. 10.0.0.1" };
        }
        return { ok: true, value: { family, value: BigInt(ip2long(text) >>> 0) } };
    }
    if (text.includes("/") || !Address6.isValid(text)) {
        return { ok: false, reason: "is not an IPv6 address, e.g. 2001:db8::1" };
    }
    const address = new Address6(text);
    const canonical = address.correctForm();
    if (canonical !== text) {
        return { ok: false, reason: `is not in canonical form: write ${canonical}` };
    }
    return { ok: true, value: { family, value: address.bigInt() } };
}

export function parseCidr(text: string, family: Family): Parsed<Cidr> {
    const slash = text.indexOf("/");
    const example = family === 4 ? "10.0.0.0/24" : "2001:db8::/64";
    const prefixText = slash < 0 ? "" : text.slice(slash + 1);
    const prefix = Number(prefixText);
    if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || prefix > bitsOf(family)) {
        return { ok: false, reason: `is not an ${familyName(family)} CIDR: write address/prefix, e.g. ${example}` };
    }
    const address = parseAddress(text.slice(0, slash), family);
    if (!address.ok) {
        return { ok: false, reason: `is not a canonical ${familyName(family)} CIDR: the address ${address.reason}` };
    }
    const cidr = blockOf(address.value, prefix);
    if (cidr.base !== address.value.value) {
        return { ok: false, reason: `has host bits set: the network is ${formatCidr(cidr)}` };
    }
    return { ok: true, value: cidr };
}

export function formatAddress(address: Address): string {
    if (address.family === 4) {
        return long2ip(Number(address.value));
    }
    return formatV6(address.value);
}

/**
 * RFC 5952 text, as ip-address's `Address6.fromBigInt(value).correctForm()` writes it (a test
 * holds the two equal), without building and parsing a string per address (a plan formats
 * five per node): lowercase groups without leading zeros, the first of the longest runs of
 * two or more zero groups written `::`.
 */
function formatV6(value: bigint): string {
    const digits = value.toString(16).padStart(32, "0");
    const groups = Array.from({ length: 8 }, (_, i) => parseInt(digits.slice(4 * i, 4 * i + 4), 16));
    let run = { start: 0, length: 1 }; // a run must be longer than this to be compressed
    for (let start = 0; start < 8; start++) {
        let end = start;
        while (end < 8 && groups[end] === 0) {
            end++;
        }
        if (end - start > run.length) {
            run = { start, length: end - start };
        }
        start = end;
    }
    const hex = groups.map((g) => g.toString(16));
    return run.length < 2 ? hex.join(":") : `${hex.slice(0, run.start).join(":")}::${hex.slice(run.start + run.length).join(":")}`;
}

export function formatCidr(cidr: Cidr): string {
    return `${formatAddress({ family: cidr.family, value: cidr.base })}/${cidr.prefix}`;
}

/**
 * A Map or Set key for an address value. V8 hashes a bigint by its lowest 64 bits alone, so
 * IPv6 addresses that differ only above them (`::fffe` in every /64) would share one hash
 * bucket and make each lookup scan them all; a string key hashes every digit.
 *
 * @example addressKey(0x20010db8000000010000000000000001n) // "20010db8000000010000000000000001"
 */
export function addressKey(value: bigint): string {
    return value.toString(16);
}

export function sizeOf(cidr: Cidr): bigint {
    return 1n << BigInt(bitsOf(cidr.family) - cidr.prefix);
}

export function lastOf(cidr: Cidr): bigint {
    return cidr.base + sizeOf(cidr) - 1n;
}

/** The block of length `prefix` that holds `address`. */
export function blockOf(address: Address, prefix: number): Cidr {
    const size = 1n << BigInt(bitsOf(address.family) - prefix);
    return { family: address.family, base: address.value - (address.value % size), prefix };
}

export function contains(outer: Cidr, inner: Cidr | Address): boolean {
    const first = "base" in inner ? inner.base : inner.value;
    const last = "base" in inner ? lastOf(inner) : inner.value;
    return outer.family === inner.family && first >= outer.base && last <= lastOf(outer);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
    return a.family === b.family && a.base <= lastOf(b) && b.base <= lastOf(a);
}

/**
 * The first block of length `prefix` inside `subnet` that overlaps none of `taken`, or
 * undefined. Jumps past each obstacle, so the cost grows with `taken`, not with the subnet.
 */
export function firstFreeBlock(subnet: Cidr, prefix: number, taken: readonly Cidr[]): Cidr | undefined {
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

/** How many blocks of length `prefix` inside `subnet` overlap none of `taken`. */
export function countFreeBlocks(subnet: Cidr, prefix: number, taken: readonly Cidr[]): bigint {
    const size = 1n << BigInt(bitsOf(subnet.family) - prefix);
    const spans = taken
        .filter((t) => overlaps(t, subnet))
        .map((t) => [(t.base > subnet.base ? t.base : subnet.base) / size, (lastOf(t) < lastOf(subnet) ? lastOf(t) : lastOf(subnet)) / size])
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let blocked = 0n;
    let end = -1n; // last block index already counted
    for (const [first, last] of spans) {
        const from = first > end ? first : end + 1n;
        if (last >= from) {
            blocked += last - from + 1n;
            end = last;
        }
    }
    return sizeOf(subnet) / size - blocked;
}
