// The `swarm-macvlan` command.
//   plan  --config FILE [--format ...] [--namespace NAME]             validate and plan, touching no host
//   check --config FILE [--identity KEYFILE] [--format ...] [...]      compare every node with the plan
//   status --config FILE [--identity KEYFILE] [--format ...] [...]     every container's address, swarm-wide
//   keyscan --config FILE [--timeout SECONDS] [--namespace NAME]        the host key each node offers, to check and paste
// Exit 0: fine. 1: a node could not be reached. 2: an invalid spec, or drift. 64: bad usage.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "node:util";
import { FORMATS, Format, MISSING_HOST_KEY_FIX, STATUS_FORMATS, render } from "../components/core";
import { keyscan } from "./keyscan";
import { CHECK_FORMATS, check } from "./check";
import { status } from "./status";
import { CliError, EXIT, Io, escaped, loadPlan, namespaceOf, processIo } from "./io";

type Values = Record<string, string | boolean | undefined>;

interface Command {
    readonly usage: string;
    readonly about: string;
    /** Each option's argument name (undefined for a flag) and its one-line help. */
    readonly options: Readonly<Record<string, { readonly arg?: string; readonly help: string }>>;
    run(values: Values, io: Io): Promise<number>;
}

const CONFIG_HELP = "a spec file ({nodes, networks}, YAML or JSON) or a stack file, Pulumi.<env>.yaml; - reads it from stdin";
const NAMESPACE_HELP = "a stack file's config namespace (default: the name in the Pulumi.yaml beside it, else swarm-macvlan)";

/** The options of the commands that ask every node over SSH (check, status). */
const NODE_QUERY_OPTIONS: Command["options"] = {
    config: { arg: "FILE", help: CONFIG_HELP },
    identity: { arg: "KEYFILE", help: "the SSH private key (default: the stack file's <namespace>:sshPrivateKeyPath, else the ssh-agent)" },
    format: { arg: "FORMAT", help: "table (the default), json or markdown" },
    timeout: { arg: "SECONDS", help: "how long each node may take, connecting included (default 120)" },
    namespace: { arg: "NAME", help: NAMESPACE_HELP },
    "known-hosts": { arg: "FILE", help: "host keys for the nodes without a hostKey (default: ~/.ssh/known_hosts, if it exists; hashed entries too)" },
};

const COMMANDS: Readonly<Record<string, Command>> = {
    plan: {
        usage: `swarm-macvlan plan --config FILE [--format ${FORMATS.join("|")}] [--namespace NAME]`,
        about: "Validates a spec and prints its plan, touching no host: exit 0 with the plan on stdout, 2 with every problem on stderr.",
        options: {
            config: { arg: "FILE", help: CONFIG_HELP },
            format: {
                arg: "FORMAT",
                help: "table (the default), json, markdown (a pull-request comment), pins (today's ranges as spec text), svg (an address map per subnet)",
            },
            namespace: { arg: "NAME", help: NAMESPACE_HELP },
        },
        async run(values, io) {
            const file = required(values, "config");
            const format = oneOf<Format>(values, "format", FORMATS, "table");
            const plan = loadPlan(file, io, namespaceOf(file, values.namespace as string | undefined)).plan;
            for (const n of plan.nodes.filter((node) => node.hostKey === undefined)) {
                io.err(`warning: node ${n.name} has no hostKey: any machine that answers at ${n.host}:${n.port} is taken for it; ${MISSING_HOST_KEY_FIX}\n`);
            }
            io.out(render(plan, format));
            return EXIT.ok;
        },
    },
    check: {
        usage: `swarm-macvlan check --config FILE [--identity KEYFILE] [--format ${CHECK_FORMATS.join("|")}] [--timeout SECONDS] [--namespace NAME] [--known-hosts FILE]`,
        about: "Compares every node with the plan over SSH, without Pulumi state: exit 0 in sync, 2 on drift, 1 when a node could not be checked.",
        options: NODE_QUERY_OPTIONS,
        async run(values, io) {
            const config = required(values, "config");
            return check({
                config, format: oneOf(values, "format", CHECK_FORMATS, "table"), identity: values.identity as string | undefined, timeout: seconds(values),
                namespace: namespaceOf(config, values.namespace as string | undefined), knownHosts: values["known-hosts"] as string | undefined,
            }, io);
        },
    },
    status: {
        usage: `swarm-macvlan status --config FILE [--identity KEYFILE] [--format ${STATUS_FORMATS.join("|")}] [--timeout SECONDS] [--namespace NAME] [--known-hosts FILE]`,
        about: "Lists every container on the plan's networks on every node with its address and service, each range's use, and " +
            "addresses outside their range or on two nodes; each task address and whether a task holds it, services without the placement constraint " +
            "or updating start-first onto pinned addresses, and nodes whose placement label and network disagree: exit 0 fine, 2 on such a problem, 1 when a node could not be asked.",
        options: NODE_QUERY_OPTIONS,
        async run(values, io) {
            const config = required(values, "config");
            return status({
                config, format: oneOf(values, "format", STATUS_FORMATS, "table"), identity: values.identity as string | undefined,
                timeout: seconds(values), namespace: namespaceOf(config, values.namespace as string | undefined),
                knownHosts: values["known-hosts"] as string | undefined,
            }, io);
        },
    },
    keyscan: {
        usage: "swarm-macvlan keyscan --config FILE [--timeout SECONDS] [--namespace NAME]",
        about: "Prints the nodes with the SSH host key each offers now (hostKey) and its fingerprint, to check on each node and paste: " +
            "exit 0, 1 when a node did not answer. Nothing is trusted or written by itself.",
        options: {
            config: { arg: "FILE", help: CONFIG_HELP },
            timeout: { arg: "SECONDS", help: "how long each node may take (default 120)" },
            namespace: { arg: "NAME", help: NAMESPACE_HELP },
        },
        async run(values, io) {
            const config = required(values, "config");
            return keyscan({ config, timeout: seconds(values), namespace: namespaceOf(config, values.namespace as string | undefined) }, io);
        },
    },
};

/** --timeout, a whole number of seconds (120 when left out). */
function seconds(values: Values): number {
    const timeout = Number(values.timeout ?? 120);
    if (!Number.isInteger(timeout) || timeout < 1) {
        throw new UsageProblem(`--timeout ${JSON.stringify(values.timeout)} is not a whole number of seconds`);
    }
    return timeout;
}

const USAGE = `usage: ${Object.values(COMMANDS).map((c) => c.usage).join("\n       ")}\n       swarm-macvlan --help | --version | COMMAND --help`;

function help(): string {
    return [
        "swarm-macvlan: plans Docker Swarm macvlan networks across every node, and checks the nodes against the plan.",
        "",
        USAGE,
        "",
        ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(Math.max(...Object.keys(COMMANDS).map((n) => n.length)))} ${c.about}`),
        "",
        `FILE is ${CONFIG_HELP}.`,
        "Exit status: 0 fine, 1 a node could not be reached, 2 an invalid spec or drift, 64 bad usage.",
        "",
    ].join("\n");
}

function commandHelp(command: Command): string {
    const rows = [...Object.entries(command.options).map(([name, o]) => [`--${name}${o.arg ? ` ${o.arg}` : ""}`, o.help]), ["-h, --help", "this help"]];
    const width = Math.max(...rows.map((r) => r[0].length));
    return [`usage: ${command.usage}`, "", command.about, "", ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`), ""].join("\n");
}

/** The package's version, from the package.json above this file (in the source or in dist/). */
function version(): string {
    for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (fs.existsSync(file)) {
            const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
            if (pkg.name === "swarm-macvlan") {
                return pkg.version;
            }
        }
    }
    return "unknown";
}

/** Bad usage found while running a command: main shows it with that command's usage. */
class UsageProblem extends Error {}

/** A usage error, shown with the usage of `command` (or of every command). */
function usageError(message: string, command?: string): CliError {
    const usage = command === undefined ? USAGE : `usage: ${COMMANDS[command].usage}\n       swarm-macvlan ${command} --help`;
    return new CliError(`swarm-macvlan: ${message}\n${usage}`, EXIT.usage);
}

/** Parses `args` for `command`; usage errors name the bad option or value. */
function options(command: string, args: readonly string[]): Values {
    const spec = COMMANDS[command].options;
    try {
        return parseArgs({
            args: [...args],
            options: { ...Object.fromEntries(Object.keys(spec).map((n) => [n, { type: spec[n].arg ? "string" as const : "boolean" as const }])), help: { type: "boolean", short: "h" } },
            strict: true,
        }).values as Values;
    } catch (e) {
        const code = (e as { code?: string }).code;
        const named = /'(-[^' ]*)/.exec((e as Error).message)?.[1] ?? "";
        const next = args[args.indexOf(named) + 1];
        const known = [...Object.keys(spec).map((n) => `--${n}`), "--help"].join(", ");
        const message = code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? `unknown option ${JSON.stringify(named)} for ${command}; known: ${known}`
            : code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL" ? `unexpected argument ${JSON.stringify(/'([^']*)'/.exec((e as Error).message)?.[1] ?? "")}; ${command} takes options only`
            : code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && next !== undefined && args.includes(named)
                ? `${named} needs a value, got the option ${JSON.stringify(next)} (for a value that starts with -, write ${named}=VALUE)`
                : code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" ? `${named} needs a value` : escaped((e as Error).message);
        throw usageError(message, command);
    }
}

function required(values: Values, name: string): string {
    const value = values[name];
    if (typeof value !== "string") {
        throw new UsageProblem(`--${name} ${COMMANDS.plan.options[name]?.arg ?? "VALUE"} is required`);
    }
    return value;
}

function oneOf<T extends string>(values: Values, name: string, allowed: readonly T[], fallback: T): T {
    const value = values[name] ?? fallback;
    if (!allowed.includes(value as T)) {
        throw new UsageProblem(`--${name} ${JSON.stringify(value)} is not one of ${allowed.join(", ")}`);
    }
    return value as T;
}

async function run(argv: readonly string[], io: Io): Promise<number> {
    const [name, ...rest] = argv;
    if (name === "--help" || name === "-h" || name === "help") {
        io.out(help());
        return EXIT.ok;
    }
    if (name === "--version" || name === "-V") {
        io.out(`${version()}\n`);
        return EXIT.ok;
    }
    const command = Object.hasOwn(COMMANDS, name ?? "") ? COMMANDS[name] : undefined;
    if (command === undefined) {
        throw usageError(name === undefined ? "no command given" : `unknown command ${JSON.stringify(escaped(name))}; commands: ${Object.keys(COMMANDS).join(", ")}`);
    }
    const values = options(name, rest);
    if (values.help) {
        io.out(commandHelp(command));
        return EXIT.ok;
    }
    try {
        return await command.run(values, io);
    } catch (e) {
        throw e instanceof UsageProblem ? usageError(e.message, name) : e;
    }
}

/**
 * Runs the CLI on `argv` (the arguments after the program name); resolves to the exit code.
 *
 * @example process.exitCode = await main(["plan", "--config", "Pulumi.prod.yaml", "--format", "markdown"]);
 */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
    try {
        return await run(argv, io);
    } catch (e) {
        if (e instanceof CliError) {
            io.err(`${e.message}\n`);
            return e.code;
        }
        throw e;
    }
}
