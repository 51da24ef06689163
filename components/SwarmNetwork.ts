import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as core from "./core";
import { Connection, SharedDrift, Step, checked, dependsOnList, remoteStep } from "./remoteStep";

/** SwarmNetwork's arguments: the network (core.SwarmNetworkArgs), how to reach a manager and the config-only networks it is made from. */
export interface SwarmNetworkArgs extends core.SwarmNetworkArgs {
    /** SSH connection to a swarm manager; the key should be a secret. */
    readonly connection: Connection;
    /**
     * A keyed DriftCheck to be watched by, under a key, instead of a DriftCheck of its own
     * (MacvlanSwarmNetwork shares one per node and network). @default none: its own `<name>-drift`
     */
    readonly drift?: SharedDrift;
    /**
     * The ConfigOnlyNetworks it is made from, one per node: it is made after them. Docker refuses
     * to remove a config-only network while a swarm network uses it, so when one of them is
     * replaced this network is replaced too (deleted first, made again after). Adding a node's
     * network replaces nothing: Docker picks it up where tasks land.
     * @default none
     */
    readonly sources?: readonly Step[];
}

/**
 * The swarm-scoped `docker network create -d macvlan --scope swarm --config-from` network,
 * made on one manager. It is cluster-wide, so the manager it runs on is not part of its
 * identity: moving to another manager re-runs an idempotent create instead of replacing it.
 *
 * @example
 * new SwarmNetwork("vlan40", { connection: manager, name: "swarm-vlan40_net",
 *   configFrom: "vlan40_net", node: "manager1", sources: configOnlyNetworks });
 */
export class SwarmNetwork extends pulumi.ComponentResource implements Step {
    /** The swarm-scoped network's name, e.g. `swarm-vlan40_net`: what services attach to. */
    readonly networkName: string;
    readonly command: command.remote.Command;
    readonly drift: Step["drift"];

    constructor(name: string, args: SwarmNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        const { connection, sources, drift, ...network } = args;
        const commands = checked("SwarmNetwork", name, () => core.swarmNetworkCommands(network));
        super("swarm-macvlan:index:SwarmNetwork", name, {}, opts);
        this.networkName = args.name;
        ({ command: this.command, drift: this.drift } = remoteStep(name, {
            parent: this, connection, drift, node: network.node ?? name, commands, identity: core.swarmNetworkIdentity(network),
            hostBound: false, upstream: sources ?? [], dependsOn: dependsOnList(opts),
        }));
        this.registerOutputs({ networkName: this.networkName });
    }
}
