// Shared builders and assertions for the core tests: small specs to vary one field at a time,
// the exact-problem-list assertion, fixtures and golden files.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { SpecError } from "../../components/core";

export { assertGolden } from "../support/golden";

/** Untyped spec text, as it would come from YAML: tests feed wrong types on purpose. */
export type Obj = Record<string, unknown>;

export const FIXTURES = path.join(__dirname, "..", "fixtures");

/** The three nodes of seeds 000/001: one manager, two workers. */
export function seedNodes(): Obj[] {
    return [
        { name: "manager1", host: "10.0.0.11", role: "manager" },
        { name: "worker1", host: "10.0.0.12", role: "worker" },
        { name: "worker2", host: "10.0.0.13", role: "worker" },
    ];
}

/** Seed 001's network: VLAN 40 on bond0, 172.80.0.0/16, one /24 per node. */
export function vlan40(patch: Obj = {}): Obj {
    return { name: "vlan40", parent: "bond0", vlanId: 40, subnet: "172.80.0.0/16", gateway: "172.80.0.1", ipRangePrefix: 24, ...patch };
}

/** A plain network on `parent` (no VLAN) in 10.<n>.0.0/16, for specs with several networks. */
export function plainNet(name: string, parent: string, n: number, patch: Obj = {}): Obj {
    return { name, parent, subnet: `10.${n}.0.0/16`, gateway: `10.${n}.0.1`, ipRangePrefix: 24, ...patch };
}

/** Seed 001's spec with one field of its network changed (or removed, with `undefined`). */
export function withNet(patch: Obj): Obj {
    return { nodes: seedNodes(), networks: [vlan40(patch)] };
}

/** Seed 001's spec with node `i` changed. */
export function withNode(i: number, patch: Obj): Obj {
    const nodes = seedNodes();
    nodes[i] = { ...nodes[i], ...patch };
    return { nodes, networks: [vlan40()] };
}

/** Asserts that `run` throws a SpecError whose problem list is exactly `problems`, in order. */
export function assertProblems(run: () => unknown, problems: readonly string[]): void {
    assert.throws(run, (e: unknown) => {
        assert.ok(e instanceof SpecError, `expected a SpecError, got ${String(e)}`);
        assert.deepStrictEqual(e.problems, problems);
        return true;
    });
}

/** A fixture: a spec and the whole plan expected for it. */
export interface Fixture {
    readonly description: string;
    readonly spec: unknown;
    readonly plan: unknown;
}

export function fixtureNames(): string[] {
    return fs.readdirSync(FIXTURES).filter((f) => f.endsWith(".json")).sort();
}

export function loadFixture(name: string): Fixture {
    return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8")) as Fixture;
}

// Independent address arithmetic for property checks (not the code under test).

/** [first, last] address of an IPv4 CIDR as numbers. */
export function v4Span(cidr: string): [number, number] {
    const [address, prefix] = cidr.split("/");
    const value = address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
    const size = 2 ** (32 - Number(prefix));
    assert.equal(value % size, 0, `${cidr} is not aligned`);
    return [value, value + size - 1];
}

export function v4Value(address: string): number {
    return v4Span(`${address}/32`)[0];
}

export function v4Text(value: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** [first, last] address of an IPv6 CIDR written in canonical compressed form. */
export function v6Span(cidr: string): [bigint, bigint] {
    const [address, prefix] = cidr.split("/");
    const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
    const groups = (s: string | undefined) => (s ? s.split(":") : []);
    const missing = 8 - groups(head).length - groups(tail).length;
    const all = tail === undefined ? groups(head) : [...groups(head), ...Array(missing).fill("0"), ...groups(tail)];
    assert.equal(all.length, 8, `${address} does not have 8 groups`);
    const value = all.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
    const size = 1n << BigInt(128 - Number(prefix));
    assert.equal(value % size, 0n, `${cidr} is not aligned`);
    return [value, value + size - 1n];
}

export function spansOverlap<T extends number | bigint>(a: [T, T], b: [T, T]): boolean {
    return a[0] <= b[1] && b[0] <= a[1];
}

export function spanInside<T extends number | bigint>(outer: [T, T], inner: [T, T]): boolean {
    return outer[0] <= inner[0] && inner[1] <= outer[1];
}

/**
 * A node's entry in the plan of `vlan40()` (parent bond0.40 on trunk bond0). Its host address
 * is `extra.hostAddress`, else the default (the range's last-but-one address), reserved as
 * `host` when it lies in the range; then the range's first and last address as `range-first`
 * and `range-last` (unless the host address is one of them); `extra` overrides any field.
 */
export function planned40(node: string, ipRange: string, extra: Obj = {}): Obj {
    const [first, last] = v4Span(ipRange);
    const hostAddress = (extra.hostAddress as string | undefined) ?? v4Text(last - 1);
    const inside = v4Value(hostAddress) >= first && v4Value(hostAddress) <= last;
    const aux: Record<string, string> = inside ? { host: hostAddress } : {};
    for (const [name, end] of [["range-first", first], ["range-last", last]] as const) {
        if (!inside || v4Value(hostAddress) !== end) {
            aux[name] = v4Text(end);
        }
    }
    return { node, parent: "bond0.40", trunk: "bond0", ipRange, auxAddresses: aux, hostAddress, ...extra };
}
