// `swarm-macvlan check`: compares every node with the plan over SSH, without Pulumi state.
import * as fs from "fs";
import { HostObject, NAMESPACE, Plan, hostObjects } from "../components/core";
import { isObject } from "../components/core/fields";
import { SshTarget, closeConnections, runOnHost } from "../components/ssh";
import { CliError, EXIT, Io, loadPlan } from "./io";

/** The formats `check` prints. */
export const CHECK_FORMATS = ["table", "json", "markdown"] as const;

/** What `swarm-macvlan check` is asked to do. */
export interface CheckOptions {
    /** The spec file or stack file; `-` for standard input. */
    readonly config: string;
    /** How to print the report. */
    readonly format: (typeof CHECK_FORMATS)[number];
    /** The SSH private key file. @default the stack file's `<namespace>:sshPrivateKeyPath`, else the ssh-agent */
    readonly identity?: string;
    /** How long each node may take, connecting included. @default 120 */
    readonly timeout: number;
    /** A stack file's config namespace. @default swarm-macvlan */
    readonly namespace?: string;
}

/** One difference between a host and the plan. */
export interface Drift {
    readonly node: string;
    readonly object: string;
    readonly difference: string;
}

export interface CheckReport {
    readonly inSync: boolean;
    readonly drift: readonly Drift[];
    /** Nodes that could not be checked, with why. */
    readonly unreachable: readonly { readonly node: string; readonly error: string }[];
}

/** The key named by --identity or by the stack file; undefined leaves it to the ssh-agent. */
function privateKey(options: CheckOptions, doc: unknown): string | undefined {
    const config = isObject(doc) && isObject(doc.config) ? doc.config : {};
    const key = config[`${options.namespace ?? NAMESPACE}:sshPrivateKeyPath`];
    const file = options.identity ?? (typeof key === "string" ? key : undefined);
    if (file === undefined) {
        if (process.env.SSH_AUTH_SOCK === undefined) {
            throw new CliError("swarm-macvlan: no SSH key: pass --identity KEYFILE (a stack's encrypted sshPrivateKey cannot be read here) or run an ssh-agent", EXIT.usage);
        }
        return undefined;
    }
    try {
        return fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new CliError(`swarm-macvlan: cannot read the SSH key ${file}: ${(e as Error).message}`, EXIT.usage);
    }
}

/** Runs every check of one node on one connection, within `seconds`. */
async function checkNode(target: SshTarget, node: string, objects: readonly HostObject[], seconds: number): Promise<Drift[]> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${node} did not answer within ${seconds} s`)), seconds * 1000);
    });
    try {
        const results = await Promise.race([Promise.all(objects.map((o) => runOnHost(target, o.commands.check, node, seconds))), deadline]);
        return results.flatMap((r) => {
            if (r.code !== 0) {
                throw new Error(`a check failed on ${node}: ${(r.stderr || r.stdout).trim()}`);
            }
            return r.stdout.split("\n").filter((l) => l !== "").map((l) => {
                const at = l.indexOf(": ");
                return { node, object: l.slice(0, at), difference: l.slice(at + 2) };
            });
        });
    } finally {
        clearTimeout(timer);
    }
}

/** Checks every node of the plan in parallel. */
export async function checkPlan(plan: Plan, key: string | undefined, seconds: number): Promise<CheckReport> {
    const objects = hostObjects(plan);
    const results = await Promise.allSettled(plan.nodes.map((n) =>
        checkNode({ host: n.host, port: n.port, user: n.user, privateKey: key }, n.name, objects.filter((o) => o.node === n.name), seconds)));
    const drift = results.flatMap((r) => (r.status === "fulfilled" ? r.value : []));
    const unreachable = results.flatMap((r, i) => (r.status === "rejected" ? [{ node: plan.nodes[i].name, error: (r.reason as Error).message }] : []));
    return { inSync: drift.length === 0 && unreachable.length === 0, drift, unreachable };
}

export function renderReport(report: CheckReport, format: CheckOptions["format"]): string {
    if (format === "json") {
        return JSON.stringify(report, null, 2) + "\n";
    }
    const rows = report.drift.map((d) => [d.node, d.object, d.difference]);
    const summary = report.inSync ? "every node matches the plan"
        : `${report.drift.length} difference${report.drift.length === 1 ? "" : "s"}` +
          (report.unreachable.length > 0 ? `; ${report.unreachable.length} node${report.unreachable.length === 1 ? "" : "s"} not checked` : "");
    const unreachable = report.unreachable.map((u) => `not checked: ${u.error}`);
    if (format === "markdown") {
        const table = rows.length === 0 ? [] : ["| node | object | difference |", "|---|---|---|", ...rows.map((r) => `| \`${r[0]}\` | ${r[1]} | ${r[2]} |`)];
        return [`**swarm-macvlan check**: ${summary}`, "", ...table, ...unreachable.map((u) => `- ${u}`), ""].join("\n");
    }
    const all = [["node", "object", "difference"], ...rows];
    const width = (c: number) => Math.max(...all.map((r) => r[c].length));
    const table = rows.length === 0 ? [] : all.map((r) => r.map((cell, c) => (c === 2 ? cell : cell.padEnd(width(c)))).join("  "));
    return [...table, ...unreachable, summary, ""].join("\n");
}

/** Runs the command; exit 0 in sync, 2 on drift, 1 when a node could not be checked. */
export async function check(options: CheckOptions, io: Io): Promise<number> {
    const { doc, plan } = loadPlan(options.config, io, options.namespace);
    const key = privateKey(options, doc);
    try {
        const report = await checkPlan(plan, key, options.timeout);
        io.out(renderReport(report, options.format));
        return report.unreachable.length > 0 ? EXIT.unreachable : report.drift.length > 0 ? EXIT.invalid : EXIT.ok;
    } finally {
        closeConnections();
    }
}
