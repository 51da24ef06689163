import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { nodeLabelArgv, nodeLabelCommands, placementConstraint, placementLabel, swarmNodeIdScript } from "../../components/core";
import { assertGolden, assertProblems } from "./helpers";

const ID = "x1bm7v2f3j9q0w8e5r4t6y2u1";
const ARGS = { network: "vlan40", nodeId: ID, node: "worker1", manager: "manager1" };

/**
 * Runs `script` against a stand-in `docker` that keeps one node's labels in a file: `labels`
 * (KEY=VALUE lines) when the node is in the swarm, undefined when it is not. Returns the run,
 * every call and the labels afterwards. The first `races` node updates
 * fail as a concurrent update of the node makes them fail.
 */
function withStubSwarm(script: string, labels: string[] | undefined, info = `active ${ID}`, races = 0) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "swarm-macvlan-label-"));
    try {
        const file = path.join(dir, "labels");
        if (labels !== undefined) {
            fs.writeFileSync(file, labels.map((l) => `${l}\n`).join(""));
        }
        fs.writeFileSync(path.join(dir, "docker"), [
            "#!/bin/bash",
            `printf '%s\\n' "$*" >> '${dir}/log'`,
            `f='${file}'`,
            `case "$1 $2" in`,
            `  "info -f") echo '${info}' ;;`,
            `  "node inspect"|"node update") id="\${@: -1}"`,
            `    if [ "$id" != ${ID} ] || [ ! -e "$f" ]; then echo "Error response from daemon: node $id not found" >&2; exit 1; fi ;;&`,
            // The template asks for one key: print its value, or nothing.
            `  "node inspect") key=$(printf '%s' "$4" | sed 's/.*"\\(.*\\)".*/\\1/'); sed -n "s/^$key=//p" "$f" ;;`,
            `  "node update") r=$(( $(cat '${dir}/races' 2>/dev/null || echo 0) + 1 )); echo "$r" > '${dir}/races'`,
            `    if [ "$r" -le ${races} ]; then echo 'Error response from daemon: rpc error: code = Unknown desc = update out of sequence' >&2; exit 1; fi`,
            `    case "$3" in`,
            `      --label-add) k="\${4%%=*}"; grep -v "^$k=" "$f" > "$f.new" || true; echo "$4" >> "$f.new"; mv "$f.new" "$f" ;;`,
            `      --label-rm) grep -v "^$4=" "$f" > "$f.new" || true; mv "$f.new" "$f" ;;`,
            "    esac; echo \"$id\" ;;",
            "esac",
        ].join("\n"), { mode: 0o755 });
        const run = spawnSync("bash", ["-c", script], { encoding: "utf8", env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
        const after = fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean) : undefined;
        return { status: run.status, stdout: run.stdout, stderr: run.stderr, calls: fs.readFileSync(path.join(dir, "log"), "utf8").trim().split("\n"), labels: after };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const INSPECT = `node inspect -f {{index .Spec.Labels "swarm-macvlan.vlan40"}} ${ID}`;

describe("placement label commands", () => {
    it("names the label and the constraint after the spec network", () => {
        assert.equal(placementLabel("vlan40"), "swarm-macvlan.vlan40");
        assert.equal(placementConstraint("vlan40"), "node.labels.swarm-macvlan.vlan40==true");
        assert.deepStrictEqual(nodeLabelArgv(ARGS), ["docker", "node", "update", "--label-add", "swarm-macvlan.vlan40=true", ID]);
    });

    it("create, delete and check match their golden files (UPDATE_GOLDEN=1 rewrites them)", () => {
        const pair = nodeLabelCommands(ARGS);
        assert.deepStrictEqual(pair.steps, [nodeLabelArgv(ARGS)]);
        assertGolden("commands/node-label-vlan40.create.sh", pair.create);
        assertGolden("commands/node-label-vlan40.delete.sh", pair.delete);
        assertGolden("commands/node-label-vlan40.check.sh", pair.check);
        assertGolden("commands/swarm-node-id.sh", swarmNodeIdScript("worker1"));
    });

    describe("create", () => {
        it("adds the label and keeps the node's other labels", () => {
            const r = withStubSwarm(nodeLabelCommands(ARGS).create, ["zone=a", "swarm-macvlan.vlan20=true"]);
            assert.equal(r.status, 0, r.stderr);
            assert.deepStrictEqual(r.calls, [INSPECT, `node update --label-add swarm-macvlan.vlan40=true ${ID}`]);
            assert.deepStrictEqual(r.labels, ["zone=a", "swarm-macvlan.vlan20=true", "swarm-macvlan.vlan40=true"]);
        });

        it("changes nothing when the label is there", () => {
            const r = withStubSwarm(nodeLabelCommands(ARGS).create, ["swarm-macvlan.vlan40=true"]);
            assert.equal(r.status, 0, r.stderr);
            assert.deepStrictEqual(r.calls, [INSPECT]);
        });

        it("repairs a label set to another value", () => {
            const r = withStubSwarm(nodeLabelCommands(ARGS).create, ["swarm-macvlan.vlan40=no"]);
            assert.deepStrictEqual(r.labels, ["swarm-macvlan.vlan40=true"]);
        });

        it("fails, naming the node and the fix, when the node is not in the swarm", () => {
            const r = withStubSwarm(nodeLabelCommands(ARGS).create, undefined);
            assert.equal(r.status, 1);
            assert.equal(r.stderr, `swarm-macvlan: node worker1 (${ID}) is not in the swarm manager1 manages; join it to that swarm\n`);
        });
    });

    describe("a node update raced by another (update out of sequence)", () => {
        it("is tried again, and fails naming the label after 10 tries", () => {
            const add = `node update --label-add swarm-macvlan.vlan40=true ${ID}`;
            const raced = withStubSwarm(nodeLabelCommands(ARGS).create, ["zone=a"], `active ${ID}`, 2);
            assert.deepStrictEqual([raced.status, raced.calls, raced.labels], [0, [INSPECT, add, add, add], ["zone=a", "swarm-macvlan.vlan40=true"]]);
            const lost = withStubSwarm(nodeLabelCommands(ARGS).create, ["zone=a"], `active ${ID}`, 10);
            assert.deepStrictEqual([lost.status, lost.calls.length, lost.labels, lost.stderr], [1, 11, ["zone=a"],
                "swarm-macvlan: node label swarm-macvlan.vlan40 of worker1: the node kept changing under 10 updates: Error response from daemon: rpc error: code = Unknown desc = update out of sequence\n"]);
        });
    });

    describe("delete", () => {
        it("removes only its own label", () => {
            const r = withStubSwarm(nodeLabelCommands(ARGS).delete, ["zone=a", "swarm-macvlan.vlan40=true", "swarm-macvlan.vlan4=true"]);
            assert.equal(r.status, 0, r.stderr);
            assert.deepStrictEqual(r.calls, [INSPECT, `node update --label-rm swarm-macvlan.vlan40 ${ID}`]);
            assert.deepStrictEqual(r.labels, ["zone=a", "swarm-macvlan.vlan4=true"]);
        });

        it("succeeds without a call when the label or the node is gone", () => {
            assert.deepStrictEqual(withStubSwarm(nodeLabelCommands(ARGS).delete, ["zone=a"]).calls, [INSPECT]);
            const gone = withStubSwarm(nodeLabelCommands(ARGS).delete, undefined);
            assert.equal(gone.status, 0, gone.stderr);
            assert.deepStrictEqual(gone.calls, [INSPECT]);
        });
    });

    describe("check", () => {
        it("prints nothing when the label is there", () => {
            assert.equal(withStubSwarm(nodeLabelCommands(ARGS).check, ["swarm-macvlan.vlan40=true"]).stdout, "");
        });

        it("reports a missing label, and a node that left the swarm", () => {
            assert.equal(withStubSwarm(nodeLabelCommands(ARGS).check, ["zone=a"]).stdout,
                "node label swarm-macvlan.vlan40 of worker1: is (none), the plan says true\n");
            assert.equal(withStubSwarm(nodeLabelCommands(ARGS).check, undefined).stdout,
                `node label swarm-macvlan.vlan40 of worker1: node ${ID} is not in the swarm\n`);
        });
    });

    describe("swarmNodeIdScript", () => {
        it("prints the node's swarm ID", () => {
            const r = withStubSwarm(swarmNodeIdScript("worker1"), []);
            assert.equal(r.status, 0, r.stderr);
            assert.equal(r.stdout, `${ID}\n`);
        });

        it("fails, naming the node, when it is not an active swarm member", () => {
            const r = withStubSwarm(swarmNodeIdScript("worker1"), [], "inactive ");
            assert.equal(r.status, 1);
            assert.equal(r.stderr, "swarm-macvlan: worker1 is not an active swarm node (docker info says inactive ); join it to the swarm first\n");
        });
    });

    it("fails when an argument could reach the shell unchecked", () => {
        assertProblems(() => nodeLabelCommands({ network: "vlan40'x", nodeId: "ABC;reboot", node: "worker1" }), [
            "network \"vlan40'x\" is not allowed: use letters, digits, _ . - starting with a letter or digit",
            "nodeId \"ABC;reboot\" is not a swarm node ID: lowercase letters and digits, as docker info -f '{{.Swarm.NodeID}}' prints it",
        ]);
    });
});
