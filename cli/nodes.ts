// What the commands that talk to nodes share: the SSH key to use, and running scripts on every
// node of a plan in parallel, each node bounded in time, one connection per node.
import * as fs from "fs";
import { MISSING_HOST_KEY_FIX, NAMESPACE, Plan } from "../components/core";
import { isObject } from "../components/core/fields";
import { ScriptResult, closeConnections, runOnHost } from "../components/ssh";
import { CliError, EXIT, Io } from "./io";
import { knownHostKeys } from "./knownHosts";

/**
 * The key named by --identity, else by the stack file's `<namespace>:sshPrivateKeyPath`;
 * undefined leaves it to the ssh-agent.
 */
export function privateKey(identity: string | undefined, namespace: string | undefined, doc: unknown): string | undefined {
    const config = isObject(doc) && isObject(doc.config) ? doc.config : {};
    const key = config[`${namespace ?? NAMESPACE}:sshPrivateKeyPath`];
    const file = identity ?? (typeof key === "string" ? key : undefined);
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

/**
 * The plan with a host key for each node whose spec has none, from `knownHosts` (a known_hosts
 * file's text), the best type found; a warning on `io` for each node left without any.
 */
export function pinKnownHosts(plan: Plan, knownHosts: string, io: Io): Plan {
    const nodes = plan.nodes.map((n) => {
        const known = n.hostKey ?? knownHostKeys(knownHosts, n.host, n.port)[0];
        if (known === undefined) {
            io.err(`warning: node ${n.name} has no hostKey and no known_hosts entry: any machine that answers at ${n.host}:${n.port} is taken for it; ${MISSING_HOST_KEY_FIX}\n`);
        }
        return known === undefined ? n : { ...n, hostKey: known };
    });
    return { ...plan, nodes };
}

/** What the nodes answered: each node's results in the order of its scripts, and who did not. */
export interface Answers {
    readonly results: ReadonlyMap<string, readonly ScriptResult[]>;
    readonly unreachable: readonly { readonly node: string; readonly error: string }[];
}

/**
 * Runs `scriptsOf(node)` on every node of the plan in parallel (each node's on one connection),
 * each node within `seconds`, connecting included; a script that exits non-zero counts as the
 * node not answering. Closes the connections when done.
 */
export async function onEveryNode(plan: Plan, key: string | undefined, seconds: number, scriptsOf: (node: string) => readonly string[]): Promise<Answers> {
    const ask = async (node: Plan["nodes"][number]): Promise<ScriptResult[]> => {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`${node.name} did not answer within ${seconds} s`)), seconds * 1000);
        });
        const target = { host: node.host, port: node.port, user: node.user, privateKey: key, ...(node.hostKey !== undefined && { hostKey: node.hostKey }) };
        try {
            const results = await Promise.race([Promise.all(scriptsOf(node.name).map((s) => runOnHost(target, s, node.name, seconds))), deadline]);
            const failed = results.find((r) => r.code !== 0);
            if (failed !== undefined) {
                throw new Error(`a script failed on ${node.name}: ${(failed.stderr || failed.stdout).trim()}`);
            }
            return results;
        } finally {
            clearTimeout(timer);
        }
    };
    try {
        const settled = await Promise.allSettled(plan.nodes.map(ask));
        return {
            results: new Map(settled.flatMap((r, i) => (r.status === "fulfilled" ? [[plan.nodes[i].name, r.value] as const] : []))),
            unreachable: settled.flatMap((r, i) => (r.status === "rejected" ? [{ node: plan.nodes[i].name, error: (r.reason as Error).message }] : [])),
        };
    } finally {
        closeConnections();
    }
}
