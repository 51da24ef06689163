import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as core from "./core";
import { Connection, Step, checked, remoteStep } from "./remoteStep";

export interface SwarmNetworkArgs extends core.SwarmNetworkArgs {
    /** SSH connection to a swarm manager; the key should be a secret. */
    readonly connection: Connection;
    /**
     * The ConfigOnlyNetworks it is made from, one per node. Docker refuses to remove a
     * config-only network while a swarm network uses it, so when any of them is replaced this
     * network is replaced too: deleted first, made again after.
     * @default none: only name, configFrom and attachable identify it
     */
    readonly sources?: readonly Step[];
}

/**
 * The swarm-scoped `docker network create -d macvlan --scope swarm --config-from` network,
 * made on one manager. It is cluster-wide, so the manager it runs on is not part of its
 * identity: moving to another manager re-runs an idempotent create instead of replacing it.
 * Make it depend on every node's ConfigOnlyNetwork.
 *
 * @example
 * new SwarmNetwork("vlan40", { connection: manager, name: "swarm-vlan40_net",
 *   configFrom: "vlan40_net" }, { dependsOn: configOnlyNetworks });
 */
export class SwarmNetwork extends pulumi.ComponentResource {
    readonly networkName: string;
    readonly command: command.remote.Command;

    constructor(name: string, args: SwarmNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        const { connection, sources, ...network } = args;
        const commands = checked("SwarmNetwork", name, () => core.swarmNetworkCommands(network));
        super("swarm-macvlan:index:SwarmNetwork", name, {}, opts);
        this.networkName = args.name;
        // Cluster-wide: not bound to the manager it is created on. attachable is part of what
        // it is (left out, it is true).
        this.command = remoteStep(name, {
            parent: this, connection, commands, identity: core.identity({ ...network, attachable: network.attachable ?? true }),
            hostBound: false, upstream: sources ?? [], dependsOn: opts?.dependsOn,
        });
        this.registerOutputs({ networkName: this.networkName });
    }
}
