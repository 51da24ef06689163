// Golden files: generated text compared exactly with test/golden/<name>, updated on purpose.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

export const GOLDEN = path.join(__dirname, "..", "golden");

/**
 * Compares `actual` with test/golden/<name> exactly. `UPDATE_GOLDEN=1` rewrites the file
 * instead (on purpose only: review the diff before committing it).
 */
export function assertGolden(name: string, actual: string): void {
    const file = path.join(GOLDEN, name);
    if (process.env.UPDATE_GOLDEN === "1") {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, actual);
        return;
    }
    assert.ok(fs.existsSync(file), `missing golden file ${file}; run with UPDATE_GOLDEN=1 and review it`);
    assert.equal(actual, fs.readFileSync(file, "utf8"), `${name} differs from its golden file`);
}
