import { strict as assert } from "node:assert";
import { bootUnitArgs, configOnlyArgs, hostObjects, hostShimCommands, planSpec, preflightArgs, shimArgs, swarmArgs, vlanSubinterfaceCommands } from "../../components/core";
import { loadFixture } from "./helpers";

/** Seed 003: macvlan10 (shim, dual stack) and macvlan20 (no shim, not attachable). */
const plan = planSpec(loadFixture("seed003-two-vlans-dual-stack.json").spec);
const [macvlan10, macvlan20] = plan.networks;

describe("steps", () => {
    it("feeds a node's plan into its config-only network, both families", () => {
        assert.deepStrictEqual(configOnlyArgs(macvlan10, macvlan10.nodes[1]), {
            name: "macvlan10_net", network: "macvlan10", node: "docker2", parent: "eth0.10", subnet: "10.0.10.0/24", gateway: "10.0.10.1",
            ipRange: "10.0.10.32/28", auxAddresses: { host: "10.0.10.46", "range-first": "10.0.10.32", "range-last": "10.0.10.47" },
            ipv6: {
                subnet: "2001:db8:babe:10::/64", gateway: "2001:db8:babe:10::1", ipRange: "2001:db8:babe:10:2::/80",
                auxAddresses: {
                    "host-v6": "2001:db8:babe:10:2:ffff:ffff:fffe", "range-first-v6": "2001:db8:babe:10:2::", "range-last-v6": "2001:db8:babe:10:2:ffff:ffff:ffff",
                },
            },
        });
    });

    it("feeds IPv4-only plans without an ipv6 key", () => {
        const v4 = planSpec(loadFixture("seed002-six-nodes.json").spec).networks[0];
        assert.deepStrictEqual(configOnlyArgs(v4, v4.nodes[5]), {
            name: "macvlanconf", network: "macvlan", node: "swarm03", parent: "eth0", subnet: "192.168.16.0/20", gateway: "192.168.16.1",
            ipRange: "192.168.22.0/24", auxAddresses: { host: "192.168.22.1", "range-first": "192.168.22.0", "range-last": "192.168.22.255" },
        });
    });

    it("makes the swarm network from the config-only network, keeping attachable", () => {
        assert.deepStrictEqual(swarmArgs(macvlan10), { name: "swarm-macvlan10_net", configFrom: "macvlan10_net", attachable: true, node: "docker1" });
        assert.deepStrictEqual(swarmArgs(macvlan20), { name: "swarm-macvlan20_net", configFrom: "macvlan20_net", attachable: false, node: "docker1" });
    });

    it("gives a shim its host addresses and ranges in both families, and none without shim", () => {
        assert.deepStrictEqual(shimArgs(macvlan10, macvlan10.nodes[2]), {
            name: "shim-macvlan10", parent: "eth0.10", network: "macvlan10", node: "docker3", address: "10.0.10.62", ipRange: "10.0.10.48/28",
            ipv6: { address: "2001:db8:babe:10:3:ffff:ffff:fffe", ipRange: "2001:db8:babe:10:3::/80" },
        });
        assert.equal(shimArgs(macvlan20, macvlan20.nodes[0]), undefined);
    });

    it("gives a node's boot unit its parent's and shim's create scripts, bound to the trunk, and the interfaces managers must leave alone", () => {
        const node = macvlan10.nodes[0];
        assert.deepStrictEqual(bootUnitArgs(macvlan10, node), {
            network: "macvlan10", node: "docker1", device: "eth0", interfaces: ["eth0.10", "shim-macvlan10"],
            scripts: [
                { name: "10-vlan", text: vlanSubinterfaceCommands({ trunk: "eth0", vlanId: 10, network: "macvlan10", node: "docker1" }).create },
                { name: "20-shim", text: hostShimCommands(shimArgs(macvlan10, node)!).create },
            ],
        });
    });

    it("asks each node's preflight for what its networks need", () => {
        assert.deepStrictEqual({ ...preflightArgs(plan, "docker2"), plan: undefined }, {
            node: "docker2",
            interfaces: [{ name: "eth0", field: "trunk of network macvlan10" }, { name: "eth0", field: "trunk of network macvlan20" }],
            vlans: true, manager: false, systemd: true,
            parents: [{ parent: "eth0.10", networks: ["macvlan10_net", "swarm-macvlan10_net"] }, { parent: "eth0.20", networks: ["macvlan20_net", "swarm-macvlan20_net"] }],
            plan: undefined,
        });
        assert.equal(preflightArgs(plan, "docker1").manager, true);
    });

    it("lists every host object of the plan, node by node, in the order they are made", () => {
        assert.deepStrictEqual(hostObjects(plan).map((o) => `${o.node} ${o.network} ${o.kind}`), [
            "docker1 macvlan10 vlan", "docker1 macvlan10 config", "docker1 macvlan10 shim", "docker1 macvlan10 boot", "docker1 macvlan10 swarm",
            "docker1 macvlan20 vlan", "docker1 macvlan20 config", "docker1 macvlan20 boot", "docker1 macvlan20 swarm",
            "docker2 macvlan10 vlan", "docker2 macvlan10 config", "docker2 macvlan10 shim", "docker2 macvlan10 boot",
            "docker2 macvlan20 vlan", "docker2 macvlan20 config", "docker2 macvlan20 boot",
            "docker3 macvlan10 vlan", "docker3 macvlan10 config", "docker3 macvlan10 shim", "docker3 macvlan10 boot",
            "docker3 macvlan20 vlan", "docker3 macvlan20 config", "docker3 macvlan20 boot",
        ]);
    });
});
