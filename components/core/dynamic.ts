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
 * What a keyed DriftCheck (one per node and network, watching several objects) keeps between
 * runs, by object key (e.g. `vlan`, `config`, `shim`).
 */
export interface KeyedDriftState {
    /** Per key, bumped by every refresh that finds that object different (its command carries it in its update). */
    readonly driftEpochs?: Readonly<Record<string, number>>;
    /** What the last refresh found different, for the keys that differ only; emptied by the update that repairs it. */
    readonly drift?: Readonly<Record<string, readonly string[]>>;
}

/** Whether a DriftCheck's last refresh found anything (either form's `drift`). */
export function driftFound(drift: readonly string[] | Readonly<Record<string, readonly string[]>> | undefined): boolean {
    if (drift === undefined) {
        return false;
    }
    return isStringList(drift) ? drift.length > 0 : Object.values(drift).some((lines) => lines.length > 0);
}

function isStringList(value: readonly string[] | Readonly<Record<string, readonly string[]>>): value is readonly string[] {
    return Array.isArray(value);
}

/**
 * Whether an object watched by a check must be updated: one of `keys` differs between the old
 * and new inputs (compared as JSON), or the last refresh found drift (in either form).
 */
export function needsUpdate(
    olds: Record<string, unknown> & (DriftState | KeyedDriftState), news: Record<string, unknown>, keys: readonly string[],
): boolean {
    return keys.some((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k])) || driftFound(olds.drift);
}

/** Whether `key` may key a keyed check: it names an object and appears in the check's section lines. */
function isCheckKey(key: string): boolean {
    return /^[a-z][a-z0-9-]{0,31}$/.test(key);
}
/** The line that opens a key's section of a keyed check's output (on standard output and standard error). */
const SECTION = "--- swarm-macvlan check";

/**
 * One script that runs every check of `checks` (object key -> that object's check script), each
 * in a subshell of its own (its `exit` and `set -eu` stay there), in the keys' order. Each key's
 * output is framed by a line `--- swarm-macvlan check <key> ---` on standard output and standard
 * error and, after it, `--- swarm-macvlan check <key> exit <status> ---` on standard output
 * (parsed by sectionedAnswers). Throws on a key that is not 1-32 lowercase letters, digits and
 * dashes starting with a letter.
 *
 * @example keyedCheckScript({ vlan: "echo 'interface eth1.40: missing'\n" })
 */
export function keyedCheckScript(checks: Readonly<Record<string, string>>): string {
    const keys = Object.keys(checks);
    const bad = keys.filter((k) => !isCheckKey(k));
    if (bad.length > 0 || keys.length === 0) {
        throw new Error(`a keyed drift check needs keys of 1-32 lowercase letters, digits and dashes, starting with a letter; got ${JSON.stringify(keys)}`);
    }
    return keys.map((k) => [
        `printf '\\n%s\\n' '${SECTION} ${k} ---'; printf '\\n%s\\n' '${SECTION} ${k} ---' >&2`,
        "(",
        checks[k].replace(/\n$/, ""),
        ")",
        `printf '\\n%s\\n' "${SECTION} ${k} exit $? ---"`,
    ].join("\n")).join("\n") + "\n";
}

/**
 * The answer of each key's check in the output of keyedCheckScript(`keys`...): its lines of
 * standard output and standard error, and its exit status. A key whose section did not end (the
 * script was cut short) gets the script's exit status, or 255 when that was 0; its standard
 * error is its section's, else everything the script printed there.
 */
export function sectionedAnswers(answer: HostAnswer, keys: readonly string[]): Record<string, HostAnswer> {
    const sections = (text: string) => {
        const lines: Record<string, string[]> = {};
        const codes: Record<string, number> = {};
        let current: string | undefined;
        for (const line of text.split("\n")) {
            const begin = line.startsWith(`${SECTION} `) && line.endsWith(" ---") ? line.slice(SECTION.length + 1, -4) : undefined;
            const end = begin === undefined ? undefined : /^(\S+) exit ([0-9]+)$/.exec(begin);
            if (end) {
                codes[end[1]] = Number(end[2]);
                current = undefined;
            } else if (begin !== undefined && isCheckKey(begin)) {
                current = begin;
                lines[current] = [];
            } else if (current !== undefined) {
                lines[current].push(line);
            }
        }
        return { lines, codes };
    };
    const out = sections(answer.stdout);
    const err = sections(answer.stderr);
    return Object.fromEntries(keys.map((k) => {
        const code = out.codes[k] ?? (answer.code !== 0 ? answer.code : 255);
        const stderr = err.lines[k] !== undefined || out.codes[k] !== undefined ? (err.lines[k] ?? []).join("\n") : answer.stderr;
        return [k, { code, stdout: (out.lines[k] ?? []).join("\n"), stderr }];
    }));
}

/**
 * The state after a refresh ran a keyed check (keyedCheckScript(props.checks)) on `node`: `drift`
 * holds the differences of the keys that found any (`{}` when all are in sync), and only those
 * keys' epochs are bumped (a key without one starts at 0). A check that failed throws, naming the
 * node and every key that could not be checked: "cannot check" is never "in sync".
 */
export function afterKeyedCheck<T extends KeyedDriftState & { readonly checks: Readonly<Record<string, string>> }>(props: T, answer: HostAnswer, node: string): T {
    const keys = Object.keys(props.checks);
    const answers = sectionedAnswers(answer, keys);
    const failed = keys.filter((k) => answers[k].code !== 0);
    if (failed.length > 0) {
        throw new Error(`cannot check ${node}: ${failed.map((k) => `${k}: ${failureText(answers[k], node)}`).join("; ")}`);
    }
    const drift = Object.fromEntries(keys.map((k) => [k, reportedLines(answers[k].stdout)] as const).filter(([, lines]) => lines.length > 0));
    const driftEpochs = Object.fromEntries(keys.map((k) => [k, (props.driftEpochs?.[k] ?? 0) + (drift[k] === undefined ? 0 : 1)]));
    return { ...props, drift, driftEpochs };
}

/**
 * A keyed check's epochs after it was created or updated to watch `checks`: each key's epoch as
 * it was (0 for a new key); keys no longer watched are dropped. Epochs never go down while a key
 * is watched, so no command re-runs for nothing.
 */
export function keptEpochs(olds: Readonly<Record<string, number>> | undefined, checks: Readonly<Record<string, string>>): Record<string, number> {
    return Object.fromEntries(Object.keys(checks).map((k) => [k, olds?.[k] ?? 0]));
}

/**
 * The inputs a keyed DriftCheck keeps (its provider's `check`): the program's `news` with each
 * watched key's epoch from the stored inputs `olds` (0 for a new key, dropped for a key no longer
 * watched: keptEpochs). The epochs are inputs so that a preview knows them while the check itself
 * is updated (a dynamic provider previews an update's outputs as its inputs): only the commands
 * whose epoch moved show as updates. `news` whose `checks` is not known yet (not a plain object)
 * are kept as they are.
 *
 * @example keyedCheckInputs({ driftEpochs: { shim: 2 } }, { node: "node1", checks: { shim: "s", vlan: "v" } })
 * // { node: "node1", checks: { shim: "s", vlan: "v" }, driftEpochs: { shim: 2, vlan: 0 } }
 */
export function keyedCheckInputs<T extends object>(
    olds: { readonly driftEpochs?: Readonly<Record<string, number>>; readonly [input: string]: unknown }, news: T,
): T & { driftEpochs?: Record<string, number> } {
    const checks = (news as { readonly checks?: unknown }).checks;
    if (typeof checks !== "object" || checks === null || Array.isArray(checks)) {
        return news;
    }
    return { ...news, driftEpochs: keptEpochs(olds.driftEpochs, checks as Record<string, string>) };
}

/**
 * What a keyed DriftCheck's `read` (refresh) returns after the host answered the check: the
 * state (afterKeyedCheck: the drift per key, the epochs of the keys that differ bumped), and the
 * same without `drift` as the resource's inputs, so that the next `check` (keyedCheckInputs)
 * carries the bumped epochs into the preview and the update. Throws as afterKeyedCheck does.
 */
export function keyedReadResult<T extends KeyedDriftState & { readonly checks: Readonly<Record<string, string>> }>(
    id: string, props: T, answer: HostAnswer, node: string,
): { id: string; props: T; inputs: Omit<T, "drift"> } {
    const after = afterKeyedCheck(props, answer, node);
    const { drift: _drift, ...inputs } = after;
    return { id, props: after, inputs };
}

/**
 * A keyed DriftCheck's state after create or update with `inputs` (keyedCheckInputs' result):
 * the inputs and no drift; each watched key's epoch is the greater of the inputs' and the
 * `previous` state's (0 when neither has one). The two are equal when the engine keeps the
 * inputs `read` returned (keyedReadResult); should it not, epochs still never go down and a
 * refresh's bump still re-runs its object on `up` (only its preview would not show it).
 */
export function keyedOutputs<T extends KeyedDriftState & { readonly checks: Readonly<Record<string, string>> }>(
    inputs: T, previous?: Readonly<Record<string, number>>,
): Omit<T, "driftEpochs" | "drift"> & { driftEpochs: Record<string, number>; drift: Record<string, readonly string[]> } {
    const given = keptEpochs(inputs.driftEpochs, inputs.checks);
    const kept = keptEpochs(previous, inputs.checks);
    return { ...inputs, driftEpochs: Object.fromEntries(Object.keys(inputs.checks).map((k) => [k, Math.max(given[k], kept[k])])), drift: {} };
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
