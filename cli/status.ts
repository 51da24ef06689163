// `swarm-macvlan status`: the swarm-wide address inventory (core/status.ts), asked of every node.
import { STATUS_FORMATS, StatusReport, parseStatus, parseSubnetUse, renderStatus, statusReport, statusScript } from "../components/core";
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
    const script = statusScript(plan);
    const key = privateKey(options.identity, options.namespace, doc);
    const { results, unreachable } = await onEveryNode(pinKnownHosts(plan, knownHostsText(options.knownHosts), io), key, options.timeout, () => [script]);
    const answers = [...results].map(([node, [r]]) => [node, r.stdout] as const);
    const report: StatusReport = statusReport(plan, answers.flatMap(([node, out]) => parseStatus(node, out)), unreachable,
        answers.flatMap(([node, out]) => parseSubnetUse(node, out)));
    io.out(renderStatus(report, options.format));
    return unreachable.length > 0 ? EXIT.unreachable : report.problems.length > 0 ? EXIT.invalid : EXIT.ok;
}
