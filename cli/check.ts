// `swarm-macvlan check`: compares every node with the plan over SSH, without Pulumi state.
import { Plan, hostObjects, managerFactsScript, nodeFactsScript, parseManagerFacts, parseNodeFacts, placementFindings } from "../components/core";
import { EXIT, Io, loadPlan } from "./io";
import { knownHostsText } from "./knownHosts";
import { Answers, onEveryNode, pinKnownHosts, privateKey } from "./nodes";

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
    /** The known_hosts file for nodes without a hostKey. @default ~/.ssh/known_hosts, if it exists */
    readonly knownHosts?: string;
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
    /**
     * Placement findings that are advice, not drift (a service without the placement
     * constraint, a node with the network but not yet the label): printed, exit code unchanged.
     */
    readonly warnings: readonly string[];
}

/**
 * What `check` runs on `node`: the check scripts of its objects, then (placement, issue 19) the
 * node's facts (its swarm ID and config-only networks) and, on the manager, the manager's (labels
 * and services).
 */
export function checkScripts(plan: Plan, node: string): string[] {
    const checks = hostObjects(plan).filter((o) => o.node === node).map((o) => o.commands.check);
    return [...checks, nodeFactsScript(plan), ...(node === plan.networks[0]?.manager ? [managerFactsScript(plan)] : [])];
}

/**
 * The report from the answers to checkScripts: each line a check printed is a difference of its
 * object; placementFindings' problems are differences of object `placement`, on the manager
 * (where labels and services are read), and its warnings are the report's warnings.
 */
export function checkReport(plan: Plan, answers: Answers): CheckReport {
    const manager = plan.networks[0]?.manager;
    const checks = (node: string) => hostObjects(plan).filter((o) => o.node === node).length;
    const warnings: string[] = [];
    const drift: Drift[] = [...answers.results].flatMap(([node, results]) => results.slice(0, checks(node)).flatMap((r) => r.stdout.split("\n").filter((l) => l !== "").map((l) => {
        const at = l.indexOf(": ");
        return { node, object: l.slice(0, at), difference: l.slice(at + 2) };
    })));
    const managerAnswer = manager === undefined ? undefined : answers.results.get(manager)?.[checks(manager) + 1];
    if (manager !== undefined && managerAnswer !== undefined) {
        const facts = [...answers.results].map(([node, results]) => parseNodeFacts(node, results[checks(node)].stdout));
        const found = placementFindings(plan, [], facts, parseManagerFacts(managerAnswer.stdout));
        drift.push(...found.problems.map((difference) => ({ node: manager, object: "placement", difference })));
        warnings.push(...found.warnings);
    }
    return { inSync: drift.length === 0 && answers.unreachable.length === 0, drift, unreachable: answers.unreachable, warnings };
}

/** Checks every node of the plan in parallel (checkScripts, checkReport). */
export async function checkPlan(plan: Plan, key: string | undefined, seconds: number): Promise<CheckReport> {
    return checkReport(plan, await onEveryNode(plan, key, seconds, (node) => checkScripts(plan, node)));
}

export function renderReport(report: CheckReport, format: CheckOptions["format"]): string {
    if (format === "json") {
        return JSON.stringify(report, null, 2) + "\n";
    }
    const rows = report.drift.map((d) => [d.node, d.object, d.difference]);
    const summary = report.inSync ? "every node matches the plan"
        : `${report.drift.length} difference${report.drift.length === 1 ? "" : "s"}` +
          (report.unreachable.length > 0 ? `; ${report.unreachable.length} node${report.unreachable.length === 1 ? "" : "s"} not checked` : "");
    const unreachable = [...report.warnings.map((w) => `warning: ${w}`), ...report.unreachable.map((u) => `not checked: ${u.error}`)];
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
    const key = privateKey(options.identity, options.namespace, doc);
    const report = await checkPlan(pinKnownHosts(plan, knownHostsText(options.knownHosts), io), key, options.timeout);
    io.out(renderReport(report, options.format));
    return report.unreachable.length > 0 ? EXIT.unreachable : report.drift.length > 0 ? EXIT.invalid : EXIT.ok;
}
