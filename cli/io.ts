// What every CLI command shares: output streams, exit codes and reading a spec file.
import * as fs from "fs";
import { parse } from "yaml";
import { Plan, SpecError, planSpec, specFromDocument } from "../components/core";

export interface Io {
    out(text: string): void;
    err(text: string): void;
}

export const processIo: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** Exit codes: 0 fine, 1 a host could not be reached, 2 an invalid spec or drift, 64 bad usage. */
export const EXIT = { ok: 0, unreachable: 1, invalid: 2, usage: 64 } as const;

/** A failure that ends the command with `code` after printing `message` on stderr. */
export class CliError extends Error {
    constructor(message: string, readonly code: number) {
        super(message);
    }
}

/** The parsed document of a spec file or Pulumi.<env>.yaml, and its {nodes, networks} spec. */
export function readSpecFile(file: string): { doc: unknown; spec: unknown } {
    let doc: unknown;
    try {
        doc = parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new CliError(`swarm-macvlan: cannot read ${file}: ${(e as Error).message}`, EXIT.invalid);
    }
    return { doc, spec: specFromDocument(doc) };
}

/** Reads and plans a spec file; an invalid spec ends the command with every problem. */
export function loadPlan(file: string): { doc: unknown; plan: Plan } {
    const { doc, spec } = readSpecFile(file);
    try {
        return { doc, plan: planSpec(spec) };
    } catch (e) {
        if (e instanceof SpecError) {
            throw new CliError(`${file}: ${e.message}`, EXIT.invalid);
        }
        throw e;
    }
}
