// runOnHost and keyscan against an SSH server of the test's own (ssh2's Server on 127.0.0.1):
// a pinned host key lets the script run, another key stops the connection before authentication.
import * as assert from "node:assert/strict";
import { AddressInfo } from "node:net";
import { Server, utils } from "ssh2";
import { fingerprint, parseHostKey, planSpec } from "../../components/core";
import { runOnHost } from "../../components/ssh";
import { renderKeys, scanHostKey } from "../../cli/keyscan";

describe("ssh: host keys", () => {
    const hostKeys = utils.generateKeyPairSync("ed25519");
    const impostor = utils.generateKeyPairSync("ed25519");
    const client = utils.generateKeyPairSync("ed25519");
    const canonical = (line: string) => (parseHostKey(line) as { value: string }).value;
    let server: Server;
    let port = 0;
    let authentications = 0;

    before(async () => {
        server = new Server({ hostKeys: [hostKeys.private] }, (conn) => {
            conn.on("authentication", (ctx) => { authentications++; ctx.accept(); });
            conn.on("ready", () => conn.on("session", (accept) => accept().on("exec", (acceptExec, _reject, info) => {
                const stream = acceptExec();
                stream.write(`ran: ${info.command}`);
                stream.exit(0);
                stream.end();
            })));
            conn.on("error", () => undefined);
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
        port = (server.address() as AddressInfo).port;
    });

    after(() => server.close());

    it("runs the script when the host offers its pinned key", async () => {
        const result = await runOnHost({ host: "127.0.0.1", port, privateKey: client.private, hostKey: canonical(hostKeys.public) }, "echo ok", "node9", 10, { fresh: true });
        assert.deepStrictEqual(result, { code: 0, stdout: "ran: echo ok", stderr: "" });
    });

    it("stops before authentication, naming the node and both fingerprints, when the host offers another key", async () => {
        const before = authentications;
        await assert.rejects(runOnHost({ host: "127.0.0.1", port, privateKey: client.private, hostKey: canonical(impostor.public) }, "echo ok", "node9", 10, { fresh: true }),
            new Error(`node9 (root@127.0.0.1:${port}) offered the host key ssh-ed25519 ${fingerprint(hostKeys.public)}, not its hostKey ssh-ed25519 ${fingerprint(impostor.public)}: ` +
                "nothing was run on it. If the node was reinstalled or its keys changed, check the new key on the node " +
                "(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and update its hostKey; otherwise something else answers at that address"));
        assert.equal(authentications, before, "the client authenticated to a host with the wrong key");
    });

    it("keyscan reads the key the host offers, without authenticating, and prints it as spec lines with its fingerprint", async () => {
        const before = authentications;
        const key = await scanHostKey("127.0.0.1", port, 10);
        assert.equal(key, canonical(hostKeys.public));
        assert.equal(authentications, before);
        const plan = planSpec({ nodes: [{ name: "node9", host: "127.0.0.1", port, role: "manager" }, { name: "node8", host: "192.0.2.8", role: "worker", user: "ops" }],
            networks: [{ name: "v40", parent: "eth1", subnet: "10.40.0.0/16", gateway: "10.40.0.1", ipRangePrefix: 24 }] });
        assert.equal(renderKeys(plan, [key, undefined]), [
            "# The host keys the nodes offer now. Check each fingerprint on its node before you paste",
            "# (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub, on its console or over a path you trust):",
            `# node9 127.0.0.1:${port}: ssh-ed25519 ${fingerprint(key)}`,
            "# node8 192.0.2.8:22: no answer",
            "nodes:",
            "  - name: node9",
            "    host: 127.0.0.1",
            `    port: ${port}`,
            "    role: manager",
            `    hostKey: ${key}`,
            "  - name: node8",
            "    host: 192.0.2.8",
            "    user: ops",
            "    role: worker",
            "",
        ].join("\n"));
    });
});
