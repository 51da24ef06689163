// Shell is data: commands are argv arrays, `quote` is the one function that turns a word into
// shell text, and a script is a list of lines that starts with `set -eu`.

export type Argv = readonly string[];

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes one word for a POSIX shell: safe words stay bare, anything else is single-quoted.
 *
 * @example quote("eth0.40") // "eth0.40"
 * @example quote("{{.Driver}} x") // "'{{.Driver}} x'"
 * @example quote("it's") // "'it'\\''s'"
 */
export function quote(word: string): string {
    if (SAFE_WORD.test(word)) {
        return word;
    }
    return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** One command line: every element quoted, joined by spaces. */
export function line(argv: Argv): string {
    return argv.map(quote).join(" ");
}

/** `fail MESSAGE`: prints `swarm-macvlan: MESSAGE` on stderr and exits 1 (defined by `script`). */
export function fail(message: string): string {
    return line(["fail", message]);
}

/**
 * A script: `set -eu`, the `fail` helper, then the given lines.
 *
 * @example script(line(["ip", "link", "set", "dev", "eth1", "up"]))
 * // "set -eu\nfail() { echo \"swarm-macvlan: $*\" >&2; exit 1; }\nip link set dev eth1 up\n"
 */
export function script(...lines: string[]): string {
    return ["set -eu", 'fail() { echo "swarm-macvlan: $*" >&2; exit 1; }', ...lines].join("\n") + "\n";
}

/** The command lines of a step whose scripts travel on standard input (stepStdin). */
export const STEP_COMMANDS = { create: "sh -s -- create", delete: "sh -s -- delete" } as const;

/**
 * A step's create and delete scripts as one text for the standard input of `sh -s -- create`
 * or `sh -s -- delete` (STEP_COMMANDS), which runs the one it names. The command line stays a
 * few words, so a failing step's error (`running "sh -s -- create"`, then the output) shows the
 * script's own message and not the script. The scripts themselves read no standard input
 * (`</dev/null`): the shell has parsed the whole text before anything runs.
 */
export function stepStdin(scripts: { readonly create: string; readonly delete: string }): string {
    return [
        "{",
        'case "${1:-}" in',
        "create)", scripts.create.replace(/\n$/, ""), `;; ${STEP_END.create}`,
        "delete)", scripts.delete.replace(/\n$/, ""), `;; ${STEP_END.delete}`,
        `*) echo "swarm-macvlan: run as: sh -s -- create, or sh -s -- delete (got \${1:-nothing})" >&2; exit 2 ;;`,
        "esac",
        "} </dev/null",
        "",
    ].join("\n");
}

/** The comment after each script's `;;` in stepStdin, which also lets a reader find where each ends. */
export const STEP_END = { create: "# end of create", delete: "# end of delete" } as const;
