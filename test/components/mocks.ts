// Pulumi mocks that also record every registration as the engine would see it: type, name,
// parent, dependencies, deleteBeforeReplace and the serialized inputs (secrets stay marked).
// Import this before any component: setMocks must run first.
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { STEP_COMMANDS, STEP_END, stepStdin } from "../../components/core";

export interface Registration {
    readonly type: string;
    readonly name: string;
    readonly parent: string;
    readonly dependencies: string[];
    readonly deleteBeforeReplace: boolean;
    readonly replaceWith: string[];
    /** The explicit provider reference (`urn::id`), or "" for the default provider. */
    readonly provider: string;
    readonly inputs: Record<string, any>;
}

export const registrations: Registration[] = [];

/** Extra outputs a test gives the resource of that name (e.g. a local.Command's stdout). */
export const mockOutputs: Record<string, Record<string, unknown>> = {};

/** The marker Pulumi puts on a serialized secret value. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

pulumi.runtime.setMocks({
    // A DriftCheck's outputs as its provider's create gives them (the keyed form: an epoch per key).
    newResource: (args) => ({
        id: `${args.name}-id`,
        state: { ...(args.type === DYNAMIC ? { ...args.inputs, ...createdDrift(args.inputs) } : args.inputs), ...mockOutputs[args.name] },
    }),
    call: (args) => args.inputs,
}, "swarm-macvlan", "test", true);

/** What a DriftCheck's create adds to its inputs: a keyed one (with `checks`) an epoch of 0 per key, the one-object form one epoch. */
function createdDrift(inputs: Record<string, unknown>): Record<string, unknown> {
    const checks = inputs.checks as Record<string, string> | undefined;
    return checks === undefined ? { driftEpoch: 0, drift: [] } : { driftEpochs: Object.fromEntries(Object.keys(checks).map((k) => [k, 0])), drift: {} };
}

const monitor = (pulumi.runtime as any).getMonitor();
const register = monitor.registerResource.bind(monitor);
monitor.registerResource = (req: any, callback: any) => {
    registrations.push({
        type: req.getType(),
        name: req.getName(),
        parent: req.getParent(),
        dependencies: req.getDependenciesList(),
        deleteBeforeReplace: req.getDeletebeforereplace(),
        replaceWith: req.getReplaceWithList(),
        provider: req.getProvider(),
        inputs: req.getObject()?.toJavaScript() ?? {},
    });
    return register(req, callback);
};

/** Resolves once `output` has a value (so every registration before it has been seen). */
export function settled<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

export function find(type: string, name: string): Registration {
    const found = registrations.find((r) => r.type === type && r.name === name);
    if (found === undefined) {
        throw new Error(`no registration of ${type} ${name}; have: ${registrations.map((r) => `${r.type} ${r.name}`).join(", ")}`);
    }
    return found;
}

export const COMMAND = "command:remote:Command";
/** The type of every dynamic resource (DriftCheck, NodePreflight). */
export const DYNAMIC = "pulumi-nodejs:dynamic:Resource";

/** The last segment (`type::name`, or `name` with `short`) of each URN. */
export function names(urns: readonly string[], short = true): string[] {
    return urns.map((u) => (short ? u.slice(u.lastIndexOf("::") + 2) : u.slice(u.lastIndexOf("$") + 1))).sort();
}

/** A serialized value without its secret marker, if it has one. */
export function unwrapped(value: any): any {
    return value?.["4dabf18193072939515e22adb298388d"] === SECRET_SIG ? value.value : value;
}

/**
 * The create or delete script of a registered remote.Command, read from its stdin (the command
 * line is only `sh -s -- create`); fails unless the command lines are exactly the short ones and
 * the stdin is exactly what stepStdin makes of the two scripts.
 */
export function stepScript(r: Registration, which: "create" | "delete"): string {
    const stdin = String(unwrapped(r.inputs.stdin));
    const part = (w: "create" | "delete") => {
        const [start, end] = [stdin.indexOf(`\n${w})\n`), stdin.indexOf(`\n;; ${STEP_END[w]}\n`)];
        assert.ok(start >= 0 && end > start, `${r.name}: no ${w} script in its stdin`);
        return `${stdin.slice(start + w.length + 3, end)}\n`;
    };
    assert.deepStrictEqual([r.inputs.create, r.inputs.delete, stdin], [STEP_COMMANDS.create, STEP_COMMANDS.delete, stepStdin({ create: part("create"), delete: part("delete") })], r.name);
    return part(which);
}
