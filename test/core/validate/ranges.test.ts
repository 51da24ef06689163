// Validation of each address family: subnet, gateway, prefix, exclude, pinned ranges and host
// addresses (validate/ranges.ts checkFamily and its helpers), plus problems collected in order.
import { strict as assert } from "node:assert";
import { planSpec } from "../../../components/core";
import { Obj, assertProblems, seedNodes, vlan40, withNet } from "../helpers";

const V4_OCTETS = "the address is not an IPv4 address: write four decimal octets without leading zeros, e.g. 10.0.0.1";
const KNOWN = "known nodes: manager1, worker1, worker2";

function v6(patch: Obj = {}): Obj {
    return { subnet: "2001:db8:babe:40::/64", gateway: "2001:db8:babe:40::1", ipRangePrefix: 80, ...patch };
}

describe("validation: address families", () => {
    describe("subnet", () => {
        const cases: [string, string][] = [
            ["172.80.0.1/16", "has host bits set: the network is 172.80.0.0/16"],
            ["172.080.0.0/16", `is not a canonical IPv4 CIDR: ${V4_OCTETS}`],
            ["172.80/16", `is not a canonical IPv4 CIDR: ${V4_OCTETS}`],
            ["0xac.80.0.0/16", `is not a canonical IPv4 CIDR: ${V4_OCTETS}`],
            ["172.80.0.0", "is not an IPv4 CIDR: write address/prefix, e.g. 10.0.0.0/24"],
            ["172.80.0.0/255.255.0.0", "is not an IPv4 CIDR: write address/prefix, e.g. 10.0.0.0/24"],
        ];
        for (const [subnet, reason] of cases) {
            it(`fails when the subnet is ${subnet}`, () => {
                assertProblems(() => planSpec(withNet({ subnet })), [`networks[0].subnet ${subnet} ${reason}`]);
            });
        }

        it("fails when the subnet is octal 010.0.0.0/8 (netmask would read 8.0.0.0/8)", () => {
            assertProblems(() => planSpec(withNet({ subnet: "010.0.0.0/8", gateway: "10.0.0.1" })), [`networks[0].subnet 010.0.0.0/8 is not a canonical IPv4 CIDR: ${V4_OCTETS}`]);
        });

        it("fails when the subnet is short 10.0/8", () => {
            assertProblems(() => planSpec(withNet({ subnet: "10.0/8", gateway: "10.0.0.1" })), [`networks[0].subnet 10.0/8 is not a canonical IPv4 CIDR: ${V4_OCTETS}`]);
        });

        it("fails when the subnet is missing or not a string", () => {
            assertProblems(() => planSpec(withNet({ subnet: undefined })), ["networks[0].subnet (missing) is required: an IPv4 CIDR such as 10.0.0.0/24"]);
            assertProblems(() => planSpec(withNet({ subnet: 16 })), ["networks[0].subnet 16 must be a string: an IPv4 CIDR such as 10.0.0.0/24"]);
        });
    });

    describe("gateway and prefix", () => {
        it("fails when the gateway is outside the subnet", () => {
            assertProblems(() => planSpec(withNet({ gateway: "172.81.0.1" })), ["networks[0].gateway 172.81.0.1 is outside subnet 172.80.0.0/16"]);
        });

        it("fails when the gateway is not a canonical address", () => {
            assertProblems(() => planSpec(withNet({ gateway: "172.80.0.01" })), [
                "networks[0].gateway 172.80.0.01 is not an IPv4 address: write four decimal octets without leading zeros, e.g. 10.0.0.1",
            ]);
        });

        it("fails when the range prefix is shorter than the subnet's", () => {
            assertProblems(() => planSpec(withNet({ ipRangePrefix: 15 })), ["networks[0].ipRangePrefix 15 is shorter than the subnet's /16; allowed: 16-32"]);
        });

        it("fails when the range prefix is outside 1-32", () => {
            assertProblems(() => planSpec(withNet({ ipRangePrefix: 33 })), ["networks[0].ipRangePrefix 33 is outside 1-32"]);
            assertProblems(() => planSpec(withNet({ ipRangePrefix: "24" })), ['networks[0].ipRangePrefix "24" must be an integer 1-32']);
        });
    });

    describe("exclude", () => {
        it("fails when an excluded CIDR has host bits set", () => {
            assertProblems(() => planSpec(withNet({ exclude: ["172.80.1.0/24", "172.80.0.5/24"] })), [
                "networks[0].exclude[1] 172.80.0.5/24 has host bits set: the network is 172.80.0.0/24",
            ]);
        });

        it("fails when an excluded CIDR lies outside the subnet", () => {
            assertProblems(() => planSpec(withNet({ exclude: ["172.80.1.0/24", "10.90.0.0/24"] })), [
                "networks[0].exclude[1] 10.90.0.0/24 is outside subnet 172.80.0.0/16",
            ]);
        });

        it("fails when an exclude after a bad one lies outside the subnet, naming its own index", () => {
            assertProblems(() => planSpec(withNet({ exclude: ["bad", "10.90.0.0/24"] })), [
                "networks[0].exclude[0] bad is not an IPv4 CIDR: write address/prefix, e.g. 10.0.0.0/24",
                "networks[0].exclude[1] 10.90.0.0/24 is outside subnet 172.80.0.0/16",
            ]);
        });

        it("fails when exclude is not a list", () => {
            assertProblems(() => planSpec(withNet({ exclude: "172.80.1.0/24" })), ["networks[0].exclude 172.80.1.0/24 must be a list"]);
        });
    });

    describe("pinned ranges", () => {
        it("fails when pinned ranges overlap each other", () => {
            assertProblems(() => planSpec(withNet({ ranges: { manager1: "172.80.4.0/23", worker1: "172.80.5.0/24" } })), [
                "networks[0].ranges.worker1 172.80.5.0/24 overlaps networks[0].ranges.manager1 172.80.4.0/23; pinned ranges must be disjoint",
            ]);
        });

        it("fails when a pinned range overlaps an excluded CIDR", () => {
            assertProblems(() => planSpec(withNet({ exclude: ["172.80.8.0/21"], ranges: { worker2: "172.80.9.0/24" } })), [
                "networks[0].ranges.worker2 172.80.9.0/24 overlaps excluded 172.80.8.0/21",
            ]);
        });

        it("fails when a pinned range is not canonical", () => {
            assertProblems(() => planSpec(withNet({ ranges: { worker1: "172.80.9.1/24", worker2: "172.80.010.0/24" } })), [
                "networks[0].ranges.worker1 172.80.9.1/24 has host bits set: the network is 172.80.9.0/24",
                `networks[0].ranges.worker2 172.80.010.0/24 is not a canonical IPv4 CIDR: ${V4_OCTETS}`,
            ]);
        });

        it("fails when ranges is not a map", () => {
            assertProblems(() => planSpec(withNet({ ranges: ["172.80.9.0/24"] })), ['networks[0].ranges ["172.80.9.0/24"] must be a map from node name to value']);
        });
    });

    describe("references to nodes", () => {
        it("fails when ranges, hostAddresses or parents name an unknown node", () => {
            const patch = { ranges: { worker9: "172.80.9.0/24" }, hostAddresses: { ghost: "172.80.9.1" }, parents: { Worker1: "eth1" } };
            assertProblems(() => planSpec(withNet(patch)), [
                `networks[0].parents.Worker1 eth1 names no node; ${KNOWN}`,
                `networks[0].ranges.worker9 172.80.9.0/24 names no node; ${KNOWN}`,
                `networks[0].hostAddresses.ghost 172.80.9.1 names no node; ${KNOWN}`,
            ]);
        });

        it("reads only a map's own keys: nodes named like Object.prototype's members are not taken as listed", () => {
            const nodes = [{ name: "constructor", host: "192.0.2.1", role: "manager" }, { name: "toString", host: "192.0.2.2", role: "worker" }];
            const plan = planSpec({ nodes, networks: [vlan40({ ranges: { toString: "172.80.9.0/24" }, parents: {}, hostAddresses: {} })] });
            assert.deepStrictEqual(plan.networks[0].nodes.map((n) => [n.node, n.parent, n.ipRange]), [
                ["constructor", "bond0.40", "172.80.1.0/24"],
                ["toString", "bond0.40", "172.80.9.0/24"],
            ]);
        });

        it("does not report references to a node whose other fields are bad", () => {
            const nodes = seedNodes();
            nodes[1] = { ...nodes[1], port: 0 };
            assertProblems(() => planSpec({ nodes, networks: [vlan40({ ranges: { worker1: "172.80.9.0/24" } })] }), [
                "nodes[1].port 0 is outside 1-65535",
            ]);
        });
    });

    describe("host addresses", () => {
        it("fails when a host address is outside the subnet, the gateway, or repeated", () => {
            const hostAddresses = { manager1: "10.0.0.11", worker1: "172.80.0.1", worker2: "172.80.0.1" };
            assertProblems(() => planSpec(withNet({ hostAddresses })), [
                "networks[0].hostAddresses.manager1 10.0.0.11 is outside subnet 172.80.0.0/16",
                "networks[0].hostAddresses.worker1 172.80.0.1 is the gateway; a host address must be an unused address of the subnet",
                "networks[0].hostAddresses.worker2 172.80.0.1 is the gateway; a host address must be an unused address of the subnet",
                "networks[0].hostAddresses.worker2 172.80.0.1 is also networks[0].hostAddresses.worker1; host addresses must be unique",
            ]);
        });

        it("fails when a host address is not an address", () => {
            assertProblems(() => planSpec(withNet({ hostAddresses: { worker1: "172.80.2.1/32", worker2: 5 } })), [
                "networks[0].hostAddresses.worker1 172.80.2.1/32 is not an IPv4 address: write four decimal octets without leading zeros, e.g. 10.0.0.1",
                "networks[0].hostAddresses.worker2 5 must be a string: an IPv4 address such as 10.0.0.1",
            ]);
        });
    });

    describe("IPv6", () => {
        it("fails when the ipv6 block is not an object", () => {
            assertProblems(() => planSpec(withNet({ ipv6: "2001:db8:babe:40::/64" })), [
                "networks[0].ipv6 2001:db8:babe:40::/64 must be an object: {subnet, gateway, ipRangePrefix, ...}",
            ]);
        });

        it("fails when IPv6 text is uppercase or uncompressed, naming the canonical form", () => {
            assertProblems(() => planSpec(withNet({ ipv6: v6({ subnet: "2001:DB8:BABE:40::/64", gateway: "2001:db8:babe:40:0:0:0:1" }) })), [
                "networks[0].ipv6.subnet 2001:DB8:BABE:40::/64 is not a canonical IPv6 CIDR: the address is not in canonical form: write 2001:db8:babe:40::",
                "networks[0].ipv6.gateway 2001:db8:babe:40:0:0:0:1 is not in canonical form: write 2001:db8:babe:40::1",
            ]);
        });

        it("fails when the IPv6 gateway is outside, the prefix shorter, a pin outside and pins overlap", () => {
            const patch = { gateway: "2001:db8:babe:41::1", ipRangePrefix: 48, ranges: { manager1: "2001:db8:babe:41::/80", worker1: "2001:db8:babe:40::/72", worker2: "2001:db8:babe:40::/80" } };
            assertProblems(() => planSpec(withNet({ ipv6: v6(patch) })), [
                "networks[0].ipv6.gateway 2001:db8:babe:41::1 is outside subnet 2001:db8:babe:40::/64",
                "networks[0].ipv6.ipRangePrefix 48 is shorter than the subnet's /64; allowed: 64-128",
                "networks[0].ipv6.ranges.manager1 2001:db8:babe:41::/80 is outside subnet 2001:db8:babe:40::/64",
                "networks[0].ipv6.ranges.worker2 2001:db8:babe:40::/80 overlaps networks[0].ipv6.ranges.worker1 2001:db8:babe:40::/72; pinned ranges must be disjoint",
            ]);
        });

        it("fails when an IPv4 value is given for IPv6", () => {
            assertProblems(() => planSpec(withNet({ ipv6: v6({ subnet: "172.80.0.0/16", hostAddresses: { worker1: "172.80.0.9" } }) })), [
                "networks[0].ipv6.subnet 172.80.0.0/16 is not a canonical IPv6 CIDR: the address is not an IPv6 address, e.g. 2001:db8::1",
                "networks[0].ipv6.hostAddresses.worker1 172.80.0.9 is not an IPv6 address, e.g. 2001:db8::1",
            ]);
        });
    });

    it("collects every problem of a spec in one error, in the order of the spec", () => {
        const nodes = [...seedNodes().slice(0, 2), { name: "manager1", host: "10.0.0.13", role: "worker" }];
        nodes[1] = { ...nodes[1], port: 0 };
        const network = {
            name: "vlan40", parent: "bond0", vlanId: 4095, subnet: "172.80.0.1/16", gateway: "172.80.0.1", ipRangePrefx: 24,
            ranges: { ghost: "172.80.9.0/24" },
        };
        assertProblems(() => planSpec({ nodes, networks: [network] }), [
            "nodes[1].port 0 is outside 1-65535",
            "nodes[2].name manager1 is a duplicate of nodes[0].name; node names must be unique",
            "networks[0].ipRangePrefx 24 is not a known field; allowed: name, parent, parents, vlanId, subnet, gateway, ipRangePrefix, ranges, exclude, hostAddresses, taskAddresses, shim, takeover, shimName, attachable, reserveRangeEnds, adopt, persist, ipv6, configNetworkName, swarmNetworkName",
            "networks[0].vlanId 4095 is outside 1-4094",
            "networks[0].subnet 172.80.0.1/16 has host bits set: the network is 172.80.0.0/16",
            "networks[0].ipRangePrefix (missing) is required: an integer 1-32",
            "networks[0].ranges.ghost 172.80.9.0/24 names no node; known nodes: manager1, worker1",
        ]);
    });
});
