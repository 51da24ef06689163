import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as core from "./core";
import { Connection, Step, checked, remoteStep } from "./remoteStep";

export interface ConfigOnlyNetworkArgs extends core.ConfigOnlyNetworkArgs {
    /** SSH connection to the node; the key should be a secret. */
    readonly connection: Connection;
    /**
     * The VlanSubinterface or PromiscMode that prepares `parent`: replacing it replaces this
     * network first. @default none (the parent is managed elsewhere)
     */
    readonly parentInterface?: Step;
}

/**
 * One node's `docker network create --config-only` network: the subnet and gateway shared by
 * all nodes, this node's parent and `--ip-range`, and `--aux-address`es for host addresses.
 * Any change to that configuration replaces it (delete first: the name is a singleton).
 *
 * @example
 * new ConfigOnlyNetwork("node1-vlan40", { connection, name: "vlan40_net", network: "vlan40",
 *   parent: "bond0.40", subnet: "172.80.0.0/16", gateway: "172.80.0.1",
 *   ipRange: "172.80.1.0/24", auxAddresses: {} });
 */
export class ConfigOnlyNetwork extends pulumi.ComponentResource {
    readonly networkName: string;
    readonly ipRange: string;
    readonly command: command.remote.Command;

    constructor(name: string, args: ConfigOnlyNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        const { connection, parentInterface, ...config } = args;
        const commands = checked("ConfigOnlyNetwork", name, () => core.configOnlyNetworkCommands(config));
        super("swarm-macvlan:index:ConfigOnlyNetwork", name, {}, opts);
        this.networkName = args.name;
        this.ipRange = args.ipRange;
        this.command = remoteStep(name, {
            parent: this, connection, commands, identity: core.identity(config),
            upstream: parentInterface ? [parentInterface] : [], dependsOn: opts?.dependsOn,
        });
        this.registerOutputs({ networkName: this.networkName, ipRange: this.ipRange });
    }
}
