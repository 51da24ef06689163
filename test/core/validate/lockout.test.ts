// No lockout by routing (validate/lockout.ts) and the takeover flag's rules (validate/network.ts).
import { strict as assert } from "node:assert";
import { planSpec, takeoverMac } from "../../../components/core";
import { Obj, assertProblems, loadFixture } from "../helpers";

/** Three nodes whose SSH addresses are on the macvlan's own subnet, 10.1.0.0/24 (seed 004's layout). */
function lanNodes(): Obj[] {
    return [
        { name: "node1", host: "10.1.0.11", role: "manager" },
        { name: "node2", host: "10.1.0.12", role: "worker" },
        { name: "node3", host: "node3.lan", role: "worker" },
    ];
}

function lan(patch: Obj = {}): Obj {
    return { name: "lan", parent: "eth0", subnet: "10.1.0.0/24", gateway: "10.1.0.1", ipRangePrefix: 28, ...patch };
}

describe("validation: no lockout by routing", () => {
    it("fails when a shim range holds another node's SSH address, naming range, node and address", () => {
        // Pinned onto the gateway's block, which holds node2's address.
        assertProblems(() => planSpec({ nodes: lanNodes(), networks: [lan({ shim: true, ranges: { node1: "10.1.0.0/28" } })] }), [
            "networks[0].ranges.node1 10.1.0.0/28 is routed through node1's shim and holds nodes[1].host 10.1.0.12 (node node2): node1 would send " +
            "its SSH and swarm traffic for node2 to its containers' side, and Docker could give that address to a container; pin node1 a range " +
            "without it (networks[0].ranges.node1) or add 10.1.0.12 to networks[0].exclude",
        ]);
    });

    it("accepts a shim range that holds the node's own SSH address (a local address wins)", () => {
        const plan = planSpec({ nodes: lanNodes().slice(0, 1), networks: [lan({ shim: true, ranges: { node1: "10.1.0.0/28" } })] });
        assert.deepStrictEqual(plan.networks[0].nodes.map((n) => [n.node, n.ipRange, n.shim]), [["node1", "10.1.0.0/28", "shim-lan"]]);
    });

    it("fails when a takeover range holds any node's SSH address, its own included", () => {
        assertProblems(() => planSpec({ nodes: lanNodes(), networks: [lan({ takeover: true, ranges: { node1: "10.1.0.0/28" } })] }), [
            "networks[0].ranges.node1 10.1.0.0/28 holds nodes[0].host 10.1.0.11 (node node1): with takeover the range is on the segment where " +
            "node1 answers that address, and Docker could give it to a container; pin node1 a range without it (networks[0].ranges.node1) or add 10.1.0.11 to networks[0].exclude",
            "networks[0].ranges.node1 10.1.0.0/28 holds nodes[1].host 10.1.0.12 (node node2): with takeover the range is on the segment where " +
            "node2 answers that address, and Docker could give it to a container; pin node1 a range without it (networks[0].ranges.node1) or add 10.1.0.12 to networks[0].exclude",
        ]);
    });

    it("finds every address inside a range, its last one included and not the next, and reports them in node order", () => {
        const nodes = [
            { name: "node1", host: "10.1.0.16", role: "manager" },
            { name: "node2", host: "10.1.0.15", role: "worker" },
            { name: "node3", host: "10.1.0.2", role: "worker" },
        ];
        const why = (i: number, host: string, node: string) => `networks[0].ranges.node1 10.1.0.0/28 holds nodes[${i}].host ${host} (node ${node}): with takeover the range ` +
            `is on the segment where ${node} answers that address, and Docker could give it to a container; pin node1 a range without it ` +
            `(networks[0].ranges.node1) or add ${host} to networks[0].exclude`;
        assertProblems(() => planSpec({ nodes, networks: [lan({ takeover: true, exclude: ["10.1.0.16/28"], ranges: { node1: "10.1.0.0/28" } })] }), [
            why(1, "10.1.0.15", "node2"),
            why(2, "10.1.0.2", "node3"),
        ]);
    });

    it("judges IPv6 ranges against IPv6 SSH addresses", () => {
        const nodes = [{ name: "node1", host: "fd00:1::11", role: "manager" }, { name: "node2", host: "fd00:1::1:12", role: "worker" }];
        const ipv6 = { subnet: "fd00:1::/64", gateway: "fd00:1::1", ipRangePrefix: 112 };
        assertProblems(() => planSpec({ nodes, networks: [lan({ shim: true, ipv6 })] }), [
            "networks[0].ipv6.ranges.node1 fd00:1::1:0/112 is routed through node1's shim and holds nodes[1].host fd00:1::1:12 (node node2): node1 would send " +
            "its SSH and swarm traffic for node2 to its containers' side, and Docker could give that address to a container; pin node1 a range " +
            "without it (networks[0].ipv6.ranges.node1) or add fd00:1::1:12 to networks[0].ipv6.exclude",
        ]);
    });

    it("does not judge hosts given by DNS name, nor networks without shim or takeover", () => {
        const plan = planSpec({ nodes: lanNodes(), networks: [lan({ ranges: { node1: "10.1.0.0/28" } })] });
        assert.deepStrictEqual(plan.networks[0].nodes.map((n) => n.ipRange), ["10.1.0.0/28", "10.1.0.16/28", "10.1.0.32/28"]);
    });

    it("keeps seed 002's layout valid: its plan is the fixture's, even with literal hosts at the host addresses and a shim", () => {
        const fixture = loadFixture("seed002-six-nodes.json") as { spec: { nodes: Obj[]; networks: Obj[] }; plan: { networks: Obj[] } };
        const net = fixture.spec.networks[0] as { hostAddresses: Record<string, string> };
        const nodes = fixture.spec.nodes.map((n) => ({ ...n, host: net.hostAddresses[n.name as string] }));
        const plan = planSpec({ nodes, networks: [{ ...fixture.spec.networks[0], shim: true }] });
        const shimless = plan.networks[0].nodes.map(({ shim, ...rest }) => rest);
        assert.deepStrictEqual(shimless, (fixture.plan.networks[0] as { nodes: Obj[] }).nodes);
    });
});

describe("validation: takeover", () => {
    const nodes = [{ name: "node1", host: "10.1.0.11", role: "manager" }, { name: "node2", host: "10.1.0.12", role: "worker" }];

    it("plans the takeover interface per node (its MAC is the host's to derive), leaving ranges and aux addresses as without it", () => {
        const without = planSpec({ nodes, networks: [lan({ exclude: ["10.1.0.0/28"] })] });
        const plan = planSpec({ nodes, networks: [lan({ takeover: true, exclude: ["10.1.0.0/28"] })] });
        assert.deepStrictEqual(plan.networks[0].nodes, without.networks[0].nodes.map((n) => ({
            ...n, takeover: { interface: "shim-lan" },
        })));
    });

    it("derives a stable, locally administered unicast MAC from the names and the host's identity", () => {
        const [a, b] = ["4f1c0de5e2a94b0c9e2b6f3a1d7c8e90 52:54:00:12:34:56", "4f1c0de5e2a94b0c9e2b6f3a1d7c8e90 52:54:00:12:34:57"];
        assert.deepStrictEqual([takeoverMac("lan", "node1", a), takeoverMac("lan", "node2", a), takeoverMac("lan", "node1", b), takeoverMac("lan", "node1", a)],
            ["02:8c:b0:27:6b:0d", "02:e2:44:ca:5c:8e", "02:f2:46:c7:c9:1e", "02:8c:b0:27:6b:0d"]);
    });

    it("fails when takeover is combined with shim or vlanId, or is not a boolean", () => {
        assertProblems(() => planSpec({ nodes, networks: [lan({ takeover: true, shim: true, vlanId: 40, exclude: ["10.1.0.0/28"] })] }), [
            "networks[0].takeover true and shim: true are two ways to reach the containers from the host; choose one (takeover moves the host's own address, shim adds one)",
            "networks[0].takeover true moves the address of the parent itself, but vlanId 40 puts the containers on a sub-interface the host has no address on; remove vlanId or use shim",
        ]);
        assertProblems(() => planSpec({ nodes, networks: [lan({ takeover: "yes" })] }), ["networks[0].takeover yes must be true or false"]);
    });

    it("fails when the takeover interface would take another network's parent name", () => {
        assertProblems(() => planSpec({ nodes, networks: [lan({ takeover: true, exclude: ["10.1.0.0/28"] }), { ...lan({ name: "b", parent: "shim-lan", subnet: "10.2.0.0/24", gateway: "10.2.0.1" }) }] }), [
            "networks[1].parent shim-lan on node1, node2 is also networks[0].shimName; an interface can serve one purpose only",
        ]);
    });
});
