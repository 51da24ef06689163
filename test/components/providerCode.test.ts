import * as assert from "node:assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DYNAMIC, find, registrations } from "./mocks";
import {
    DYNAMIC_TYPE, DynamicResource, NamedProvider, PACKAGE_NAME, codeKind, namedProvider, namedProviders, packageRoot, providerLoader, providerNamed, serializeProvider,
} from "../../components/providerCode";
import "../../components";

const tiny: NamedProvider = { name: "Tiny", provider: { async create(inputs: { n: number }) { return { id: "tiny", outs: { twice: inputs.n * 2 } }; } } };

/**
 * A scratch package named `name` whose dist/components hold a stand-in providerCode.js and
 * Tiny.js (the loader's two requires), removed after the test.
 */
function scratchPackage(name: string, dirs: string[]): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "smv-loader-"));
    dirs.push(root);
    const components = path.join(root, "dist", "components");
    fs.mkdirSync(components, { recursive: true });
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name }));
    fs.writeFileSync(path.join(components, "Tiny.js"), "globalThis.tinyLoaded = (globalThis.tinyLoaded ?? 0) + 1;\n");
    fs.writeFileSync(path.join(components, "providerCode.js"),
        "exports.providerNamed = (name) => ({ name, loaded: globalThis.tinyLoaded, root: __dirname });\n");
    return root;
}

/**
 * Runs `code` as the dynamic-provider process does (a module compiled from the string, then its
 * handler) in a child node whose directory is `cwd`: what the handler returned (through `shown`,
 * a JavaScript function's text), or its error.
 */
function loadIn(cwd: string, code: string, shown = "(p) => p"): { returned?: unknown; error?: string } {
    const script = [
        "const Module = require('module');",
        "const m = new Module('');",
        "m.paths = Module._nodeModulePaths(require('path').dirname(''));",
        "m._compile(require('fs').readFileSync(0, 'utf8'), '');",
        `try { console.log(JSON.stringify({ returned: (${shown})(m.exports.handler()) })); } catch (e) { console.log(JSON.stringify({ error: e.message })); }`,
    ].join("\n");
    return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd, input: code, encoding: "utf8", timeout: 30_000 }));
}

/** A provider's functions' names, sorted; as `loadIn`'s `shown`, the same of the provider loaded. */
const functionNames = (p: object) => Object.keys(p).filter((k) => typeof (p as Record<string, unknown>)[k] === "function").sort();
const FUNCTION_NAMES = "(p) => Object.keys(p).filter((k) => typeof p[k] === 'function').sort()";

describe("providerCode", () => {
    const dirs: string[] = [];
    after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("PACKAGE_NAME is package.json's name", () => {
        assert.equal(PACKAGE_NAME, JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")).name);
    });

    describe("namedProvider and providerNamed", () => {
        it("name each of the components' providers once, and refuse a second provider of the same name", () => {
            assert.deepStrictEqual(namedProviders().map((p) => p.name), ["Barrier", "DriftCheck", "GuardConfirm", "NodeLabel", "NodePreflight", "ReplacementGuard"]);
            assert.throws(() => namedProvider("Barrier", tiny.provider), new Error("a dynamic provider is already named Barrier: give each provider a name of its own"));
        });

        it("find a named provider, and say which package lacks one that is not", () => {
            assert.equal(providerNamed("DriftCheck"), namedProviders().find((p) => p.name === "DriftCheck")!.provider);
            assert.throws(() => providerNamed("Gone"), new Error(`the ${PACKAGE_NAME} components at ${path.resolve(__dirname, "..", "..", "components")} have no dynamic provider named Gone: ` +
                `install the version of ${PACKAGE_NAME} the stack was made with`));
        });
    });

    describe("providerLoader", () => {
        it("loads the provider's module, then the provider, from the package installed under the process's directory or above it", () => {
            const pkg = scratchPackage(PACKAGE_NAME, dirs);
            const project = fs.mkdtempSync(path.join(os.tmpdir(), "smv-project-"));
            dirs.push(project);
            fs.mkdirSync(path.join(project, "node_modules"));
            fs.symlinkSync(pkg, path.join(project, "node_modules", PACKAGE_NAME));
            fs.mkdirSync(path.join(project, "infra"));
            const components = path.join(fs.realpathSync(pkg), "dist", "components");
            for (const cwd of [project, path.join(project, "infra")]) {
                assert.deepStrictEqual(loadIn(cwd, providerLoader("Tiny")), { returned: { name: "Tiny", loaded: 1, root: components } });
            }
        });

        it("loads it from the package the process's directory is in when none is installed (this repository's root program, run from dist/)", () => {
            const pkg = scratchPackage(PACKAGE_NAME, dirs);
            const components = path.join(fs.realpathSync(pkg), "dist", "components");
            for (const cwd of [pkg, path.join(pkg, "dist")]) {
                assert.deepStrictEqual(loadIn(cwd, providerLoader("Tiny")), { returned: { name: "Tiny", loaded: 1, root: components } });
            }
        });

        it("says where it looked and how to install the package when neither has it (another package's directory is not it)", () => {
            const other = scratchPackage("not-swarm-macvlan", dirs);
            assert.deepStrictEqual(loadIn(other, providerLoader("Tiny")), {
                error: `the dynamic provider Tiny needs the ${PACKAGE_NAME} package, which is not installed in ${fs.realpathSync(other)} or above it: ` +
                    `install the version the stack was made with (npm install ${PACKAGE_NAME}) in the Pulumi project's directory`,
            });
        });

        it("refuses a name that is not a module's", () => {
            for (const bad of ["", "drift", "../x", "Drift Check", "A\"+b"]) {
                assert.throws(() => providerLoader(bad), new Error(`dynamic provider name ${JSON.stringify(bad)} is not a module name: use the component's, e.g. DriftCheck`));
            }
        });

        it("is under 2 kB, a tenth of the provider's closure at most", async () => {
            const serialized = (await serializeProvider(providerNamed("DriftCheck"))).text.length;
            assert.ok(providerLoader("DriftCheck").length < 2000, `${providerLoader("DriftCheck").length}`);
            assert.ok(serialized > 10 * providerLoader("DriftCheck").length, `serialized ${serialized}`);
        });

        it("works in the built package: each component's loader, run from this repository, gives that component's provider", () => {
            // The compiled components (npm ci builds them); a provider's functions are compared by name.
            const root = path.join(__dirname, "..", "..");
            assert.ok(fs.existsSync(path.join(root, "dist", "components", "providerCode.js")), "dist/components has no providerCode.js: run npm run build");
            for (const { name, provider } of namedProviders()) {
                assert.deepStrictEqual(loadIn(path.join(root, "dist"), providerLoader(name), FUNCTION_NAMES), { returned: functionNames(provider) },
                    `${name} (is dist/ older than the sources? npm run build)`);
            }
        });
    });

    describe("packageRoot", () => {
        const find = (here: string, pkg = PACKAGE_NAME) => packageRoot(here, pkg, (r, p) => require.resolve(r, { paths: p }), fs, path);

        it("finds the package installed in the directory or above it, else the package the directory is in, else nothing", () => {
            const pkg = scratchPackage(PACKAGE_NAME, dirs);
            const project = fs.mkdtempSync(path.join(os.tmpdir(), "smv-project-"));
            dirs.push(project);
            fs.mkdirSync(path.join(project, "node_modules", "sub"), { recursive: true });
            fs.symlinkSync(pkg, path.join(project, "node_modules", PACKAGE_NAME));
            const installed = fs.realpathSync(pkg);
            assert.deepStrictEqual([project, path.join(project, "node_modules", "sub")].map((d) => find(d)), [installed, installed]);
            assert.deepStrictEqual([pkg, path.join(pkg, "dist", "components")].map((d) => find(d)), [pkg, pkg]);
            assert.equal(find(scratchPackage("not-swarm-macvlan", dirs)), undefined);
        });
    });

    describe("codeKind", () => {
        it("is the loader where the provider's compiled module is and the loader finds this very package from the directory, else serialized", () => {
            const pkg = scratchPackage(PACKAGE_NAME, dirs);
            const components = path.join(pkg, "dist", "components");
            const project = (installed?: string) => {
                const d = fs.mkdtempSync(path.join(os.tmpdir(), "smv-project-"));
                dirs.push(d);
                if (installed !== undefined) {
                    fs.mkdirSync(path.join(d, "node_modules"));
                    fs.symlinkSync(installed, path.join(d, "node_modules", PACKAGE_NAME));
                }
                return d;
            };
            assert.deepStrictEqual({
                installed: codeKind(components, "Tiny", project(pkg)),
                itself: codeKind(components, "Tiny", path.join(pkg, "dist")),
                anotherCopy: codeKind(components, "Tiny", project(scratchPackage(PACKAGE_NAME, dirs))),
                none: codeKind(components, "Tiny", project()),
                noCompiledModule: codeKind(components, "DriftCheck", project(pkg)),
                sources: codeKind(path.join(__dirname, "..", "..", "components"), "DriftCheck", path.join(__dirname, "..", "..")),
            }, { installed: "loader", itself: "loader", anotherCopy: "serialized", none: "serialized", noCompiledModule: "serialized", sources: "serialized" });
        });
    });

    describe("DynamicResource", () => {
        it("registers a dynamic resource as pulumi.dynamic.Resource does: its type, its inputs, and its provider's code in __provider", async () => {
            const r = new DynamicResource(tiny, "code-tiny", { n: 21 });
            await new Promise<void>((resolve) => r.urn.apply(() => resolve()));
            assert.equal(DYNAMIC_TYPE, DYNAMIC);
            // The TypeScript sources have no compiled module beside them: the code is serialized in the run.
            const { inputs } = find(DYNAMIC, "code-tiny");
            assert.deepStrictEqual(inputs, { n: 21, __provider: (await serializeProvider(tiny.provider)).text });
            assert.equal(registrations.filter((x) => x.name === "code-tiny").length, 1);
        });

        it("refuses inputs that have __provider", () => {
            assert.throws(() => new DynamicResource(tiny, "code-bad", { __provider: "x" }),
                new Error("a dynamic resource's inputs must not have __provider: that is where its provider's code goes"));
        });
    });
});
