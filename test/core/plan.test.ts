import { strict as assert } from "node:assert";
import { planSpec } from "../../components/core";
import { Obj, assertProblems, fixtureNames, loadFixture, planned40, seedNodes, vlan40, withNet } from "./helpers";

/** The planned nodes of the only network of `spec`. */
function nodesOf(spec: Obj): unknown {
    return planSpec(spec).networks[0].nodes;
}

describe("planSpec", () => {
    describe("known-good fixtures (test/fixtures/*.json)", () => {
        for (const name of fixtureNames()) {
            const fixture = loadFixture(name);
            it(`plans ${name}: ${fixture.description.split(":")[0]}`, () => {
                const plan = planSpec(fixture.spec);
                assert.deepStrictEqual(plan, fixture.plan);
                // Same keys in the documented order: `plan --format json` prints them as they come.
                assert.equal(JSON.stringify(plan), JSON.stringify(fixture.plan));
            });
        }
    });

    it("plans the TSDoc example: one manager gets 172.80.1.0/24", () => {
        assert.deepStrictEqual(nodesOf({ nodes: [seedNodes()[0]], networks: [vlan40()] }), [planned40("manager1", "172.80.1.0/24")]);
    });

    it("fails when the seed's own ranges 10.90.x (outside the subnet) are pinned", () => {
        const ranges = { manager1: "10.90.1.0/24", worker1: "10.90.2.0/24", worker2: "10.90.3.0/24" };
        assertProblems(() => planSpec(withNet({ ranges })), [
            "networks[0].ranges.manager1 10.90.1.0/24 is outside subnet 172.80.0.0/16",
            "networks[0].ranges.worker1 10.90.2.0/24 is outside subnet 172.80.0.0/16",
            "networks[0].ranges.worker2 10.90.3.0/24 is outside subnet 172.80.0.0/16",
        ]);
    });

    describe("allocation rule (plan.ts header)", () => {
        it("gives a pinned node exactly its pin and later unpinned nodes the next free blocks", () => {
            assert.deepStrictEqual(nodesOf(withNet({ ranges: { manager1: "172.80.1.0/24" } })), [
                planned40("manager1", "172.80.1.0/24"), planned40("worker1", "172.80.2.0/24"), planned40("worker2", "172.80.3.0/24"),
            ]);
        });

        it("lets a pin hold the gateway's block, which unpinned nodes skip", () => {
            assert.deepStrictEqual(nodesOf(withNet({ ranges: { worker1: "172.80.0.0/24" } })), [
                planned40("manager1", "172.80.1.0/24"), planned40("worker1", "172.80.0.0/24"), planned40("worker2", "172.80.2.0/24"),
            ]);
        });

        it("skips the gateway's block wherever the gateway is", () => {
            assert.deepStrictEqual(nodesOf(withNet({ subnet: "172.80.0.0/22", gateway: "172.80.1.254" })), [
                planned40("manager1", "172.80.0.0/24"), planned40("worker1", "172.80.2.0/24"), planned40("worker2", "172.80.3.0/24"),
            ]);
        });

        it("lets a later pin sit above the unpinned nodes (pins of other prefix lengths too)", () => {
            assert.deepStrictEqual(nodesOf(withNet({ ranges: { worker2: "172.80.128.0/17" } })), [
                planned40("manager1", "172.80.1.0/24"), planned40("worker1", "172.80.2.0/24"), planned40("worker2", "172.80.128.0/17"),
            ]);
        });

        it("fails when a later pin overlaps the range an earlier unpinned node gets", () => {
            assertProblems(() => planSpec(withNet({ ranges: { worker1: "172.80.1.0/24" } })), [
                "networks[0].ranges.worker1 172.80.1.0/24 overlaps 172.80.1.0/24, the range manager1 gets as an earlier node without a pin; " +
                    "pin manager1 too, list worker1 before it, or pin a free block",
            ]);
        });

        it("creates the swarm network on the first manager in node order", () => {
            const nodes = [
                { name: "w1", host: "10.0.0.1", role: "worker" },
                { name: "m1", host: "10.0.0.2", role: "manager" },
                { name: "m2", host: "10.0.0.3", role: "manager" },
            ];
            assert.equal(planSpec({ nodes, networks: [vlan40()] }).networks[0].manager, "m1");
        });

        it("uses per-node parents as the VLAN trunk on those nodes", () => {
            const host = (a: string) => ({ hostAddress: a, shim: "mv40" });
            assert.deepStrictEqual(nodesOf(withNet({ parents: { worker2: "eth3" }, shimName: "mv40", shim: true })), [
                planned40("manager1", "172.80.1.0/24", host("172.80.1.254")),
                planned40("worker1", "172.80.2.0/24", host("172.80.2.254")),
                planned40("worker2", "172.80.3.0/24", { parent: "eth3.40", trunk: "eth3", ...host("172.80.3.254") }),
            ]);
        });

        it("keeps a given host address outside every range out of all aux addresses", () => {
            assert.deepStrictEqual(nodesOf(withNet({ hostAddresses: { manager1: "172.80.200.1" } })), [
                planned40("manager1", "172.80.1.0/24", { hostAddress: "172.80.200.1" }),
                planned40("worker1", "172.80.2.0/24"),
                planned40("worker2", "172.80.3.0/24"),
            ]);
        });

        it("gives default shim addresses only to nodes without a given one", () => {
            const host = (a: string) => ({ hostAddress: a, shim: "shim-vlan40" });
            assert.deepStrictEqual(nodesOf(withNet({ shim: true, hostAddresses: { worker1: "172.80.2.1" } })), [
                planned40("manager1", "172.80.1.0/24", host("172.80.1.254")),
                planned40("worker1", "172.80.2.0/24", host("172.80.2.1")),
                planned40("worker2", "172.80.3.0/24", host("172.80.3.254")),
            ]);
        });
    });

    describe("capacity", () => {
        it("fails when the subnet has room for fewer ranges than nodes, suggesting a prefix that fits", () => {
            assertProblems(() => planSpec(withNet({ subnet: "172.80.0.0/23" })), [
                "networks[0].ipRangePrefix 24 leaves room for 1 of 3 nodes in 172.80.0.0/23; use a longer prefix (/25 fits all) or a larger subnet",
            ]);
        });

        it("fails when excludes and pins fill the subnet, counting the pinned nodes as placed", () => {
            const spec = withNet({ subnet: "172.80.0.0/22", exclude: ["172.80.2.0/24"], ranges: { manager1: "172.80.3.0/24" } });
            assertProblems(() => planSpec(spec), [
                "networks[0].ipRangePrefix 24 leaves room for 2 of 3 nodes in 172.80.0.0/22; use a longer prefix (/25 fits all) or a larger subnet",
            ]);
        });

        it("fails when the ranges would be as large as the subnet (ipRangePrefix equal to its prefix)", () => {
            assertProblems(() => planSpec(withNet({ ipRangePrefix: 16 })), [
                "networks[0].ipRangePrefix 16 leaves room for 0 of 3 nodes in 172.80.0.0/16; use a longer prefix (/18 fits all) or a larger subnet",
            ]);
        });

        it("fails when no prefix fits, suggesting a larger subnet", () => {
            assertProblems(() => planSpec(withNet({ subnet: "172.80.0.0/31", ipRangePrefix: 31 })), [
                "networks[0].ipRangePrefix 31 leaves room for 0 of 3 nodes in 172.80.0.0/31; use a larger subnet",
            ]);
        });

        it("fails when an IPv6 family has no room", () => {
            const ipv6 = { subnet: "2001:db8:babe:40::/64", gateway: "2001:db8:babe:40::1", ipRangePrefix: 65 };
            assertProblems(() => planSpec(withNet({ ipv6 })), [
                "networks[0].ipv6.ipRangePrefix 65 leaves room for 1 of 3 nodes in 2001:db8:babe:40::/64; use a longer prefix (/66 fits all) or a larger subnet",
            ]);
        });

        it("fails when a range is too small for a default shim address", () => {
            const spec = withNet({ ipRangePrefix: 31, shim: true, hostAddresses: { worker1: "172.80.0.4" }, reserveRangeEnds: false });
            assertProblems(() => planSpec(spec), [
                "networks[0].ranges.manager1 172.80.0.2/31 has no free address for the host; set networks[0].hostAddresses.manager1",
                "networks[0].ranges.worker2 172.80.0.6/31 has no free address for the host; set networks[0].hostAddresses.worker2",
            ]);
        });

        it("fails when reserving a range's first and last address leaves none for containers", () => {
            assertProblems(() => planSpec(withNet({ ipRangePrefix: 31, hostAddresses: { worker1: "172.80.0.4" } })), [
                "networks[0].ranges.manager1 172.80.0.2/31 leaves no address for containers once range-first, range-last are reserved; " +
                    "use a shorter networks[0].ipRangePrefix or set networks[0].reserveRangeEnds: false",
                "networks[0].ranges.worker1 172.80.0.4/31 leaves no address for containers once host, range-last are reserved; " +
                    "use a shorter networks[0].ipRangePrefix or set networks[0].reserveRangeEnds: false",
                "networks[0].ranges.worker2 172.80.0.6/31 leaves no address for containers once range-first, range-last are reserved; " +
                    "use a shorter networks[0].ipRangePrefix or set networks[0].reserveRangeEnds: false",
            ]);
        });

        it("reserves nothing at a range's ends with reserveRangeEnds: false", () => {
            assert.deepStrictEqual(planSpec(withNet({ reserveRangeEnds: false })).networks[0].nodes.map((n) => n.auxAddresses), [
                { host: "172.80.1.254" }, { host: "172.80.2.254" }, { host: "172.80.3.254" },
            ]);
        });
    });

    describe("names and host addresses", () => {
        it("plans a network whose name is too long for a shim when it has no shim", () => {
            const plan = planSpec({ nodes: [seedNodes()[0]], networks: [vlan40({ name: "production-vlan40" })] });
            assert.deepStrictEqual(plan.networks[0], {
                name: "production-vlan40", subnet: "172.80.0.0/16", gateway: "172.80.0.1", ipRangePrefix: 24, vlanId: 40, attachable: true, adopt: false, persist: true,
                configNetworkName: "production-vlan40_net", swarmNetworkName: "swarm-production-vlan40_net", manager: "manager1",
                nodes: [planned40("manager1", "172.80.1.0/24")],
            });
        });

        it("never gives a host the gateway as its default address: takes the next lower one", () => {
            const host = (a: string) => ({ hostAddress: a, shim: "shim-vlan40" });
            assert.deepStrictEqual(nodesOf(withNet({ gateway: "172.80.0.254", ranges: { manager1: "172.80.0.0/24" }, shim: true })), [
                planned40("manager1", "172.80.0.0/24", host("172.80.0.253")),
                planned40("worker1", "172.80.1.0/24", host("172.80.1.254")),
                planned40("worker2", "172.80.2.0/24", host("172.80.2.254")),
            ]);
        });

        it("never gives a host the address another node was given: takes the next lower one", () => {
            assert.deepStrictEqual(nodesOf(withNet({ shim: true, hostAddresses: { manager1: "172.80.2.254" } })), [
                planned40("manager1", "172.80.1.0/24", { hostAddress: "172.80.2.254", shim: "shim-vlan40" }),
                planned40("worker1", "172.80.2.0/24", {
                    auxAddresses: { "host-manager1": "172.80.2.254", host: "172.80.2.253", "range-first": "172.80.2.0", "range-last": "172.80.2.255" },
                    hostAddress: "172.80.2.253", shim: "shim-vlan40",
                }),
                planned40("worker2", "172.80.3.0/24", { hostAddress: "172.80.3.254", shim: "shim-vlan40" }),
            ]);
        });
    });
});
