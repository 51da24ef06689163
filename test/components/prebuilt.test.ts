import * as assert from "node:assert/strict";
import * as fs from "fs";
import Module = require("module");
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { DYNAMIC, find, registrations } from "./mocks";
import {
    DYNAMIC_TYPE, DynamicResource, NamedProvider, PREBUILT_FILE, componentsFingerprint, namedProvider, namedProviders, readPrebuilt, serializeProvider, writePrebuilt,
} from "../../components/prebuilt";
import "../../components";

/** A scratch directory with `files` (relative path to content), removed after the test. */
function scratch(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "smv-prebuilt-"));
    for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), content);
    }
    return dir;
}

/** What the dynamic-provider process does with a provider's code: loads it as a module and calls its handler. */
function load(text: string): pulumi.dynamic.ResourceProvider {
    const m = new Module("");
    (m as any)._compile(text, "");
    return (m.exports as { handler: () => pulumi.dynamic.ResourceProvider }).handler();
}

const COMPONENTS = { "index.js": "exports.a = 1;\n", "core/plan.js": "exports.b = 2;\n", "index.d.ts": "export {};\n" };
const tiny: NamedProvider = { name: "Tiny", provider: { async create(inputs: { n: number }) { return { id: "tiny", outs: { twice: inputs.n * 2 } }; } } };

describe("prebuilt", () => {
    const dirs: string[] = [];
    const dir = (files: Record<string, string>) => {
        dirs.push(scratch(files));
        return dirs[dirs.length - 1];
    };
    after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    describe("componentsFingerprint", () => {
        it("is the same for the same .js files, and changes with a file's content, its path, or a new .js file", () => {
            const base = componentsFingerprint(dir(COMPONENTS));
            assert.match(base, /^[0-9a-f]{64}$/);
            assert.equal(componentsFingerprint(dir(COMPONENTS)), base);
            const others = ([
                { ...COMPONENTS, "index.js": "exports.a = 3;\n" },
                { "index.js": COMPONENTS["index.js"], "core/plan2.js": COMPONENTS["core/plan.js"], "index.d.ts": COMPONENTS["index.d.ts"] },
                { ...COMPONENTS, "extra.js": "" },
            ] as Record<string, string>[]).map((files) => componentsFingerprint(dir(files)));
            assert.equal(new Set([base, ...others]).size, 4);
        });

        it("ignores what is not .js: declarations, maps, the prebuilt file itself", () => {
            const base = componentsFingerprint(dir(COMPONENTS));
            assert.equal(componentsFingerprint(dir({ ...COMPONENTS, "index.d.ts": "export declare const a: 1;\n", "index.js.map": "{}", [PREBUILT_FILE]: "{}" })), base);
        });
    });

    describe("writePrebuilt and readPrebuilt", () => {
        it("write each provider's code, which loads as a working provider, and read it back while the components are unchanged", async () => {
            const d = dir(COMPONENTS);
            const written = await writePrebuilt(d, [tiny]);
            assert.deepStrictEqual(written, { fingerprint: componentsFingerprint(d), providers: { Tiny: (await serializeProvider(tiny.provider)).text } });
            assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(d, PREBUILT_FILE), "utf8")), written);
            assert.deepStrictEqual(readPrebuilt(d), written.providers);
            assert.deepStrictEqual(await load(written.providers.Tiny).create({ n: 21 }), { id: "tiny", outs: { twice: 42 } });
        });

        it("read nothing once a component changed after the build, with no file, or with a broken one", async () => {
            const d = dir(COMPONENTS);
            await writePrebuilt(d, [tiny]);
            fs.appendFileSync(path.join(d, "core/plan.js"), "exports.c = 3;\n");
            assert.equal(readPrebuilt(d), undefined);
            assert.equal(readPrebuilt(dir(COMPONENTS)), undefined);
            assert.equal(readPrebuilt(dir({ ...COMPONENTS, [PREBUILT_FILE]: "{not json" })), undefined);
        });

        it("refuses a provider that captures a secret, naming it", async () => {
            const key = pulumi.secret("not-a-real-key");
            const leaky: NamedProvider = { name: "Leaky", provider: { async create() { return { id: "x", outs: { key } }; } } };
            await assert.rejects(writePrebuilt(dir(COMPONENTS), [tiny, leaky]),
                new Error("the dynamic provider Leaky captures a secret: its code cannot be prebuilt; pass secrets as inputs instead"));
        });
    });

    describe("namedProvider", () => {
        it("names each of the components' providers once, and refuses a second provider of the same name", () => {
            assert.deepStrictEqual(namedProviders().map((p) => p.name), ["Barrier", "DriftCheck", "GuardConfirm", "NodeLabel", "NodePreflight", "ReplacementGuard"]);
            assert.throws(() => namedProvider("Barrier", tiny.provider), new Error("a dynamic provider is already named Barrier: give each provider a name of its own"));
        });
    });

    describe("DynamicResource", () => {
        it("registers a dynamic resource as pulumi.dynamic.Resource does: its type, its inputs, and its provider's code in __provider", async () => {
            const r = new DynamicResource(tiny, "prebuilt-tiny", { n: 21 });
            await new Promise<void>((resolve) => r.urn.apply(() => resolve()));
            assert.equal(DYNAMIC_TYPE, DYNAMIC);
            // The TypeScript sources have no prebuilt file beside them: the code is serialized in the run.
            const { inputs } = find(DYNAMIC, "prebuilt-tiny");
            assert.deepStrictEqual(inputs, { n: 21, __provider: (await serializeProvider(tiny.provider)).text });
            assert.equal(registrations.filter((x) => x.name === "prebuilt-tiny").length, 1);
        });

        it("refuses inputs that have __provider", () => {
            assert.throws(() => new DynamicResource(tiny, "prebuilt-bad", { __provider: "x" }),
                new Error("a dynamic resource's inputs must not have __provider: that is where its provider's code goes"));
        });
    });
});
