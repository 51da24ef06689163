// The one way a component runs something on a host: a remote.Command whose create ensures,
// whose delete removes what create made, and whose triggers carry the object's identity.
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { CommandPair } from "./core";

/** SSH settings for one host; put the private key in as a secret. */
export type Connection = command.types.input.remote.ConnectionArgs;

/** Where an object lives: a host-bound object is replaced, not updated, when this changes. */
export function hostIdentity(connection: Connection): pulumi.Input<unknown>[] {
    return [connection.host, connection.port ?? 22];
}

/** A component whose work is one command (every component here). */
export interface Step {
    readonly command: command.remote.Command;
}

/**
 * A remote.Command for `pair`. Only `triggers` force replacement in @pulumi/command 1.2.1 (any
 * other change re-runs `create` in place, and a changed host would strand the old object), so
 * `identity` goes there. Objects are named singletons on their host, hence deleteBeforeReplace.
 *
 * `upstream` are the steps this one is built on (a network on its parent interface, the swarm
 * network on the config-only networks). Their triggers become part of this one's: a property
 * dependency, so that when one of them is replaced the engine replaces this step too, and
 * deletes it first. `dependsOn` alone only orders creation.
 */
export function remoteStep(
    name: string,
    parent: pulumi.Resource,
    connection: Connection,
    pair: CommandPair,
    identity: pulumi.Input<unknown>[],
    upstream: readonly Step[],
    // A component's dependsOn does not reach its children: each component passes its own here.
    dependsOn: pulumi.ResourceOptions["dependsOn"],
): command.remote.Command {
    return new command.remote.Command(name, {
        connection,
        create: pair.create,
        delete: pair.delete,
        triggers: [...identity, ...upstream.map((u) => u.command.triggers)],
        // The previous output would travel as SSH environment variables, which sshd drops
        // unless it AcceptEnv's them; nothing here reads it.
        addPreviousOutputInEnv: false,
        logging: "stdoutAndStderr",
    }, { parent, deleteBeforeReplace: true, dependsOn });
}
