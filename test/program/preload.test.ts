import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");

/**
 * A Node of its own that loads program/preload.ts first (compiled here, so that no ts-node, which
 * loads TypeScript itself, runs in it), then what the dynamic providers' process loads of the
 * SDK (its runtime): which of @npmcli/arborist, the Automation API and TypeScript it has loaded,
 * and whether Node's compile cache is on.
 */
function preloaded(preload: boolean): { loaded: boolean[]; compileCache: boolean } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "smv-preload-"));
    for (const name of ["preload", "deferTooling"]) {
        fs.writeFileSync(path.join(dir, `${name}.js`), ts.transpileModule(fs.readFileSync(path.join(ROOT, "program", `${name}.ts`), "utf8"),
            { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText);
    }
    const script = `require("@pulumi/pulumi/runtime");
        const loaded = ["/@npmcli/arborist/", "/@pulumi/pulumi/automation/index.js", "/typescript/lib/typescript.js"]
            .map((m) => Object.keys(require.cache).some((f) => f.includes(m)));
        console.log(JSON.stringify({ loaded, compileCache: require("module").getCompileCacheDir?.() !== undefined }));`;
    const args = [...(preload ? ["--require", path.join(dir, "preload.js")] : []), "-e", script];
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "NODE_COMPILE_CACHE"));
    const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", timeout: 60_000, env });
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout);
}

describe("program/preload", () => {
    it("turns Node's compile cache on and defers what the SDK loads at start-up and the dynamic providers never use; without it, the SDK loads it all", function () {
        this.timeout(120_000);
        assert.deepStrictEqual([preloaded(true), preloaded(false)], [
            { loaded: [false, false, false], compileCache: true },
            { loaded: [true, true, true], compileCache: false },
        ]);
    });
});
