import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as core from "./core";
import { Connection, SharedDrift, Step, checked, dependsOnList, remoteStep } from "./remoteStep";

/** VlanSubinterface's arguments: the sub-interface (core.VlanSubinterfaceArgs) and how to reach the host. */
export interface VlanSubinterfaceArgs extends core.VlanSubinterfaceArgs {
    /** SSH connection to the host; the key should be a secret. */
    readonly connection: Connection;
    /**
     * A keyed DriftCheck to be watched by, under a key, instead of a DriftCheck of its own
     * (MacvlanSwarmNetwork shares one per node and network). @default none: its own `<name>-drift`
     */
    readonly drift?: SharedDrift;
}

/**
 * An 802.1Q sub-interface `<trunk>.<vlanId>`, promiscuous and up, to serve as a macvlan parent.
 * An interface of that name that swarm-macvlan did not make is used as it is and never deleted.
 *
 * @example
 * new VlanSubinterface("node1-vlan40", { connection, trunk: "bond0", vlanId: 40, network: "vlan40", node: "node1" });
 * // makes bond0.40 on the host
 */
export class VlanSubinterface extends pulumi.ComponentResource implements Step {
    /** The sub-interface's name, e.g. `bond0.40`. */
    readonly interfaceName: string;
    readonly command: command.remote.Command;
    readonly drift: Step["drift"];

    constructor(name: string, args: VlanSubinterfaceArgs, opts?: pulumi.ComponentResourceOptions) {
        const { connection, drift, ...vlan } = args;
        const commands = checked("VlanSubinterface", name, () => core.vlanSubinterfaceCommands(vlan));
        super("swarm-macvlan:index:VlanSubinterface", name, {}, opts);
        this.interfaceName = `${args.trunk}.${args.vlanId}`;
        ({ command: this.command, drift: this.drift } = remoteStep(name, {
            parent: this, connection, drift, node: vlan.node ?? name, commands, identity: core.identity(vlan), dependsOn: dependsOnList(opts),
        }));
        this.registerOutputs({ interfaceName: this.interfaceName });
    }
}
