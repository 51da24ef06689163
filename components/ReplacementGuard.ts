// Says, in the preview and before anything changes, which services block a change that
// replaces a swarm network (core replacement.ts).
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { blockedReplacementMessage, replacingChanges } from "./core/replacement";
import { runOnHost } from "./ssh";
import { DynamicResource, namedProvider } from "./providerCode";

/** What ReplacementGuard watches, where. */
export interface ReplacementGuardArgs {
    /** How to reach the manager the swarm network is made on; the key should be a secret. */
    readonly connection: command.types.input.remote.ConnectionArgs;
    /** The manager's node name, for messages. */
    readonly node: string;
    /** The network of the spec, for messages. */
    readonly network: string;
    /** The swarm network's name. */
    readonly swarmName: string;
    /** The core's swarmNetworkServicesScript for it: prints the services attached to it. */
    readonly script: string;
    /** The swarm network's identity (core swarmNetworkIdentity), in one guard of the network. @default not watched here */
    readonly self?: string;
    /** Per node (MacvlanSwarmNetwork gives each node a guard of its own), what its config-only network stands on (core swarmSourceIdentity). */
    readonly sources: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Bounds the services script on the manager. */
const SERVICES_SECONDS = 60;

/**
 * The dynamic provider. It touches no host, except in `diff` when the new inputs replace the
 * swarm network (core replacingChanges): then it asks the manager which services use it, and
 * fails the preview (and the `up`, before any step) naming them. Nodes added or removed, and
 * any change once no service is attached, are a plain update.
 */
const provider = namedProvider("ReplacementGuard", {
    async create(inputs: any) {
        return { id: `${inputs.network}-${Object.keys(inputs.sources).join("-")}-replacement-guard`, outs: inputs };
    },
    async diff(_id: string, olds: any, news: any) {
        const changes = replacingChanges(olds, news);
        if (changes.length > 0) {
            const result = await runOnHost(news.connection, news.script, news.node, SERVICES_SECONDS);
            if (result.code !== 0) {
                throw new Error(`cannot tell which services use ${news.swarmName} on ${news.node}: ${(result.stderr || result.stdout).trim()}`);
            }
            const services = result.stdout.split("\n").filter((l: string) => l !== "");
            if (services.length > 0) {
                throw new Error(`swarm-macvlan: ${blockedReplacementMessage(news.network, news.swarmName, changes, services)}`);
            }
        }
        const fields = (p: any) => JSON.stringify([p.connection, p.node, p.network, p.swarmName, p.script, p.self, p.sources]);
        return { changes: fields(olds) !== fields(news) };
    },
    async update(_id: string, _olds: any, news: any) {
        return { outs: news };
    },
});

/**
 * Stands before one network's steps in MacvlanSwarmNetwork: a change that would replace its
 * swarm network while services use it fails in `pulumi preview`, naming the services and what
 * changed, and `pulumi up` stops before any host changes (Docker would refuse the removal
 * halfway through).
 *
 * @example
 * new ReplacementGuard("prod-vlan40-guard", { connection, node: "manager1", network: "vlan40",
 *   swarmName: "swarm-vlan40_net", script: core.swarmNetworkServicesScript("swarm-vlan40_net", "manager1"),
 *   self: core.swarmNetworkIdentity(swarm), sources: { manager1: core.swarmSourceIdentity(net, node, "10.0.0.11", 22) } });
 */
export class ReplacementGuard extends DynamicResource {
    constructor(name: string, args: ReplacementGuardArgs, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, args, opts);
    }
}
