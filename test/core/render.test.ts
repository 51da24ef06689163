import { strict as assert } from "node:assert";
import * as fc from "fast-check";
import { parse as parseYaml } from "yaml";
import {
    FORMATS, Plan, bootUnitArgs, bootUnitCommands, configOnlyArgs, configOnlyNetworkCommands, hostShimCommands, nodeCommands, parentArgs, planSpec, promiscModeCommands, render,
    shimArgs, vlanSubinterfaceCommands,
} from "../../components/core";
import { assertGolden, loadFixture } from "./helpers";

/** Seed 003: two VLANs, dual stack, a shim on one and attachable false on the other. */
const seed003 = (): Plan => planSpec(loadFixture("seed003-two-vlans-dual-stack.json").spec);
/** Seed 002: no VLAN, host addresses without a shim, custom docker names. */
const seed002 = (): Plan => planSpec(loadFixture("seed002-six-nodes.json").spec);

describe("render", () => {
    it("offers json, table, markdown, pins and svg", () => {
        assert.deepStrictEqual(FORMATS, ["json", "table", "markdown", "pins", "svg"]);
    });

    for (const format of FORMATS) {
        it(`renders seed 003 as ${format} exactly (test/golden/render/seed003.${format})`, () => {
            assertGolden(`render/seed003.${format}`, render(seed003(), format));
        });
    }

    it("renders seed 002 as a table exactly (test/golden/render/seed002.table)", () => {
        assertGolden("render/seed002.table", render(seed002(), "table"));
    });

    it("shows task addresses, the placement constraint and the update order they need, in table, markdown and svg (test/golden/render/pinned.*)", () => {
        const pinned = planSpec({
            nodes: [{ name: "manager1", host: "10.0.0.11", role: "manager" }, { name: "worker1", host: "10.0.0.12", role: "worker" },
                { name: "worker2", host: "10.0.0.13", role: "worker" }],
            networks: [{ name: "dns", parent: "eth1", subnet: "10.20.40.0/24", gateway: "10.20.40.1", ipRangePrefix: 28, shim: true,
                taskAddresses: { manager1: "10.20.40.21", worker1: "10.20.40.37" } }],
        });
        for (const format of ["table", "markdown", "svg"] as const) {
            assertGolden(`render/pinned.${format}`, render(pinned, format));
        }
        assert.ok(render(pinned, "table").includes("\nStable task addresses: manager1 10.20.40.21, worker1 10.20.40.37. A pinned node runs one task of this network at a time: " +
            "give services --update-order stop-first (start-first waits for an address that is never freed); nodes without one (worker2) hand out any address of their range\n"));
        assert.ok(render(pinned, "table").includes(" --ip-range 10.20.40.21/32 "));
    });

    it("prints json keys in the documented order", () => {
        const json = JSON.parse(render(seed003(), "json"));
        assert.deepStrictEqual(Object.keys(json), ["networks"]);
        assert.deepStrictEqual(Object.keys(json.networks[0]), [
            "name", "subnet", "gateway", "ipRangePrefix", "ipv6", "vlanId", "attachable", "adopt", "persist", "configNetworkName", "swarmNetworkName", "manager", "nodes",
        ]);
        assert.deepStrictEqual(Object.keys(json.networks[0].nodes[0]), ["node", "parent", "trunk", "ipRange", "auxAddresses", "hostAddress", "shim", "ipv6"]);
        assert.deepStrictEqual(Object.keys(json.networks[0].nodes[0].ipv6), ["ipRange", "auxAddresses", "hostAddress"]);
        assert.deepStrictEqual(json, { networks: seed003().networks });
    });

    it("prints pins as YAML for one network", () => {
        const plan = planSpec(loadFixture("seed001-vlan40.json").spec);
        assert.equal(render(plan, "pins"), [
            "# vlan40: paste under the network to pin today's ranges",
            "ranges:",
            "  manager1: 172.80.1.0/24",
            "  worker1: 172.80.2.0/24",
            "  worker2: 172.80.3.0/24",
            "",
        ].join("\n"));
    });

    it("prints pins that plan to the same ranges when merged into the spec, IPv6 included", () => {
        const spec = loadFixture("seed003-two-vlans-dual-stack.json").spec as { nodes: unknown[]; networks: Record<string, Record<string, unknown>>[] };
        const plan = planSpec(spec);
        const chunks = render(plan, "pins").split("\n\n").map((chunk) => parseYaml(chunk));
        assert.equal(chunks.length, 4);
        const pinned = {
            nodes: spec.nodes,
            networks: spec.networks.map((net, i) => ({ ...net, ranges: chunks[2 * i].ranges, ipv6: { ...net.ipv6, ranges: chunks[2 * i + 1].ranges } })),
        };
        assert.deepStrictEqual(pinned.networks[1].ranges, { docker1: "10.0.20.16/28", docker2: "10.0.20.32/28", docker3: "10.0.20.48/28" });
        assert.deepStrictEqual(planSpec(pinned), plan);
    });

    it("lists the commands one would type on a node, VLAN and shim included", () => {
        const plan = planSpec(loadFixture("seed001-vlan40-shim.json").spec);
        assert.deepStrictEqual(nodeCommands(plan.networks[0], plan.networks[0].nodes[0]), [
            "ip link add link bond0 name bond0.40 type vlan id 40",
            "ip link set dev bond0.40 alias swarm-macvlan:vlan40",
            "ip link set dev bond0 up",
            "ip link set dev bond0.40 promisc on",
            "ip link set dev bond0.40 up",
            "docker network create --config-only --subnet 172.80.0.0/16 --gateway 172.80.0.1 --ip-range 172.80.1.0/24 --aux-address host=172.80.1.254 " +
                "--aux-address range-first=172.80.1.0 --aux-address range-last=172.80.1.255 " +
                "-o parent=bond0.40 --label swarm-macvlan.network=vlan40 " +
                "--label 'swarm-macvlan.ipam0=172.80.0.0/16 172.80.0.1 172.80.1.0/24 host=172.80.1.254 range-first=172.80.1.0 range-last=172.80.1.255' vlan40_net",
            "ip link add shim-vlan40 link bond0.40 type macvlan mode bridge",
            "ip link set dev shim-vlan40 alias swarm-macvlan:vlan40",
            "ip address replace 172.80.1.254/32 dev shim-vlan40",
            "ip link set dev shim-vlan40 up",
            "ip route replace 172.80.1.0/24 dev shim-vlan40",
            "systemctl enable swarm-macvlan-vlan40.service",
        ]);
    });

    it("shows exactly what the scripts run: every command shown is a line of its create script", () => {
        let shownCount = 0;
        for (const fixture of ["seed001-vlan40-shim.json", "seed002-six-nodes.json", "seed003-two-vlans-dual-stack.json"]) {
            const plan = planSpec(loadFixture(fixture).spec);
            for (const net of plan.networks) {
                for (const node of net.nodes) {
                    const step = parentArgs(net, node);
                    const shim = shimArgs(net, node);
                    const scripts = [
                        (step.kind === "vlan" ? vlanSubinterfaceCommands(step.args) : promiscModeCommands(step.args)).create,
                        configOnlyNetworkCommands(configOnlyArgs(net, node)).create,
                        ...(shim ? [hostShimCommands(shim).create] : []),
                        bootUnitCommands(bootUnitArgs(net, node)).create,
                    ];
                    const lines = new Set(scripts.flatMap((s) => s.split("\n").map((l) => l.trim().replace(/ (2?>\/dev\/null|\|\| fail .*)$/, ""))));
                    for (const shown of nodeCommands(net, node)) {
                        assert.ok(lines.has(shown), `${fixture} ${net.name} ${node.node}: "${shown}" is not a line of its create script`);
                        shownCount++;
                    }
                }
            }
        }
        // seed001: 3 nodes x (5 VLAN + 1 network + 5 shim + 1 boot unit); seed002: 6 x (2 promisc + 1 + 1);
        // seed003: 3 x (5 + 1 + 7 dual-stack shim + 1) + 3 x (5 + 1 + 1).
        assert.equal(shownCount, 3 * 12 + 6 * 4 + 3 * 14 + 3 * 7);
    });

    it("lists the IPv6 address and route of a dual-stack shim", () => {
        const plan = seed003();
        assert.deepStrictEqual(nodeCommands(plan.networks[0], plan.networks[0].nodes[0]), [
            "ip link add link eth0 name eth0.10 type vlan id 10",
            "ip link set dev eth0.10 alias swarm-macvlan:macvlan10",
            "ip link set dev eth0 up",
            "ip link set dev eth0.10 promisc on",
            "ip link set dev eth0.10 up",
            "docker network create --config-only --subnet 10.0.10.0/24 --gateway 10.0.10.1 --ip-range 10.0.10.16/28 --aux-address host=10.0.10.30 " +
                "--aux-address range-first=10.0.10.16 --aux-address range-last=10.0.10.31 " +
                "--ipv6 --subnet 2001:db8:babe:10::/64 --gateway 2001:db8:babe:10::1 --ip-range 2001:db8:babe:10:1::/80 " +
                "--aux-address host-v6=2001:db8:babe:10:1:ffff:ffff:fffe --aux-address range-first-v6=2001:db8:babe:10:1:: " +
                "--aux-address range-last-v6=2001:db8:babe:10:1:ffff:ffff:ffff -o parent=eth0.10 --label swarm-macvlan.network=macvlan10 " +
                "--label 'swarm-macvlan.ipam0=10.0.10.0/24 10.0.10.1 10.0.10.16/28 host=10.0.10.30 range-first=10.0.10.16 range-last=10.0.10.31' " +
                "--label 'swarm-macvlan.ipam1=2001:db8:babe:10::/64 2001:db8:babe:10::1 2001:db8:babe:10:1::/80 host-v6=2001:db8:babe:10:1:ffff:ffff:fffe " +
                "range-first-v6=2001:db8:babe:10:1:: range-last-v6=2001:db8:babe:10:1:ffff:ffff:ffff' macvlan10_net",
            "ip link add shim-macvlan10 link eth0.10 type macvlan mode bridge",
            "ip link set dev shim-macvlan10 alias swarm-macvlan:macvlan10",
            "ip address replace 10.0.10.30/32 dev shim-macvlan10",
            "ip -6 address replace 2001:db8:babe:10:1:ffff:ffff:fffe/128 dev shim-macvlan10 nodad",
            "ip link set dev shim-macvlan10 up",
            "ip route replace 10.0.10.16/28 dev shim-macvlan10",
            "ip -6 route replace 2001:db8:babe:10:1::/80 dev shim-macvlan10",
            "systemctl enable swarm-macvlan-macvlan10.service",
        ]);
    });

    it("prints pins for a dual-stack network that plan the same when pasted where they say", () => {
        const stack = [
            "nodes:",
            "  - { name: docker1, host: 192.0.2.11, role: manager }",
            "  - { name: docker2, host: 192.0.2.12, role: worker }",
            "networks:",
            "  - name: macvlan10",
            "    parent: eth0",
            "    vlanId: 10",
            "    subnet: 10.0.10.0/24",
            "    gateway: 10.0.10.1",
            "    ipRangePrefix: 28",
            "    ipv6:",
            "      subnet: 2001:db8:babe:10::/64",
            "      gateway: 2001:db8:babe:10::1",
            "      ipRangePrefix: 80",
            "",
        ].join("\n");
        const plan = planSpec(parseYaml(stack));
        const [v4, v6] = render(plan, "pins").split("\n\n");
        const indent = (text: string, by: string) => text.split("\n").map((l) => (l === "" ? l : `${by}${l}`)).join("\n");
        const [head, ipv6] = stack.split("    ipv6:\n");
        const pasted = `${head}${indent(v4, "    ")}\n    ipv6:\n${ipv6}${indent(v6, "      ")}`;
        assert.deepStrictEqual(planSpec(parseYaml(pasted)), plan);
    });

    describe("pins round-trip for any node name the validator accepts (property)", () => {
        // Names YAML or JavaScript would read as something else: numbers, booleans, null,
        // Object.prototype's own keys.
        const tricky = ["0x16", "1e3", "0o17", "0b11", "1_000", "1.5", "10", "007", "true", "False", "null", "yes", "on", "NaN", "Infinity",
            "constructor", "toString", "hasOwnProperty", "valueOf", "a.b", "a-b_c"];
        const name = fc.oneof(fc.constantFrom(...tricky), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,12}$/));

        it("parses back to exactly the planned ranges, and pasting them plans the same", () => {
            fc.assert(fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 6 }), (names) => {
                const spec = {
                    nodes: names.map((n, i) => ({ name: n, host: `192.0.2.${i + 1}`, role: i === 0 ? "manager" : "worker" })),
                    networks: [{ name: "n", parent: "eth1", subnet: "10.1.0.0/16", gateway: "10.1.0.1", ipRangePrefix: 24 }],
                };
                const plan = planSpec(spec);
                // As a Map: keys exactly as YAML reads them, in the order written.
                const ranges = parseYaml(render(plan, "pins"), { mapAsMap: true }).get("ranges");
                assert.deepStrictEqual([...ranges], plan.networks[0].nodes.map((n) => [n.node, n.ipRange]));
                const pasted = { ...spec.networks[0], ranges: Object.fromEntries(ranges) };
                assert.deepStrictEqual(planSpec({ ...spec, networks: [pasted] }), plan);
            }), { numRuns: 300 });
        });
    });
});
