import { strict as assert } from "node:assert";
import { fingerprint, parseHostKey, planSpec } from "../../components/core";
import { assertProblems } from "./helpers";

// Made by ssh-keygen, with the fingerprints `ssh-keygen -lf` printed for them.
const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOm5AKvJhsHJ7BMRNqqeRA3qdKBM6LcBX7dvWaMCCZXQ";
const ECDSA = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCzuL9FfCSOb5a8ORwk8Hp5sQ352URF23g2pbn9AbM9J9LekwKQFE9pGDdMQLu2keugLUK0pp45YZTU8R+yKd6I=";
const FORM = "is not a host key in authorized_keys form (TYPE BASE64 [comment], TYPE one of ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, " +
    "ecdsa-sha2-nistp521, ssh-rsa), e.g. the line of /etc/ssh/ssh_host_ed25519_key.pub; swarm-macvlan keyscan prints them";

const spec = (nodes: object[], more: object = {}) => ({
    nodes, networks: [{ name: "v40", parent: "eth1", subnet: "10.40.0.0/16", gateway: "10.40.0.1", ipRangePrefix: 24 }], ...more,
});

describe("hostKey", () => {
    it("reads an authorized_keys line as TYPE BASE64, the comment dropped, with ssh-keygen's fingerprint", () => {
        assert.deepStrictEqual(parseHostKey(`  ${ED25519}   root@node1 \n`), { ok: true, value: ED25519 });
        assert.deepStrictEqual(parseHostKey(ECDSA), { ok: true, value: ECDSA });
        assert.equal(fingerprint(ED25519), "SHA256:jlfPvzyrSKQSrmF5/thlzO4didCHj60Mia9T1A4K+lE");
        assert.equal(fingerprint(ECDSA), "SHA256:ilYgTWUQjNnLaz0arqkQvSTgXPj+0vw8EFH+1rq3LrM");
    });

    it("carries a node's key into the plan, canonical, and nothing for a node without one", () => {
        const plan = planSpec(spec([{ name: "n1", host: "192.0.2.1", role: "manager", hostKey: `${ED25519} root@node1` }, { name: "n2", host: "192.0.2.2", role: "worker" }]));
        assert.deepStrictEqual(plan.nodes, [
            { name: "n1", host: "192.0.2.1", port: 22, user: "root", role: "manager", hostKey: ED25519 },
            { name: "n2", host: "192.0.2.2", port: 22, user: "root", role: "worker" },
        ]);
    });

    it("fails when a key is not one: a known_hosts line, another type, a body of another type, not base64", () => {
        assertProblems(() => planSpec(spec([
            { name: "n1", host: "192.0.2.1", role: "manager", hostKey: `192.0.2.1 ${ED25519}` },
            { name: "n2", host: "192.0.2.2", role: "worker", hostKey: "ssh-dss AAAAB3NzaC1kc3M=" },
            { name: "n3", host: "192.0.2.3", role: "worker", hostKey: `ecdsa-sha2-nistp256 ${ED25519.split(" ")[1]}` },
            { name: "n4", host: "192.0.2.4", role: "worker", hostKey: "ssh-ed25519 not*base64" },
            { name: "n5", host: "192.0.2.5", role: "worker", hostKey: 42 },
        ])), [
            `nodes[0].hostKey "192.0.2.1 ${ED25519}" ${FORM}`,
            `nodes[1].hostKey "ssh-dss AAAAB3NzaC1kc3M=" ${FORM}`,
            `nodes[2].hostKey "ecdsa-sha2-nistp256 ${ED25519.split(" ")[1]}" is not a valid ecdsa-sha2-nistp256 key: its base64 part does not hold a ecdsa-sha2-nistp256 key; copy the whole line of the node's ssh_host_*_key.pub`,
            `nodes[3].hostKey "ssh-ed25519 not*base64" is not a valid ssh-ed25519 key: its base64 part does not hold a ssh-ed25519 key; copy the whole line of the node's ssh_host_*_key.pub`,
            "nodes[4].hostKey 42 must be a host key in authorized_keys form, e.g. ssh-ed25519 AAAA...",
        ]);
    });

    it("fails when requireHostKeys is on and a node has none, naming the node and how to fill it in", () => {
        assertProblems(() => planSpec(spec([{ name: "n1", host: "192.0.2.1", role: "manager", hostKey: ED25519 }, { name: "n2", host: "192.0.2.2", role: "worker" }], { requireHostKeys: true })), [
            "nodes[1].hostKey (missing) is required (requireHostKeys: true): run swarm-macvlan keyscan --config FILE, check each fingerprint it shows on its node " +
                "(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), and paste the hostKey lines it prints",
        ]);
        assertProblems(() => planSpec(spec([{ name: "n1", host: "192.0.2.1", role: "manager" }], { requireHostKeys: "yes" })), ["requireHostKeys yes must be true or false"]);
        assert.equal(planSpec(spec([{ name: "n1", host: "192.0.2.1", role: "manager", hostKey: ED25519 }], { requireHostKeys: true })).nodes.length, 1);
    });
});
