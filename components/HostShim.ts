import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as core from "./core";
import { Connection, SharedDrift, Step, checked, dependsOnList, remoteStep } from "./remoteStep";

/** HostShim's arguments: the shim (core.HostShimArgs), how to reach the node and what prepares its parent. */
export interface HostShimArgs extends core.HostShimArgs {
    /** SSH connection to the node; the key should be a secret. */
    readonly connection: Connection;
    /**
     * A keyed DriftCheck to be watched by, under a key, instead of a DriftCheck of its own
     * (MacvlanSwarmNetwork shares one per node and network). @default none: its own `<name>-drift`
     */
    readonly drift?: SharedDrift;
    /** The VlanSubinterface or PromiscMode that prepares `parent`: replacing it replaces the shim first. @default none */
    readonly parentInterface?: Step;
}

/**
 * A bridge-mode macvlan interface with the host's address and a route to the node's range, so
 * the host reaches its own containers (the kernel isolates a macvlan parent from its children).
 *
 * @example
 * new HostShim("node1-vlan40", { connection, name: "shim-vlan40", parent: "bond0.40",
 *   network: "vlan40", node: "node1", address: "172.80.1.254", ipRange: "172.80.1.0/24" });
 */
export class HostShim extends pulumi.ComponentResource implements Step {
    /** The shim interface's name, e.g. `shim-vlan40`. */
    readonly interfaceName: string;
    /** The host's IPv4 address on the network, on the shim. */
    readonly address: string;
    readonly command: command.remote.Command;
    readonly drift: Step["drift"];

    constructor(name: string, args: HostShimArgs, opts?: pulumi.ComponentResourceOptions) {
        const { connection, parentInterface, drift, ...shim } = args;
        const commands = checked("HostShim", name, () => core.hostShimCommands(shim));
        super("swarm-macvlan:index:HostShim", name, {}, opts);
        this.interfaceName = args.name;
        this.address = args.address;
        ({ command: this.command, drift: this.drift } = remoteStep(name, {
            parent: this, connection, drift, node: shim.node ?? name, commands, identity: core.identity(shim),
            upstream: parentInterface ? [parentInterface] : [], dependsOn: dependsOnList(opts),
        }));
        this.registerOutputs({ interfaceName: this.interfaceName, address: this.address });
    }
}
