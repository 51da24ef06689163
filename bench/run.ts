// `npm run bench` (scripts/bench): swarm-macvlan against what operators use today, on the
// namespace lab at several sizes. A benchmark, not a test: it asserts nothing and prints figures.
//
// For each size N (--nodes, default 3,6,12) it brings the lab up with N nodes and, --runs times
// (default 3), does the same work three ways, timing each step and counting the SSH logins each
// node's sshd accepted (the most on any one node):
//   pulumi:  `pulumi up --skip-preview` from scratch, the same again (no-op), `pulumi preview`,
//            a change of one node's range (`up`), `pulumi destroy`; twice, once with the
//            command provider as upstream 1.2.1 behaves (a new SSH connection per command: what
//            users get, the headline) and once pooled (SWARM_MACVLAN_COMMAND_POOL=1); then as
//            upstream with PULUMI_SKIP_CHECKPOINTS=true (from scratch, range change, destroy);
//   floor:   `pulumi up` of an empty JavaScript program on the same engine;
//   ansible: bench/ansible/macvlan.yml from scratch, again (no-op), teardown.yml;
//   by hand: bench/by-hand.sh create and destroy (one ssh per node, in turn).
// It also counts, once per size, the resources a scratch `up` leaves in the state, per node.
// Then the planner alone (scripts/bench-planner). It prints a table of medians with ratios to
// Ansible, and writes docs/benchmarks.json, docs/benchmarks.svg (time against N) and
// docs/benchmarks.md. Runs as root; takes about 25 minutes for 3, 6 and 12 nodes.
// `--from-json docs/benchmarks.json` only writes the report again from earlier figures.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { stringify } from "yaml";
import * as core from "../components/core";
import { ObjectCount, renderBenchmarks, Results, Sample } from "./report";

const root = path.join(__dirname, "..");
const STACK = "bench";
const STACK_FILE = path.join(root, `Pulumi.${STACK}.yaml`);

interface LabNode { readonly name: string; readonly host: string; readonly role: string; readonly hostKey: string }
interface Lab { readonly nodes: readonly LabNode[]; readonly sshKey: string; readonly engine: { readonly versions: string } }

const { values } = parseArgs({
    options: { nodes: { type: "string", default: "3,6,12" }, runs: { type: "string", default: "3" }, out: { type: "string", default: "docs" }, "from-json": { type: "string" } },
});
const sizes = values.nodes!.split(",").map(Number);
const runs = Number(values.runs);

function log(text: string): void {
    process.stderr.write(`bench: ${text}\n`);
}

/** Runs argv, returns its wall time in seconds; throws with its output if it fails. */
function timed(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = root): number {
    const start = process.hrtime.bigint();
    const r = spawnSync(argv[0], argv.slice(1), { cwd, env, encoding: "utf8", maxBuffer: 64 << 20, timeout: 30 * 60_000 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== 0) {
        throw new Error(`${argv.join(" ")} failed (${r.error?.message ?? r.status}):\n${r.stdout}\n${r.stderr}`);
    }
    return seconds;
}

/** SSH logins each node's sshd has accepted so far. */
function logins(lab: Lab): number[] {
    return lab.nodes.map((_, i) => (fs.readFileSync(path.join(root, ".lab", `n${i + 1}`, "sshd.log"), "utf8").match(/Accepted publickey/g) ?? []).length);
}

/** Times one step and counts the logins per node it caused (the most on any node). */
function step(lab: Lab, argv: string[], env?: NodeJS.ProcessEnv, cwd?: string): Sample {
    const before = logins(lab);
    const seconds = timed(argv, env, cwd);
    const after = logins(lab);
    return { seconds, logins: Math.max(...after.map((n, i) => n - before[i])) };
}

/**
 * The resources in the stack's state: all of them, and those of each node (a node's name is a
 * dash-separated part of theirs, e.g. `lab40-node2-config`), by type. The stack itself and the
 * default providers are left out.
 */
function countObjects(lab: Lab, env: NodeJS.ProcessEnv): ObjectCount {
    const state = JSON.parse(execFileSync("pulumi", ["stack", "export", "--stack", STACK], { cwd: root, env, encoding: "utf8", maxBuffer: 64 << 20 }));
    const resources: { urn: string; type: string }[] = state.deployment.resources
        .filter((r: { type: string }) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"));
    const perNode = lab.nodes.map((node) => {
        const mine = resources.filter((r) => r.urn.split("::").pop()!.split("-").includes(node.name));
        const byType: Record<string, number> = {};
        for (const r of mine) {
            byType[r.type] = (byType[r.type] ?? 0) + 1;
        }
        return { node: node.name, total: mine.length, byType };
    });
    return { total: resources.length, perNode };
}

/** An empty JavaScript program for the floor: `pulumi up` with nothing to register. */
function emptyProgram(): string {
    const dir = path.join(root, ".pulumi", "bench-empty");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: bench-empty\nruntime: nodejs\nmain: index.js\n");
    fs.writeFileSync(path.join(dir, "index.js"), "// Nothing: the floor of `pulumi up` on this engine.\n");
    return dir;
}

function network(patch: object = {}): object {
    return { name: "lab40", parent: "eth1", subnet: "10.214.0.0/16", gateway: "10.214.0.1", ipRangePrefix: 24, shim: true, persist: false, ...patch };
}

function writeStack(lab: Lab, net: object): core.Plan {
    const config = {
        "swarm-macvlan:sshPrivateKeyPath": lab.sshKey,
        "swarm-macvlan:nodes": lab.nodes.map((n) => ({ name: n.name, host: n.host, role: n.role, hostKey: n.hostKey })),
        "swarm-macvlan:networks": [net],
    };
    const old = fs.existsSync(STACK_FILE) ? fs.readFileSync(STACK_FILE, "utf8").match(/^encryptionsalt: .*$/m)?.[0] : undefined;
    fs.writeFileSync(STACK_FILE, stringify({ config }) + (old ? `${old}\n` : ""), { mode: 0o600 });
    return core.planSpec(core.specFromDocument({ config }));
}

/** The Ansible inventory and the by-hand script's input, from the same plan. */
function writeInventories(dir: string, lab: Lab, plan: core.Plan): { inventory: string; byHand: string } {
    const net = plan.networks[0];
    const hosts = Object.fromEntries(net.nodes.map((n) => [n.node, {
        ansible_host: lab.nodes.find((x) => x.name === n.node)!.host, ip_range: n.ipRange, host_address: n.hostAddress,
        aux_args: Object.entries(n.auxAddresses).map(([k, v]) => `--aux-address ${k}=${v}`).join(" "),
    }]));
    const inventory = {
        all: {
            vars: {
                ansible_user: "root", ansible_ssh_private_key_file: lab.sshKey, parent: "eth1", subnet: net.subnet, gateway: net.gateway,
                config_name: net.configNetworkName, swarm_name: net.swarmNetworkName, shim: net.nodes[0].shim,
            },
            hosts,
            children: { managers: { hosts: { [net.manager]: {} } } },
        },
    };
    const objects = core.hostObjects(plan);
    const byHand = {
        key: lab.sshKey,
        nodes: net.nodes.map((n) => ({
            host: hosts[n.node].ansible_host, manager: n.node === net.manager,
            // What the seeds have one type: the commands create runs, in order, with no guards.
            create: objects.filter((o) => o.node === n.node && o.kind !== "swarm").flatMap((o) => o.commands.steps).map(core.line).join(" && "),
            destroy: [`docker network rm ${net.configNetworkName}`, `ip link del ${n.shim}`, `ip link set dev ${n.parent} promisc off`].join("; "),
        })),
        swarm: { create: core.line(core.swarmNetworkArgv(core.swarmArgs(net))), destroy: `docker network rm ${net.swarmNetworkName}` },
    };
    fs.writeFileSync(path.join(dir, "inventory.yml"), stringify(inventory));
    fs.writeFileSync(path.join(dir, "by-hand.json"), JSON.stringify(byHand));
    return { inventory: path.join(dir, "inventory.yml"), byHand: path.join(dir, "by-hand.json") };
}

function pulumiEnv(): NodeJS.ProcessEnv {
    const out = execFileSync(path.join(root, "scripts", "pulumi-env"), ["--lab"], { encoding: "utf8" });
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.PULUMI_CONFIG_PASSPHRASE;
    for (const m of out.matchAll(/^export ([A-Z_]+)='(.*)'$/gm)) {
        env[m[1]] = m[2].split("'\\''").join("'");
    }
    return env;
}

function median(samples: readonly Sample[]): Sample {
    const by = (k: keyof Sample) => [...samples.map((s) => s[k])].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
    return { seconds: by("seconds"), logins: by("logins") };
}

function benchSize(n: number, env: NodeJS.ProcessEnv): Results["sizes"][number] {
    log(`lab of ${n} nodes`);
    timed([path.join(root, "scripts", "lab"), "up", "--nodes", String(n)]);
    const lab: Lab = JSON.parse(fs.readFileSync(path.join(root, ".lab", "lab.json"), "utf8"));
    labEngine = lab.engine.versions;
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "smv-bench-"));
    const pulumi = (...args: string[]) => ["pulumi", ...args, "--stack", STACK, "--non-interactive"];
    const ansible = (play: string, inventory: string) => ["ansible-playbook", "-i", inventory, path.join(__dirname, "ansible", play)];
    // Each run starts Ansible cold (its own ControlPath directory): from scratch opens one
    // connection per host, which the no-op run and the teardown of the same run then reuse.
    const ansibleEnv = (r: number) => ({
        ...process.env, ANSIBLE_CONFIG: path.join(__dirname, "ansible", "ansible.cfg"), ANSIBLE_SSH_CONTROL_PATH_DIR: path.join(work, `cp-${r}`),
    });
    const samples: Record<string, Sample[]> = {};
    const add = (key: string, s: Sample) => (samples[key] ??= []).push(s);
    // The command provider reads SWARM_MACVLAN_COMMAND_POOL from the CLI's environment.
    const upstreamEnv = { ...env, SWARM_MACVLAN_COMMAND_POOL: "0" };
    const pooledEnv = { ...env, SWARM_MACVLAN_COMMAND_POOL: "1" };
    // The state written once, at the end of each step, instead of after every resource (README, "Benchmarks").
    const unsavedEnv = { ...upstreamEnv, PULUMI_SKIP_CHECKPOINTS: "true" };
    const empty = emptyProgram();
    let objects: ObjectCount | undefined;
    try {
        execFileSync("pulumi", ["stack", "select", "--create", STACK, "--non-interactive"], { cwd: root, env, stdio: "ignore" });
        execFileSync("pulumi", ["stack", "select", "--create", "floor", "--non-interactive"], { cwd: empty, env, stdio: "ignore" });
        for (let r = 1; r <= runs; r++) {
            log(`${n} nodes, run ${r} of ${runs}`);
            const plan = writeStack(lab, network());
            for (const [prefix, modeEnv] of [["pulumi", upstreamEnv], ["pooled", pooledEnv], ["unsaved", unsavedEnv]] as const) {
                writeStack(lab, network()); // back from the range change of the mode before
                add(`${prefix} scratch`, step(lab, pulumi("up", "--yes", "--skip-preview"), modeEnv));
                objects ??= countObjects(lab, env);
                // Without checkpoints only the steps that write the state: a no-op or a preview writes it once either way.
                if (prefix !== "unsaved") {
                    add(`${prefix} no-op`, step(lab, pulumi("up", "--yes", "--skip-preview"), modeEnv));
                    add(`${prefix} preview`, step(lab, pulumi("preview"), modeEnv));
                }
                // One node's range moves; every other node keeps its range by a pin (plan --format pins).
                const pins = Object.fromEntries(plan.networks[0].nodes.map((x) => [x.node, x.ipRange]));
                writeStack(lab, network({ ranges: { ...pins, [lab.nodes[1].name]: "10.214.200.0/24" } }));
                add(`${prefix} range change`, step(lab, pulumi("up", "--yes", "--skip-preview"), modeEnv));
                add(`${prefix} destroy`, step(lab, pulumi("destroy", "--yes", "--skip-preview"), modeEnv));
            }
            add("empty up", step(lab, ["pulumi", "up", "--yes", "--skip-preview", "--stack", "floor", "--non-interactive"], env, empty));
            const { inventory, byHand } = writeInventories(work, lab, plan);
            add("ansible scratch", step(lab, ansible("macvlan.yml", inventory), ansibleEnv(r)));
            add("ansible no-op", step(lab, ansible("macvlan.yml", inventory), ansibleEnv(r)));
            add("ansible destroy", step(lab, ansible("teardown.yml", inventory), ansibleEnv(r)));
            add("by hand scratch", step(lab, [path.join(__dirname, "by-hand.sh"), "create", byHand]));
            add("by hand destroy", step(lab, [path.join(__dirname, "by-hand.sh"), "destroy", byHand]));
        }
    } finally {
        spawnSync("pulumi", ["stack", "rm", "--yes", "--force", "--stack", STACK], { cwd: root, env, stdio: "ignore" });
        spawnSync("pulumi", ["stack", "rm", "--yes", "--force", "--stack", "floor"], { cwd: empty, env, stdio: "ignore" });
        fs.rmSync(work, { recursive: true, force: true });
        fs.rmSync(STACK_FILE, { force: true });
    }
    return { nodes: n, medians: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])), samples, objects };
}

/** The Docker Engine the lab's nodes ran (scripts/lab's --engine), as lab.json says. */
let labEngine = "unknown";

function machine(): Results["machine"] {
    const cpu = fs.readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.*)$/m)?.[1] ?? "unknown";
    const version = (argv: string[]) => spawnSync(argv[0], argv.slice(1), { encoding: "utf8" }).stdout.split("\n")[0].trim();
    return {
        cpu, cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), kernel: os.release(),
        node: process.version, pulumi: version(["pulumi", "version"]), ansible: version(["ansible-playbook", "--version"]),
        docker: labEngine, date: new Date().toISOString().slice(0, 10),
    };
}

function write(results: Results): void {
    const out = path.resolve(root, values.out!);
    fs.mkdirSync(out, { recursive: true });
    const { table, svg, markdown } = renderBenchmarks(results);
    fs.writeFileSync(path.join(out, "benchmarks.json"), JSON.stringify(results, null, 2) + "\n");
    fs.writeFileSync(path.join(out, "benchmarks.svg"), svg);
    fs.writeFileSync(path.join(out, "benchmarks.md"), markdown);
    process.stdout.write(table);
}

function main(): void {
    if (values["from-json"] !== undefined) {
        // Only the report again, from the figures of an earlier run (no lab, no measuring).
        write(JSON.parse(fs.readFileSync(values["from-json"], "utf8")));
        return;
    }
    const env = pulumiEnv();
    Object.assign(process.env, { PATH: env.PATH });
    const measured: Results["sizes"][number][] = [];
    try {
        for (const n of sizes) {
            measured.push(benchSize(n, env));
        }
    } finally {
        timed([path.join(root, "scripts", "lab"), "down"]);
    }
    log("the planner alone");
    const planner = JSON.parse(execFileSync(process.execPath, [path.join(root, "scripts", "bench-planner"), "--json", "--runs", "3", "--sizes", "16,256,4096"], { encoding: "utf8" })).results;
    write({ machine: machine(), runs, sizes: measured, planner });
}

main();
