// cidr.ts's own IPv6 formatter against ip-address's correctForm, which it replaces for speed:
// random addresses with many zero groups, so runs of every length and position and ties occur.
import { strict as assert } from "node:assert";
import * as fc from "fast-check";
import { Address6 } from "ip-address";
import { formatAddress, formatCidr } from "../../components/core";

const group = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }) });
const address = fc.array(group, { minLength: 8, maxLength: 8 }).map((groups) => groups.reduce((acc, g) => (acc << 16n) + BigInt(g), 0n));

describe("cidr properties", () => {
    it("writes every IPv6 address as ip-address's correctForm does", () => {
        fc.assert(fc.property(address, (value) => {
            assert.equal(formatAddress({ family: 6, value }), Address6.fromBigInt(value).correctForm());
        }), { numRuns: 2000 });
    });

    it("writes the all-zero, all-ones and single-group IPv6 addresses as ip-address does", () => {
        const values = [0n, (1n << 128n) - 1n, ...Array.from({ length: 8 }, (_, i) => 1n << BigInt(16 * i)), ...Array.from({ length: 8 }, (_, i) => 0xffffn << BigInt(16 * i))];
        for (const value of values) {
            assert.equal(formatAddress({ family: 6, value }), Address6.fromBigInt(value).correctForm());
            assert.equal(formatCidr({ family: 6, base: value, prefix: 128 }), `${Address6.fromBigInt(value).correctForm()}/128`);
        }
    });
});
