// The dynamic providers' code as Pulumi stores it (each dynamic resource's `__provider`),
// serialized once when the package is built rather than in every run. Serializing walks each
// provider's closure and parses its functions with TypeScript, which the SDK loads for that
// alone: about 0.37 s of CPU in every run of a 12-node program (profiled), for the same text
// every time. `npm run build` (program/serializeProviders.ts) writes PREBUILT_FILE beside the
// compiled components, with a fingerprint of them; a run whose components differ from that
// fingerprint, or that has no such file (the TypeScript sources under ts-node), serializes the
// provider as the SDK's dynamic.Resource does. Either way the engine gets the same resource:
// the type `pulumi-nodejs:dynamic:Resource` with the provider's code in `__provider`.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

/** A dynamic provider and the name its code is kept under in PREBUILT_FILE. */
export interface NamedProvider {
    /** Unique among the package's providers, e.g. `DriftCheck`. */
    readonly name: string;
    readonly provider: pulumi.dynamic.ResourceProvider;
}

/** The file, beside the compiled components, that holds the providers' serialized code. */
export const PREBUILT_FILE = "providers.json";

/** The type Pulumi's Node.js dynamic provider serves, as pulumi.dynamic.Resource registers it. */
export const DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";

/** What PREBUILT_FILE holds. */
export interface Prebuilt {
    /** componentsFingerprint of the compiled components the code was serialized from. */
    readonly fingerprint: string;
    /** Each provider's serialized code, by name. */
    readonly providers: Readonly<Record<string, string>>;
}

const registered = new Map<string, NamedProvider>();

/**
 * Names `provider` for PREBUILT_FILE and records it for the build, which serializes every
 * provider so named once the components are loaded.
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

/**
 * SHA-256 of the compiled components in `dir`: every `.js` file under it, by its path relative
 * to `dir` and its content, in path order. The serialized code of a provider comes from these
 * files alone (what it takes from other packages it `require`s by name when it runs).
 */
export function componentsFingerprint(dir: string): string {
    const hash = crypto.createHash("sha256");
    const files = (fs.readdirSync(dir, { recursive: true }) as string[])
        .filter((f) => f.endsWith(".js"))
        .map((f) => f.split(path.sep).join("/"))
        .sort();
    for (const file of files) {
        hash.update(`${file}\0`).update(fs.readFileSync(path.join(dir, file))).update("\0");
    }
    return hash.digest("hex");
}

/**
 * The providers' code in `dir`'s PREBUILT_FILE, when there is one and it was serialized from
 * exactly the components in `dir` (componentsFingerprint); otherwise undefined.
 */
export function readPrebuilt(dir: string): Readonly<Record<string, string>> | undefined {
    let prebuilt: Prebuilt;
    try {
        prebuilt = JSON.parse(fs.readFileSync(path.join(dir, PREBUILT_FILE), "utf8")) as Prebuilt;
    } catch {
        return undefined;
    }
    return prebuilt.fingerprint === componentsFingerprint(dir) ? prebuilt.providers : undefined;
}

/** What the SDK's dynamic.Resource stores for `provider`: its closure serialized, a secret if it captured one. */
export async function serializeProvider(provider: pulumi.dynamic.ResourceProvider): Promise<{ text: string; containsSecrets: boolean }> {
    const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    return { text: serialized.text, containsSecrets: serialized.containsSecrets };
}

/**
 * Writes `dir`'s PREBUILT_FILE: each of `providers` serialized, with the fingerprint of the
 * components in `dir`. A provider that captures a secret is refused: its code would be stored
 * in plain text.
 */
export async function writePrebuilt(dir: string, providers: readonly NamedProvider[]): Promise<Prebuilt> {
    const entries: [string, string][] = [];
    for (const { name, provider } of providers) {
        const { text, containsSecrets } = await serializeProvider(provider);
        if (containsSecrets) {
            throw new Error(`the dynamic provider ${name} captures a secret: its code cannot be prebuilt; pass secrets as inputs instead`);
        }
        entries.push([name, text]);
    }
    const prebuilt = { fingerprint: componentsFingerprint(dir), providers: Object.fromEntries(entries) };
    fs.writeFileSync(path.join(dir, PREBUILT_FILE), `${JSON.stringify(prebuilt)}\n`);
    return prebuilt;
}

let prebuiltHere: Readonly<Record<string, string>> | undefined | null = null;
const serializedHere = new WeakMap<NamedProvider, pulumi.Output<string>>();

/** `named`'s code: prebuilt when this directory's PREBUILT_FILE matches it, else serialized now (once per process). */
function providerCode(named: NamedProvider): pulumi.Input<string> {
    if (prebuiltHere === null) {
        prebuiltHere = readPrebuilt(__dirname);
    }
    const text = prebuiltHere?.[named.name];
    if (text !== undefined) {
        return text;
    }
    let code = serializedHere.get(named);
    if (code === undefined) {
        const serialized = serializeProvider(named.provider);
        code = pulumi.output(serialized.then(({ text: t, containsSecrets }) => (containsSecrets ? pulumi.secret(t) : t)));
        serializedHere.set(named, code);
    }
    return code;
}

/**
 * A dynamic resource, as pulumi.dynamic.Resource makes one (the same type and `__provider`
 * input), whose provider's code is prebuilt when the package's build made it.
 */
export class DynamicResource extends pulumi.CustomResource {
    constructor(provider: NamedProvider, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        if ("__provider" in props) {
            throw new Error("a dynamic resource's inputs must not have __provider: that is where its provider's code goes");
        }
        super(DYNAMIC_TYPE, name, { ...props, __provider: providerCode(provider) }, opts);
    }
}
