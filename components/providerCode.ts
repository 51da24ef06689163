// What each dynamic resource stores as its provider's code (`__provider`). Pulumi's own
// dynamic.Resource serializes the provider's whole closure into every resource, in its inputs
// and its outputs alike: 1-17 kB per resource here, 57% of a 12-node stack's state, which the
// engine rewrites after every step and formats into its debug log at every Check and Diff. The
// package's compiled components store a loader instead: a few lines that load the provider, by
// name, from the swarm-macvlan package installed where the stack runs (PACKAGE_NAME, resolved
// from the dynamic-provider process's directory: the program's, in the Pulumi project). Measured
// on the 12-node lab, interleaved, medians of 3: the state 2.16 -> 1.07 MB, from scratch 12.8 ->
// 10.7 s, destroy 8.9 -> 7.0 s, a no-op 2.35 -> 2.2 s.
// The trade: a stack's dynamic resources run the installed package's code, not the code that made
// them (as a provider plugin does), so a `pulumi destroy` needs the package installed, and each
// release's providers must handle the state of every earlier one. The TypeScript sources (under
// ts-node, with no compiled module to load) serialize the provider as the SDK does.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

/** A dynamic provider and its name: the basename of the compiled module that names it (`DriftCheck` in DriftCheck.js). */
export interface NamedProvider {
    /** Unique among the package's providers, e.g. `DriftCheck`. */
    readonly name: string;
    readonly provider: pulumi.dynamic.ResourceProvider;
}

/** The package a loader looks for: this package's name in package.json. */
export const PACKAGE_NAME = "swarm-macvlan";

/** The type Pulumi's Node.js dynamic provider serves, as pulumi.dynamic.Resource registers it. */
export const DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";

const registered = new Map<string, NamedProvider>();

/**
 * Names `provider` for the loaders: the name must be the basename of the module that calls this
 * (a provider whose module has another name is serialized instead, see DynamicResource).
 *
 * @example const provider = namedProvider("Barrier", { async create() { ... } });
 */
export function namedProvider(name: string, provider: pulumi.dynamic.ResourceProvider): NamedProvider {
    if (registered.has(name)) {
        throw new Error(`a dynamic provider is already named ${name}: give each provider a name of its own`);
    }
    const named = { name, provider };
    registered.set(name, named);
    return named;
}

/** Every provider named so far (by the components loaded), in the order they were named. */
export function namedProviders(): readonly NamedProvider[] {
    return [...registered.values()];
}

/** The provider named `name` (its module loaded), or an Error that says which package lacks it. */
export function providerNamed(name: string): pulumi.dynamic.ResourceProvider {
    const named = registered.get(name);
    if (named === undefined) {
        throw new Error(`the ${PACKAGE_NAME} components at ${__dirname} have no dynamic provider named ${name}: ` +
            `install the version of ${PACKAGE_NAME} the stack was made with`);
    }
    return named.provider;
}

/**
 * Where package `pkg` is for a process whose directory is `here`: installed there or above it
 * (`resolve`, require.resolve with `paths`), else the nearest directory there or above it whose
 * package.json is `pkg`'s own (this repository's root program runs in its `dist`); undefined if
 * neither. It uses nothing but its arguments: the loaders carry its text, so the program (which
 * decides whether to store a loader, codeKind) and the dynamic-provider process (which runs it)
 * find the same package.
 */
export function packageRoot(
    here: string, pkg: string, resolve: (request: string, paths: string[]) => string, files: typeof fs, paths: typeof path,
): string | undefined {
    try {
        return paths.dirname(resolve(`${pkg}/package.json`, [here]));
    } catch {
        for (let dir = here; ; dir = paths.dirname(dir)) {
            try {
                if (JSON.parse(files.readFileSync(paths.join(dir, "package.json"), "utf8")).name === pkg) {
                    return dir;
                }
            } catch {
                // No package.json here, or not JSON: look further up.
            }
            if (dir === paths.dirname(dir)) {
                return undefined;
            }
        }
    }
}

/**
 * The code stored for provider `name`: a module whose `handler()` (as the dynamic-provider
 * process calls it) finds PACKAGE_NAME from the process's directory (packageRoot), loads the
 * compiled module `name` from its `dist/components` and returns the provider it named. The
 * package not found is an Error that says where it was looked for and how to install it.
 */
export function providerLoader(name: string): string {
    if (!/^[A-Z][A-Za-z]*$/.test(name)) {
        throw new Error(`dynamic provider name ${JSON.stringify(name)} is not a module name: use the component's, e.g. DriftCheck`);
    }
    return [
        `// ${PACKAGE_NAME}'s dynamic provider ${name}, loaded from the ${PACKAGE_NAME} package installed where the stack runs.`,
        "exports.handler = function () {",
        '    const path = require("path");',
        "    const here = process.cwd();",
        `    const root = (${packageRoot.toString()})(here, ${JSON.stringify(PACKAGE_NAME)}, (r, p) => require.resolve(r, { paths: p }), require("fs"), path);`,
        "    if (root === undefined) {",
        `        throw new Error(${JSON.stringify(`the dynamic provider ${name} needs the ${PACKAGE_NAME} package, which is not installed in `)} + here + ` +
            `${JSON.stringify(` or above it: install the version the stack was made with (npm install ${PACKAGE_NAME}) in the Pulumi project's directory`)});`,
        "    }",
        '    const dir = path.join(root, "dist", "components");',
        `    require(path.join(dir, ${JSON.stringify(`${name}.js`)}));`,
        `    return require(path.join(dir, "providerCode.js")).providerNamed(${JSON.stringify(name)});`,
        "};",
        "",
    ].join("\n");
}

/** What the SDK's dynamic.Resource stores for `provider`: its closure serialized, a secret if it captured one. */
export async function serializeProvider(provider: pulumi.dynamic.ResourceProvider): Promise<{ text: string; containsSecrets: boolean }> {
    const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    return { text: serialized.text, containsSecrets: serialized.containsSecrets };
}

/**
 * How the code of provider `name` of the components in `dir` is stored: by its loader when `dir`
 * holds its compiled module (`<name>.js`: the package as built) and the loader, run from `here`
 * (the program's directory, the dynamic-provider process's too), would find this very package;
 * else serialized in the run, as the SDK does (the TypeScript sources; a program run from where
 * another copy of the package, or none, is installed).
 */
export function codeKind(dir: string, name: string, here = process.cwd()): "loader" | "serialized" {
    if (!fs.existsSync(path.join(dir, `${name}.js`))) {
        return "serialized";
    }
    const found = packageRoot(here, PACKAGE_NAME, (r, p) => require.resolve(r, { paths: p }), fs, path);
    return found !== undefined && fs.realpathSync(found) === fs.realpathSync(path.resolve(dir, "..", "..")) ? "loader" : "serialized";
}

const serializedHere = new WeakMap<NamedProvider, pulumi.Output<string>>();

/** `named`'s code: its loader, or serialized now (once per process) when these modules are not compiled ones. */
function providerCode(named: NamedProvider): pulumi.Input<string> {
    if (codeKind(__dirname, named.name) === "loader") {
        return providerLoader(named.name);
    }
    let code = serializedHere.get(named);
    if (code === undefined) {
        const serialized = serializeProvider(named.provider);
        code = pulumi.output(serialized.then(({ text, containsSecrets }) => (containsSecrets ? pulumi.secret(text) : text)));
        serializedHere.set(named, code);
    }
    return code;
}

/**
 * A dynamic resource, as pulumi.dynamic.Resource makes one (the same type and `__provider`
 * input), whose provider's code is its loader when the package is built (providerLoader).
 */
export class DynamicResource extends pulumi.CustomResource {
    constructor(provider: NamedProvider, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        if ("__provider" in props) {
            throw new Error("a dynamic resource's inputs must not have __provider: that is where its provider's code goes");
        }
        super(DYNAMIC_TYPE, name, { ...props, __provider: providerCode(provider) }, opts);
    }
}
