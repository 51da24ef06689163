// The one way a component runs something on a host: a remote.Command whose create ensures,
// whose delete removes what create made, and whose triggers carry the object's identity.
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { CommandPair, SpecError } from "./core";

/** SSH settings for one host; put the private key in as a secret. */
export type Connection = command.types.input.remote.ConnectionArgs;

/** A component whose work is one command (every component here). */
export interface Step {
    readonly command: command.remote.Command;
}

export interface RemoteStepArgs {
    /** The component the command belongs to (its parent). */
    readonly parent: pulumi.Resource;
    readonly connection: Connection;
    /** The object's create and delete scripts. */
    readonly commands: CommandPair;
    /**
     * What the object is, from the core (`identity(args)`), e.g. its docker configuration. A change
     * replaces the object.
     */
    readonly identity: string;
    /**
     * The object lives on this host: its address and port are part of its identity too (a
     * changed host must not re-run create on the new host and strand the old object).
     * @default true
     */
    readonly hostBound?: boolean;
    /**
     * The steps this one is built on (a network on its parent interface, the swarm network on
     * the config-only networks). Their triggers become part of this one's: a property
     * dependency, so that when one of them is replaced the engine replaces this step too, and
     * deletes it first. `dependsOn` alone only orders creation.
     * @default none
     */
    readonly upstream?: readonly Step[];
    /** The component's own dependsOn: a component's dependsOn does not reach its children. */
    readonly dependsOn?: pulumi.ResourceOptions["dependsOn"];
}

/**
 * A remote.Command for one object. Only `triggers` force replacement in @pulumi/command 1.2.1
 * (any other change re-runs `create` in place, and a changed host would strand the old object),
 * so the identity goes there. Objects are named singletons on their host, hence
 * deleteBeforeReplace.
 */
export function remoteStep(name: string, args: RemoteStepArgs): command.remote.Command {
    const { connection, commands } = args;
    const host = args.hostBound ?? true ? [connection.host, connection.port ?? 22] : [];
    return new command.remote.Command(name, {
        connection,
        create: commands.create,
        delete: commands.delete,
        triggers: [...host, args.identity, ...(args.upstream ?? []).map((u) => u.command.triggers)],
        // The previous output would travel as SSH environment variables, which sshd drops
        // unless it AcceptEnv's them; nothing here reads it.
        addPreviousOutputInEnv: false,
        logging: "stdoutAndStderr",
    }, { parent: args.parent, deleteBeforeReplace: true, dependsOn: args.dependsOn });
}

/**
 * Runs a core builder for component `type` named `name`; its SpecError is raised again naming
 * the component, so that a component used alone says whose arguments are wrong.
 */
export function checked<T>(type: string, name: string, build: () => T): T {
    try {
        return build();
    } catch (e) {
        throw e instanceof SpecError ? new SpecError(e.problems, `${type} ${JSON.stringify(name)}`) : e;
    }
}
