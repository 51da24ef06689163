import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { main } from "../../cli/main";

const ROOT = path.join(__dirname, "../..");

describe("the README's address maps (docs/seeds/*.svg)", () => {
    const seeds = fs.readdirSync(path.join(ROOT, "examples/seeds")).filter((f) => f.endsWith(".yaml")).sort();

    it("exist for every seed and nothing else", () => {
        assert.deepStrictEqual(fs.readdirSync(path.join(ROOT, "docs/seeds")).sort(), seeds.map((s) => s.replace(/\.yaml$/, ".svg")));
    });

    for (const seed of seeds) {
        const picture = `docs/seeds/${seed.replace(/\.yaml$/, ".svg")}`;
        it(`${picture} is what plan --format svg draws today (else run scripts/docs-images)`, async () => {
            let out = "";
            const code = await main(["plan", "--config", path.join(ROOT, "examples/seeds", seed), "--format", "svg"], { out: (t) => (out += t), err: () => undefined });
            assert.equal(code, 0);
            assert.equal(out, fs.readFileSync(path.join(ROOT, picture), "utf8"), `${picture} is out of date: run scripts/docs-images`);
        });
    }
});
