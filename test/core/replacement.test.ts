import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { blockedReplacementMessage, replacingChanges, swarmNetworkServicesScript } from "../../components/core";
import { assertGolden, assertProblems } from "./helpers";

const source = (ipRange: string, host = "10.0.0.12") => JSON.stringify({ config: { ipRange, parent: "eth1.40" }, host, parent: { trunk: "eth1", vlanId: 40 }, port: 22 });
const SELF = '{"attachable":true,"configFrom":"vlan40_net","name":"swarm-vlan40_net"}';
const BEFORE = { self: SELF, sources: { node1: source("10.0.1.0/24", "10.0.0.11"), node2: source("10.0.2.0/24") } };

describe("replacement", () => {
    describe("replacingChanges", () => {
        it("is empty when nothing changes, and when nodes are only added or removed", () => {
            assert.deepStrictEqual(replacingChanges(BEFORE, BEFORE), []);
            assert.deepStrictEqual(replacingChanges(BEFORE, { self: SELF, sources: { ...BEFORE.sources, node3: source("10.0.3.0/24") } }), []);
            assert.deepStrictEqual(replacingChanges(BEFORE, { self: SELF, sources: { node1: BEFORE.sources.node1 } }), []);
        });

        it("names each changed field of each node, without the config/parent grouping, one phrase per node in node order", () => {
            const after = { self: SELF, sources: { node1: source("10.0.1.0/24", "10.0.0.21"), node2: source("10.0.9.0/24") } };
            assert.deepStrictEqual(replacingChanges(BEFORE, after), [
                "node1's host from 10.0.0.11 to 10.0.0.21",
                "node2's ipRange from 10.0.2.0/24 to 10.0.9.0/24",
            ]);
            const both = JSON.stringify({ config: { ipRange: "10.0.9.0/24", parent: "eth2.40" }, host: "10.0.0.12", parent: { trunk: "eth2", vlanId: 40 }, port: 22 });
            assert.deepStrictEqual(replacingChanges(BEFORE, { self: SELF, sources: { ...BEFORE.sources, node2: both } }), [
                "node2's ipRange from 10.0.2.0/24 to 10.0.9.0/24, parent from eth1.40 to eth2.40, trunk from eth1 to eth2",
            ]);
        });

        it("names the swarm network's own fields, fields added or removed, numbers and keys that are no JSON", () => {
            const self = '{"attachable":false,"configFrom":"vlan40_net","name":"swarm-vlan40_net"}';
            const parent = JSON.stringify({ config: { ipRange: "10.0.2.0/24", parent: "eth1.40" }, host: "10.0.0.12", parent: { trunk: "eth1", vlanId: 41 }, port: 22 });
            const extra = JSON.stringify({ config: { ipRange: "10.0.1.0/24", parent: "eth1.40", adopt: true }, host: "10.0.0.11", parent: { trunk: "eth1", vlanId: 40 }, port: 22 });
            assert.deepStrictEqual(replacingChanges(BEFORE, { self, sources: { node1: extra, node2: parent } }), [
                "the swarm network's attachable from true to false",
                "node1's adopt from (none) to true",
                "node2's vlanId from 40 to 41",
            ]);
            assert.deepStrictEqual(replacingChanges({ self: SELF, sources: { n: "x" } }, { self: SELF, sources: { n: "y" } }), ["n's configuration from x to y"]);
            // A guard that did not watch the swarm network before (or does not now) reports no change of it.
            assert.deepStrictEqual(replacingChanges({ sources: {} }, { self, sources: {} }), []);
            assert.deepStrictEqual(replacingChanges({ self, sources: {} }, { sources: {} }), []);
        });
    });

    describe("blockedReplacementMessage", () => {
        it("names the network, every change, the services and both ways forward", () => {
            assert.equal(blockedReplacementMessage("vlan40", "swarm-vlan40_net", ["node2's ipRange from 10.0.2.0/24 to 10.0.9.0/24"], ["web"]),
                "cannot apply the change to vlan40: node2's ipRange from 10.0.2.0/24 to 10.0.9.0/24 replaces swarm-vlan40_net " +
                "(Docker changes neither a config-only network nor a swarm network in place), and service web uses it, " +
                "which Docker refuses to remove while in use; remove it (docker service rm, or docker service update --network-rm swarm-vlan40_net) " +
                "and run again, or undo the change; nothing was changed on any node");
            assert.equal(blockedReplacementMessage("vlan40", "swarm-vlan40_net", ["a", "b"], ["api", "web"]),
                "cannot apply the change to vlan40: a; b replaces swarm-vlan40_net " +
                "(Docker changes neither a config-only network nor a swarm network in place), and services api, web use it, " +
                "which Docker refuses to remove while in use; remove them (docker service rm, or docker service update --network-rm swarm-vlan40_net) " +
                "and run again, or undo the change; nothing was changed on any node");
        });
    });

    describe("swarmNetworkServicesScript (golden; run against a stand-in docker)", () => {
        let dir: string;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "services-"));
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        /** Runs the script with a `docker` on PATH that answers from $MODE. */
        function run(mode: string): { code: number | null; stdout: string; stderr: string } {
            fs.writeFileSync(path.join(dir, "docker"), [
                "#!/bin/sh",
                'case "$MODE $1 $2" in',
                "  'gone network inspect') echo 'Error response from daemon: network swarm-vlan40_net not found' >&2; exit 1 ;;",
                "  'down network inspect') echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' >&2; exit 1 ;;",
                "  *' network inspect') echo n0etw0rk1d ;;",
                "  'idle service ls') ;;",
                "  *' service ls') printf 's1\\ns2\\ns3\\ns4\\n' ;;",
                // The names of the services inspected must arrive as separate words.
                "  *' service inspect') [ \"$5 $6 $7 $8\" = 's1 s2 s3 s4' ] || exit 9",
                "    printf 'web n0etw0rk1d other\\nbatch zzz\\nprobe swarm-vlan40_net\\napi other n0etw0rk1d\\n' ;;",
                "  *) echo \"unexpected: $*\" >&2; exit 3 ;;",
                "esac",
            ].join("\n"), { mode: 0o755 });
            const r = spawnSync("sh", ["-c", swarmNetworkServicesScript("swarm-vlan40_net", "manager1")], {
                encoding: "utf8", env: { PATH: `${dir}:/usr/bin:/bin`, MODE: mode },
            });
            return { code: r.status, stdout: r.stdout, stderr: r.stderr };
        }

        it("matches its golden file", () => {
            assertGolden("commands/swarm-network-services.sh", swarmNetworkServicesScript("swarm-vlan40_net", "manager1"));
        });

        it("prints the services attached by ID or by name, sorted, and nothing when none or when the network is gone", () => {
            assert.deepStrictEqual(run("busy"), { code: 0, stdout: "api\nprobe\nweb\n", stderr: "" });
            assert.deepStrictEqual(run("idle"), { code: 0, stdout: "", stderr: "" });
            assert.deepStrictEqual(run("gone"), { code: 0, stdout: "", stderr: "" });
        });

        it("fails naming the node when it cannot tell", () => {
            assert.deepStrictEqual(run("down"), {
                code: 1, stdout: "",
                stderr: "swarm-macvlan: cannot read docker network swarm-vlan40_net on manager1: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
            });
        });

        it("refuses names that could reach the shell", () => {
            assertProblems(() => swarmNetworkServicesScript("x;y", "manager1"), [
                'name "x;y" is not allowed: use letters, digits, _ . - starting with a letter or digit',
            ]);
        });
    });
});
