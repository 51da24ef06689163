// Validation of a network's names, interfaces and flags, and of rules across networks
// (validate/network.ts checkNetwork, derived, checkNetworkSet).
import { strict as assert } from "node:assert";
import { planSpec } from "../../../components/core";
import { Obj, assertProblems, plainNet, planned40, seedNodes, vlan40, withNet } from "../helpers";

const NAME_RULE = "use letters, digits, _ . - starting with a letter or digit";
const IFACE_RULE = "use 1-15 characters from A-Z a-z 0-9 _ . - starting with a letter or digit";
const NETWORK_FIELDS = "name, parent, parents, vlanId, subnet, gateway, ipRangePrefix, ranges, exclude, hostAddresses, taskAddresses, shim, takeover, shimName, attachable, reserveRangeEnds, adopt, persist, ipv6, configNetworkName, swarmNetworkName";
/** Values a shell would read as more than one plain word. */
const SHELL_WORDS = ["eth0;reboot", "$(id)", "`id`", "a b", "it's", 'say"hi"', "a\nb", "x|y", "x>y", "~root", "*"];
const ALL = "manager1, worker1, worker2";

function spec(...networks: Obj[]): Obj {
    return { nodes: seedNodes(), networks };
}

describe("validation: networks", () => {
    describe("names and interfaces reaching a shell", () => {
        const interfaceFields: [string, (bad: string) => Obj][] = [
            ["parent", (bad) => ({ parent: bad })],
            ["parents.worker1", (bad) => ({ parents: { worker1: bad } })],
            ["shimName", (bad) => ({ shim: true, shimName: bad })],
        ];
        for (const [field, patch] of interfaceFields) {
            for (const bad of SHELL_WORDS) {
                it(`fails when ${field} is ${JSON.stringify(bad)}`, () => {
                    assertProblems(() => planSpec(withNet(patch(bad))), [`networks[0].${field} ${JSON.stringify(bad)} is not a valid interface name: ${IFACE_RULE}`]);
                });
            }
        }
        for (const field of ["name", "configNetworkName", "swarmNetworkName"]) {
            for (const bad of SHELL_WORDS) {
                it(`fails when ${field} is ${JSON.stringify(bad)}`, () => {
                    assertProblems(() => planSpec(withNet({ [field]: bad })), [`networks[0].${field} ${JSON.stringify(bad)} is not allowed: ${NAME_RULE}`]);
                });
            }
        }

        it("fails when name or parent is missing or not a string", () => {
            assertProblems(() => planSpec(withNet({ name: undefined, parent: undefined })), [
                `networks[0].name (missing) is required: ${NAME_RULE}`,
                `networks[0].parent (missing) is required: an interface name; ${IFACE_RULE}`,
            ]);
            assertProblems(() => planSpec(withNet({ name: 40, parent: ["eth0"] })), [
                `networks[0].name 40 is not allowed: ${NAME_RULE}`,
                `networks[0].parent ["eth0"] is not allowed: an interface name; ${IFACE_RULE}`,
            ]);
        });

        it("fails when parents is not a map", () => {
            assertProblems(() => planSpec(withNet({ parents: ["eth1"] })), ['networks[0].parents ["eth1"] must be a map from node name to value']);
        });
    });

    describe("interface names over 15 characters", () => {
        it("fails when the parent is over 15 characters", () => {
            assertProblems(() => planSpec(withNet({ parent: "enp0s31f6abcdefg" })), [
                `networks[0].parent enp0s31f6abcdefg is not a valid interface name: ${IFACE_RULE}`,
            ]);
        });

        it("fails when <parent>.<vlanId> would be over 15 characters, naming each node", () => {
            const why = "with vlanId 40 makes enp0s31f6abcd.40 on";
            assertProblems(() => planSpec(withNet({ parent: "enp0s31f6abcd" })), [
                `networks[0].parent enp0s31f6abcd ${why} manager1, over 15 characters; use a shorter parent`,
                `networks[0].parent enp0s31f6abcd ${why} worker1, over 15 characters; use a shorter parent`,
                `networks[0].parent enp0s31f6abcd ${why} worker2, over 15 characters; use a shorter parent`,
            ]);
        });

        it("fails when a per-node parent makes <parent>.<vlanId> over 15 characters", () => {
            assertProblems(() => planSpec(withNet({ parents: { worker2: "enp0s31f6abcd" }, vlanId: 4000 })), [
                "networks[0].parents.worker2 enp0s31f6abcd with vlanId 4000 makes enp0s31f6abcd.4000 on worker2, over 15 characters; use a shorter parent",
            ]);
        });

        it("fails when the derived shim name shim-<name> would be over 15 characters", () => {
            assertProblems(() => planSpec(withNet({ name: "vlan40-backbone", shim: true })), [
                "networks[0].name vlan40-backbone makes interface shim-vlan40-backbone, over 15 characters; set shimName or use a shorter name",
            ]);
        });

        it("fails when a given shimName is over 15 characters", () => {
            assertProblems(() => planSpec(withNet({ shim: true, shimName: "shim-vlan40-core" })), [
                `networks[0].shimName shim-vlan40-core is not a valid interface name: ${IFACE_RULE}`,
            ]);
        });
    });

    describe("VLAN id and flags", () => {
        for (const vlanId of [0, 4095, -1]) {
            it(`fails when vlanId is ${vlanId}`, () => {
                assertProblems(() => planSpec(withNet({ vlanId })), [`networks[0].vlanId ${vlanId} is outside 1-4094`]);
            });
        }

        it("fails when vlanId is not an integer", () => {
            assertProblems(() => planSpec(withNet({ vlanId: "40" })), ['networks[0].vlanId "40" must be an integer 1-4094']);
            assertProblems(() => planSpec(withNet({ vlanId: 40.5 })), ["networks[0].vlanId 40.5 must be an integer 1-4094"]);
        });

        it("fails when shim or attachable is not a boolean", () => {
            assertProblems(() => planSpec(withNet({ shim: "yes", attachable: 1 })), [
                "networks[0].shim yes must be true or false",
                "networks[0].attachable 1 must be true or false",
            ]);
            assertProblems(() => planSpec(withNet({ shim: "true" })), ['networks[0].shim "true" must be true or false']);
        });

        it("fails when a network is not an object", () => {
            assertProblems(() => planSpec(spec(vlan40(), "vlan50" as unknown as Obj)), [
                "networks[1] vlan50 must be a network: {name, parent, subnet, gateway, ipRangePrefix, ...}",
            ]);
        });

        it("fails when a network has an unknown field (typo ipRangePrefx)", () => {
            assertProblems(() => planSpec(withNet({ ipRangePrefix: undefined, ipRangePrefx: 24 })), [
                `networks[0].ipRangePrefx 24 is not a known field; allowed: ${NETWORK_FIELDS}`,
                "networks[0].ipRangePrefix (missing) is required: an integer 1-32",
            ]);
        });

        it("fails when the ipv6 block has an unknown field", () => {
            const ipv6 = { subnet: "2001:db8:babe:40::/64", gatway: "2001:db8:babe:40::1", ipRangePrefix: 80 };
            assertProblems(() => planSpec(withNet({ ipv6 })), [
                "networks[0].ipv6.gatway 2001:db8:babe:40::1 is not a known field; allowed: subnet, gateway, ipRangePrefix, ranges, exclude, hostAddresses, taskAddresses",
                "networks[0].ipv6.gateway (missing) is required: an IPv6 address such as 2001:db8::1",
            ]);
        });
    });

    describe("rules across networks", () => {
        it("fails when network names repeat, and with them the default docker names", () => {
            assertProblems(() => planSpec(spec(plainNet("lan", "eth1", 1), plainNet("lan", "eth2", 2))), [
                "networks[1].name lan is also networks[0].name; network names must be unique across networks",
                "networks[1].configNetworkName lan_net is also networks[0].configNetworkName; docker network names must be unique across networks",
                "networks[1].swarmNetworkName swarm-lan_net is also networks[0].swarmNetworkName; docker network names must be unique across networks",
            ]);
        });

        it("fails when network names repeat even with distinct docker names", () => {
            const second = plainNet("lan", "eth2", 2, { configNetworkName: "lan2", swarmNetworkName: "swarm-lan2" });
            assertProblems(() => planSpec(spec(plainNet("lan", "eth1", 1), second)), [
                "networks[1].name lan is also networks[0].name; network names must be unique across networks",
            ]);
        });

        it("fails when a docker network name is used by two networks", () => {
            const second = plainNet("dmz", "eth2", 2, { configNetworkName: "swarm-lan_net" });
            assertProblems(() => planSpec(spec(plainNet("lan", "eth1", 1), second)), [
                "networks[1].configNetworkName swarm-lan_net is also networks[0].swarmNetworkName; docker network names must be unique across networks",
            ]);
        });

        it("fails when two networks use the same parent on every node", () => {
            assertProblems(() => planSpec(spec(plainNet("lan", "eth1", 1), plainNet("dmz", "eth1", 2))), [
                `networks[1].parent eth1 on ${ALL} is also networks[0].parent; Docker allows one macvlan network per parent interface: use another interface or a vlanId`,
            ]);
        });

        it("fails when a plain parent is the sub-interface another network makes", () => {
            assertProblems(() => planSpec(spec(vlan40(), plainNet("dmz", "bond0.40", 2))), [
                `networks[1].parent bond0.40 on ${ALL} is also networks[0].parent; Docker allows one macvlan network per parent interface: use another interface or a vlanId`,
            ]);
        });

        it("accepts two VLANs on one trunk (seed 003)", () => {
            const plan = planSpec(spec(vlan40(), vlan40({ name: "vlan50", vlanId: 50, subnet: "172.81.0.0/16", gateway: "172.81.0.1" })));
            const vlan50 = { parent: "bond0.50" };
            assert.deepStrictEqual(plan.networks.map((n) => n.nodes), [
                [planned40("manager1", "172.80.1.0/24"), planned40("worker1", "172.80.2.0/24"), planned40("worker2", "172.80.3.0/24")],
                [planned40("manager1", "172.81.1.0/24", vlan50), planned40("worker1", "172.81.2.0/24", vlan50), planned40("worker2", "172.81.3.0/24", vlan50)],
            ]);
        });

        it("fails when a per-node parent collides on one node, naming parents.<node>", () => {
            const second = plainNet("dmz", "eth2", 2, { parents: { worker2: "eth1" } });
            assertProblems(() => planSpec(spec(plainNet("lan", "eth1", 1), second)), [
                "networks[1].parents.worker2 eth1 on worker2 is also networks[0].parent; Docker allows one macvlan network per parent interface: use another interface or a vlanId",
            ]);
        });

        it("fails when a shim would take another network's parent name", () => {
            const second = plainNet("dmz", "eth2", 2, { shim: true, shimName: "eth1" });
            assertProblems(() => planSpec(spec(plainNet("lan", "eth1", 1), second)), [
                `networks[1].shimName eth1 on ${ALL} is also networks[0].parent; an interface can serve one purpose only`,
            ]);
        });

        it("fails when the shim would take the VLAN trunk's name", () => {
            assertProblems(() => planSpec(withNet({ shim: true, shimName: "bond0" })), [
                `networks[0].shimName bond0 on ${ALL} is also networks[0].parent; an interface can serve one purpose only`,
            ]);
        });

        it("fails when two networks' shims share a name", () => {
            const shim = { shim: true, shimName: "shim0" };
            assertProblems(() => planSpec(spec(plainNet("lan", "eth1", 1, shim), plainNet("dmz", "eth2", 2, shim))), [
                `networks[1].shimName shim0 on ${ALL} is also networks[0].shimName; an interface can serve one purpose only`,
            ]);
        });

        it("fails when two networks would give resources the same names (network a with node b-c, network a-b with node c)", () => {
            const nodes = [{ name: "b-c", host: "192.0.2.1", role: "manager" }, { name: "c", host: "192.0.2.2", role: "worker" }];
            assertProblems(() => planSpec({ nodes, networks: [plainNet("a", "eth1", 1), plainNet("a-b", "eth2", 2)] }), [
                "networks[1].name a-b with node c makes resource names a-b-c-*, as networks[0].name a with node b-c does; rename a network or a node",
            ]);
        });

        it("accepts a shared shimName when only one network has a shim", () => {
            const plan = planSpec(spec(plainNet("lan", "eth1", 1, { shim: true, shimName: "shim0" }), plainNet("dmz", "eth2", 2, { shimName: "shim0" })));
            const lan = (node: string, i: number) => ({
                node, parent: "eth1", ipRange: `10.1.${i}.0/24`, hostAddress: `10.1.${i}.254`, shim: "shim0",
                auxAddresses: { host: `10.1.${i}.254`, "range-first": `10.1.${i}.0`, "range-last": `10.1.${i}.255` },
            });
            const dmz = (node: string, i: number) => ({
                node, parent: "eth2", ipRange: `10.2.${i}.0/24`, hostAddress: `10.2.${i}.254`,
                auxAddresses: { host: `10.2.${i}.254`, "range-first": `10.2.${i}.0`, "range-last": `10.2.${i}.255` },
            });
            assert.deepStrictEqual(plan.networks.map((n) => n.nodes), [
                [lan("manager1", 1), lan("worker1", 2), lan("worker2", 3)],
                [dmz("manager1", 1), dmz("worker1", 2), dmz("worker2", 3)],
            ]);
        });
    });
});
