import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { DEFERRED, deferredModule, isSdkModule } from "../../program/deferTooling";

const ROOT = path.resolve(__dirname, "../..");

/**
 * Loads @pulumi/pulumi in a Node of its own (after deferSdkTooling, as index.ts does, with `defer`)
 * and says whether @npmcli/arborist was loaded then, and after computeCodePaths ran.
 */
function sdkStart(defer: boolean): { atStart: boolean; afterCodePaths: boolean; codePaths: number } {
    const script = `${defer ? 'require("./program/deferTooling").deferSdkTooling();' : ""}
        const loaded = () => Object.keys(require.cache).some((f) => f.includes("/@npmcli/arborist/"));
        const pulumi = require("@pulumi/pulumi");
        const atStart = loaded();
        pulumi.runtime.computeCodePaths().then((paths) => console.log(JSON.stringify({ atStart, afterCodePaths: loaded(), codePaths: paths.size > 0 ? 1 : 0 })));`;
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

    it("defers exactly the tooling computeCodePaths uses", () => {
        assert.deepStrictEqual([...DEFERRED.keys()], ["@npmcli/arborist", "normalize-package-data"]);
        // The stand-in names what the real module exports (an export it does not name would read as undefined).
        assert.deepStrictEqual(DEFERRED.get("@npmcli/arborist"), Object.keys(require("@npmcli/arborist")));
    });

    it("after deferSdkTooling, @pulumi/pulumi starts without @npmcli/arborist and still computes code paths; without it, it loads it at start", function () {
        this.timeout(120_000);
        assert.deepStrictEqual([sdkStart(true), sdkStart(false)], [
            { atStart: false, afterCodePaths: true, codePaths: 1 },
            { atStart: true, afterCodePaths: true, codePaths: 1 },
        ]);
    });
});
