// What every CLI command shares: output streams, exit codes and reading a spec file.
import * as fs from "fs";
import * as path from "path";
import { YAMLParseError, parse } from "yaml";
import { NAMESPACE, Plan, SpecError, isProjectFile, planSpec, specFromDocument } from "../components/core";
import { isObject } from "../components/core/fields";

/** Where a command reads and writes: the process's streams, or a test's buffers. */
export interface Io {
    /** Writes to standard output. */
    out(text: string): void;
    /** Writes to standard error. */
    err(text: string): void;
    /** Reads all of standard input (for `--config -`). @default the process's */
    stdin?(): Buffer;
}

/** The process's own streams. */
export const processIo: Io = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    stdin: () => readBounded(0),
};

/**
 * The most a spec file may hold. A spec of 4,096 nodes and a few networks is well under 1 MiB;
 * anything near this is the wrong file (or /dev/zero), and reading on would exhaust memory.
 */
export const MAX_SPEC_BYTES = 16 * 1024 * 1024;
/** The most YAML aliases a spec may expand (the yaml library's own default, made explicit). */
export const MAX_ALIASES = 100;

/**
 * Reads at most MAX_SPEC_BYTES + 1 bytes from a file descriptor, so that a file too large (or
 * endless, as /dev/zero) is refused without being read whole.
 */
function readBounded(fd: number): Buffer {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
        const chunk = Buffer.alloc(Math.min(1 << 20, MAX_SPEC_BYTES + 1 - total));
        let n: number;
        try {
            n = fs.readSync(fd, chunk, 0, chunk.length, null);
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code === "EAGAIN") {
                continue;
            }
            throw e;
        }
        if (n === 0) {
            break;
        }
        chunks.push(chunk.subarray(0, n));
        total += n;
        if (total > MAX_SPEC_BYTES) {
            break;
        }
    }
    return Buffer.concat(chunks);
}

/** Exit codes: 0 fine, 1 a host could not be reached, 2 an invalid spec or drift, 64 bad usage. */
export const EXIT = { ok: 0, unreachable: 1, invalid: 2, usage: 64 } as const;

/** A failure that ends the command with `code` after printing `message` on stderr. */
export class CliError extends Error {
    /**
     * @param message what to print, without the trailing newline
     * @param code the exit code (one of EXIT)
     */
    constructor(message: string, readonly code: number) {
        super(message);
    }
}

/** How a value outside the printable range is shown: `\n`, `\t`, `\x00`, `\u200b`. */
export function escaped(text: string): string {
    return text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\ufeff\ufffd]/g, (c) => {
        const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
        const code = c.charCodeAt(0);
        return named[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
    });
}

const EXCERPT = 24;

/**
 * The bytes as UTF-8 text, or a CliError saying where they stop being text: never echoes them
 * raw (a binary file would fill the terminal with control sequences), at most a short, escaped
 * excerpt of what starts the file.
 */
function textOf(label: string, bytes: Buffer): string {
    let text: string | undefined;
    try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
        text = undefined;
    }
    const control = text === undefined ? -1 : text.search(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/);
    if (text !== undefined && control < 0) {
        return text.replace(/^\ufeff/, "");
    }
    const head = [...bytes.subarray(0, EXCERPT)].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`)).join("");
    const why = text === undefined ? "is not UTF-8 text" : `holds a control character (${escaped(text[control])})`;
    throw new CliError(`swarm-macvlan: ${label} ${why}; is it a binary file? It starts "${head}"${bytes.length > EXCERPT ? "..." : ""}`, EXIT.invalid);
}

/** `cannot parse FILE: line L, column C: reason`, then the line and a caret under the column. */
function parseFailure(label: string, text: string, e: YAMLParseError): CliError {
    const { line, col } = e.linePos?.[0] ?? { line: 1, col: 1 };
    const reason = e.code === "MULTIPLE_DOCS" ? "holds more than one YAML document (---); a spec is one document"
        : e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    const source = escaped(text.split(/\r?\n/)[line - 1] ?? "");
    const shown = source.length > 80 ? `${source.slice(0, 77)}...` : source;
    const caret = col - 1 < shown.length ? `\n  ${" ".repeat(col - 1)}^` : "";
    const excerpt = shown === "" ? "" : `\n  ${shown}${caret}`;
    return new CliError(`swarm-macvlan: cannot parse ${label}: line ${line}, column ${col}: ${escaped(reason)}${excerpt}`, EXIT.invalid);
}

/**
 * The config namespace of a stack file's keys: `option` when given, else the project name in the
 * Pulumi.yaml beside the file (the root program reads its own project's namespace), else
 * swarm-macvlan.
 */
export function namespaceOf(file: string, option: string | undefined): string {
    if (option !== undefined || file === "-") {
        return option ?? NAMESPACE;
    }
    try {
        const project: unknown = parse(fs.readFileSync(path.join(path.dirname(file), "Pulumi.yaml"), "utf8"));
        return isObject(project) && typeof project.name === "string" ? project.name : NAMESPACE;
    } catch {
        return NAMESPACE;
    }
}

/**
 * The parsed document of a spec file or Pulumi.<env>.yaml (`-`: standard input), and its
 * {nodes, networks} spec (a stack file's under `namespace`). Ends the command (exit 2) on a file
 * that cannot be read or parsed, is empty, is not text, or is a Pulumi project file.
 */
export function readSpecFile(file: string, io: Io, namespace: string = NAMESPACE): { doc: unknown; spec: unknown } {
    const label = file === "-" ? "stdin" : file;
    let bytes: Buffer;
    try {
        if (file === "-") {
            bytes = (io.stdin ?? processIo.stdin!)();
        } else {
            const fd = fs.openSync(file, "r");
            try {
                bytes = readBounded(fd);
            } finally {
                fs.closeSync(fd);
            }
        }
    } catch (e) {
        throw new CliError(`swarm-macvlan: cannot read ${label}: ${(e as Error).message}`, EXIT.invalid);
    }
    if (bytes.length > MAX_SPEC_BYTES) {
        throw new CliError(`swarm-macvlan: ${label} holds more than ${MAX_SPEC_BYTES / 1024 / 1024} MiB; a spec of thousands of nodes is far smaller: is it the right file?`, EXIT.invalid);
    }
    const text = textOf(label, bytes);
    let doc: unknown;
    try {
        doc = parse(text, { maxAliasCount: MAX_ALIASES });
    } catch (e) {
        if (e instanceof YAMLParseError) {
            throw parseFailure(label, text, e);
        }
        // The yaml library's guard against alias expansion ("billion laughs") is a ReferenceError.
        if (e instanceof ReferenceError && /alias/i.test(e.message)) {
            throw new CliError(`swarm-macvlan: cannot parse ${label}: its YAML aliases expand more than ${MAX_ALIASES} times; a spec needs few if any`, EXIT.invalid);
        }
        throw e;
    }
    if (doc === null || doc === undefined) {
        throw new CliError(`swarm-macvlan: ${label} is empty; pass a spec file ({nodes, networks}) or a stack file, Pulumi.<env>.yaml`, EXIT.invalid);
    }
    if (isProjectFile(doc)) {
        throw new CliError(`swarm-macvlan: ${label}: this is a Pulumi project file; pass a stack file, Pulumi.<env>.yaml`, EXIT.invalid);
    }
    return { doc, spec: specFromDocument(doc, namespace) };
}

/** Reads and plans a spec file; an invalid spec ends the command with every problem. */
export function loadPlan(file: string, io: Io, namespace: string = NAMESPACE): { doc: unknown; plan: Plan } {
    const { doc, spec } = readSpecFile(file, io, namespace);
    try {
        return { doc, plan: planSpec(spec) };
    } catch (e) {
        if (e instanceof SpecError) {
            throw new CliError(`${file === "-" ? "stdin" : file}: ${e.message}`, EXIT.invalid);
        }
        throw e;
    }
}
