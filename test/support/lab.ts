// The namespace lab (scripts/lab) from tests: bring it up or down, read what it exposes, and
// run commands inside a node. Every call is bounded in time.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import * as core from "../../components/core";
import { repoRoot } from "./pulumiEnv";

export interface LabNode {
    readonly name: string;
    readonly host: string;
    readonly role: string;
    /** The node's SSH host key (`ssh-ed25519 AAAA...`), pinned in every stack the suites write. */
    readonly hostKey: string;
    /** Namespace lab: the node's network namespace. */
    readonly namespace?: string;
    /** Namespace lab: the node's dockerd socket on this machine. */
    readonly dockerSocket?: string;
    /** VM lab: the VM's serial console log. */
    readonly console?: string;
}

/** The Docker Engine a lab's nodes run (scripts/lab up --engine). */
export type LabEngine = "current" | "debian";

export interface Lab {
    readonly nodes: readonly LabNode[];
    /** Which engine, and what `docker version` said on the first node. */
    readonly engine: { readonly name: LabEngine; readonly versions: string };
    readonly sshKey: string;
    readonly parent: string;
    readonly image: string;
    readonly stackConfig: string;
}

const LAB = path.join(repoRoot, "scripts", "lab");

function runLab(args: string[], timeoutMs: number): void {
    const r = spawnSync(LAB, args, { cwd: repoRoot, stdio: ["ignore", "inherit", "inherit"], timeout: timeoutMs });
    if (r.status !== 0) {
        throw new Error(`scripts/lab ${args.join(" ")} failed (${r.error?.message ?? `exit ${r.status}`})`);
    }
}

/**
 * Brings a fresh lab up (scripts/lab up cleans any lab first): `nodes` network namespaces, or
 * with `vm` that many QEMU virtual machines on an 802.1Q trunk, on `engine`; prints the engine's
 * client and server versions, so that a log says what was tested.
 */
export function labUp(nodes = 3, vm = false, engine: LabEngine = "current"): Lab {
    const file = path.join(repoRoot, ".lab", "lab.json");
    const fits = (lab: Lab & { kind: string }) => lab.kind === (vm ? "vm" : "netns") && lab.nodes.length === nodes && lab.engine?.name === engine;
    // A lab an earlier suite of this run handed on (tearDown's keepLab), if it fits and its swarm
    // is whole; for a developer re-running one suite, SMV_REUSE_LAB=1 takes any lab that fits.
    let lab = handedOn ?? (process.env.SMV_REUSE_LAB === "1" && fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined);
    handedOn = undefined;
    if (lab !== undefined && fits(lab) && !swarmWhole(lab)) {
        process.stderr.write("    lab: the lab handed on has lost its swarm; bringing a fresh one up\n");
        lab = undefined;
    }
    if (lab === undefined || !fits(lab)) {
        // The current engine's first build (scripts/docker-engine) is part of the first `up`.
        runLab(["up", vm ? "--vm" : "--nodes", String(nodes), "--engine", engine], (vm ? 45 : 40) * 60_000);
        lab = JSON.parse(fs.readFileSync(file, "utf8"));
    }
    process.stderr.write(`    lab: ${nodes} ${vm ? "VMs" : "namespace nodes"}, engine ${lab.engine.name}: ${lab.engine.versions}\n`);
    return lab;
}

/** The lab the last suite kept up for the next (a VM boot costs minutes: the VM suites share one). */
let handedOn: Lab | undefined;

/** Takes down a lab that was handed on but that no suite took (a later suite failed or was left out). */
export function releaseHandedOn(): void {
    if (handedOn !== undefined && process.env.SMV_KEEP_LAB !== "1") {
        handedOn = undefined;
        labDown();
    }
}

/** Every node of `lab` answers and is an active swarm member. */
function swarmWhole(lab: Lab): boolean {
    return lab.nodes.every((n) => {
        const r = labExec(n.name, ["docker", "info", "-f", "{{.Swarm.LocalNodeState}}"], 90_000);
        return r.status === 0 && r.stdout.trim() === "active";
    });
}

export function labDown(): void {
    runLab(["down"], 5 * 60_000);
}

/**
 * A suite's teardown: destroys `stack` (logging, never throwing: the lab goes anyway), removes it
 * and its config file, then takes the lab down unless SMV_KEEP_LAB=1, or hands it on to the next
 * suite's labUp with `keepLab` (when the destroy succeeded and `tidy`, which undoes what the suite
 * did by hand, returned: the next suite starts from a lab with nothing of this one's on it).
 */
export async function tearDown(stack: Stack | undefined, stackFile: string, log: (text: string) => void,
    keepLab?: Lab, tidy?: () => Promise<void>): Promise<void> {
    let clean = true;
    if (stack !== undefined) {
        await stack.destroy({ onOutput: log }).catch((e) => { clean = false; log(`destroy after tests failed: ${e}\n`); });
        await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
    }
    fs.rmSync(stackFile, { force: true });
    if (keepLab !== undefined && clean && tidy !== undefined) {
        await tidy().catch((e) => { clean = false; log(`tidying the lab failed: ${e}\n`); });
    }
    if (keepLab !== undefined && clean) {
        handedOn = keepLab;
    } else if (process.env.SMV_KEEP_LAB !== "1") {
        labDown();
    }
}

export interface Result {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs argv inside `node`'s namespace (with its DOCKER_HOST); never throws. */
export function labExec(node: string, argv: readonly string[], timeoutMs = 60_000, input?: string): Result {
    const r = spawnSync(LAB, ["exec", node, ...argv], { cwd: repoRoot, encoding: "utf8", timeout: timeoutMs, input });
    return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** Like labExec, but returns trimmed stdout and throws with stderr on failure. */
export function onNode(node: string, ...argv: string[]): string {
    const r = labExec(node, argv);
    if (r.status !== 0) {
        throw new Error(`${node}: ${argv.join(" ")} exited ${r.status}: ${r.stderr.trim()}`);
    }
    return r.stdout.trim();
}

/** A running container: its ID and, per network, its IPv4 and IPv6 addresses ("" when it has none). */
export interface RunningTask {
    readonly id: string;
    readonly networks: Record<string, { readonly v4: string; readonly v6: string }>;
}

/**
 * The running container of `service` on `node`, or undefined when it has none. A container that stops between
 * `docker ps` and `docker inspect` (a service being removed or rescheduled) counts as none; any other failure throws.
 */
export function runningTask(node: string, service: string): RunningTask | undefined {
    const id = onNode(node, "docker", "ps", "-q", "--filter", `label=com.docker.swarm.service.name=${service}`).split("\n")[0];
    if (!id) {
        return undefined;
    }
    const inspected = labExec(node, ["docker", "inspect", "-f", "{{json .NetworkSettings.Networks}}", id]);
    if (inspected.status !== 0 && /No such object/.test(inspected.stderr)) {
        return undefined;
    }
    if (inspected.status !== 0) {
        throw new Error(`${node}: docker inspect ${id} exited ${inspected.status}: ${inspected.stderr.trim()}`);
    }
    const raw = JSON.parse(inspected.stdout) as Record<string, { IPAddress: string; GlobalIPv6Address: string }>;
    const networks = Object.fromEntries(Object.entries(raw).map(([name, n]) => [name, { v4: n.IPAddress, v6: n.GlobalIPv6Address }]));
    return { id, networks };
}

/** Polls `check` until it returns a value, at most `seconds`; throws `what` on time-out. */
export async function waitFor<T>(what: string, seconds: number, check: () => T | undefined): Promise<T> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
        const value = check();
        if (value !== undefined) {
            return value;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${seconds}s waiting for ${what}`);
        }
        await new Promise((r) => setTimeout(r, 1000));
    }
}

/** A process's parent and state letter from /proc/<pid>/stat, or undefined once it is gone. */
function procStat(pid: number): { ppid: number; state: string } | undefined {
    let stat: string;
    try {
        stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
        return undefined;
    }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ")".
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(ppid), state };
}

/**
 * `pid` and every process descended from it, parents first. Pulumi starts its plugins in
 * process groups of their own, so killing the CLI's group leaves them running: a test that
 * kills a run ends this whole tree, taken before the kill (the orphans' parent changes after).
 */
export function processTree(pid: number): number[] {
    const parents = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
        const stat = procStat(Number(entry));
        if (stat !== undefined) {
            parents.set(stat.ppid, [...(parents.get(stat.ppid) ?? []), Number(entry)]);
        }
    }
    const tree = [pid];
    for (let i = 0; i < tree.length; i++) {
        tree.push(...(parents.get(tree[i]) ?? []));
    }
    return tree;
}

/** True while `pid` runs (a zombie, which has ended and waits to be reaped, does not). */
export function running(pid: number): boolean {
    const state = procStat(pid)?.state;
    return state !== undefined && state !== "Z";
}

/** Each resource (by name) a preview or up says it will change, with the operations. */
export async function plannedOps(run: (onEvent: (e: EngineEvent) => void) => Promise<unknown>): Promise<Record<string, string>> {
    const ops: Record<string, string[]> = {};
    await run((e) => {
        const m = e.resourcePreEvent?.metadata;
        if (m && m.op !== "same" && m.op !== "refresh" && !m.type.startsWith("pulumi:providers:")) {
            const name = m.urn.slice(m.urn.lastIndexOf("::") + 2);
            ops[name] = [...new Set([...(ops[name] ?? []), m.op])];
        }
    });
    return Object.fromEntries(Object.entries(ops).sort().map(([name, seen]) => [name, seen.sort().join(",")]));
}

/** `ip` is inside `range` (either family). */
export function inRange(ip: string, range: string): boolean {
    const family = ip.includes(":") ? 6 : 4;
    const cidr = core.parseCidr(range, family);
    const address = core.parseAddress(ip, family);
    return cidr.ok && address.ok && core.contains(cidr.value, address.value);
}

/** `node` (the host, not a container) answers a ping to `ip`. */
export function hostPing(node: string, ip: string): boolean {
    return labExec(node, ["busybox", "ping", "-c", "1", "-W", "2", ip]).status === 0;
}

/** The engine each node's preflight found, by preflight resource name, from the stack's state. */
export async function preflightEngines(stack: Stack): Promise<Record<string, string>> {
    const resources: { urn: string; outputs?: { engine?: string } }[] = (await stack.exportStack()).deployment.resources;
    return Object.fromEntries(resources.filter((r) => r.urn.endsWith("-preflight"))
        .map((r) => [r.urn.slice(r.urn.lastIndexOf("::") + 2), r.outputs?.engine ?? "(none)"]).sort());
}

/** What `node`'s docker says of its engine, as the preflight names it: `Docker 29.8.1-dev (API 1.56)`. */
export function engineOf(node: string): string {
    return onNode(node, "docker", "version", "-f", "Docker {{.Server.Version}} (API {{.Server.APIVersion}})");
}

/**
 * `docker network create --config-only ...` for `node` of `net` as the seeds type it by hand: the
 * library's argv without its labels, with `ipRange` in place of the planned one when given.
 */
export function handMade(net: core.NetworkPlan, node: core.NodePlan, ipRange = node.ipRange): string[] {
    const argv = core.configOnlyNetworkArgv({ ...core.configOnlyArgs(net, node), ipRange });
    return argv.filter((word, i) => word !== "--label" && argv[i - 1] !== "--label");
}
