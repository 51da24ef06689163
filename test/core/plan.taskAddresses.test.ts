import { strict as assert } from "node:assert";
import { configOnlyArgs, dockerIpRange, planSpec } from "../../components/core";
import { assertProblems, seedNodes, vlan40, withNet } from "./helpers";

// Seed 001's ranges: manager1 172.80.1.0/24, worker1 172.80.2.0/24, worker2 172.80.3.0/24; each
// node's default host address is .254 and its ends .0/.255 are reserved (reserveRangeEnds).
describe("taskAddresses (stable task addresses)", () => {
    it("plans a pinned node's task address and keeps its range, host and aux addresses as without it", () => {
        const without = planSpec(withNet({})).networks[0].nodes;
        const withPins = planSpec(withNet({ taskAddresses: { worker1: "172.80.2.11" } })).networks[0].nodes;
        assert.deepStrictEqual(withPins, [without[0], { ...without[1], taskAddress: "172.80.2.11" }, without[2]]);
    });

    it("gives Docker the task address alone as --ip-range (/32), and unpinned nodes their range", () => {
        const net = planSpec(withNet({ taskAddresses: { worker1: "172.80.2.11" } })).networks[0];
        assert.deepStrictEqual(net.nodes.map((n) => configOnlyArgs(net, n).ipRange), ["172.80.1.0/24", "172.80.2.11/32", "172.80.3.0/24"]);
    });

    it("pins IPv6 under ipv6.taskAddresses, as a /128", () => {
        const net = planSpec(withNet({
            ipv6: { subnet: "fd00:40::/48", gateway: "fd00:40::1", ipRangePrefix: 64, taskAddresses: { manager1: "fd00:40:0:1::11" } },
        })).networks[0];
        assert.equal(net.nodes[0].ipv6?.taskAddress, "fd00:40:0:1::11");
        assert.equal(configOnlyArgs(net, net.nodes[0]).ipv6?.ipRange, "fd00:40:0:1::11/128");
        assert.equal(configOnlyArgs(net, net.nodes[1]).ipv6?.ipRange, "fd00:40:0:2::/64");
    });

    it("appending a node with its pin changes no existing node's share", () => {
        const before = planSpec(withNet({ taskAddresses: { manager1: "172.80.1.11" } })).networks[0].nodes;
        const after = planSpec({
            nodes: [...seedNodes(), { name: "worker3", host: "10.0.0.14", role: "worker" }],
            networks: [vlan40({ taskAddresses: { manager1: "172.80.1.11", worker3: "172.80.4.11" } })],
        }).networks[0].nodes;
        assert.deepStrictEqual(after.slice(0, 3), before);
        assert.equal(after[3].taskAddress, "172.80.4.11");
    });

    describe("dockerIpRange", () => {
        it("is the range without a task address", () => {
            assert.equal(dockerIpRange({ ipRange: "10.20.40.0/24", auxAddresses: {} }), "10.20.40.0/24");
        });
    });

    it("fails when a task address is outside the subnet or the gateway", () => {
        assertProblems(() => planSpec(withNet({ taskAddresses: { manager1: "10.9.9.9", worker1: "172.80.0.1" } })), [
            "networks[0].taskAddresses.manager1 10.9.9.9 is outside subnet 172.80.0.0/16; pick an address in manager1's range",
            "networks[0].taskAddresses.worker1 172.80.0.1 is the gateway; pick an unused address in worker1's range",
        ]);
    });

    it("fails when two nodes pin one address", () => {
        assertProblems(() => planSpec(withNet({ taskAddresses: { manager1: "172.80.1.11", worker1: "172.80.1.11" } })), [
            "networks[0].taskAddresses.worker1 172.80.1.11 is also networks[0].taskAddresses.manager1; each node's task needs its own address",
        ]);
    });

    it("fails when a task address names no node of the spec", () => {
        assertProblems(() => planSpec(withNet({ taskAddresses: { worker9: "172.80.1.11" } })), [
            "networks[0].taskAddresses.worker9 172.80.1.11 names no node; known nodes: manager1, worker1, worker2",
        ]);
    });

    it("fails when a task address is not an address", () => {
        assertProblems(() => planSpec(withNet({ taskAddresses: { manager1: "172.80.1.11/32" } })), [
            `networks[0].taskAddresses.manager1 172.80.1.11/32 ${planProblem("172.80.1.11/32")}`,
        ]);
    });

    it("fails when a task address lies in another node's range, naming that node and the fix", () => {
        assertProblems(() => planSpec(withNet({ taskAddresses: { worker1: "172.80.3.7" } })), [
            "networks[0].taskAddresses.worker1 172.80.3.7 is outside worker1's range 172.80.2.0/24 (it is in worker2's range 172.80.3.0/24); " +
                "pick an address in 172.80.2.0/24, or pin networks[0].ranges.worker1 to a block that holds it",
        ]);
    });

    it("fails when a task address lies in no range", () => {
        assertProblems(() => planSpec(withNet({ taskAddresses: { worker1: "172.80.200.7" } })), [
            "networks[0].taskAddresses.worker1 172.80.200.7 is outside worker1's range 172.80.2.0/24; " +
                "pick an address in 172.80.2.0/24, or pin networks[0].ranges.worker1 to a block that holds it",
        ]);
    });

    it("fails when a task address is the node's host (shim) address, another host's, or a range end", () => {
        assertProblems(() => planSpec(withNet({
            hostAddresses: { worker2: "172.80.1.20" },
            taskAddresses: { manager1: "172.80.1.20", worker1: "172.80.2.254", worker2: "172.80.3.255" },
        })), [
            "networks[0].taskAddresses.manager1 172.80.1.20 is host-worker2 of manager1's range 172.80.1.0/24, reserved with --aux-address; pick another address in 172.80.1.0/24",
            "networks[0].taskAddresses.worker1 172.80.2.254 is host of worker1's range 172.80.2.0/24, reserved with --aux-address; pick another address in 172.80.2.0/24",
            "networks[0].taskAddresses.worker2 172.80.3.255 is range-last of worker2's range 172.80.3.0/24, reserved with --aux-address; pick another address in 172.80.3.0/24",
        ]);
    });

    it("fails when an IPv6 task address is outside its node's range, with the ipv6 field paths", () => {
        assertProblems(() => planSpec(withNet({
            ipv6: { subnet: "fd00:40::/48", gateway: "fd00:40::1", ipRangePrefix: 64, taskAddresses: { manager1: "fd00:40:0:2::11" } },
        })), [
            "networks[0].ipv6.taskAddresses.manager1 fd00:40:0:2::11 is outside manager1's range fd00:40:0:1::/64 (it is in worker1's range fd00:40:0:2::/64); " +
                "pick an address in fd00:40:0:1::/64, or pin networks[0].ipv6.ranges.manager1 to a block that holds it",
        ]);
    });
});

/** What readAddress says of a CIDR where an address belongs (its wording is cidr.ts's). */
function planProblem(value: string): string {
    try {
        planSpec(withNet({ hostAddresses: { manager1: value } }));
    } catch (e) {
        return (e as { problems: string[] }).problems[0].replace(`networks[0].hostAddresses.manager1 ${value} `, "");
    }
    throw new Error("expected a problem");
}
