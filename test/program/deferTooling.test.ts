import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { DEFERRED, deferredKey, deferredModule, deferredObject, isSdkModule } from "../../program/deferTooling";

const ROOT = path.resolve(__dirname, "../..");

/**
 * Loads @pulumi/pulumi in a Node of its own (after deferSdkTooling, as preload.ts and index.ts do,
 * with `defer`) and says whether @npmcli/arborist, the Automation API and TypeScript were loaded
 * then, and after computeCodePaths ran, `pulumi.automation.LocalWorkspace` was read and a
 * function was serialized.
 */
function sdkStart(defer: boolean): { atStart: boolean[]; afterUse: boolean[]; codePaths: number; workspace: string; serialized: boolean } {
    // The module compiled here, so that the child runs without ts-node (which loads TypeScript itself).
    const compiled = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "smv-defer-")), "deferTooling.js");
    fs.writeFileSync(compiled, ts.transpileModule(fs.readFileSync(path.join(ROOT, "program/deferTooling.ts"), "utf8"),
        { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText);
    const script = `${defer ? `require(${JSON.stringify(compiled)}).deferSdkTooling();` : ""}
        const loaded = () => ["/@npmcli/arborist/", "/@pulumi/pulumi/automation/index.js", "/typescript/lib/typescript.js"]
            .map((m) => Object.keys(require.cache).some((f) => f.includes(m)));
        const pulumi = require("@pulumi/pulumi");
        const atStart = loaded();
        pulumi.runtime.computeCodePaths().then(async (paths) => {
            const workspace = typeof pulumi.automation.LocalWorkspace.create;
            const { text } = await pulumi.runtime.serializeFunction(() => 42);
            console.log(JSON.stringify({ atStart, afterUse: loaded(), codePaths: paths.size > 0 ? 1 : 0, workspace, serialized: text.includes("exports.handler") }));
        });`;
    const run = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    fs.rmSync(path.dirname(compiled), { recursive: true, force: true });
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout);
}

describe("program/deferTooling", () => {
    it("knows the SDK's own modules from those of packages beside or under it", () => {
        assert.deepStrictEqual([
            "/p/node_modules/@pulumi/pulumi/runtime/closure/codePaths.js",
            "C:\\p\\node_modules\\@pulumi\\pulumi\\runtime\\closure\\codePaths.js",
            "/p/node_modules/@pulumi/pulumi/node_modules/x/index.js",
            "/p/node_modules/@pulumi/command/index.js",
            "/p/dist/components/ssh.js",
            undefined,
        ].map(isSdkModule), [true, true, false, false, false, false]);
    });

    it("makes a stand-in that loads the module once, when an export is first read, and gives the module's exports", () => {
        let loads = 0;
        const real = Object.assign(function normalize() { return "real"; }, { Arborist: class {} });
        const stub = deferredModule(["Arborist", "default"], () => { loads++; return real; }) as Record<string, unknown>;
        assert.deepStrictEqual([loads, stub.__esModule, Object.keys(stub)], [0, true, ["Arborist", "default"]]);
        assert.deepStrictEqual([stub.Arborist, stub.default, stub.Arborist, loads], [real.Arborist, real, real.Arborist, 1]);
    });

    it("makes a stand-in object that loads the module once, when any property is first read, and reads the module's", () => {
        let loads = 0;
        const real = { SyntaxKind: { ClassDeclaration: 263 }, isClassDeclaration: (x: unknown) => x === 1 };
        const stub = deferredObject(() => { loads++; return real; }) as typeof real;
        assert.equal(loads, 0);
        assert.deepStrictEqual([stub.SyntaxKind, stub.isClassDeclaration(1), "isClassDeclaration" in stub, Object.keys(stub), loads],
            [real.SyntaxKind, true, true, ["SyntaxKind", "isClassDeclaration"], 1]);
    });

    it("defers exactly the tooling computeCodePaths uses, the Automation API and TypeScript", () => {
        assert.deepStrictEqual([...DEFERRED.keys()], ["@npmcli/arborist", "normalize-package-data", "@pulumi/pulumi/automation", "@pulumi/pulumi/typescript-shim"]);
        // Each stand-in names what the real module exports (an export it does not name would read as undefined).
        assert.deepStrictEqual(DEFERRED.get("@npmcli/arborist"), Object.keys(require("@npmcli/arborist")));
        assert.deepStrictEqual(DEFERRED.get("@pulumi/pulumi/automation"), Object.keys(require("@pulumi/pulumi/automation")));
        assert.equal(DEFERRED.get("@pulumi/pulumi/typescript-shim"), "object");
    });

    it("defers the SDK's requires of those modules only: a package's by its name, one of the SDK's own by the path it resolves to", () => {
        const sdk = "/p/node_modules/@pulumi/pulumi";
        assert.deepStrictEqual([
            ["./automation", `${sdk}/index.js`],
            ["./automation", `${sdk}/runtime/index.js`],
            ["../../typescript-shim", `${sdk}/runtime/closure/parseFunction.js`],
            ["../../typescript-shim", "C:\\p\\node_modules\\@pulumi\\pulumi\\runtime\\closure\\utils.js"],
            ["../typescript-shim", `${sdk}/runtime/closure/parseFunction.js`],
            ["./automation", "/p/dist/index.js"],
            ["@npmcli/arborist", `${sdk}/runtime/closure/codePaths.js`],
            ["@npmcli/arborist", "/p/dist/index.js"],
            ["./config", `${sdk}/index.js`],
        ].map(([request, parent]) => deferredKey(request, parent)), [
            "@pulumi/pulumi/automation", undefined, "@pulumi/pulumi/typescript-shim", "@pulumi/pulumi/typescript-shim", undefined, undefined,
            "@npmcli/arborist", undefined, undefined,
        ]);
    });

    it("after deferSdkTooling, @pulumi/pulumi starts without @npmcli/arborist, the Automation API and TypeScript, and still uses each; without it, it loads them at start", function () {
        this.timeout(120_000);
        assert.deepStrictEqual([sdkStart(true), sdkStart(false)], [
            { atStart: [false, false, false], afterUse: [true, true, true], codePaths: 1, workspace: "function", serialized: true },
            { atStart: [true, true, true], afterUse: [true, true, true], codePaths: 1, workspace: "function", serialized: true },
        ]);
    });
});
