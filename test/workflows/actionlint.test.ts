// The pull-request preview workflow (examples/github-actions/) is linted by actionlint, built from
// Go modules into the cache by scripts/actionlint. shellcheck and pyflakes are left out
// (-shellcheck= -pyflakes=) so the result does not depend on what else a machine has installed.
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";

const ROOT = path.join(__dirname, "../..");
const WORKFLOW = "examples/github-actions/swarm-macvlan-preview.yml";

/** Lints `file` from `cwd` (actionlint names files relative to it). */
function actionlint(file: string, cwd = ROOT): { status: number | null; out: string } {
    const r = spawnSync(path.join(ROOT, "scripts/actionlint"), ["-shellcheck=", "-pyflakes=", "-no-color", "-oneline", file], {
        cwd, encoding: "utf8", timeout: 600_000,
    });
    return { status: r.status, out: r.stdout + r.stderr };
}

describe("examples/github-actions", () => {
    before(function () {
        this.timeout(660_000); // the first build of actionlint downloads its modules
        const build = spawnSync(path.join(ROOT, "scripts/actionlint"), [], { cwd: ROOT, encoding: "utf8", timeout: 600_000 });
        assert.equal(build.status, 0, build.stderr);
    });

    it(`${WORKFLOW} lints clean`, () => {
        assert.deepStrictEqual(actionlint(WORKFLOW), { status: 0, out: "" });
    });

    it("fails when a workflow is wrong: the linter runs and names the problem (an unknown input of actions/checkout)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "smv-actionlint-"));
        const text = fs.readFileSync(path.join(ROOT, WORKFLOW), "utf8")
            .replace("      - uses: actions/checkout@v4\n", "      - uses: actions/checkout@v4\n        with:\n          fetch-depht: 1\n");
        fs.writeFileSync(path.join(dir, "bad.yml"), text);
        const line = text.split("\n").indexOf("          fetch-depht: 1") + 1;
        const inputs = ["clean", "fetch-depth", "fetch-tags", "filter", "github-server-url", "lfs", "path", "persist-credentials", "ref", "repository",
            "set-safe-directory", "show-progress", "sparse-checkout", "sparse-checkout-cone-mode", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user",
            "submodules", "token"];
        assert.deepStrictEqual(actionlint("bad.yml", dir), {
            status: 1,
            out: `bad.yml:${line}:11: input "fetch-depht" is not defined in action "actions/checkout@v4". available inputs are ${inputs.map((i) => `"${i}"`).join(", ")} [action]\n`,
        });
    });
});
