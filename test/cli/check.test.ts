import * as assert from "node:assert/strict";
import * as path from "path";
import { checkReport, checkScripts, renderReport } from "../../cli/check";
import { hostObjects, managerFactsScript, nodeFactsScript, planSpec } from "../../components/core";
import { main } from "../../cli/main";

const report = {
    inSync: false,
    drift: [
        { node: "node2", object: "docker network lab40_net", difference: "missing" },
        { node: "node1", object: "interface shim-lab40", difference: "route 10.214.1.0/24 is missing" },
    ],
    unreachable: [{ node: "node3", error: "cannot connect to node3 (root@10.213.0.13:22) after 3 attempts: Timed out while waiting for handshake" }],
    warnings: [],
};

describe("swarm-macvlan check", () => {
    it("prints drift as a table, one row per difference, then the nodes it could not check", () => {
        assert.equal(renderReport(report, "table"), [
            "node   object                    difference",
            "node2  docker network lab40_net  missing",
            "node1  interface shim-lab40      route 10.214.1.0/24 is missing",
            "not checked: cannot connect to node3 (root@10.213.0.13:22) after 3 attempts: Timed out while waiting for handshake",
            "2 differences; 1 node not checked",
            "",
        ].join("\n"));
    });

    it("prints markdown for a pull request and JSON for tools", () => {
        assert.equal(renderReport(report, "markdown"), [
            "**swarm-macvlan check**: 2 differences; 1 node not checked", "",
            "| node | object | difference |", "|---|---|---|",
            "| `node2` | docker network lab40_net | missing |",
            "| `node1` | interface shim-lab40 | route 10.214.1.0/24 is missing |",
            "- not checked: cannot connect to node3 (root@10.213.0.13:22) after 3 attempts: Timed out while waiting for handshake", "",
        ].join("\n"));
        assert.deepStrictEqual(JSON.parse(renderReport(report, "json")), report);
        assert.equal(renderReport({ inSync: true, drift: [], unreachable: [], warnings: [] }, "table"), "every node matches the plan\n");
    });

    describe("placement (issue 19)", () => {
        const plan = planSpec({
            nodes: [{ name: "n1", host: "192.0.2.1", role: "manager" }, { name: "n2", host: "192.0.2.2", role: "worker" }],
            networks: [{ name: "v40", parent: "eth1", subnet: "10.40.0.0/24", gateway: "10.40.0.1", ipRangePrefix: 28, taskAddresses: { n2: "10.40.0.37" } }],
        });
        const ok = (stdout: string) => ({ code: 0, stdout, stderr: "" });
        const checks = (node: string) => hostObjects(plan).filter((o) => o.node === node).map((o) => o.commands.check);

        it("runs each node's object checks, then its facts, and the manager's facts on the manager only", () => {
            assert.deepStrictEqual(checkScripts(plan, "n1"), [...checks("n1"), nodeFactsScript(plan), managerFactsScript(plan)]);
            assert.deepStrictEqual(checkScripts(plan, "n2"), [...checks("n2"), nodeFactsScript(plan)]);
        });

        it("reports the objects' differences, then placement's on the manager, and reads no fact as a difference", () => {
            const quiet = (node: string) => checks(node).map(() => ok(""));
            const answers = {
                results: new Map([
                    ["n1", [...quiet("n1").slice(1), ok("interface eth1: promiscuous mode is off\n"), ok("id|id1\nconfig|v40_net\n"),
                        ok("network|swarm-v40_net|nid\nlabel|id1|swarm-macvlan.v40=true\nservice|dns|start-first|nid |node.labels.swarm-macvlan.v40==true;\n")]],
                    ["n2", [...quiet("n2"), ok("id|id2\nconfig|v40_net\n")]],
                ]),
                unreachable: [],
            };
            assert.deepStrictEqual(checkReport(plan, answers), {
                inSync: false,
                drift: [
                    { node: "n1", object: "interface eth1", difference: "promiscuous mode is off" },
                    { node: "n1", object: "placement", difference: "service dns updates start-first on swarm-v40_net, whose nodes pin task addresses: the new task waits " +
                        "for the address the old one holds and the update hangs; docker service update --update-order stop-first dns" },
                ],
                unreachable: [],
                warnings: ["n2 has v40_net but not the label swarm-macvlan.v40=true: constrained services place no task there; run pulumi up"],
            });
        });

        it("prints warnings before the nodes it could not check, in sync all the same", () => {
            const report = { inSync: true, drift: [], unreachable: [], warnings: ["service web is on swarm-v40_net without --constraint node.labels.swarm-macvlan.v40==true: ..."] };
            assert.equal(renderReport(report, "table"), "warning: service web is on swarm-v40_net without --constraint node.labels.swarm-macvlan.v40==true: ...\nevery node matches the plan\n");
            assert.equal(renderReport(report, "markdown"), "**swarm-macvlan check**: every node matches the plan\n\n- warning: service web is on swarm-v40_net without " +
                "--constraint node.labels.swarm-macvlan.v40==true: ...\n");
        });

        it("judges no placement when the manager did not answer", () => {
            const answers = { results: new Map([["n2", [...checks("n2").map(() => ok("")), ok("id|id2\n")]]]), unreachable: [{ node: "n1", error: "down" }] };
            assert.deepStrictEqual(checkReport(plan, answers), { inSync: false, drift: [], unreachable: [{ node: "n1", error: "down" }], warnings: [] });
        });
    });

    it("fails with exit 64 when it has no key to use", async () => {
        let err = "";
        const saved = process.env.SSH_AUTH_SOCK;
        delete process.env.SSH_AUTH_SOCK;
        try {
            const code = await main(["check", "--config", path.join(__dirname, "../../examples/seeds/001-vlan40.yaml")], { out: () => undefined, err: (t) => (err += t) });
            assert.equal(code, 64);
            assert.equal(err.split("\n")[0], "swarm-macvlan: no SSH key: pass --identity KEYFILE (a stack's encrypted sshPrivateKey cannot be read here) or run an ssh-agent");
        } finally {
            if (saved !== undefined) {
                process.env.SSH_AUTH_SOCK = saved;
            }
        }
    });
});
