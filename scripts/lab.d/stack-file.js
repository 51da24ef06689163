#!/usr/bin/env node
// scripts/lab.d/stack-file.js LAB_JSON STACK_FILE NETWORK_JSON [SALT]: writes the lab's stack
// file (Pulumi.lab.yaml) for the root program with the YAML library, from the nodes in LAB_JSON
// and the one network NETWORK_JSON; SALT is the encryption salt Pulumi had added to the file of
// the previous lab (teardown removes the file), kept so the stack's secrets stay readable.
// The file is the owner's alone (0600): it names the lab's key.
const fs = require("fs");
const path = require("path");
const { parse, stringify } = require(require.resolve("yaml", { paths: [path.join(__dirname, "..", "..")] }));

const [labJson, stackFile, networkJson, salt] = process.argv.slice(2);
const lab = JSON.parse(fs.readFileSync(labJson, "utf8"));
const previous = fs.existsSync(stackFile) ? parse(fs.readFileSync(stackFile, "utf8")) ?? {} : {};
if (salt) {
    previous.encryptionsalt = salt;
}
const config = {
    "swarm-macvlan:sshPrivateKeyPath": lab.sshKey,
    // Each node's host key, pinned: every connection to it must be offered exactly that key.
    "swarm-macvlan:nodes": lab.nodes.map((n) => ({ name: n.name, host: n.host, port: n.sshPort, user: lab.sshUser, role: n.role, hostKey: n.hostKey })),
    "swarm-macvlan:networks": [JSON.parse(networkJson)],
};
fs.writeFileSync(stackFile, stringify({ ...previous, config }), { mode: 0o600 });
fs.chmodSync(stackFile, 0o600);
fs.chmodSync(labJson, 0o600);
