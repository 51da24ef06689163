// Deferring what @pulumi/pulumi loads at start-up that the root program never uses: the npm
// tooling of runtime.computeCodePaths (packaging a function with its node_modules), that is
// @npmcli/arborist and its dependencies, about 450 of the 760 modules the SDK loads, 0.2-0.3 s of
// every run; and the Automation API (`pulumi.automation`, which the SDK's index loads eagerly),
// about 0.17 s. The root program (index.ts) calls deferSdkTooling before it imports the SDK (the
// run script itself loads only SDK modules that do not need them); the library never changes its
// users' module loader.
import Module = require("module");

/**
 * The modules deferred, as the SDK requires them, and the names of their exports that it reads
 * (`default` for a module that is one function): computeCodePaths' tooling, and the Automation
 * API (`./automation`, required by the SDK's index.js alone, which exports it as `automation`).
 */
export const DEFERRED: ReadonlyMap<string, readonly string[]> = new Map([
    ["@npmcli/arborist", ["Arborist", "Node", "Link", "Edge", "Shrinkwrap"]],
    ["normalize-package-data", ["default"]],
    ["./automation", [
        "CommandResult", "PulumiCommand", "parseAndValidatePulumiVersion", "CommandError", "ConcurrentUpdateError", "StackNotFoundError", "StackAlreadyExistsError",
        "createCommandError", "Stack", "fullyQualifiedStackName", "stackSettingsSerDeKeys", "LocalWorkspace", "DiffKind", "RemoteStack", "RemoteWorkspace",
        "isFullyQualifiedStackName",
    ]],
]);

/** True when `parent` (a module's filename) requiring `request` is one of the requires DEFERRED names: a relative one only from the SDK's index.js. */
export function isDeferred(request: string, parent: string | undefined): boolean {
    return DEFERRED.has(request) && isSdkModule(parent) && (!request.startsWith(".") || /[\\/]@pulumi[\\/]pulumi[\\/]index\.js$/.test(parent ?? ""));
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

type Loader = (this: unknown, request: string, parent: { readonly filename?: string } | undefined, isMain: boolean) => unknown;

/** Makes the SDK's requires of DEFERRED modules return deferredModule stand-ins; every other require is untouched. */
export function deferSdkTooling(): void {
    const loader = Module as unknown as { _load: Loader };
    const load = loader._load;
    loader._load = function (request, parent, isMain) {
        if (!isDeferred(request, parent?.filename)) {
            return load.call(this, request, parent, isMain);
        }
        return deferredModule(DEFERRED.get(request)!, () => load.call(this, request, parent, isMain));
    };
}
