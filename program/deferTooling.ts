// Deferring what @pulumi/pulumi loads at start-up that the root program never uses: the npm
// tooling of runtime.computeCodePaths (packaging a function with its node_modules), that is
// @npmcli/arborist and its dependencies, about 450 of the 760 modules the SDK loads, 0.2-0.3 s of
// every run; and the Automation API (`pulumi.automation`, which the SDK's index loads eagerly),
// about 0.17 s. The root program (index.ts) calls deferSdkTooling before it imports the SDK (the
// run script itself loads only SDK modules that do not need them); the library never changes its
// users' module loader.
import Module = require("module");
import * as path from "path";

/**
 * The modules deferred, and what the SDK reads of them: the names of their exports (`default`
 * for a module that is one function), or `"object"` for a module the SDK keeps as a plain object
 * and reads any property of. A package's by its name; one of the SDK's own by its path
 * (`@pulumi/pulumi/...`, as the SDK requires it relatively). computeCodePaths' tooling; the
 * Automation API (required by the SDK's index.js alone, which exports it as `automation`); and
 * TypeScript, which the SDK's closure serializer requires at start-up (through its
 * typescript-shim) to parse functions, and the dynamic providers' process never serializes one
 * (program/preload.ts). In the root program the run script has loaded it before index.ts runs.
 */
export const DEFERRED: ReadonlyMap<string, readonly string[] | "object"> = new Map<string, readonly string[] | "object">([
    ["@npmcli/arborist", ["Arborist", "Node", "Link", "Edge", "Shrinkwrap"]],
    ["normalize-package-data", ["default"]],
    ["@pulumi/pulumi/automation", [
        "CommandResult", "PulumiCommand", "parseAndValidatePulumiVersion", "CommandError", "ConcurrentUpdateError", "StackNotFoundError", "StackAlreadyExistsError",
        "createCommandError", "Stack", "fullyQualifiedStackName", "stackSettingsSerDeKeys", "LocalWorkspace", "DiffKind", "RemoteStack", "RemoteWorkspace",
        "isFullyQualifiedStackName",
    ]],
    ["@pulumi/pulumi/typescript-shim", "object"],
]);

/**
 * The DEFERRED key of what `parent` (a module's filename) requires with `request`, when it is one
 * and `parent` is one of the SDK's own modules; otherwise undefined.
 */
export function deferredKey(request: string, parent: string | undefined): string | undefined {
    if (!isSdkModule(parent)) {
        return undefined;
    }
    const key = request.startsWith(".")
        ? path.posix.join(path.posix.dirname(parent!.replace(/\\/g, "/")), request).replace(/^.*\/(@pulumi\/pulumi\/)/, "$1")
        : request;
    return DEFERRED.has(key) ? key : undefined;
}

/** True for a module of @pulumi/pulumi's own (not one of a package that depends on it). */
export function isSdkModule(filename: string | undefined): boolean {
    return /[\\/]node_modules[\\/]@pulumi[\\/]pulumi[\\/](?!node_modules[\\/])/.test(filename ?? "");
}

/**
 * A stand-in for a module with the exports `names`: an ES-module-shaped object (so that the SDK's
 * import helpers keep it as it is instead of copying its exports) whose every export is a getter
 * that calls `load` once, on first use.
 */
export function deferredModule(names: readonly string[], load: () => unknown): object {
    let real: unknown;
    const module = () => (real ??= load());
    const stub = Object.defineProperty({}, "__esModule", { value: true });
    for (const name of names) {
        Object.defineProperty(stub, name, {
            enumerable: true,
            get: () => (name === "default" ? module() : (module() as Record<string, unknown>)[name]),
        });
    }
    return stub;
}

/**
 * A stand-in for a module the SDK keeps as a plain object (`const ts = require(...)`): a Proxy
 * that calls `load` once, when any property is first read, and from then on reads the module's.
 */
export function deferredObject(load: () => unknown): object {
    let real: object | undefined;
    const module = () => (real ??= load() as object);
    return new Proxy({}, {
        get: (_, name) => Reflect.get(module(), name),
        has: (_, name) => Reflect.has(module(), name),
        ownKeys: () => Reflect.ownKeys(module()),
        getOwnPropertyDescriptor: (_, name) => {
            const d = Reflect.getOwnPropertyDescriptor(module(), name);
            return d && { ...d, configurable: true };
        },
    });
}

type Loader = (this: unknown, request: string, parent: { readonly filename?: string } | undefined, isMain: boolean) => unknown;

/**
 * Makes the SDK's requires of DEFERRED modules return stand-ins (deferredModule, deferredObject);
 * every other require is untouched. Once per process: a second call does nothing.
 */
export function deferSdkTooling(): void {
    const loader = Module as unknown as { _load: Loader & { deferring?: true } };
    if (loader._load.deferring) {
        return;
    }
    const load = loader._load;
    loader._load = function (request, parent, isMain) {
        const key = deferredKey(request, parent?.filename);
        if (key === undefined) {
            return load.call(this, request, parent, isMain);
        }
        const what = DEFERRED.get(key)!;
        const real = () => load.call(this, request, parent, isMain);
        return what === "object" ? deferredObject(real) : deferredModule(what, real);
    };
    loader._load.deferring = true;
}
