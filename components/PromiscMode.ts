import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as core from "./core";
import { DriftCheck } from "./DriftCheck";
import { Connection, Step, checked, dependsOnList, remoteStep } from "./remoteStep";

/** PromiscMode's arguments: the interface (core.PromiscModeArgs) and how to reach the host. */
export interface PromiscModeArgs extends core.PromiscModeArgs {
    /** SSH connection to the host; the key should be a secret. */
    readonly connection: Connection;
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
    readonly drift: DriftCheck;

    constructor(name: string, args: PromiscModeArgs, opts?: pulumi.ComponentResourceOptions) {
        const { connection, ...promisc } = args;
        const commands = checked("PromiscMode", name, () => core.promiscModeCommands(promisc));
        super("swarm-macvlan:index:PromiscMode", name, {}, opts);
        this.interfaceName = args.parent;
        ({ command: this.command, drift: this.drift } = remoteStep(name, {
            parent: this, connection, node: promisc.node ?? name, commands, identity: core.identity(promisc), dependsOn: dependsOnList(opts),
        }));
        this.registerOutputs({ interfaceName: this.interfaceName });
    }
}
