// Seeing drift the Pulumi way, while remote.Command (which cannot Read) does the host work.
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { DriftState, HostAnswer, KeyedDriftState, afterCheck, keyedCheckInputs, keyedCheckScript, keyedOutputs, keyedReadResult, needsUpdate } from "./core/dynamic";
import { SshTarget, runOnHost } from "./ssh";
import { DynamicResource, namedProvider } from "./providerCode";

/** What DriftCheck watches, where: one object (the form a component used alone makes). */
export interface DriftCheckArgs {
    /** How to reach the host; the key should be a secret (it stays one in the state). */
    readonly connection: command.types.input.remote.ConnectionArgs;
    /** The node's name, for messages. */
    readonly node: string;
    /** The object's check script (the core builders' `check`): prints one line per difference. */
    readonly check: string;
}

/**
 * What a keyed DriftCheck watches, where: several objects of one host (MacvlanSwarmNetwork makes
 * one per node and network), each by a key, all checked over one SSH command.
 */
export interface KeyedDriftCheckArgs {
    /** How to reach the host; the key should be a secret (it stays one in the state). */
    readonly connection: command.types.input.remote.ConnectionArgs;
    /** The node's name, for messages. */
    readonly node: string;
    /**
     * Each object's check script (the core builders' `check`) by its key, e.g. `vlan`, `config`,
     * `shim`: 1-32 lowercase letters, digits and dashes, starting with a letter.
     */
    readonly checks: Readonly<Record<string, string>>;
}

/** What a DriftCheck of either form finds: a list of differences, or (keyed) such a list for each key that differs. */
export type DriftFindings<A extends DriftCheckArgs | KeyedDriftCheckArgs> = A extends KeyedDriftCheckArgs ? Record<string, string[]> : string[];

/** The provider's inputs, resolved: either form. */
interface SingleInputs {
    readonly connection: SshTarget;
    readonly node: string;
    readonly check: string;
}
interface KeyedInputs {
    readonly connection: SshTarget;
    readonly node: string;
    readonly checks: Readonly<Record<string, string>>;
}
type Inputs = SingleInputs | KeyedInputs;

/** How long one check (of either form) may run on a host. */
const CHECK_SECONDS = 120;

/** How a DriftCheck's provider runs a check on its host (runOnHost; a test may run it locally). */
export type CheckRunner = (connection: SshTarget, script: string, node: string, timeoutSeconds: number) => Promise<HostAnswer>;

/**
 * The dynamic provider, running its checks with `run`. `create` touches no host. `read` (pulumi
 * refresh, or preview/up with --refresh) runs the check: when it reports differences it keeps
 * them in `drift` and bumps `driftEpoch`, which the object's command carries in its `update`
 * script, so the next `up` re-runs the idempotent create in place (nothing that depends on the
 * object is replaced). `diff` asks for an update while `drift` is not empty, and `update`
 * empties it: once repaired, a further refresh and preview show no change.
 *
 * The keyed form runs every key's check in one SSH command (core keyedCheckScript) and keeps
 * `drift` and `driftEpochs` per key: only the objects that differ are repaired. Its epochs are
 * inputs too: `check` copies them from the stored inputs (core keyedCheckInputs), and `read`
 * returns the bumped ones as the inputs as well (core keyedReadResult), so that a preview, which
 * takes a dynamic resource's inputs for the outputs of its update, knows them and shows only the
 * commands of the objects that drifted. (The one-object form needs none of this: its one command
 * is the one that drifted.)
 */
export function driftCheckProvider(run: CheckRunner): pulumi.dynamic.ResourceProvider & { readonly run: CheckRunner } {
    return {
        // A property, not a captured variable: Pulumi serializes the provider with its properties, while
        // a factory's parameter captured by the methods can be left out (seen under mocha: "run is not defined").
        run,
        async check(olds: Partial<KeyedInputs & KeyedDriftState>, news: Inputs) {
            return { inputs: keyedCheckInputs(olds, news) };
        },
        async create(inputs: Inputs | (KeyedInputs & KeyedDriftState)) {
            const id = `${inputs.node}-${Date.now().toString(36)}`;
            return "checks" in inputs
                ? { id, outs: keyedOutputs(inputs) }
                : { id, outs: { ...inputs, driftEpoch: 0, drift: [] } };
        },
        async diff(_id: string, olds: Inputs & (DriftState | KeyedDriftState), news: Inputs) {
            // The keyed form's epochs are not compared: check copies them from the stored inputs, equal to these outputs'.
            return { changes: needsUpdate({ ...olds }, { ...news }, ["check", "checks", "node", "connection"]) };
        },
        async update(_id: string, olds: (SingleInputs & DriftState) | (KeyedInputs & KeyedDriftState), news: Inputs | (KeyedInputs & KeyedDriftState)) {
            return "checks" in news
                ? { outs: keyedOutputs(news, "checks" in olds ? olds.driftEpochs : undefined) }
                : { outs: { ...news, driftEpoch: "checks" in olds ? 0 : olds.driftEpoch ?? 0, drift: [] } };
        },
        async read(id: string, props: (SingleInputs & DriftState) | (KeyedInputs & KeyedDriftState)) {
            if ("checks" in props) {
                return keyedReadResult(id, props, await this.run(props.connection, keyedCheckScript(props.checks), props.node, CHECK_SECONDS), props.node);
            }
            return { id, props: afterCheck(props, await this.run(props.connection, props.check, props.node, CHECK_SECONDS), props.node) };
        },
    };
}

/** DriftCheck's provider: its checks run over SSH. */
const provider = namedProvider("DriftCheck", driftCheckProvider((connection, script, node, seconds) => runOnHost(connection, script, node, seconds)));

/**
 * Watches objects on one host for drift (see `provider`). Used alone, a component makes one
 * beside its command (`<component>-drift`, `check`: one object), whose `driftEpoch` goes into the
 * command's `update`. MacvlanSwarmNetwork makes one per node and network
 * (`<name>-<network>-<node>-drift`, `checks`: every object of that network on that node), whose
 * `driftEpochs[key]` goes into the update of the object's command.
 *
 * @example
 * const drift = new DriftCheck("node1-vlan40-config-drift", { connection, node: "node1", check: commands.check });
 * const shared = new DriftCheck("prod-vlan40-node1-drift", { connection, node: "node1", checks: { vlan: vlan.check, config: config.check } });
 */
export class DriftCheck<A extends DriftCheckArgs | KeyedDriftCheckArgs = DriftCheckArgs> extends DynamicResource {
    /** The one-object form: bumped by every refresh that finds the object differing from the plan (the keyed form: undefined). */
    declare readonly driftEpoch: pulumi.Output<A extends KeyedDriftCheckArgs ? undefined : number>;
    /**
     * The keyed form: per key, bumped by every refresh that finds that object differing from the
     * plan, and kept in the resource's inputs as well, so that a preview knows it (the one-object form: undefined).
     */
    declare readonly driftEpochs: pulumi.Output<A extends KeyedDriftCheckArgs ? Record<string, number> : undefined>;
    /**
     * What the last refresh found different (emptied by the update that repairs it): a list, or
     * in the keyed form a list per key that differs (`{}` when none does).
     */
    declare readonly drift: pulumi.Output<DriftFindings<A>>;
    /** The keyed form's check scripts by key, as given (the one-object form: undefined). */
    readonly watched: Readonly<Record<string, string>> | undefined;

    constructor(name: string, args: A, opts?: pulumi.CustomResourceOptions) {
        const keyed = "checks" in args;
        if (keyed) {
            // A bad key fails here, at the program, rather than at the first refresh.
            keyedCheckScript(args.checks);
        }
        super(provider, name, { ...args, driftEpoch: undefined, driftEpochs: undefined, drift: undefined }, opts);
        this.watched = keyed ? { ...args.checks } : undefined;
    }
}
