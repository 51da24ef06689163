// `swarm-macvlan status`: the swarm-wide address inventory (core/status.ts), asked of every node.
import {
    STATUS_FORMATS, StatusReport, managerFactsScript, nodeFactsScript, parseManagerFacts, parseNodeFacts, parseStatus, parseSubnetUse, renderStatus, statusReport, statusScript,
} from "../components/core";
import { EXIT, Io, loadPlan } from "./io";
import { knownHostsText } from "./knownHosts";
import { onEveryNode, pinKnownHosts, privateKey } from "./nodes";

export interface StatusOptions {
    readonly config: string;
    readonly format: (typeof STATUS_FORMATS)[number];
    readonly identity?: string;
    readonly timeout: number;
    readonly namespace?: string;
    /** The known_hosts file for nodes without a hostKey. @default ~/.ssh/known_hosts, if it exists */
    readonly knownHosts?: string;
}

/** Runs the command; exit 0 fine (warnings included), 2 on a problem, 1 when a node could not be asked. */
export async function status(options: StatusOptions, io: Io): Promise<number> {
    const { doc, plan } = loadPlan(options.config, io, options.namespace);
    const scripts = [statusScript(plan), nodeFactsScript(plan)];
    // Labels and services are swarm state: the manager of the first network answers for them.
    const manager = plan.networks[0]?.manager;
    const key = privateKey(options.identity, options.namespace, doc);
    const { results, unreachable } = await onEveryNode(pinKnownHosts(plan, knownHostsText(options.knownHosts), io), key, options.timeout,
        (node) => (node === manager ? [...scripts, managerFactsScript(plan)] : scripts));
    const answers = [...results].map(([node, [r]]) => [node, r.stdout] as const);
    const managerAnswer = manager === undefined ? undefined : results.get(manager)?.[2];
    const report: StatusReport = statusReport(plan, answers.flatMap(([node, out]) => parseStatus(node, out)), unreachable,
        answers.flatMap(([node, out]) => parseSubnetUse(node, out)), {
            nodes: [...results].map(([node, r]) => parseNodeFacts(node, r[1].stdout)),
            ...(managerAnswer && { manager: parseManagerFacts(managerAnswer.stdout) }),
        });
    io.out(renderStatus(report, options.format));
    return unreachable.length > 0 ? EXIT.unreachable : report.problems.length > 0 ? EXIT.invalid : EXIT.ok;
}
