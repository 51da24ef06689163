import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as core from "./core";
import { Connection, SharedDrift, Step, checked, dependsOnList, remoteStep } from "./remoteStep";

/** BootUnit's arguments: the unit's content (core.BootUnitArgs) and how to reach the node. */
export interface BootUnitArgs extends core.BootUnitArgs {
    /** SSH connection to the node; the key should be a secret. */
    readonly connection: Connection;
    /**
     * A keyed DriftCheck to be watched by, under a key, instead of a DriftCheck of its own
     * (MacvlanSwarmNetwork shares one per node and network). @default none: its own `<name>-drift`
     */
    readonly drift?: SharedDrift;
}

/**
 * The systemd unit `swarm-macvlan-<network>.service` that re-creates one network's host state
 * (the scripts it is given: the sub-interface or promiscuous mode, the shim) at every boot,
 * before docker.service, and keeps systemd-networkd and NetworkManager off those interfaces.
 * Its content changing rewrites it in place; delete disables and removes it. `systemctl restart
 * swarm-macvlan-<network>` re-applies the host state on demand.
 *
 * @example
 * new BootUnit("node1-vlan40-boot", { connection, network: "vlan40", node: "node1", device: "bond0",
 *   scripts: [{ name: "10-vlan", text: vlan.create }], interfaces: ["bond0.40"] }, { dependsOn: [vlan] });
 */
export class BootUnit extends pulumi.ComponentResource implements Step {
    /** The unit's name, `swarm-macvlan-<network>.service`. */
    readonly unitName: string;
    readonly command: command.remote.Command;
    readonly drift: Step["drift"];

    constructor(name: string, args: BootUnitArgs, opts?: pulumi.ComponentResourceOptions) {
        const { connection, drift, ...unit } = args;
        const commands = checked("BootUnit", name, () => core.bootUnitCommands(unit));
        super("swarm-macvlan:index:BootUnit", name, {}, opts);
        this.unitName = `swarm-macvlan-${unit.network}.service`;
        // What it is: the unit of this network on this host. Its content may change in place.
        ({ command: this.command, drift: this.drift } = remoteStep(name, {
            parent: this, connection, drift, node: unit.node ?? name, commands, identity: core.identity({ network: unit.network, node: unit.node }),
            dependsOn: dependsOnList(opts),
        }));
        this.registerOutputs({ unitName: this.unitName });
    }
}
