import * as assert from "node:assert/strict";
import { knownHostKeys } from "../../cli/knownHosts";
import { pinKnownHosts } from "../../cli/nodes";
import { planSpec } from "../../components/core";

const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOm5AKvJhsHJ7BMRNqqeRA3qdKBM6LcBX7dvWaMCCZXQ";
const ECDSA = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCzuL9FfCSOb5a8ORwk8Hp5sQ352URF23g2pbn9AbM9J9LekwKQFE9pGDdMQLu2keugLUK0pp45YZTU8R+yKd6I=";
// `ssh-keygen -H` of "10.213.0.11 ED25519" and "[10.213.0.12]:2222 ECDSA".
const HASHED = [
    `|1|BCAXi7duXHZ0tA3A+iS7qp6Zw1U=|ZeD2AumchdpGBG3eXV3hM84bZUQ= ${ED25519}`,
    `|1|JytDXWy/C4xDcMzuOf1+AjFFdgM=|tuH66YuNfFjC77xxDzr1LC3ec/E= ${ECDSA}`,
].join("\n");

describe("known_hosts", () => {
    it("finds a host's keys in hashed entries, by name and port as ssh writes them", () => {
        assert.deepStrictEqual(knownHostKeys(HASHED, "10.213.0.11", 22), [ED25519]);
        assert.deepStrictEqual(knownHostKeys(HASHED, "10.213.0.12", 2222), [ECDSA]);
        assert.deepStrictEqual(knownHostKeys(HASHED, "10.213.0.12", 22), []);
        assert.deepStrictEqual(knownHostKeys(HASHED, "10.213.0.13", 22), []);
    });

    it("reads plain names, lists, wildcards and negations, ed25519 first; leaves out revoked keys and certificate authorities", () => {
        const other = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMEcp4TQJYOw1T97fb9MAcS/kN4t5j7wJ8ylVoDUeUJ+";
        const text = [
            "# comment",
            `node1,10.0.0.11 ${ECDSA}`,
            `10.0.0.* ${ED25519} root@node1`,
            `!10.0.0.23,10.0.0.2? ${other}`,
            `@cert-authority 10.0.0.14 ${ECDSA}`,
            `@revoked 10.0.0.15 ${ED25519}`,
            `10.0.0.15 ${ECDSA}`,
            "10.0.0.16 not-a-key AAAA",
        ].join("\n");
        assert.deepStrictEqual(knownHostKeys(text, "10.0.0.11", 22), [ED25519, ECDSA]);
        assert.deepStrictEqual(knownHostKeys(text, "10.0.0.21", 22), [ED25519, other]);
        assert.deepStrictEqual(knownHostKeys(text, "10.0.0.23", 22), [ED25519]);
        assert.deepStrictEqual(knownHostKeys(text, "10.0.0.14", 22), [ED25519]);
        assert.deepStrictEqual(knownHostKeys(text, "10.0.0.15", 22), [ECDSA]);
        assert.deepStrictEqual(knownHostKeys(text, "node1", 2222), []);
    });

    it("pins the known key of each node whose spec has none, keeps the spec's own, and warns for a node with neither", () => {
        const plan = planSpec({
            nodes: [{ name: "n1", host: "10.213.0.11", role: "manager" }, { name: "n2", host: "10.213.0.12", port: 2222, role: "worker", hostKey: ED25519 },
                { name: "n3", host: "10.213.0.13", role: "worker" }],
            networks: [{ name: "v40", parent: "eth1", subnet: "10.40.0.0/16", gateway: "10.40.0.1", ipRangePrefix: 24 }],
        });
        let err = "";
        const pinned = pinKnownHosts(plan, HASHED, { out: () => undefined, err: (t) => (err += t) });
        assert.deepStrictEqual(pinned.nodes.map((n) => [n.name, n.hostKey]), [["n1", ED25519], ["n2", ED25519], ["n3", undefined]]);
        assert.equal(err, "warning: node n3 has no hostKey and no known_hosts entry: any machine that answers at 10.213.0.13:22 is taken for it; " +
            "run swarm-macvlan keyscan --config FILE, check each fingerprint it shows on its node (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), " +
            "and paste the hostKey lines it prints\n");
    });
});
