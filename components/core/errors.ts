/**
 * The one error the core throws: every problem found in a spec, each line starting with the
 * field path, then the bad value, then what is allowed.
 *
 * @example
 * new SpecError(["networks[0].vlanId 5000 is outside 1-4094"]).message
 * // "invalid swarm-macvlan spec (1 problem):\n  networks[0].vlanId 5000 is outside 1-4094"
 */
export class SpecError extends Error {
    constructor(readonly problems: readonly string[]) {
        const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
        super(`invalid swarm-macvlan spec (${count}):\n${problems.map((p) => `  ${p}`).join("\n")}`);
        this.name = "SpecError";
    }
}

/** Shows a value as it would be typed in YAML: plain when safe, JSON-quoted otherwise. */
export function show(value: unknown): string {
    // A string that YAML would read as a number or boolean is shown quoted, so `"22"` is
    // not mistaken for 22.
    if (typeof value === "string" && /^[A-Za-z0-9_.:/@+-]+$/.test(value) && !/^([-+]?(\d+|\d*\.\d+)|true|false|null)$/.test(value)) {
        return value;
    }
    return value === undefined ? "(missing)" : JSON.stringify(value);
}

/** Collects problems in the order found; `throwIfAny` raises them once as a SpecError. */
export class Problems {
    private readonly lines: string[] = [];

    /** Records `<path> <value> <what is wrong and allowed>`. */
    add(path: string, value: unknown, message: string): void {
        this.lines.push(`${path} ${show(value)} ${message}`);
    }

    get list(): readonly string[] {
        return this.lines;
    }

    throwIfAny(): void {
        if (this.lines.length > 0) {
            throw new SpecError(this.lines);
        }
    }
}
