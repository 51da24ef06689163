import * as assert from "node:assert/strict";
import * as path from "path";
import { renderReport } from "../../cli/check";
import { main } from "../../cli/main";

const report = {
    inSync: false,
    drift: [
        { node: "node2", object: "docker network lab40_net", difference: "missing" },
        { node: "node1", object: "interface shim-lab40", difference: "route 10.214.1.0/24 is missing" },
    ],
    unreachable: [{ node: "node3", error: "cannot connect to node3 (root@10.213.0.13:22) after 3 attempts: Timed out while waiting for handshake" }],
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
        assert.equal(renderReport({ inSync: true, drift: [], unreachable: [] }, "table"), "every node matches the plan\n");
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
