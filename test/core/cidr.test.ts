import { strict as assert } from "node:assert";
import {
    Cidr, Family, blockOf, contains, countFreeBlocks, firstFreeBlock, formatAddress, formatCidr, lastOf, overlaps,
    parseAddress, parseCidr, sizeOf,
} from "../../components/core";

/** A CIDR the test trusts to be valid (its parse is asserted exactly below). */
function cidr(text: string): Cidr {
    const parsed = parseCidr(text, text.includes(":") ? 6 : 4);
    assert.ok(parsed.ok, `${text} should parse`);
    return parsed.value;
}

const V4_NOT_ADDRESS = "is not a canonical IPv4 CIDR: the address is not an IPv4 address: write four decimal octets without leading zeros, e.g. 10.0.0.1";
const V4_NOT_CIDR = "is not an IPv4 CIDR: write address/prefix, e.g. 10.0.0.0/24";
const V6_NOT_CIDR = "is not an IPv6 CIDR: write address/prefix, e.g. 2001:db8::/64";

describe("cidr", () => {
    describe("parseCidr", () => {
        const accepted: [string, Family, bigint, number][] = [
            ["10.0.0.0/8", 4, 0x0a000000n, 8],
            ["172.80.0.0/16", 4, 0xac500000n, 16],
            ["192.168.17.0/24", 4, 0xc0a81100n, 24],
            ["10.0.10.16/28", 4, 0x0a000a10n, 28],
            ["0.0.0.0/0", 4, 0n, 0],
            ["255.255.255.255/32", 4, 0xffffffffn, 32],
            ["2001:db8::/32", 6, 0x20010db8_0000_0000_0000_0000_0000_0000n, 32],
            ["2001:db8:babe:10:1::/80", 6, 0x20010db8_babe_0010_0001_0000_0000_0000n, 80],
            ["::/0", 6, 0n, 0],
            ["2001:db8::1/128", 6, 0x20010db8_0000_0000_0000_0000_0000_0001n, 128],
        ];
        for (const [text, family, base, prefix] of accepted) {
            it(`parses canonical ${text}`, () => {
                assert.deepStrictEqual(parseCidr(text, family), { ok: true, value: { family, base, prefix } });
            });
        }

        const refused: [string, Family, string][] = [
            ["10.0.0.1/8", 4, "has host bits set: the network is 10.0.0.0/8"],
            ["172.80.0.1/16", 4, "has host bits set: the network is 172.80.0.0/16"],
            ["010.0.0.0/8", 4, V4_NOT_ADDRESS],
            ["10.0/8", 4, V4_NOT_ADDRESS],
            ["10/8", 4, V4_NOT_ADDRESS],
            ["0x0a.0.0.0/8", 4, V4_NOT_ADDRESS],
            ["10.0.0.256/24", 4, V4_NOT_ADDRESS],
            [" 10.0.0.0/8", 4, V4_NOT_ADDRESS],
            ["10.0.0.0/08", 4, V4_NOT_CIDR],
            ["10.0.0.0", 4, V4_NOT_CIDR],
            ["10.0.0.0/", 4, V4_NOT_CIDR],
            ["10.0.0.0/33", 4, V4_NOT_CIDR],
            ["10.0.0.0/-1", 4, V4_NOT_CIDR],
            ["10.0.0.0/+8", 4, V4_NOT_CIDR],
            ["10.0.0.0/ 8", 4, V4_NOT_CIDR],
            ["10.0.0.0/255.0.0.0", 4, V4_NOT_CIDR],
            ["2001:db8::/32", 4, V4_NOT_ADDRESS],
            ["2001:DB8::/32", 6, "is not a canonical IPv6 CIDR: the address is not in canonical form: write 2001:db8::"],
            ["2001:db8:0:0::/64", 6, "is not a canonical IPv6 CIDR: the address is not in canonical form: write 2001:db8::"],
            ["2001:0db8::/32", 6, "is not a canonical IPv6 CIDR: the address is not in canonical form: write 2001:db8::"],
            ["2001:db8::1/64", 6, "has host bits set: the network is 2001:db8::/64"],
            ["2001:db8::", 6, V6_NOT_CIDR],
            ["2001:db8::/129", 6, V6_NOT_CIDR],
            ["2001:db8::/064", 6, V6_NOT_CIDR],
            ["10.0.0.0/8", 6, "is not a canonical IPv6 CIDR: the address is not an IPv6 address, e.g. 2001:db8::1"],
        ];
        for (const [text, family, reason] of refused) {
            it(`fails when ${JSON.stringify(text)} is read as IPv${family}`, () => {
                assert.deepStrictEqual(parseCidr(text, family), { ok: false, reason });
            });
        }
    });

    describe("parseAddress", () => {
        it("reads canonical addresses of both families", () => {
            assert.deepStrictEqual(parseAddress("172.80.0.1", 4), { ok: true, value: { family: 4, value: 0xac500001n } });
            assert.deepStrictEqual(parseAddress("0.0.0.0", 4), { ok: true, value: { family: 4, value: 0n } });
            assert.deepStrictEqual(parseAddress("2001:db8::1", 6), { ok: true, value: { family: 6, value: 0x20010db8_0000_0000_0000_0000_0000_0001n } });
            assert.deepStrictEqual(parseAddress("::", 6), { ok: true, value: { family: 6, value: 0n } });
        });

        const refused: [string, Family, string][] = [
            ["172.80.0.01", 4, "is not an IPv4 address: write four decimal octets without leading zeros, e.g. 10.0.0.1"],
            ["172.80.1", 4, "is not an IPv4 address: write four decimal octets without leading zeros, e.g. 10.0.0.1"],
            ["172.80.0.1/32", 4, "is not an IPv4 address: write four decimal octets without leading zeros, e.g. 10.0.0.1"],
            ["2001:DB8::1", 6, "is not in canonical form: write 2001:db8::1"],
            ["2001:db8:0:0::1", 6, "is not in canonical form: write 2001:db8::1"],
            ["2001:db8:0:0:0:0:0:1", 6, "is not in canonical form: write 2001:db8::1"],
            ["::ffff:1.2.3.4", 6, "is not in canonical form: write ::ffff:102:304"],
            ["2001:db8::/64", 6, "is not an IPv6 address, e.g. 2001:db8::1"],
            ["10.0.0.1", 6, "is not an IPv6 address, e.g. 2001:db8::1"],
        ];
        for (const [text, family, reason] of refused) {
            it(`fails when ${JSON.stringify(text)} is read as an IPv${family} address`, () => {
                assert.deepStrictEqual(parseAddress(text, family), { ok: false, reason });
            });
        }
    });

    describe("formatting and arithmetic", () => {
        it("formats addresses and CIDRs canonically", () => {
            assert.equal(formatAddress({ family: 4, value: 0xffffffffn }), "255.255.255.255");
            assert.equal(formatAddress({ family: 4, value: 0n }), "0.0.0.0");
            assert.equal(formatAddress({ family: 6, value: 0x20010db8_babe_0010_0001_ffff_ffff_fffen }), "2001:db8:babe:10:1:ffff:ffff:fffe");
            assert.equal(formatCidr({ family: 6, base: 0n, prefix: 0 }), "::/0");
            assert.equal(formatCidr(cidr("172.80.3.0/24")), "172.80.3.0/24");
        });

        it("computes size, last address and the block holding an address", () => {
            assert.equal(sizeOf(cidr("172.80.0.0/16")), 65536n);
            assert.equal(sizeOf(cidr("::/0")), 1n << 128n);
            assert.equal(lastOf(cidr("10.0.10.16/28")), 0x0a000a1fn);
            assert.deepStrictEqual(blockOf({ family: 4, value: 0xac500001n }, 24), cidr("172.80.0.0/24"));
            assert.deepStrictEqual(blockOf({ family: 6, value: 0x20010db8_babe_0010_0000_0000_0000_0001n }, 80), cidr("2001:db8:babe:10::/80"));
        });

        it("tells containment and overlap, never across families", () => {
            assert.deepStrictEqual(
                [
                    contains(cidr("172.80.0.0/16"), cidr("172.80.255.0/24")),
                    contains(cidr("172.80.0.0/16"), cidr("172.81.0.0/24")),
                    contains(cidr("172.80.0.0/24"), cidr("172.80.0.0/16")),
                    contains(cidr("172.80.0.0/16"), { family: 4, value: 0xac50ffffn }),
                    contains(cidr("172.80.0.0/16"), { family: 4, value: 0xac510000n }),
                    contains(cidr("::/0"), cidr("0.0.0.0/0")),
                    overlaps(cidr("172.80.4.0/23"), cidr("172.80.5.0/24")),
                    overlaps(cidr("172.80.4.0/24"), cidr("172.80.5.0/24")),
                    overlaps(cidr("0.0.0.0/0"), cidr("::/0")),
                ],
                [true, false, false, true, false, false, true, false, false],
            );
        });
    });

    describe("firstFreeBlock", () => {
        it("returns the subnet's first block when nothing is taken", () => {
            assert.deepStrictEqual(firstFreeBlock(cidr("172.80.0.0/16"), 24, []), cidr("172.80.0.0/24"));
        });

        it("jumps small, misaligned and large obstacles, in any order", () => {
            const taken = [cidr("10.0.2.0/23"), cidr("10.0.0.0/24"), cidr("10.0.1.128/25")];
            assert.deepStrictEqual(firstFreeBlock(cidr("10.0.0.0/16"), 24, taken), cidr("10.0.4.0/24"));
        });

        it("ignores obstacles outside the subnet", () => {
            assert.deepStrictEqual(firstFreeBlock(cidr("10.1.0.0/16"), 24, [cidr("10.0.0.0/16"), cidr("10.2.0.0/16")]), cidr("10.1.0.0/24"));
        });

        it("returns undefined when every block is taken", () => {
            assert.equal(firstFreeBlock(cidr("10.0.0.0/23"), 24, [cidr("10.0.0.0/24"), cidr("10.0.1.0/25"), cidr("10.0.1.128/25")]), undefined);
            assert.equal(firstFreeBlock(cidr("10.0.0.0/24"), 26, [cidr("10.0.0.0/8")]), undefined);
        });

        it("finds a block past 2^95 taken addresses and 2000 obstacles in an IPv6 /32 quickly", function () {
            this.timeout(2000);
            const base = 0x20010db8_0000_0000_0000_0000_0000_0000n;
            const many = Array.from({ length: 2000 }, (_, i): Cidr => ({ family: 6, base: base + (1n << 95n) + (BigInt(i) << 64n), prefix: 64 }));
            const taken = [cidr("2001:db8::/33"), ...many.reverse()];
            assert.deepStrictEqual(firstFreeBlock(cidr("2001:db8::/32"), 64, taken), cidr("2001:db8:8000:7d0::/64"));
        });
    });

    describe("countFreeBlocks", () => {
        it("counts every block of an empty subnet", () => {
            assert.equal(countFreeBlocks(cidr("172.80.0.0/16"), 24, []), 256n);
        });

        it("counts overlapping obstacles once and partial blocks as taken", () => {
            const taken = [cidr("10.0.0.32/27"), cidr("10.0.0.0/25"), cidr("10.0.0.200/29"), cidr("10.0.0.0/26")];
            assert.equal(countFreeBlocks(cidr("10.0.0.0/24"), 26, taken), 1n);
        });

        it("clips obstacles to the subnet", () => {
            assert.equal(countFreeBlocks(cidr("10.1.0.0/16"), 24, [cidr("10.0.0.0/16"), cidr("10.1.255.128/25")]), 255n);
            assert.equal(countFreeBlocks(cidr("10.1.0.0/16"), 24, [cidr("10.0.0.0/8")]), 0n);
        });

        it("counts /128 blocks of an IPv6 /32 with overlapping obstacles quickly", function () {
            this.timeout(1000);
            const taken = [cidr("2001:db8::/64"), cidr("2001:db8::/48"), cidr("2001:db8:ffff:ffff::/64"), cidr("2001:db8:0:1::/64")];
            assert.equal(countFreeBlocks(cidr("2001:db8::/32"), 128, taken), (1n << 96n) - (1n << 80n) - (1n << 64n));
        });
    });
});
