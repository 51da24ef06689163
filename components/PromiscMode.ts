import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as core from "./core";
import { Connection, SharedDrift, Step, checked, dependsOnList, remoteStep } from "./remoteStep";

/** PromiscMode's arguments: the interface (core.PromiscModeArgs) and how to reach the host. */
export interface PromiscModeArgs extends core.PromiscModeArgs {
    /** SSH connection to the host; the key should be a secret. */
    readonly connection: Connection;
    /**
     * A keyed DriftCheck to be watched by, under a key, instead of a DriftCheck of its own
     * (MacvlanSwarmNetwork shares one per node and network). @default none: its own `<name>-drift`
     */
    readonly drift?: SharedDrift;
}

/**
 * Promiscuous mode on an existing parent interface (needed where a hypervisor or switch drops
 * frames for the containers' extra MAC addresses). Delete restores the mode found before.
 *
 * @example
 * new PromiscMode("node1-eth1", { connection, parent: "eth1", node: "node1" });
 */
export class PromiscMode extends pulumi.ComponentResource implements Step {
    /** The interface set promiscuous, e.g. `eth1`. */
    readonly interfaceName: string;
    readonly command: command.remote.Command;
    readonly drift: Step["drift"];

    constructor(name: string, args: PromiscModeArgs, opts?: pulumi.ComponentResourceOptions) {
        const { connection, drift, ...promisc } = args;
        const commands = checked("PromiscMode", name, () => core.promiscModeCommands(promisc));
        super("swarm-macvlan:index:PromiscMode", name, {}, opts);
        this.interfaceName = args.parent;
        ({ command: this.command, drift: this.drift } = remoteStep(name, {
            parent: this, connection, drift, node: promisc.node ?? name, commands, identity: core.identity(promisc), dependsOn: dependsOnList(opts),
        }));
        this.registerOutputs({ interfaceName: this.interfaceName });
    }
}
