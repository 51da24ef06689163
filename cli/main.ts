// `swarm-macvlan plan --config FILE [--format json|table|markdown|pins]`: validates and plans
// a spec file or a Pulumi.<env>.yaml stack file without touching any host.
// Exit 0: valid, the plan on stdout. Exit 2: invalid, every problem on stderr. Exit 64: usage.
import * as fs from "fs";
import { parse } from "yaml";
import { FORMATS, Format, SpecError, planSpec, render, specFromDocument } from "../components/core";

const USAGE = `usage: swarm-macvlan plan --config FILE [--format ${FORMATS.join("|")}]`;

export interface Io {
    out(text: string): void;
    err(text: string): void;
}

const processIo: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

interface Options {
    readonly config: string;
    readonly format: Format;
}

function parseArgs(argv: readonly string[]): Options | string {
    if (argv[0] !== "plan") {
        return `unknown command ${JSON.stringify(argv[0] ?? "")}`;
    }
    let config: string | undefined;
    let format: Format = "table";
    for (let i = 1; i < argv.length; i++) {
        const [flag, inline] = argv[i].split(/=(.*)/s, 2);
        const value = inline ?? argv[++i];
        if (flag === "--config" && value !== undefined) {
            config = value;
        } else if (flag === "--format" && FORMATS.includes(value as Format)) {
            format = value as Format;
        } else {
            return `bad option ${JSON.stringify(argv[inline === undefined ? i - 1 : i])}`;
        }
    }
    return config === undefined ? "--config FILE is required" : { config, format };
}

/** Runs the CLI; returns the exit code. */
export function main(argv: readonly string[], io: Io = processIo): number {
    const options = parseArgs(argv);
    if (typeof options === "string") {
        io.err(`swarm-macvlan: ${options}\n${USAGE}\n`);
        return 64;
    }
    let doc: unknown;
    try {
        doc = parse(fs.readFileSync(options.config, "utf8"));
    } catch (e) {
        io.err(`swarm-macvlan: cannot read ${options.config}: ${(e as Error).message}\n`);
        return 2;
    }
    try {
        io.out(render(planSpec(specFromDocument(doc)), options.format));
        return 0;
    } catch (e) {
        if (e instanceof SpecError) {
            io.err(`${options.config}: ${e.message}\n`);
            return 2;
        }
        throw e;
    }
}
