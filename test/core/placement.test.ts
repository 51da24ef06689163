import { strict as assert } from "node:assert";
import {
    ManagerFacts, NodeFacts, managerFactsScript, nodeFactsScript, parseManagerFacts, parseNodeFacts, placementFindings, planSpec, renderStatus, statusReport,
} from "../../components/core";
import { assertGolden } from "./helpers";

// Two nodes, /28 ranges; n1 pins 10.40.0.21 (its range 10.40.0.16/28), n2 pins nothing.
const plan = planSpec({
    nodes: [{ name: "n1", host: "192.0.2.1", role: "manager" }, { name: "n2", host: "192.0.2.2", role: "worker" }],
    networks: [{ name: "v40", parent: "eth1", subnet: "10.40.0.0/24", gateway: "10.40.0.1", ipRangePrefix: 28, taskAddresses: { n1: "10.40.0.21" } }],
});
const NODES: NodeFacts[] = [{ node: "n1", nodeId: "id1", configNetworks: ["v40_net"] }, { node: "n2", nodeId: "id2", configNetworks: ["v40_net"] }];
const LABELLED = { id1: { "swarm-macvlan.v40": "true" }, id2: { zone: "b", "swarm-macvlan.v40": "true" } };
const CONSTRAINED = { name: "dns", updateOrder: "stop-first", networks: ["netid40"], constraints: ["node.labels.swarm-macvlan.v40 == true"] };
const manager = (patch: Partial<ManagerFacts> = {}): ManagerFacts => ({ networkIds: { "swarm-v40_net": "netid40" }, labels: LABELLED, services: [CONSTRAINED], ...patch });
const dns = { node: "n1", network: "swarm-v40_net", container: "dns.n1.abc", service: "dns", ipv4: "10.40.0.21" };

describe("placement (status)", () => {
    it("asks each node for its swarm ID and config-only networks, and a manager for network IDs, labels and services (golden scripts)", () => {
        assertGolden("status/node-facts.sh", nodeFactsScript(plan));
        assertGolden("status/manager-facts.sh", managerFactsScript(plan));
    });

    it("parses a node's and a manager's answers", () => {
        assert.deepStrictEqual(parseNodeFacts("n1", "id|id1\nconfig|v40_net\n"), { node: "n1", nodeId: "id1", configNetworks: ["v40_net"] });
        assert.deepStrictEqual(parseNodeFacts("n2", "id|\n"), { node: "n2", nodeId: "", configNetworks: [] });
        assert.deepStrictEqual(parseManagerFacts([
            "network|swarm-v40_net|netid40",
            "label|id2|zone=b|c", "label|id2|swarm-macvlan.v40=true",
            "service|dns||netid40 |node.labels.swarm-macvlan.v40==true;node.role==worker;",
            "service|web|start-first|||",
            "",
        ].join("\n")), {
            networkIds: { "swarm-v40_net": "netid40" },
            labels: { id2: { zone: "b|c", "swarm-macvlan.v40": "true" } },
            services: [
                { name: "dns", updateOrder: "stop-first", networks: ["netid40"], constraints: ["node.labels.swarm-macvlan.v40==true", "node.role==worker"] },
                { name: "web", updateOrder: "start-first", networks: [], constraints: [] },
            ],
        });
    });

    it("reports a held pin, finds nothing wrong with a constrained stop-first service and agreeing labels", () => {
        assert.deepStrictEqual(placementFindings(plan, [dns], NODES, manager()), {
            pins: [{ network: "v40", node: "n1", address: "10.40.0.21", heldBy: "dns.n1.abc" }], warnings: [], problems: [],
        });
    });

    it("reports a pin no task holds, and a task on a pinned node at another address", () => {
        const stray = { ...dns, container: "old.1", ipv4: "10.40.0.18" };
        assert.deepStrictEqual(placementFindings(plan, [stray], NODES, manager()), {
            pins: [{ network: "v40", node: "n1", address: "10.40.0.21" }], warnings: [],
            problems: ["n1: 10.40.0.18 (old.1, swarm-v40_net) is not n1's task address 10.40.0.21; its config-only network should hand out no other: run swarm-macvlan check"],
        });
    });

    it("warns of a service on the network (by name or ID) without the constraint, and refuses start-first where addresses are pinned", () => {
        const services = [
            { name: "web", updateOrder: "stop-first", networks: ["swarm-v40_net"], constraints: ["node.role==worker"] },
            { ...CONSTRAINED, name: "dns2", updateOrder: "start-first" },
            { name: "elsewhere", updateOrder: "start-first", networks: ["othernet"], constraints: [] },
        ];
        const found = placementFindings(plan, [], NODES, manager({ services }));
        assert.deepStrictEqual(found.warnings, [
            "service web is on swarm-v40_net without --constraint node.labels.swarm-macvlan.v40==true: swarm may place its tasks where the network does not exist, and they fail",
        ]);
        assert.deepStrictEqual(found.problems, [
            "service dns2 updates start-first on swarm-v40_net, whose nodes pin task addresses: the new task waits for the address the old one holds and the update hangs; " +
                "docker service update --update-order stop-first dns2",
        ]);
    });

    it("lets start-first pass on a network without pins", () => {
        const unpinned = planSpec({ nodes: [{ name: "n1", host: "192.0.2.1", role: "manager" }],
            networks: [{ name: "v40", parent: "eth1", subnet: "10.40.0.0/24", gateway: "10.40.0.1", ipRangePrefix: 28 }] });
        assert.deepStrictEqual(placementFindings(unpinned, [], [NODES[0]], manager({ labels: { id1: LABELLED.id1 }, services: [{ ...CONSTRAINED, updateOrder: "start-first" }] })),
            { pins: [], warnings: [], problems: [] });
    });

    it("reports a label without the network, the network without the label, and a label on a node outside the plan", () => {
        const nodes = [{ ...NODES[0], configNetworks: [] }, NODES[1]];
        const labels = { id1: { "swarm-macvlan.v40": "true" }, id2: { zone: "b" }, id9: { "swarm-macvlan.v40": "true" } };
        const found = placementFindings(plan, [], nodes, manager({ labels }));
        assert.deepStrictEqual(found.warnings, ["n2 has v40_net but not the label swarm-macvlan.v40=true: constrained services place no task there; run pulumi up"]);
        assert.deepStrictEqual(found.problems, [
            "n1 carries swarm-macvlan.v40=true but has no docker network v40_net: constrained tasks placed there fail; run pulumi up",
            "swarm node id9 carries swarm-macvlan.v40=true but is no node of the plan (or did not answer): remove it with docker node update --label-rm swarm-macvlan.v40 id9",
        ]);
    });

    it("judges no label or service without the manager's answer", () => {
        assert.deepStrictEqual(placementFindings(plan, [dns], [{ ...NODES[0], configNetworks: [] }]), {
            pins: [{ network: "v40", node: "n1", address: "10.40.0.21", heldBy: "dns.n1.abc" }], warnings: [], problems: [],
        });
    });

    describe("in the status report", () => {
        it("counts a pinned node's one address without warning, lists the pins, and renders them", () => {
            const report = statusReport(plan, [dns], [], [{ node: "n1", network: "swarm-v40_net", subnet: "10.40.0.0/24", ipsInUse: 6, dynamicIPsAvailable: 0 }],
                { nodes: NODES, manager: manager({ services: [{ ...CONSTRAINED, updateOrder: "start-first" }] }) });
            assert.deepStrictEqual(report.networks[0].ranges, [
                { node: "n1", ipRange: "10.40.0.16/28", used: 1, usable: 1, countedBy: "docker" },
                { node: "n2", ipRange: "10.40.0.32/28", used: 0, usable: 13, countedBy: "containers" },
            ]);
            assert.deepStrictEqual(report.warnings, []);
            assert.deepStrictEqual(report.pins, [{ network: "v40", node: "n1", address: "10.40.0.21", heldBy: "dns.n1.abc" }]);
            assert.equal(renderStatus(report, "table"), [
                "v40: 10.40.0.0/24 (swarm-v40_net)",
                "node  ip-range       used  counted by",
                "n1    10.40.0.16/28  1/1   docker",
                "n2    10.40.0.32/28  0/13  containers",
                "",
                "node  container   service  addresses",
                "n1    dns.n1.abc  dns      10.40.0.21",
                "",
                "network  node  task address  held by",
                "v40      n1    10.40.0.21    dns.n1.abc",
                "",
                "problem: service dns updates start-first on swarm-v40_net, whose nodes pin task addresses: the new task waits for the address the old one holds " +
                    "and the update hangs; docker service update --update-order stop-first dns",
                "1 problem, 0 warnings",
                "",
            ].join("\n"));
        });

        it("leaves pins out of a report made without placement facts", () => {
            assert.equal("pins" in statusReport(plan, [dns]), false);
        });
    });
});
