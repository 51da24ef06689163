// What a node must offer before anything on it changes (core preflightScript), checked on the
// node when the node's part of the plan is new or has changed.
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { needsUpdate, preflightOutcome } from "./core/dynamic";
import { SshTarget, runOnHost } from "./ssh";
import { DynamicResource, namedProvider } from "./providerCode";

/** What NodePreflight checks, where. */
export interface NodePreflightArgs {
    /** How to reach the node; the key should be a secret. */
    readonly connection: command.types.input.remote.ConnectionArgs;
    /** The node's name, for messages. */
    readonly node: string;
    /** The core's preflightScript for this node: prints its engine, then one problem per line. */
    readonly script: string;
}

const PREFLIGHT_SECONDS = 120;

/** The provider's inputs, resolved. */
interface Inputs {
    readonly connection: SshTarget;
    readonly node: string;
    readonly script: string;
}

/** Runs the preflight of `inputs.node`: its engine, or an error naming the node, its engine and every problem (core preflightOutcome). */
async function preflight(inputs: Inputs): Promise<string> {
    return preflightOutcome(inputs.node, await runOnHost(inputs.connection, inputs.script, inputs.node, PREFLIGHT_SECONDS));
}

/**
 * Runs the preflight on create and on every change of the node's plan (its script) or of how it
 * is reached; no read (it changes nothing). Its code (`__provider`) is no change: a new release of
 * the package re-runs a preflight only when the script it asks for differs.
 */
const provider = namedProvider("NodePreflight", {
    async create(inputs: Inputs) {
        return { id: `${inputs.node}-preflight`, outs: { ...inputs, engine: await preflight(inputs) } };
    },
    async diff(_id: string, olds: Inputs, news: Inputs) {
        return { changes: needsUpdate({ ...olds }, { ...news }, ["connection", "node", "script"]) };
    },
    async update(_id: string, _olds: Inputs, news: Inputs) {
        return { outs: { ...news, engine: await preflight(news) } };
    },
});

/**
 * One node's preflight. Every command of MacvlanSwarmNetwork depends on every node's preflight,
 * so a node that is not ready stops the run before any host changes.
 *
 * @example new NodePreflight("node1-preflight", { connection, node: "node1", script: core.preflightScript({...}) });
 */
export class NodePreflight extends DynamicResource {
    /** The node's Docker Engine as its preflight found it, e.g. `Docker 29.8.1-dev (API 1.56)`. */
    declare public readonly engine: pulumi.Output<string>;

    constructor(name: string, args: NodePreflightArgs, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, { engine: undefined, ...args }, opts);
    }
}
