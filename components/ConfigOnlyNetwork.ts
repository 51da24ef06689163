import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as core from "./core";
import { Connection, SharedDrift, Step, checked, dependsOnList, remoteStep } from "./remoteStep";

/** ConfigOnlyNetwork's arguments: the network (core.ConfigOnlyNetworkArgs), how to reach the node and what prepares its parent. */
export interface ConfigOnlyNetworkArgs extends core.ConfigOnlyNetworkArgs {
    /** SSH connection to the node; the key should be a secret. */
    readonly connection: Connection;
    /**
     * A keyed DriftCheck to be watched by, under a key, instead of a DriftCheck of its own
     * (MacvlanSwarmNetwork shares one per node and network). @default none: its own `<name>-drift`
     */
    readonly drift?: SharedDrift;
    /**
     * The VlanSubinterface or PromiscMode that prepares `parent`: this network is made after it,
     * and replaced (deleted first) when it is replaced. @default none (the parent is managed elsewhere)
     */
    readonly parentInterface?: Step;
}

/**
 * One node's `docker network create --config-only` network: the subnet and gateway shared by
 * all nodes, this node's parent and `--ip-range`, and `--aux-address`es for host addresses and
 * the range's ends. Any change to that configuration replaces it (delete first: the name is a
 * singleton on the node).
 *
 * @example
 * new ConfigOnlyNetwork("node1-vlan40", { connection, name: "vlan40_net", network: "vlan40", node: "node1",
 *   parent: "bond0.40", subnet: "172.80.0.0/16", gateway: "172.80.0.1",
 *   ipRange: "172.80.1.0/24", auxAddresses: {} });
 */
export class ConfigOnlyNetwork extends pulumi.ComponentResource implements Step {
    /** The docker network's name on the node, e.g. `vlan40_net`. */
    readonly networkName: string;
    /** The node's IPv4 `--ip-range`. */
    readonly ipRange: string;
    readonly command: command.remote.Command;
    readonly drift: Step["drift"];

    constructor(name: string, args: ConfigOnlyNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        const { connection, parentInterface, drift, ...config } = args;
        const commands = checked("ConfigOnlyNetwork", name, () => core.configOnlyNetworkCommands(config));
        super("swarm-macvlan:index:ConfigOnlyNetwork", name, {}, opts);
        this.networkName = args.name;
        this.ipRange = args.ipRange;
        ({ command: this.command, drift: this.drift } = remoteStep(name, {
            parent: this, connection, drift, node: config.node ?? name, commands, identity: core.identity(config),
            upstream: parentInterface ? [parentInterface] : [], dependsOn: dependsOnList(opts),
        }));
        this.registerOutputs({ networkName: this.networkName, ipRange: this.ipRange });
    }
}
