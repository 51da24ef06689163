import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as core from "./core";
import { GuardConfirm } from "./GuardConfirm";
import { Connection, SharedDrift, Step, checked, dependsOnList, remoteStep, secretConnection } from "./remoteStep";

/** HostTakeover's arguments: the takeover (core.HostTakeoverArgs), how to reach the node and what prepares its parent. */
export interface HostTakeoverArgs extends core.HostTakeoverArgs {
    /** SSH connection to the node; the key should be a secret. */
    readonly connection: Connection;
    /**
     * A keyed DriftCheck to be watched by, under a key, instead of a DriftCheck of its own
     * (MacvlanSwarmNetwork shares one per node and network). @default none: its own `<name>-drift`
     */
    readonly drift?: SharedDrift;
    /** The PromiscMode that prepares `parent`: replacing it replaces the takeover first. @default none */
    readonly parentInterface?: Step;
    /** Seconds an unconfirmed takeover stays before it rolls back by itself. @default core.GUARD_SECONDS */
    readonly guardSeconds?: number;
}

/**
 * Moves the host's own address, routes and default route from `parent` onto a bridge-mode
 * macvlan with a pinned MAC (seed 004), under the lockout guard: the command applies it
 * detached with a rollback armed, and `confirm` (a GuardConfirm) checks over a new SSH
 * connection that the node is still in the swarm and its default gateway answers, then
 * disarms. Delete moves everything back, detached from the session.
 *
 * `SWARM_MACVLAN_TEST_BREAK_GATEWAY=<IPv4>` in the program's environment is a test hook: the
 * default route moves with that gateway, so that the guard's rollback can be seen working.
 *
 * @example
 * new HostTakeover("lan-node1-takeover", { connection, name: "shim-lan", parent: "eth0", network: "lan",
 *   node: "node1" });
 */
export class HostTakeover extends pulumi.ComponentResource implements Step {
    /** The interface that holds the host's address now, e.g. `shim-lan`. */
    readonly interfaceName: string;
    readonly command: command.remote.Command;
    readonly drift: Step["drift"];
    /** The confirm over a new connection: a dependsOn target for whatever must come after the takeover. */
    readonly confirm: GuardConfirm;

    constructor(name: string, args: HostTakeoverArgs, opts?: pulumi.ComponentResourceOptions) {
        const { connection, parentInterface, guardSeconds, drift, ...rest } = args;
        const breakGateway = process.env.SWARM_MACVLAN_TEST_BREAK_GATEWAY;
        const takeover = { ...rest, ...(breakGateway ? { breakGateway } : {}) };
        const { commands, guard } = checked("HostTakeover", name, () => {
            const pair = core.hostTakeoverCommands(takeover);
            const what = `takeover of ${takeover.parent} by ${takeover.name}`;
            const base = { id: `takeover-${takeover.network}`, node: takeover.node, what, seconds: guardSeconds };
            return {
                commands: pair,
                guard: {
                    ...core.lockoutGuard({
                        ...base, apply: pair.create, undo: pair.undo, state: core.takeoverStateDir(takeover.network), probes: core.gatewayProbe(takeover.name),
                    }),
                    detached: core.lockoutGuard({ ...base, apply: pair.delete, undo: "", probes: [] }).detached,
                },
            };
        });
        super("swarm-macvlan:index:HostTakeover", name, {}, opts);
        this.interfaceName = args.name;
        ({ command: this.command, drift: this.drift } = remoteStep(name, {
            parent: this, connection, drift, node: rest.node ?? name,
            commands: { ...commands, create: guard.apply, delete: guard.detached },
            identity: core.identity(rest), upstream: parentInterface ? [parentInterface] : [], dependsOn: dependsOnList(opts),
        }));
        const seconds = guardSeconds ?? core.GUARD_SECONDS;
        this.confirm = new GuardConfirm(`${name}-confirm`, {
            connection: secretConnection(connection), node: rest.node ?? name, script: guard.confirm, attempts: Math.ceil((seconds + 30) / 2),
            armed: this.command.stdout.apply((out) => /swarm-macvlan: armed ([0-9]+)/.exec(out ?? "")?.[1] ?? "none"),
        }, { parent: this, dependsOn: [this.command] });
        this.registerOutputs({ interfaceName: this.interfaceName });
    }
}
