// The one way a component runs something on a host: a remote.Command whose create ensures, whose
// delete removes what create made and whose triggers carry the object's identity, watched by a
// DriftCheck (its own, or its node's shared one under a key) whose refresh-time findings make
// the next `up` re-run create in place.
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { CommandPair, SpecError, STEP_COMMANDS, stepStdin } from "./core";
import { DriftCheck, DriftCheckArgs, KeyedDriftCheckArgs } from "./DriftCheck";

/** SSH settings for one host; put the private key in as a secret. */
export type Connection = command.types.input.remote.ConnectionArgs;

/**
 * `connection` with its credentials (privateKey, password, privateKeyPassword) marked secret, so
 * that they are encrypted in the state of every resource that carries it, whatever the caller
 * passed (a plain string is the usual @pulumi/command pattern).
 *
 * @example secretConnection({ host: "10.0.0.11", user: "root", privateKey: fs.readFileSync(keyFile, "utf8") })
 */
export function secretConnection(connection: Connection): Connection {
    const wrapped: Connection = { ...connection };
    for (const field of ["privateKey", "password", "privateKeyPassword"] as const) {
        const value = connection[field];
        if (value !== undefined) {
            wrapped[field] = pulumi.secret(value);
        }
    }
    return wrapped;
}

/**
 * A keyed DriftCheck that watches a step's object with others of the same host (one per node and
 * network in MacvlanSwarmNetwork), and the step's key in it: the step makes no DriftCheck of its
 * own, and its command's update carries `check.driftEpochs[key]`, so a refresh that finds only
 * this object different re-runs only this object's create.
 *
 * @example { check: new DriftCheck("prod-vlan40-node1-drift", { connection, node: "node1", checks }), key: "shim" }
 */
export interface SharedDrift {
    /** The keyed DriftCheck; its `checks[key]` must be the step's own check script. */
    readonly check: DriftCheck<KeyedDriftCheckArgs>;
    /** The step's object's key in `check.checks`, e.g. `vlan`, `config`, `shim`. */
    readonly key: string;
}

/** A component whose work is one command on one host (every component here). */
export interface Step {
    /** The remote.Command that creates and deletes the object on its host. */
    readonly command: command.remote.Command;
    /**
     * Sees drift of the command's object on refresh: the step's own DriftCheck (`<name>-drift`),
     * or the shared one it was given (SharedDrift), which watches its object under its key.
     */
    readonly drift: DriftCheck<DriftCheckArgs> | DriftCheck<KeyedDriftCheckArgs>;
}

export interface RemoteStepArgs {
    /** The component the command belongs to (its parent). */
    readonly parent: pulumi.Resource;
    readonly connection: Connection;
    /** The node's name, for the drift check's messages. */
    readonly node: string;
    /** The object's create, delete and check scripts. */
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
     * the config-only networks): it is created after them, and replaced (deleted first) whenever
     * one of them is replaced. Adding a step here replaces nothing.
     * @default none
     */
    readonly upstream?: readonly Step[];
    /** The component's own dependsOn: a component's dependsOn does not reach its children. */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
    /** A shared DriftCheck to be watched by instead of one of the step's own. @default none: the step makes `<name>-drift` */
    readonly drift?: SharedDrift;
}

/**
 * A remote.Command for one object, and its DriftCheck (or, with `args.drift`, the shared one). Only `triggers` force replacement in
 * @pulumi/command 1.2.1 (any other change re-runs `create`, or `update` when set, in place, and a
 * changed host would strand the old object), so the identity goes there. Objects are named
 * singletons on their host, hence deleteBeforeReplace. The scripts go on stdin (`sh -s -- create`,
 * core.stepStdin; @pulumi/command runs delete with the state's stdin too). `update` is create's
 * command with a comment that carries the drift epoch: a refresh that finds drift makes the next
 * `up` repair in place. A shared drift check must watch exactly this object's check script under
 * its key (an Error otherwise: it would watch something else than this command makes).
 */
export function remoteStep(name: string, args: RemoteStepArgs): Step {
    const { commands, drift: shared } = args;
    const connection = secretConnection(args.connection);
    const host = args.hostBound ?? true ? [connection.host, connection.port ?? 22] : [];
    const upstream = (args.upstream ?? []).map((u) => u.command);
    if (shared !== undefined && shared.check.watched?.[shared.key] !== commands.check) {
        throw new Error(`${name}: its shared drift check watches ${shared.check.watched?.[shared.key] === undefined ? "no" : "another"} ` +
            `check script under key ${JSON.stringify(shared.key)}: it must be the object's own (its builder's check)`);
    }
    let drift: Step["drift"];
    let epoch: pulumi.Output<number>;
    if (shared === undefined) {
        const own = new DriftCheck(`${name}-drift`, { connection, node: args.node, check: commands.check }, { parent: args.parent });
        [drift, epoch] = [own, own.driftEpoch];
    } else {
        // A key the check has no epoch for yet (its state predates the key) counts from 0, as create would.
        [drift, epoch] = [shared.check, shared.check.driftEpochs.apply((epochs) => epochs?.[shared.key] ?? 0)];
    }
    const cmd = new command.remote.Command(name, {
        connection,
        // The scripts travel on stdin, the command line stays short (see core.stepStdin).
        create: STEP_COMMANDS.create,
        update: pulumi.interpolate`${STEP_COMMANDS.create} # swarm-macvlan: repair after drift #${epoch}`,
        delete: STEP_COMMANDS.delete,
        stdin: stepStdin(commands),
        triggers: [...host, args.identity],
        // The previous output would travel as SSH environment variables, which sshd drops
        // unless it AcceptEnv's them; nothing here reads it.
        addPreviousOutputInEnv: false,
        logging: "stdoutAndStderr",
    }, {
        parent: args.parent,
        deleteBeforeReplace: true,
        dependsOn: [...upstream, ...(args.dependsOn ?? [])],
        replaceWith: upstream,
    });
    return { command: cmd, drift };
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

/** A component's dependsOn as a list (it may be one resource, a list, or an Input of either). */
export function dependsOnList(opts?: pulumi.ResourceOptions): pulumi.Input<pulumi.Resource>[] {
    const d = opts?.dependsOn;
    return d === undefined ? [] : Array.isArray(d) ? d : [d as pulumi.Input<pulumi.Resource>];
}
