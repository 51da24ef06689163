import { strict as assert } from "node:assert";
import { planSpec, stretches, svg } from "../../components/core";
import { loadFixture, withNet } from "./helpers";

describe("svg", () => {
    it("cuts the subnet into the gateway's block, ranges, excludes and free space, in address order, with the host addresses in each", () => {
        const net = planSpec(loadFixture("pins-excludes-host-in-other-range.json").spec).networks[0];
        assert.deepStrictEqual(stretches(4, net, net.nodes.map((n) => [n.node, n])), [
            { kind: "gateway", first: "172.80.0.0", last: "172.80.0.255", hosts: [] },
            { kind: "exclude", first: "172.80.1.0", last: "172.80.1.255", hosts: [] },
            { kind: "range", first: "172.80.2.0", last: "172.80.2.255", node: "manager1", hosts: [["manager1", "172.80.2.254"], ["worker1", "172.80.2.250"]] },
            { kind: "exclude", first: "172.80.3.0", last: "172.80.3.255", hosts: [] },
            { kind: "range", first: "172.80.4.0", last: "172.80.4.255", node: "worker1", hosts: [] },
            { kind: "free", first: "172.80.5.0", last: "172.80.99.255", hosts: [] },
            { kind: "range", first: "172.80.100.0", last: "172.80.100.255", node: "worker2", hosts: [["worker2", "172.80.100.254"]] },
            { kind: "free", first: "172.80.101.0", last: "172.80.255.255", hosts: [] },
        ]);
    });

    it("lets an exclude win over the gateway's block it overlaps, and merges neighbouring excludes", () => {
        const net = planSpec(withNet({ exclude: ["172.80.0.0/25", "172.80.0.128/25"], ipRangePrefix: 23 })).networks[0];
        assert.deepStrictEqual(stretches(4, net, net.nodes.map((n) => [n.node, n])).slice(0, 3), [
            { kind: "exclude", first: "172.80.0.0", last: "172.80.0.255", hosts: [] },
            { kind: "gateway", first: "172.80.1.0", last: "172.80.1.255", hosts: [] },
            { kind: "range", first: "172.80.2.0", last: "172.80.3.255", node: "manager1", hosts: [["manager1", "172.80.3.254"]] },
        ]);
    });

    it("draws every stretch of both families and nothing from outside (no scripts, links or external fonts)", () => {
        const text = svg(planSpec(loadFixture("seed003-two-vlans-dual-stack.json").spec));
        assert.match(text, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="1120" height="\d+"/);
        assert.deepStrictEqual(text.match(/<(script|image|a|foreignObject|use)\b|href|url\(|@import/g), null);
        assert.deepStrictEqual([...text.matchAll(/>(IPv[46] \S+): gateway/g)].map((m) => m[1]), [
            "IPv4 10.0.10.0/24", "IPv6 2001:db8:babe:10::/64", "IPv4 10.0.20.0/24", "IPv6 2001:db8:babe:20::/64",
        ]);
    });
});
