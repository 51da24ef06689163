// The decisions of the components' dynamic providers (DriftCheck, NodeLabel, NodePreflight,
// GuardConfirm), as pure functions of what a host answered: the providers only run scripts
// (components/ssh.ts) and hand the answers here. Pulumi serializes the providers with what they
// call, so these stay small and reach nothing but their arguments.
import { parsePreflight } from "./commands/preflight";

/** How a script ended on a host (as components/ssh.ts runOnHost reports it). */
export interface HostAnswer {
    /** Its exit status (255 when the connection gave none). */
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * What a failed script said, in one text: its standard error, else its standard output, else
 * its exit status on `where`.
 *
 * @example failureText({ code: 1, stdout: "", stderr: "swarm-macvlan: no\n" }, "node1") // "swarm-macvlan: no"
 */
export function failureText(answer: HostAnswer, where: string): string {
    return (answer.stderr || answer.stdout).trim() || `exit status ${answer.code} on ${where}`;
}

/** The non-empty lines a check printed, one per difference from the plan. */
export function reportedLines(stdout: string): string[] {
    return stdout.split("\n").filter((l) => l !== "");
}

/** What a DriftCheck (or a NodeLabel) keeps between runs. */
export interface DriftState {
    /** Bumped by every refresh that finds a difference (a DriftCheck's command carries it in its update). */
    readonly driftEpoch?: number;
    /** What the last refresh found different; emptied by the update that repairs it. */
    readonly drift?: readonly string[];
}

/**
 * The state after a refresh ran the object's check on `node`: as it was when the check printed
 * nothing; else the differences kept and the epoch bumped. A check that failed throws, naming
 * the node: "cannot check" is never "in sync".
 */
export function afterCheck<T extends DriftState>(props: T, answer: HostAnswer, node: string): T {
    if (answer.code !== 0) {
        throw new Error(`cannot check ${node}: ${failureText(answer, node)}`);
    }
    const drift = reportedLines(answer.stdout);
    return drift.length === 0 ? { ...props, drift: [] } : { ...props, driftEpoch: (props.driftEpoch ?? 0) + 1, drift };
}

/**
 * Whether an object watched by a check must be updated: one of `keys` differs between the old
 * and new inputs (compared as JSON), or the last refresh found drift.
 */
export function needsUpdate(olds: Record<string, unknown> & DriftState, news: Record<string, unknown>, keys: readonly string[]): boolean {
    return keys.some((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k])) || (olds.drift ?? []).length > 0;
}

/** Stands for a node's swarm ID in scripts made before the node said it (a valid ID itself, so builders check the rest). */
export const NODE_ID_PLACEHOLDER = "0nodeid0placeholder0";

/**
 * The swarm node ID `node` printed (its swarmNodeIdScript's output), checked: 1-64 lowercase
 * letters and digits, as swarmkit makes them.
 */
export function readNodeId(answer: HostAnswer, node: string): string {
    if (answer.code !== 0) {
        throw new Error(failureText(answer, node));
    }
    const id = answer.stdout.trim();
    if (!/^[a-z0-9]{1,64}$/.test(id)) {
        throw new Error(`${node} printed ${JSON.stringify(id.slice(0, 80))} for its swarm node ID`);
    }
    return id;
}

/** `script` with the node's swarm ID where NODE_ID_PLACEHOLDER stands. */
export function withNodeId(script: string, nodeId: string): string {
    return script.split(NODE_ID_PLACEHOLDER).join(nodeId);
}

/**
 * What a node's preflight answered: its engine (e.g. `Docker 29.8.1-dev (API 1.56)`, or
 * `unknown`), or an error naming the node, its engine and every problem, saying that nothing
 * was changed on any node.
 */
export function preflightOutcome(node: string, answer: HostAnswer): string {
    const { engine, problems } = parsePreflight(answer.stdout);
    if (answer.code !== 0 || problems.length > 0) {
        const lines = answer.code !== 0 ? [`cannot run its preflight: ${failureText(answer, node)}`] : problems;
        throw new Error(`${node} is not ready for swarm-macvlan (${lines.length} problem${lines.length === 1 ? "" : "s"}; ` +
            `nothing was changed on any node${engine ? `; ${node} runs ${engine}` : ""}):\n${lines.map((l) => `  ${node} ${l}`).join("\n")}`);
    }
    return engine ?? "unknown";
}
