// Smoke test of the Pulumi engine that scripts/pulumi-engine builds and scripts/pulumi-env sets
// up (offline: file backend, no plugin downloads). Run on its own:
//
//   npx mocha -r ts-node/register test/toolchain/engine.test.ts
//
// The first run builds the engine (about 5 min on 2 cores); later runs take well under a second.
import * as assert from "assert";
import { execFile, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import * as command from "@pulumi/command";
import { EngineEvent, LocalWorkspace, PreviewResult, Stack } from "@pulumi/pulumi/automation";
import { parse as parseYaml } from "yaml";
import { pulumiEnv, repoRoot } from "../support/pulumiEnv";

const execFileP = promisify(execFile);
const BUILD_TIMEOUT = 45 * 60 * 1000; // the first scripts/pulumi-engine run builds everything
const OP_TIMEOUT = 5 * 60 * 1000;

const packageJson = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
// The exact pins for this repository's own use (scripts/pulumi-engine reads the same): devDependencies.
const pinned = (name: string): string => packageJson.devDependencies[name];

const unique = (prefix: string): string => `${prefix}-${crypto.randomBytes(4).toString("hex")}`;
const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Types of the resources an operation's events say it creates. */
function createdTypes(events: EngineEvent[]): string[] {
    return events
        .map((e) => e.resourcePreEvent?.metadata)
        .filter((m) => m !== undefined && m.op === "create")
        .map((m) => m!.type);
}

/** The version a provider binary reports to the engine (its GetPluginInfo answer). */
async function pluginVersion(binary: string): Promise<string> {
    // gRPC and protobuf as @pulumi/pulumi itself loads them.
    const fromSdk = (m: string) => require(require.resolve(m, { paths: [path.dirname(require.resolve("@pulumi/pulumi"))] }));
    const grpc = fromSdk("@grpc/grpc-js");
    const { Empty } = fromSdk("google-protobuf/google/protobuf/empty_pb");
    const { ResourceProviderClient } = require("@pulumi/pulumi/proto/provider_grpc_pb");
    // A plugin takes the engine's address (not contacted here) and prints its own port.
    const child = spawn(binary, ["127.0.0.1:1"], { stdio: ["ignore", "pipe", "inherit"] });
    try {
        const port = await new Promise<string>((resolve, reject) => {
            let out = "";
            child.stdout.setEncoding("utf8").on("data", (d: string) => {
                out += d;
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) { resolve(m[1]); }
            });
            child.on("error", reject);
            child.on("exit", (code) => reject(new Error(`${binary} exited with ${code} before printing its port`)));
        });
        const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        try {
            const info = await new Promise<any>((resolve, reject) =>
                client.getPluginInfo(new Empty(), (err: Error | null, res: any) => (err ? reject(err) : resolve(res))));
            return info.getVersion();
        } finally {
            client.close();
        }
    } finally {
        child.kill();
    }
}

describe("Pulumi engine: inline Automation API program with a command.local.Command", function () {
    this.timeout(OP_TIMEOUT);

    let tmp = "";
    let file = "";
    let stack: Stack | undefined;
    const stackName = unique("engine-smoke");

    const program = async () => {
        const write = new command.local.Command("write-file", {
            create: `printf %s engine-smoke > ${shq(file)} && cat ${shq(file)}`,
            delete: `rm -f ${shq(file)}`,
        });
        return { stdout: write.stdout, file };
    };

    before(async function () {
        this.timeout(BUILD_TIMEOUT);
        const env = await pulumiEnv();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "engine-smoke-"));
        file = path.join(tmp, "hello.txt");
        fs.mkdirSync(path.join(tmp, "project"));
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName, projectName: "engine-smoke", program },
            { workDir: path.join(tmp, "project"), envVars: env },
        );
    });

    after(async function () {
        if (stack) {
            await stack.destroy().catch(() => undefined);
            await stack.workspace.removeStack(stackName).catch(() => undefined);
        }
        if (tmp) {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    it("runs the pulumi CLI of the version package.json pins", async () => {
        const { stdout } = await execFileP("pulumi", ["version"], { env: process.env });
        assert.strictEqual(stdout.trim(), `v${pinned("@pulumi/pulumi")}`);
    });

    it("previews one create", async () => {
        const events: EngineEvent[] = [];
        const res = await stack!.preview({ onEvent: (e) => events.push(e) });
        assert.deepStrictEqual(res.changeSummary, { create: 2 });
        assert.deepStrictEqual(createdTypes(events), ["pulumi:pulumi:Stack", "pulumi:providers:command", "command:local:Command"]);
        assert.ok(!fs.existsSync(file), "preview must not run the command");
    });

    it("creates the file on up (the provider comes from the bin dir, never downloaded)", async () => {
        const res = await stack!.up();
        assert.strictEqual(res.summary.result, "succeeded");
        assert.strictEqual(fs.readFileSync(file, "utf8"), "engine-smoke");
        assert.strictEqual(res.outputs.stdout.value, "engine-smoke");
        assert.strictEqual(res.outputs.file.value, file);
    });

    it("used the project's own command provider, which says so in its version", async () => {
        // The program asked the engine for the pinned version...
        const resources: { type: string; inputs?: { version?: string } }[] = (await stack!.exportStack()).deployment.resources;
        const provider = resources.find((r) => r.type === "pulumi:providers:command");
        assert.strictEqual(provider?.inputs?.version, pinned("@pulumi/command"));
        // ...and the engine found it in PULUMI_HOME's plugin cache, where it reports the same
        // version with build metadata naming whose build it is.
        const binary = path.join(process.env.PULUMI_HOME!, "plugins", `resource-command-v${pinned("@pulumi/command")}`, "pulumi-resource-command");
        assert.strictEqual(await pluginVersion(binary), `${pinned("@pulumi/command")}+swarm-macvlan`);
    });

    it("runs without warnings (no plugin is taken from $PATH)", async () => {
        let output = "";
        await stack!.preview({ onOutput: (text) => { output += text; } });
        assert.doesNotMatch(output, /warning/i);
    });

    it("previews no change after up", async () => {
        const res = await stack!.preview();
        assert.deepStrictEqual(res.changeSummary, { same: 2 });
    });

    it("refresh keeps the command's state exactly (its Read returns the state it is given)", async () => {
        const commandState = async () => {
            const { inputs, outputs } = (await stack!.exportStack()).deployment.resources.find((r: { type: string }) => r.type === "command:local:Command");
            return { inputs, outputs };
        };
        const before = await commandState();
        const res = await stack!.refresh();
        assert.deepStrictEqual(res.summary.resourceChanges, { same: 2 });
        assert.deepStrictEqual(await commandState(), before);
    });

    it("removes the file on destroy", async () => {
        const res = await stack!.destroy();
        assert.strictEqual(res.summary.result, "succeeded");
        assert.ok(!fs.existsSync(file), "the delete command should have removed the file");
    });
});

describe("Pulumi engine: preview of the root program (Pulumi.yaml + index.ts)", function () {
    this.timeout(OP_TIMEOUT);

    let keyDir = "";
    let project: { name: string; main?: string } = { name: "" };
    const stacks: { stack: Stack; configFile?: string }[] = [];

    // One manager on TEST-NET (never contacted: preview connects nowhere), one network.
    const config = () => ({
        // A pinned host key (any valid one: preview connects nowhere), so that no warning is due.
        [`${project.name}:nodes`]: { value: JSON.stringify([{ name: "ghost", host: "192.0.2.10", role: "manager",
            hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOm5AKvJhsHJ7BMRNqqeRA3qdKBM6LcBX7dvWaMCCZXQ" }]) },
        [`${project.name}:networks`]: {
            value: JSON.stringify([
                { name: "vlan40", parent: "eth1", subnet: "10.214.0.0/16", gateway: "10.214.0.1", ipRangePrefix: 24 },
            ]),
        },
        [`${project.name}:sshPrivateKeyPath`]: { value: path.join(keyDir, "id_ed25519") },
    });

    async function previewAndCheck(stack: Stack): Promise<PreviewResult> {
        await stack.setAllConfig(config());
        const events: EngineEvent[] = [];
        let output = "";
        const res = await stack.preview({ onEvent: (e) => events.push(e), onOutput: (text) => { output += text; } });
        assert.doesNotMatch(output, /warning/i);
        const created = events
            .map((e) => e.resourcePreEvent?.metadata)
            .filter((m) => m !== undefined && m.op === "create")
            .map((m) => `${m!.type} ${m!.urn.slice(m!.urn.lastIndexOf("::") + 2)}`)
            .sort();
        assert.deepStrictEqual(created, [
            "command:remote:Command swarm-macvlan-vlan40-ghost-boot",
            "command:remote:Command swarm-macvlan-vlan40-ghost-config",
            "command:remote:Command swarm-macvlan-vlan40-ghost-promisc",
            "command:remote:Command swarm-macvlan-vlan40-swarm",
            "pulumi-nodejs:dynamic:Resource swarm-macvlan-barrier",
            "pulumi-nodejs:dynamic:Resource swarm-macvlan-ghost-preflight",
            "pulumi-nodejs:dynamic:Resource swarm-macvlan-vlan40-ghost-drift",
            "pulumi-nodejs:dynamic:Resource swarm-macvlan-vlan40-ghost-guard",
            "pulumi-nodejs:dynamic:Resource swarm-macvlan-vlan40-ghost-label",
            "pulumi-nodejs:dynamic:Resource swarm-macvlan-vlan40-swarm-drift",
            "pulumi:providers:command default_1_2_1",
            "pulumi:providers:pulumi-nodejs default",
            `pulumi:pulumi:Stack ${project.name}-${stack.name}`,
            "swarm-macvlan:index:BootUnit swarm-macvlan-vlan40-ghost-boot",
            "swarm-macvlan:index:ConfigOnlyNetwork swarm-macvlan-vlan40-ghost-config",
            "swarm-macvlan:index:MacvlanSwarmNetwork swarm-macvlan",
            "swarm-macvlan:index:PromiscMode swarm-macvlan-vlan40-ghost-promisc",
            "swarm-macvlan:index:SwarmNetwork swarm-macvlan-vlan40-swarm",
        ]);
        // The change summary counts resources, not the two default providers.
        assert.deepStrictEqual(res.changeSummary, { create: created.length - 2 });
        return res;
    }

    before(async function () {
        this.timeout(BUILD_TIMEOUT);
        await pulumiEnv();
        const pulumiYaml = path.join(repoRoot, "Pulumi.yaml");
        assert.ok(fs.existsSync(pulumiYaml), "the root program (Pulumi.yaml + index.ts) does not exist yet");
        project = parseYaml(fs.readFileSync(pulumiYaml, "utf8"));
        keyDir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-smoke-"));
        // A throwaway key: preview reads the file but never connects.
        await execFileP("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "preview-smoke", "-f", path.join(keyDir, "id_ed25519")])
            .catch(() => fs.writeFileSync(path.join(keyDir, "id_ed25519"), "not a real key\n", { mode: 0o600 }));
    });

    after(async function () {
        for (const { stack, configFile } of stacks) {
            await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
            if (configFile) {
                fs.rmSync(configFile, { force: true });
            }
        }
        if (keyDir) {
            fs.rmSync(keyDir, { recursive: true, force: true });
        }
    });

    it("`pulumi preview` of Pulumi.yaml (CLI + pulumi-language-nodejs) plans the swarm network", async () => {
        const binDir = process.env.PATH!.split(path.delimiter)[0];
        // Not a skip: scripts/pulumi-engine always provides a language host.
        assert.ok(fs.existsSync(path.join(binDir, "pulumi-language-nodejs")), `no pulumi-language-nodejs in ${binDir}`);
        const stackName = unique("preview-smoke");
        const stack = await LocalWorkspace.createStack({ stackName, workDir: repoRoot });
        stacks.push({ stack, configFile: path.join(repoRoot, `Pulumi.${stackName}.yaml`) });
        await previewAndCheck(stack);
    });

    it("runs the dynamic providers' process with the launcher Pulumi.yaml names (plugins/pulumi-nodejs), not Pulumi's own", async () => {
        const stackName = unique("preview-plugin");
        const stack = await LocalWorkspace.createStack({ stackName, workDir: repoRoot });
        stacks.push({ stack, configFile: path.join(repoRoot, `Pulumi.${stackName}.yaml`) });
        await stack.setAllConfig(config());
        const { stderr } = await execFileP("pulumi", ["preview", "--non-interactive", "--stack", stackName, "--logtostderr", "-v=9"],
            { cwd: repoRoot, maxBuffer: 512 * 1024 * 1024, timeout: OP_TIMEOUT });
        const launched = [...stderr.matchAll(/Launching plugin '([^']+)' from '([^']+)'/g)].map((m) => `${m[1]} ${m[2]}`).filter((l) => l.startsWith("pulumi-nodejs"));
        assert.deepStrictEqual(launched, [`pulumi-nodejs (resource) ${path.join(repoRoot, "plugins", "pulumi-nodejs", "pulumi-resource-pulumi-nodejs")}`]);
    });

    it("that launcher runs the SDK's dynamic-provider script with dist/program/preload.js loaded first, from any directory", async () => {
        const child = spawn(path.join(repoRoot, "plugins", "pulumi-nodejs", "pulumi-resource-pulumi-nodejs"), ["127.0.0.1:1"],
            { cwd: os.tmpdir(), stdio: ["ignore", "pipe", "pipe"] });
        try {
            // The provider prints the port it serves on once it is up.
            const port = await new Promise<string>((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error("the dynamic provider printed no port within 30 s")), 30_000);
                child.stdout.setEncoding("utf8").once("data", (d: string) => { clearTimeout(timer); resolve(d.trim()); });
                child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`the launcher exited ${code}`)); });
            });
            assert.match(port, /^[0-9]+$/);
            const argv = fs.readFileSync(`/proc/${child.pid}/cmdline`, "utf8").split("\0").filter(Boolean);
            assert.deepStrictEqual(argv, ["node", "--require", path.join(repoRoot, "dist", "program", "preload.js"),
                path.join(repoRoot, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js"), "127.0.0.1:1"]);
        } finally {
            child.kill("SIGKILL");
        }
    });

});

describe("scripts/pulumi-env: stack secrets are never left under an empty passphrase", () => {
    const script = path.join(repoRoot, "scripts", "pulumi-env");
    const withoutPassphrase = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PULUMI_CONFIG_PASSPHRASE")));

    it("refuses to run without a passphrase, or with an empty one, saying why and what to set", async () => {
        const message = "pulumi-env: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE (not empty): the stacks' secrets, " +
            "the nodes' SSH key among them, are encrypted with it, and an empty one would leave them readable by anyone who can read " +
            "the stack file or the state. (For the local lab's stacks: scripts/pulumi-env --lab.)\n";
        for (const env of [withoutPassphrase, { ...withoutPassphrase, PULUMI_CONFIG_PASSPHRASE: "" }]) {
            const r = await execFileP(script, [], { env }).then(() => ({ code: 0, stderr: "" }), (e) => ({ code: e.code, stderr: e.stderr }));
            assert.deepStrictEqual(r, { code: 2, stderr: message });
        }
    });

    it("never prints a passphrase given in the environment (the shell that evals its output has it already)", async () => {
        const { stdout } = await execFileP(script, [], { env: { ...withoutPassphrase, PULUMI_CONFIG_PASSPHRASE: "not-for-logs-4f9c" } });
        assert.match(stdout, /^export PULUMI_BACKEND_URL='file:\/\/.*'$/m);
        assert.doesNotMatch(stdout, /PULUMI_CONFIG_PASSPHRASE|not-for-logs-4f9c/);
    });

    it("gives the lab's stacks a passphrase file of their own, readable by its owner only", async () => {
        const { stdout } = await execFileP(script, ["--lab"], { env: withoutPassphrase });
        const file = path.join(repoRoot, ".pulumi", "lab.passphrase");
        assert.match(stdout, new RegExp(`^export PULUMI_CONFIG_PASSPHRASE_FILE='${file}'$`, "m"));
        assert.doesNotMatch(stdout, /PULUMI_CONFIG_PASSPHRASE=/);
        assert.equal(fs.statSync(file).mode & 0o777, 0o600);
        assert.ok(fs.readFileSync(file, "utf8").trim().length >= 32);
    });
});

