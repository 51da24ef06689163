// Invariants of the planner over random valid specs (fast-check), for IPv4 and IPv6. Checks use
// the independent span arithmetic in helpers.ts, not the code under test.
import { strict as assert } from "node:assert";
import * as fc from "fast-check";
import { Address6 } from "ip-address";
import { Plan, SpecError, planSpec } from "../../components/core";
import { Obj, spanInside, spansOverlap, v4Span, v4Text, v6Span } from "./helpers";

type Family = 4 | 6;
type Span = [bigint, bigint];

/** A random spec and what the generator meant by it, as numbers. */
interface Case {
    readonly family: Family;
    readonly spec: Obj;
    readonly subnet: Span;
    readonly gateway: bigint;
    readonly prefix: number;
    readonly excludes: readonly Span[];
    readonly pins: ReadonlyMap<string, Span>;
    readonly hosts: ReadonlyMap<string, bigint>;
    readonly shim: boolean;
}

const RUNS = { numRuns: 200 };
const bitsOf = (f: Family) => (f === 4 ? 32 : 128);
const text = (f: Family, v: bigint) => (f === 4 ? v4Text(Number(v)) : Address6.fromBigInt(v).correctForm());
const cidrText = (f: Family, base: bigint, prefix: number) => `${text(f, base)}/${prefix}`;
const span = (f: Family, cidr: string): Span => (f === 4 ? (v4Span(cidr).map(BigInt) as Span) : v6Span(cidr));
const value = (f: Family, address: string): bigint => span(f, `${address}/${bitsOf(f)}`)[0];
const blockSpan = (base: bigint, size: bigint): Span => [base, base + size - 1n];

/** Subnets inside 10.0.0.0/8 (/12-/24, ranges /p+2-/28) or 2001:db8::/32 (/32-/112, ranges up to 24 bits longer). */
function cases(family: Family): fc.Arbitrary<Case> {
    const bits = bitsOf(family);
    const outer = family === 4 ? { base: 10n << 24n, prefix: 8 } : { base: 0x20010db8n << 96n, prefix: 32 };
    const subnetPrefix = family === 4 ? fc.integer({ min: 12, max: 24 }) : fc.integer({ min: 32, max: 112 });
    const maybe = (arb: fc.Arbitrary<bigint>, weight: number) => fc.oneof({ weight, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
    return subnetPrefix.chain((p) => {
        const size = 1n << BigInt(bits - p);
        return fc.record({
            p: fc.constant(p),
            index: fc.bigInt({ min: 0n, max: (1n << BigInt(p - outer.prefix)) - 1n }),
            r: fc.integer({ min: p + 2, max: family === 4 ? 28 : Math.min(128, p + 24) }),
            gateway: fc.bigInt({ min: 1n, max: size - 2n }),
            n: fc.integer({ min: 1, max: 8 }),
            excludes: fc.array(fc.record({ prefix: fc.integer({ min: p + 2, max: bits - 2 }), at: fc.bigInt({ min: 0n, max: size - 1n }) }), { maxLength: 3 }),
            pins: fc.array(maybe(fc.bigInt({ min: 0n, max: 1n << 64n }), 3), { minLength: 8, maxLength: 8 }),
            hosts: fc.array(maybe(fc.bigInt({ min: 0n, max: 1n << 130n }), 2), { minLength: 8, maxLength: 8 }),
            shim: fc.boolean(),
        });
    }).map((g) => {
        const size = 1n << BigInt(bits - g.p);
        const base = outer.base + g.index * size;
        const gateway = base + g.gateway;
        const excludes = g.excludes.map((e) => {
            const block = 1n << BigInt(bits - e.prefix);
            return { cidr: cidrText(family, base + e.at - (e.at % block), e.prefix), span: blockSpan(base + e.at - (e.at % block), block) };
        });
        const names = Array.from({ length: g.n }, (_, i) => `node${i}`);
        // Pins go to the upper half, where the unpinned nodes rarely reach; clashing pins are dropped.
        const block = 1n << BigInt(bits - g.r);
        const half = 1n << BigInt(g.r - g.p - 1);
        const pins = new Map<string, Span>();
        names.forEach((node, i) => {
            const frac = g.pins[i];
            const pin = frac === null ? undefined : blockSpan(base + size / 2n + (frac % half) * block, block);
            if (pin && ![...excludes.map((e) => e.span), ...pins.values()].some((s) => spansOverlap(s, pin))) {
                pins.set(node, pin);
            }
        });
        // Host addresses: odd draws land in the first 16 blocks, where ranges (and so aux addresses) are.
        const low = size < 16n * block ? size : 16n * block;
        const hosts = new Map<string, bigint>();
        names.forEach((node, i) => {
            const draw = g.hosts[i];
            const address = draw === null ? undefined : base + (draw % 2n === 0n ? draw % size : draw % low);
            if (address !== undefined && address !== gateway && ![...hosts.values()].includes(address)) {
                hosts.set(node, address);
            }
        });
        const fam = {
            subnet: cidrText(family, base, g.p), gateway: text(family, gateway), ipRangePrefix: g.r,
            ...(excludes.length > 0 && { exclude: excludes.map((e) => e.cidr) }),
            ...(pins.size > 0 && { ranges: Object.fromEntries([...pins].map(([n, s]) => [n, cidrText(family, s[0], g.r)])) }),
            ...(hosts.size > 0 && { hostAddresses: Object.fromEntries([...hosts].map(([n, h]) => [n, text(family, h)])) }),
        };
        // IPv6 rides beside a fixed IPv4 family (the first node per /24 of 10.200.0.0/16).
        const network = family === 4 ? { name: "net", parent: "eth1", shim: g.shim, ...fam }
            : { name: "net", parent: "eth1", shim: g.shim, subnet: "10.200.0.0/16", gateway: "10.200.0.1", ipRangePrefix: 24, ipv6: fam };
        const nodes = names.map((name, i) => ({ name, host: `192.0.2.${i + 1}`, role: i === 0 ? "manager" : "worker" }));
        return {
            family, spec: { nodes, networks: [network] }, subnet: blockSpan(base, size), gateway, prefix: g.r,
            excludes: excludes.map((e) => e.span), pins, hosts, shim: g.shim,
        };
    });
}

/**
 * Problems a random spec may legitimately have (no room, a pin taken by an earlier node, no host
 * address left, a range too small once its ends are reserved).
 */
const EXPECTED = /leaves room for|as an earlier node without a pin|has no free address for the host|leaves no address for containers/;

/** Plans the case, skipping (fc.pre) only for the expected problems; anything else fails. */
function plan(c: Case): Plan {
    try {
        return planSpec(c.spec);
    } catch (e) {
        assert.ok(e instanceof SpecError, String(e));
        assert.ok(e.problems.every((p) => EXPECTED.test(p)), e.message);
        fc.pre(false);
        throw e;
    }
}

/** The family under test of each planned node: its range and host address as numbers. */
function planned(c: Case, p: Plan) {
    return p.networks[0].nodes.map((n) => {
        const fam = c.family === 4 ? n : n.ipv6!;
        return { node: n.node, range: span(c.family, fam.ipRange), aux: fam.auxAddresses, host: fam.hostAddress };
    });
}

for (const family of [4, 6] as const) {
    describe(`planSpec properties (IPv${family})`, () => {
        it("puts every range inside the subnet, pairwise disjoint, clear of excludes and the gateway's block unless pinned", () => {
            fc.assert(fc.property(cases(family), (c) => {
                const nodes = planned(c, plan(c));
                const gatewayBlock = blockSpan(c.gateway - (c.gateway % (1n << BigInt(bitsOf(family) - c.prefix))), 1n << BigInt(bitsOf(family) - c.prefix));
                nodes.forEach((n, i) => {
                    assert.ok(spanInside(c.subnet, n.range), `${n.node} is outside the subnet`);
                    nodes.slice(0, i).forEach((m) => assert.ok(!spansOverlap(m.range, n.range), `${m.node} and ${n.node} overlap`));
                    assert.ok(!c.excludes.some((e) => spansOverlap(e, n.range)), `${n.node} overlaps an exclude`);
                    const pin = c.pins.get(n.node);
                    if (pin) {
                        assert.deepStrictEqual(n.range, pin);
                    } else {
                        assert.ok(!spansOverlap(gatewayBlock, n.range), `${n.node} got the gateway's block`);
                        assert.equal(n.range[1] - n.range[0] + 1n, 1n << BigInt(bitsOf(family) - c.prefix));
                    }
                });
            }), RUNS);
        });

        it("reserves exactly the host addresses inside each range and its first and last address, hosts unique and never the gateway", () => {
            fc.assert(fc.property(cases(family), (c) => {
                const nodes = planned(c, plan(c));
                const hosts = nodes.map((n) => (n.host === undefined ? undefined : value(family, n.host)));
                nodes.forEach((n, i) => {
                    const given = c.hosts.get(n.node);
                    if (given !== undefined) {
                        assert.equal(hosts[i], given);
                    } else if (hosts[i] === undefined) {
                        // Only a range with no free address lacks a default, and only without a shim.
                        assert.ok(!c.shim && n.range[1] - n.range[0] <= 2n, `${n.node} has no host address in ${n.range}`);
                    } else {
                        // A default (with or without shim): neither the range's first nor its last address.
                        assert.ok(hosts[i]! > n.range[0] && hosts[i]! < n.range[1], `${n.node} default ${n.host}`);
                    }
                    const expected: Record<string, string> = {};
                    // IPv6 names carry a suffix: Docker keeps one aux address per name per network.
                    const suffix = family === 6 ? "-v6" : "";
                    nodes.forEach((owner, j) => {
                        if (hosts[j] !== undefined && hosts[j]! >= n.range[0] && hosts[j]! <= n.range[1]) {
                            expected[`${owner.node === n.node ? "host" : `host-${owner.node}`}${suffix}`] = text(family, hosts[j]!);
                        }
                    });
                    // The range's ends, unless a host address already holds them.
                    for (const [name, end] of [[`range-first${suffix}`, n.range[0]], [`range-last${suffix}`, n.range[1]]] as const) {
                        if (!Object.values(expected).includes(text(family, end))) {
                            expected[name] = text(family, end);
                        }
                    }
                    assert.deepStrictEqual(n.aux, expected);
                });
                const present = hosts.filter((h) => h !== undefined);
                assert.equal(new Set(present).size, present.length, "host addresses repeat");
                assert.ok(!present.includes(c.gateway), "a host has the gateway's address");
            }), RUNS);
        });

        it("never changes existing ranges when an unpinned node is appended", () => {
            fc.assert(fc.property(cases(family), (c) => {
                const before = planned(c, plan(c)).map((n) => n.range);
                const spec = c.spec as { nodes: Obj[]; networks: Obj[] };
                const longer = { ...spec, nodes: [...spec.nodes, { name: "extra", host: "192.0.2.99", role: "worker" }] };
                let after: Plan;
                try {
                    after = planSpec(longer);
                } catch (e) {
                    assert.ok(e instanceof SpecError, String(e));
                    assert.deepStrictEqual(e.problems.filter((p) => !/leaves room for|ranges\.extra .* (has no free address|leaves no address)/.test(p)), []);
                    return;
                }
                assert.deepStrictEqual(planned({ ...c, spec: longer }, after).map((n) => n.range).slice(0, -1), before);
            }), RUNS);
        });

        it("is deterministic and JSON-serialisable", () => {
            fc.assert(fc.property(cases(family), (c) => {
                const first = plan(c);
                assert.deepStrictEqual(planSpec(structuredClone(c.spec)), first);
                assert.deepStrictEqual(JSON.parse(JSON.stringify(first)), first);
            }), RUNS);
        });
    });
}
