// The second half of the lockout guard (core lockoutGuard): its confirm script, run over a NEW
// SSH connection, after the guarded change was applied and armed.
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { failureText } from "./core/dynamic";
import { SshTarget, runOnHost } from "./ssh";
import { DynamicResource, namedProvider } from "./providerCode";

/** What GuardConfirm confirms, where. */
export interface GuardConfirmArgs {
    /** How to reach the node; the key should be a secret. */
    readonly connection: command.types.input.remote.ConnectionArgs;
    /** The node's name, for messages. */
    readonly node: string;
    /** The guard's `confirm` script. */
    readonly script: string;
    /** The arming it confirms (from the apply step's output): a new arming runs the confirm again. */
    readonly armed: pulumi.Input<string>;
    /** Attempts to connect, 3 s apart at most: enough to outlast the rollback bound, so a host that was cut off is asked again once it rolled back. */
    readonly attempts: number;
}

/** Bounds the confirm script: it may wait for the rollback (the bound and 30 s) and then report. */
const CONFIRM_SECONDS = 300;

/** Runs the confirm on a connection of its own; throws with its report when the change was rolled back. */
async function confirm(inputs: Inputs): Promise<string> {
    const answer = await runOnHost(inputs.connection, inputs.script, inputs.node, CONFIRM_SECONDS, { fresh: true, attempts: inputs.attempts });
    if (answer.code !== 0) {
        throw new Error(`${inputs.node}: ${failureText(answer, inputs.node)}`);
    }
    return answer.stdout.trim();
}

/** The provider's inputs, resolved. */
interface Inputs {
    readonly connection: SshTarget;
    readonly node: string;
    readonly script: string;
    readonly armed: string;
    readonly attempts: number;
}

const provider = namedProvider("GuardConfirm", {
    async create(inputs: Inputs) {
        const report = await confirm(inputs);
        return { id: `${inputs.node}-confirm-${inputs.armed}`, outs: { ...inputs, report } };
    },
    async diff(_id: string, olds: Inputs, news: Inputs) {
        return { changes: olds.armed !== news.armed || olds.script !== news.script };
    },
    async update(_id: string, _olds: Inputs, news: Inputs) {
        return { outs: { ...news, report: await confirm(news) } };
    },
});

/**
 * Confirms one guarded change over a new SSH connection and disarms its rollback; fails, once
 * the host has rolled back by itself, naming the node and what did not come back.
 *
 * @example new GuardConfirm("node1-lan-takeover-confirm", { connection, node: "node1", script: guard.confirm, armed, attempts: 20 });
 */
export class GuardConfirm extends DynamicResource {
    /** What the confirm printed. */
    declare readonly report: pulumi.Output<string>;

    constructor(name: string, args: GuardConfirmArgs, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, { ...args, report: undefined }, opts);
    }
}
