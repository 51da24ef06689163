import { parse } from "yaml";

/**
 * The one error the core throws: every problem found in a spec, each line starting with the
 * field path, then the bad value, then what is allowed.
 *
 * @example
 * new SpecError(["networks[0].vlanId 5000 is outside 1-4094"]).message
 * // "invalid swarm-macvlan spec (1 problem):\n  networks[0].vlanId 5000 is outside 1-4094"
 */
export class SpecError extends Error {
    /**
     * @param problems one line per problem
     * @param subject whose input it is, e.g. `ConfigOnlyNetwork "node1-vlan40"`; the spec's when left out
     */
    constructor(readonly problems: readonly string[], readonly subject?: string) {
        const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
        const what = subject === undefined ? "invalid swarm-macvlan spec" : `invalid arguments to ${subject}`;
        super(`${what} (${count}):\n${problems.map((p) => `  ${p}`).join("\n")}`);
        this.name = "SpecError";
    }
}

/**
 * Shows a value as it would be typed in YAML: a string bare when YAML reads it back as the
 * same string, JSON-quoted otherwise (so the string "22" or "0x16" is not mistaken for a number).
 */
export function show(value: unknown): string {
    if (typeof value === "string" && value.length > SHOWN) {
        // Never echo a long value whole (a 50 MB string would fill the terminal and the logs).
        return `${JSON.stringify(value.slice(0, SHOWN))}... (${value.length.toLocaleString("en-US")} characters)`;
    }
    if (typeof value === "string" && /^[A-Za-z0-9_.:/@+-]+$/.test(value) && readsAsItself(value)) {
        return value;
    }
    if (value === undefined) {
        return "(missing)";
    }
    const text = JSON.stringify(value);
    return text.length > SHOWN ? `${text.slice(0, SHOWN)}... (${text.length.toLocaleString("en-US")} characters)` : text;
}

/** How many characters of a bad value a message shows. */
const SHOWN = 160;

function readsAsItself(text: string): boolean {
    try {
        return parse(text) === text;
    } catch {
        return false;
    }
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
