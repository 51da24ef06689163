// The keyed DriftCheck's provider under the real Pulumi engine (scripts/pulumi-env: offline, file
// backend), with no lab: its checks run on this machine (an injected runner instead of SSH), and
// two command.local.Command stand for a node's objects, each carrying its key's epoch in its
// update as remoteStep's remote.Command does. Issue 18: a preview while the check itself updates
// must name exactly the objects that drifted, not every command watched by the same check.
//
//   npx mocha -r ts-node/register test/toolchain/drift.test.ts
import { strict as assert } from "node:assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { CheckRunner, driftCheckProvider } from "../../components/DriftCheck";
import { pulumiEnv } from "../support/pulumiEnv";
import { plannedOps } from "../support/lab";

const BUILD_TIMEOUT = 45 * 60 * 1000; // the first scripts/pulumi-engine run builds everything
const OP_TIMEOUT = 5 * 60 * 1000;
const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs a check here, as runOnHost runs it on a host (the script on sh's stdin). Serialized with the provider. */
const localRunner: CheckRunner = async (_connection, script, _node, timeoutSeconds) => {
    const { spawnSync } = require("child_process");
    const r = spawnSync("sh", ["-s"], { input: script, encoding: "utf8", timeout: timeoutSeconds * 1000 });
    return { code: r.status ?? 255, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
};

/** A keyed DriftCheck whose checks run here (DriftCheck's own provider logic, its constructor's inputs). */
class LocalDriftCheck extends pulumi.dynamic.Resource {
    declare readonly driftEpochs: pulumi.Output<Record<string, number>>;
    declare readonly drift: pulumi.Output<Record<string, string[]>>;
    constructor(name: string, args: { connection: pulumi.Input<{ host: string; privateKey: pulumi.Input<string> }>; node: string; checks: Record<string, string> }) {
        super(driftCheckProvider(localRunner), name, { ...args, driftEpoch: undefined, driftEpochs: undefined, drift: undefined });
    }
}

describe("Pulumi engine: a keyed drift check's preview names only the objects that drifted (issue 18)", function () {
    this.timeout(OP_TIMEOUT);

    let tmp = "";
    let stack: Stack | undefined;
    const stackName = `drift-keyed-${crypto.randomBytes(4).toString("hex")}`;
    const file = (k: string) => path.join(tmp, k);
    const log = () => path.join(tmp, "runs.log");
    // Changed by a test below: key b's check script, as a spec change would change it.
    let bCheck = "";

    const program = async () => {
        const checks = {
            a: `test -e ${shq(file("a"))} || echo 'file a: missing'`,
            b: bCheck,
        };
        const watch = new LocalDriftCheck("t-node1-drift", {
            connection: { host: "node1.invalid", privateKey: pulumi.secret("not-a-real-key") }, node: "node1", checks,
        });
        const step = (key: "a" | "b") => {
            // As remoteStep: a key the check has no epoch for yet counts from 0.
            const epoch = watch.driftEpochs.apply((epochs) => epochs?.[key] ?? 0);
            const create = `touch ${shq(file(key))} && echo ${key} >> ${shq(log())}`;
            return new command.local.Command(`t-node1-${key}`, {
                create,
                update: pulumi.interpolate`${create} # swarm-macvlan: repair after drift #${epoch}`,
                delete: `rm -f ${shq(file(key))}`,
            });
        };
        step("a");
        step("b");
        return { driftEpochs: watch.driftEpochs };
    };

    /** The drift check's stored inputs and outputs. */
    const driftState = async (): Promise<{ inputs: Record<string, any>; outputs: Record<string, any> }> => {
        const resources: { urn: string; inputs: Record<string, any>; outputs: Record<string, any> }[] = (await stack!.exportStack()).deployment.resources;
        const { inputs, outputs } = resources.find((r) => r.urn.endsWith("::t-node1-drift"))!;
        return { inputs, outputs };
    };
    const runs = () => fs.readFileSync(log(), "utf8").split("\n").filter((l) => l !== "");

    before(async function () {
        this.timeout(BUILD_TIMEOUT);
        const env = await pulumiEnv();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drift-keyed-"));
        bCheck = `test -e ${shq(file("b"))} || echo 'file b: missing'`;
        fs.mkdirSync(path.join(tmp, "project"));
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName, projectName: "drift-keyed", program },
            { workDir: path.join(tmp, "project"), envVars: env },
        );
    });

    after(async function () {
        if (stack) {
            await stack.destroy().catch(() => undefined);
            await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
        }
        if (tmp) {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    it("up creates the check (epochs 0, as inputs too) and both objects", async () => {
        const ops = await plannedOps((onEvent) => stack!.up({ onEvent }));
        assert.deepStrictEqual(ops, { [`drift-keyed-${stackName}`]: "create", "t-node1-a": "create", "t-node1-b": "create", "t-node1-drift": "create" });
        assert.deepStrictEqual(runs().sort(), ["a", "b"]); // created in parallel
        const { inputs, outputs } = await driftState();
        assert.deepStrictEqual([inputs.driftEpochs, outputs.driftEpochs, outputs.drift], [{ a: 0, b: 0 }, { a: 0, b: 0 }, {}]);
    });

    it("with a's file gone, preview --refresh shows the check and a's command as updates, not b's", async () => {
        fs.rmSync(file("a"));
        const ops = await plannedOps((onEvent) => stack!.preview({ refresh: true, onEvent }));
        assert.deepStrictEqual(ops, { "t-node1-a": "update", "t-node1-drift": "update" });
        assert.ok(!fs.existsSync(file("a")), "a preview runs no command");
    });

    it("refresh records the drift of a, and a's bumped epoch in the inputs too, the key still a secret in both", async () => {
        await stack!.refresh();
        const { inputs, outputs } = await driftState();
        assert.deepStrictEqual([inputs.driftEpochs, outputs.driftEpochs, outputs.drift, inputs.drift], [{ a: 1, b: 0 }, { a: 1, b: 0 }, { a: ["file a: missing"] }, undefined]);
        for (const state of [inputs, outputs]) {
            assert.equal(state.connection.privateKey[pulumi.runtime.specialSigKey], pulumi.runtime.specialSecretSig, JSON.stringify(state.connection));
        }
        // A preview without refresh sees the recorded drift just as well.
        assert.deepStrictEqual(await plannedOps((onEvent) => stack!.preview({ onEvent })), { "t-node1-a": "update", "t-node1-drift": "update" });
    });

    it("up --refresh re-runs a only; a further preview --refresh shows no change", async () => {
        const ops = await plannedOps((onEvent) => stack!.up({ refresh: true, onEvent }));
        assert.deepStrictEqual(ops, { "t-node1-a": "update", "t-node1-drift": "update" });
        assert.deepStrictEqual(runs().sort(), ["a", "a", "b"]);
        assert.ok(fs.existsSync(file("a")));
        const { inputs, outputs } = await driftState();
        // Its refresh found a's file missing again: a's epoch moved once more.
        assert.deepStrictEqual([inputs.driftEpochs, outputs.driftEpochs, outputs.drift], [{ a: 2, b: 0 }, { a: 2, b: 0 }, {}]);
        assert.deepStrictEqual(await plannedOps((onEvent) => stack!.preview({ refresh: true, onEvent })), {});
        const clean = await stack!.preview({ refresh: true, expectNoChanges: true });
        assert.deepStrictEqual(Object.keys(clean.changeSummary).filter((k) => k !== "same"), []);
    });

    it("a changed check script updates the check only: no command shows, none runs", async () => {
        bCheck = `test -f ${shq(file("b"))} || echo 'file b: missing'`;
        assert.deepStrictEqual(await plannedOps((onEvent) => stack!.preview({ onEvent })), { "t-node1-drift": "update" });
        assert.deepStrictEqual(await plannedOps((onEvent) => stack!.up({ onEvent })), { "t-node1-drift": "update" });
        assert.deepStrictEqual(runs().sort(), ["a", "a", "b"]);
        const { inputs, outputs } = await driftState();
        assert.deepStrictEqual([inputs.driftEpochs, outputs.driftEpochs, outputs.checks.b], [{ a: 2, b: 0 }, { a: 2, b: 0 }, bCheck]);
        assert.deepStrictEqual(await plannedOps((onEvent) => stack!.preview({ refresh: true, onEvent })), {});
    });

    it("drift of both keys shows (and re-runs) both commands, each once", async () => {
        fs.rmSync(file("a"));
        fs.rmSync(file("b"));
        const expected = { "t-node1-a": "update", "t-node1-b": "update", "t-node1-drift": "update" };
        assert.deepStrictEqual(await plannedOps((onEvent) => stack!.preview({ refresh: true, onEvent })), expected);
        assert.deepStrictEqual(await plannedOps((onEvent) => stack!.up({ refresh: true, onEvent })), expected);
        assert.deepStrictEqual(runs().sort(), ["a", "a", "a", "b", "b"]);
        assert.deepStrictEqual((await driftState()).outputs.driftEpochs, { a: 3, b: 1 });
        assert.deepStrictEqual(await plannedOps((onEvent) => stack!.preview({ refresh: true, onEvent })), {});
    });
});
