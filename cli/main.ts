// The `swarm-macvlan` command.
//   plan  --config FILE [--format json|table|markdown|pins]   validate and plan, touching no host
//   check --config FILE [--identity KEYFILE] [--format ...]    compare every node with the plan
// Exit 0: fine. 1: a node could not be reached. 2: an invalid spec, or drift. 64: bad usage.
import { parseArgs } from "node:util";
import { FORMATS, Format, render } from "../components/core";
import { CHECK_FORMATS, CHECK_USAGE, CheckOptions, check } from "./check";
import { CliError, EXIT, Io, loadPlan, processIo } from "./io";

const PLAN_USAGE = `swarm-macvlan plan --config FILE [--format ${FORMATS.join("|")}]`;
const USAGE = `usage: ${PLAN_USAGE}\n       ${CHECK_USAGE}`;

type Values = Record<string, string | undefined>;

/** Parses `args` with the given string options; usage errors name the bad value. */
function options(args: readonly string[], names: readonly string[]): Values {
    try {
        return parseArgs({ args: [...args], options: Object.fromEntries(names.map((n) => [n, { type: "string" as const }])), strict: true }).values as Values;
    } catch (e) {
        throw new CliError(`swarm-macvlan: ${(e as Error).message}`, EXIT.usage);
    }
}

function required(values: Values, name: string): string {
    const value = values[name];
    if (value === undefined) {
        throw new CliError(`swarm-macvlan: --${name} FILE is required`, EXIT.usage);
    }
    return value;
}

function oneOf<T extends string>(values: Values, name: string, allowed: readonly T[], fallback: T): T {
    const value = values[name] ?? fallback;
    if (!allowed.includes(value as T)) {
        throw new CliError(`swarm-macvlan: --${name} ${JSON.stringify(value)} is not one of ${allowed.join(", ")}`, EXIT.usage);
    }
    return value as T;
}

async function run(argv: readonly string[], io: Io): Promise<number> {
    const [command, ...rest] = argv;
    if (command === "plan") {
        const values = options(rest, ["config", "format"]);
        const format = oneOf<Format>(values, "format", FORMATS, "table");
        io.out(render(loadPlan(required(values, "config")).plan, format));
        return EXIT.ok;
    }
    if (command === "check") {
        const values = options(rest, ["config", "format", "identity", "timeout"]);
        const timeout = Number(values.timeout ?? 120);
        if (!Number.isInteger(timeout) || timeout < 1) {
            throw new CliError(`swarm-macvlan: --timeout ${JSON.stringify(values.timeout)} is not a whole number of seconds`, EXIT.usage);
        }
        const opts: CheckOptions = {
            config: required(values, "config"), format: oneOf(values, "format", CHECK_FORMATS, "table"), identity: values.identity, timeout,
        };
        return check(opts, io);
    }
    throw new CliError(`swarm-macvlan: unknown command ${JSON.stringify(command ?? "")}`, EXIT.usage);
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
    try {
        return await run(argv, io);
    } catch (e) {
        if (e instanceof CliError) {
            io.err(`${e.message}\n${e.code === EXIT.usage ? `${USAGE}\n` : ""}`);
            return e.code;
        }
        throw e;
    }
}
