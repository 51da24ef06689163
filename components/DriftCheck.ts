// Seeing drift the Pulumi way, while remote.Command (which cannot Read) does the host work.
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { DriftState, afterCheck, needsUpdate } from "./core/dynamic";
import { SshTarget, runOnHost } from "./ssh";

/** What DriftCheck watches, where. */
export interface DriftCheckArgs {
    /** How to reach the host; the key should be a secret (it stays one in the state). */
    readonly connection: command.types.input.remote.ConnectionArgs;
    /** The node's name, for messages. */
    readonly node: string;
    /** The object's check script (the core builders' `check`): prints one line per difference. */
    readonly check: string;
}

/** The provider's inputs, resolved. */
interface Inputs {
    readonly connection: SshTarget;
    readonly node: string;
    readonly check: string;
}

/** How long one check may run on a host. */
const CHECK_SECONDS = 120;

/**
 * The dynamic provider. `create` touches no host. `read` (pulumi refresh, or preview/up with
 * --refresh) runs the check: when it reports differences it keeps them in `drift` and bumps
 * `driftEpoch`, which the object's command carries in its `update` script, so the next `up`
 * re-runs the idempotent create in place (nothing that depends on the object is replaced).
 * `diff` asks for an update while `drift` is not empty, and `update` empties it: once repaired,
 * a further refresh and preview show no change.
 */
const provider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: Inputs) {
        return { id: `${inputs.node}-${Date.now().toString(36)}`, outs: { ...inputs, driftEpoch: 0, drift: [] } };
    },
    async diff(_id: string, olds: Inputs & DriftState, news: Inputs) {
        return { changes: needsUpdate({ ...olds }, { ...news }, ["check", "node", "connection"]) };
    },
    async update(_id: string, olds: Inputs & DriftState, news: Inputs) {
        return { outs: { ...news, driftEpoch: olds.driftEpoch ?? 0, drift: [] } };
    },
    async read(id: string, props: Inputs & DriftState) {
        return { id, props: afterCheck(props, await runOnHost(props.connection, props.check, props.node, CHECK_SECONDS), props.node) };
    },
};

/**
 * Watches one object on one host for drift (see `provider`). Components make one beside each
 * command; its `driftEpoch` goes into the command's `update`.
 *
 * @example
 * const drift = new DriftCheck("node1-vlan40-config-drift", { connection, node: "node1", check: commands.check });
 */
export class DriftCheck extends pulumi.dynamic.Resource {
    /** Bumped by every refresh that finds the object differing from the plan. */
    declare readonly driftEpoch: pulumi.Output<number>;
    /** What the last refresh found different (emptied by the update that repairs it). */
    declare readonly drift: pulumi.Output<string[]>;

    constructor(name: string, args: DriftCheckArgs, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, { ...args, driftEpoch: undefined, drift: undefined }, opts);
    }
}
