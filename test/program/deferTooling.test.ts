import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { DEFERRED, deferredModule, isDeferred, isSdkModule } from "../../program/deferTooling";

const ROOT = path.resolve(__dirname, "../..");

/**
 * Loads @pulumi/pulumi in a Node of its own (after deferSdkTooling, as index.ts does, with `defer`)
 * and says whether @npmcli/arborist and the Automation API were loaded then, and after
 * computeCodePaths ran and `pulumi.automation.LocalWorkspace` was read.
 */
function sdkStart(defer: boolean): { atStart: boolean[]; afterUse: boolean[]; codePaths: number; workspace: string } {
    const script = `${defer ? 'require("./program/deferTooling").deferSdkTooling();' : ""}
        const loaded = () => ["/@npmcli/arborist/", "/@pulumi/pulumi/automation/index.js"].map((m) => Object.keys(require.cache).some((f) => f.includes(m)));
        const pulumi = require("@pulumi/pulumi");
        const atStart = loaded();
        pulumi.runtime.computeCodePaths().then((paths) => {
            const workspace = typeof pulumi.automation.LocalWorkspace.create;
            console.log(JSON.stringify({ atStart, afterUse: loaded(), codePaths: paths.size > 0 ? 1 : 0, workspace }));
        });`;
    const args = ["--require", "ts-node/register/transpile-only", "-e", script];
    const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
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

    it("defers exactly the tooling computeCodePaths uses and the Automation API", () => {
        assert.deepStrictEqual([...DEFERRED.keys()], ["@npmcli/arborist", "normalize-package-data", "./automation"]);
        // Each stand-in names what the real module exports (an export it does not name would read as undefined).
        assert.deepStrictEqual(DEFERRED.get("@npmcli/arborist"), Object.keys(require("@npmcli/arborist")));
        assert.deepStrictEqual(DEFERRED.get("./automation"), Object.keys(require("@pulumi/pulumi/automation")));
    });

    it("defers a relative require only from the SDK's index.js, a package's only from the SDK's modules", () => {
        const sdk = "/p/node_modules/@pulumi/pulumi";
        assert.deepStrictEqual([
            ["./automation", `${sdk}/index.js`],
            ["./automation", `${sdk}/runtime/index.js`],
            ["./automation", "/p/dist/index.js"],
            ["@npmcli/arborist", `${sdk}/runtime/closure/codePaths.js`],
            ["@npmcli/arborist", "/p/dist/index.js"],
            ["./config", `${sdk}/index.js`],
        ].map(([request, parent]) => isDeferred(request, parent)), [true, false, false, true, false, false]);
    });

    it("after deferSdkTooling, @pulumi/pulumi starts without @npmcli/arborist and the Automation API and still uses both; without it, it loads them at start", function () {
        this.timeout(120_000);
        assert.deepStrictEqual([sdkStart(true), sdkStart(false)], [
            { atStart: [false, false], afterUse: [true, true], codePaths: 1, workspace: "function" },
            { atStart: [true, true], afterUse: [true, true], codePaths: 1, workspace: "function" },
        ]);
    });
});
