// The namespace lab (scripts/lab) from tests: bring it up or down, read what it exposes, and
// run commands inside a node. Every call is bounded in time.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { repoRoot } from "./pulumiEnv";

export interface LabNode {
    readonly name: string;
    readonly host: string;
    readonly role: string;
    /** Namespace lab: the node's network namespace. */
    readonly namespace?: string;
    /** Namespace lab: the node's dockerd socket on this machine. */
    readonly dockerSocket?: string;
    /** VM lab: the VM's serial console log. */
    readonly console?: string;
}

export interface Lab {
    readonly nodes: readonly LabNode[];
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
 * with `vm` that many QEMU virtual machines on an 802.1Q trunk.
 */
export function labUp(nodes = 3, vm = false): Lab {
    // For a developer re-running one suite: SMV_REUSE_LAB=1 keeps a lab of that kind already up.
    const file = path.join(repoRoot, ".lab", "lab.json");
    if (process.env.SMV_REUSE_LAB === "1" && fs.existsSync(file)) {
        const lab = JSON.parse(fs.readFileSync(file, "utf8"));
        if (lab.kind === (vm ? "vm" : "netns") && lab.nodes.length === nodes) {
            return lab;
        }
    }
    runLab(["up", vm ? "--vm" : "--nodes", String(nodes)], (vm ? 45 : 25) * 60_000);
    return JSON.parse(fs.readFileSync(path.join(repoRoot, ".lab", "lab.json"), "utf8"));
}

export function labDown(): void {
    runLab(["down"], 5 * 60_000);
}

/**
 * A suite's teardown: destroys `stack` (logging, never throwing: the lab goes anyway), removes it
 * and its config file, then takes the lab down unless SMV_KEEP_LAB=1.
 */
export async function tearDown(stack: Stack | undefined, stackFile: string, log: (text: string) => void): Promise<void> {
    if (stack !== undefined) {
        await stack.destroy({ onOutput: log }).catch((e) => log(`destroy after tests failed: ${e}\n`));
        await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
    }
    fs.rmSync(stackFile, { force: true });
    if (process.env.SMV_KEEP_LAB !== "1") {
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
