// The near-linear planner against the previous, simple one (support/referencePlanner.ts) on
// random specs: the same ranges, host addresses and aux addresses (key order included), and
// for failing plans the same problem lines in the same order. The specs are small and
// crowded on purpose: few blocks per subnet, pins of several lengths anywhere (also where
// unpinned nodes go), overlapping excludes, gateways anywhere, host addresses on range ends,
// tiny ranges, duplicate node names and nodes that fail validation but keep their pins.
import { strict as assert } from "node:assert";
import * as fc from "fast-check";
import { Address6 } from "ip-address";
import { Cidr, Problems, parseCidr } from "../../components/core";
import { planFamily } from "../../components/core/family";
import { readNodeMap } from "../../components/core/fields";
import { checkSpec } from "../../components/core/validate";
import { checkPinnedRanges } from "../../components/core/validate/ranges";
import { Obj, v4Text } from "./helpers";
import { referenceCheckPinnedRanges, referencePlanFamily, referenceReadNodeMap } from "./support/referencePlanner";

type Family = 4 | 6;

const RUNS = 400;
const bitsOf = (f: Family) => (f === 4 ? 32 : 128);
const text = (f: Family, v: bigint) => (f === 4 ? v4Text(Number(v)) : Address6.fromBigInt(v).correctForm());
const cidrText = (f: Family, base: bigint, prefix: number) => `${text(f, base)}/${prefix}`;
/** Any bigint, reduced below `n` where it is used. */
const draw = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });

/** The aligned block of `prefix` holding offset `at` (reduced below `size`) of the subnet at `base`, as [first, last]. */
function blockAt(f: Family, base: bigint, size: bigint, prefix: number, at: bigint): [bigint, bigint] {
    const block = 1n << BigInt(bitsOf(f) - prefix);
    const offset = at % size;
    return [base + offset - (offset % block), base + offset - (offset % block) + block - 1n];
}

const overlapping = (a: [bigint, bigint], b: [bigint, bigint]) => a[0] <= b[1] && b[0] <= a[1];

/**
 * One address family's fields for the nodes `names`: a subnet of 1-32 ranges, or tiny ranges.
 * A pin that overlaps an exclude or an earlier pin, or a host address that repeats one or is
 * the gateway, is dropped 29 times in 30 (such a family fails validation, before planning).
 */
function family(f: Family, names: readonly string[]): fc.Arbitrary<Obj> {
    const bits = bitsOf(f);
    const outer = f === 4 ? { base: 10n << 24n, prefix: 8 } : { base: 0x20010db8n << 96n, prefix: 32 };
    const prefixes = f === 4 ? fc.integer({ min: 20, max: 30 }) : fc.integer({ min: 56, max: 126 });
    const keepBad = fc.integer({ min: 0, max: 29 }).map((k) => k === 0);
    const perNode = <T>(arb: fc.Arbitrary<T>) => fc.array(fc.option(arb, { freq: 2 }), { minLength: names.length, maxLength: names.length });
    return prefixes.chain((p) => fc.record({
        p: fc.constant(p),
        index: draw,
        r: fc.oneof(fc.integer({ min: Math.min(bits, p + 1), max: Math.min(bits, p + 5) }), fc.integer({ min: Math.max(p, bits - 2), max: bits })),
        gateway: draw,
        excludes: fc.array(fc.record({ prefix: fc.integer({ min: p, max: bits }), at: draw }), { maxLength: 3 }),
        pins: perNode(fc.record({ delta: fc.integer({ min: -2, max: 2 }), at: draw, low: fc.boolean(), keepBad })),
        hosts: perNode(fc.record({ at: draw, low: fc.boolean(), end: fc.constantFrom("any", "first", "last"), keepBad })),
    })).map((g) => {
        const size = 1n << BigInt(bits - g.p);
        const base = outer.base + (g.index % (1n << BigInt(Math.min(g.p - outer.prefix, 24)))) * size;
        const gateway = base + (g.gateway % size);
        const block = 1n << BigInt(bits - g.r);
        // "low" draws land in the first 8 blocks, where the unpinned nodes' ranges are.
        const low = size < 8n * block ? size : 8n * block;
        const excludes = g.excludes.map((e) => blockAt(f, base, size, e.prefix, e.at));
        const exclude = g.excludes.map((e, i) => cidrText(f, excludes[i][0], e.prefix));
        const pins: [bigint, bigint][] = [];
        const ranges: Record<string, string> = {};
        g.pins.forEach((pin, i) => {
            if (pin === null) {
                return;
            }
            const prefix = Math.min(bits, Math.max(g.p, g.r + pin.delta));
            const span = blockAt(f, base, pin.low ? low : size, prefix, pin.at);
            if (pin.keepBad || ![...excludes, ...pins].some((s) => overlapping(s, span))) {
                pins.push(span);
                ranges[names[i]] = cidrText(f, span[0], prefix);
            }
        });
        const hosts: bigint[] = [];
        const hostAddresses: Record<string, string> = {};
        g.hosts.forEach((host, i) => {
            if (host === null) {
                return;
            }
            const at = host.at % (host.low ? low : size);
            const address = base + (host.end === "first" ? at - (at % block) : host.end === "last" ? at - (at % block) + block - 1n : at);
            if (host.keepBad || ![gateway, ...hosts].includes(address)) {
                hosts.push(address);
                hostAddresses[names[i]] = text(f, address);
            }
        });
        return {
            subnet: cidrText(f, base, g.p), gateway: text(f, gateway), ipRangePrefix: g.r,
            exclude, ranges, hostAddresses,
        };
    });
}

/** A spec with one network, IPv4 and maybe IPv6; names may repeat and nodes may fail validation. */
const specs: fc.Arbitrary<Obj> = fc.record({
    n: fc.integer({ min: 1, max: 10 }),
    repeat: fc.array(fc.nat(), { maxLength: 10 }),
    broken: fc.array(fc.nat(), { maxLength: 10 }),
}).chain(({ n, repeat, broken }) => {
    const base = Array.from({ length: n }, (_, i) => `node${i}`);
    // A name at position i may repeat an earlier one (about one spec in four has a repeat).
    const names = base.map((name, i) => (i > 0 && repeat[i] !== undefined && repeat[i] % 16 === 0 ? base[repeat[i] % i] : name));
    const known = [...new Set(names)];
    const nodes = names.map((name, i) => ({
        name, host: `192.0.2.${i + 1}`, role: i === 0 ? "manager" : "worker",
        // A broken node is left out of the plan, but its name still keys pins and host addresses.
        ...(broken[i] !== undefined && broken[i] % 16 === 0 && { port: 0 }),
    }));
    return fc.record({
        v4: family(4, known),
        v6: fc.option(family(6, known), { freq: 2 }),
        shim: fc.boolean(),
        reserveRangeEnds: fc.boolean(),
    }).map(({ v4, v6, shim, reserveRangeEnds }) => ({
        nodes,
        networks: [{ name: "net", parent: "eth1", shim, reserveRangeEnds, ...v4, ...(v6 !== null && { ipv6: v6 }) }],
    }));
});

/** How the families planned went, to show the random specs reach every outcome. */
type Outcome = "planned" | "invalid" | "no room" | "pin clash" | "no host address" | "no container address";
const OUTCOMES: readonly Outcome[] = ["planned", "invalid", "no room", "pin clash", "no host address", "no container address"];

const SIGNS: readonly [Outcome, string][] = [
    ["no room", "leaves room for"], ["pin clash", "as an earlier node without a pin"],
    ["no host address", "has no free address for the host"], ["no container address", "leaves no address for containers"],
];

function outcomeOf(problems: readonly string[], planned: boolean): Outcome {
    const sign = SIGNS.find(([, words]) => problems.some((p) => p.includes(words)));
    return sign?.[0] ?? (planned ? "planned" : "invalid");
}

/** Plans every valid family of `spec` with both planners, asserts they agree, and says how it went. */
function compare(spec: Obj): Outcome[] {
    const { nodes, networks } = checkSpec(new Problems(), spec);
    const names = nodes.map((n) => n.name);
    const outcomes: Outcome[] = [];
    for (const net of networks) {
        for (const fam of net.hasIpv6 ? [net.v4, net.v6] : [net.v4]) {
            if (fam === undefined) {
                outcomes.push("invalid");
                continue;
            }
            const [ours, theirs] = [new Problems(), new Problems()];
            const planned = planFamily(ours, fam, names, net);
            const expected = referencePlanFamily(theirs, fam, names, net);
            assert.deepStrictEqual(planned, expected);
            assert.equal(JSON.stringify(planned), JSON.stringify(expected), "the same keys in the same order");
            assert.deepStrictEqual(ours.list, theirs.list);
            outcomes.push(outcomeOf(ours.list, planned !== undefined));
        }
    }
    return outcomes;
}

describe("planner against the previous planner (support/referencePlanner.ts)", () => {
    it("gives the same ranges, host and aux addresses and problems on random specs, reaching every outcome", () => {
        const seen = new Map<Outcome, number>();
        fc.assert(fc.property(specs, (spec) => {
            compare(spec).forEach((o) => seen.set(o, (seen.get(o) ?? 0) + 1));
        }), { numRuns: RUNS });
        assert.deepStrictEqual(OUTCOMES.filter((o) => !seen.has(o)), [], `outcomes seen: ${JSON.stringify([...seen])}`);
    });

    it("reports the same overlapping pins and excludes, in the same order", () => {
        const cidrs = (max: number) => fc.array(fc.record({ prefix: fc.integer({ min: 20, max: 28 }), at: fc.nat({ max: 4095 }) }), { maxLength: max })
            .map((list) => list.map(({ prefix, at }) => cidrText(4, blockAt(4, 10n << 24n, 1n << 12n, prefix, BigInt(at))[0], prefix)));
        const parse = (c: string): Cidr => (parseCidr(c, 4) as { value: Cidr }).value;
        fc.assert(fc.property(cidrs(10), cidrs(4), (pinned, excluded) => {
            const pins = new Map(pinned.map((c, i) => [`node${i}`, parse(c)]));
            const exclude = excluded.map(parse);
            const [ours, theirs] = [new Problems(), new Problems()];
            checkPinnedRanges(ours, "networks[0].ranges", pins, exclude);
            referenceCheckPinnedRanges(theirs, "networks[0].ranges", pins, exclude);
            assert.deepStrictEqual(ours.list, theirs.list);
        }), { numRuns: RUNS });
    });

    it("reads node maps alike, unknown names included", () => {
        const names = fc.uniqueArray(fc.constantFrom("a", "b", "c", "d", "1", "20", "__proto__x", "e.f"), { maxLength: 6 });
        fc.assert(fc.property(names, fc.dictionary(fc.constantFrom("a", "b", "c", "x", "1", "3", "e.f"), fc.oneof(fc.integer(), fc.string())), (known, raw) => {
            const read = (problems: Problems) => (path: string, value: unknown) => {
                if (typeof value !== "number") {
                    problems.add(path, value, "must be a number");
                }
                return typeof value === "number" ? value : undefined;
            };
            const [ours, theirs] = [new Problems(), new Problems()];
            const got = readNodeMap(ours, "networks[0].hostAddresses", raw, known, read(ours));
            const expected = referenceReadNodeMap(theirs, "networks[0].hostAddresses", raw, known, read(theirs));
            assert.deepStrictEqual([...got], [...expected]);
            assert.deepStrictEqual(ours.list, theirs.list);
        }), { numRuns: RUNS });
    });
});
