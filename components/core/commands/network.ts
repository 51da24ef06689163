// Shared by the two docker networks: reading one, comparing its fields with the plan, and
// removing it within a bound.
import { Argv, line, quote } from "../shell";
import { EXPECT_FUNCTION, IN_USE_RETRY_SECONDS, expectLines } from "./shared";

/**
 * The case pattern of Docker's own answer that network `name` does not exist: the daemon's
 * `network NAME not found` (20.10 to 29) or the CLI's `No such network: NAME`. Nothing looser: a
 * missing docker CLI (`docker: not found`), a missing context or a 404 from another endpoint must
 * never read as "gone".
 */
export function noSuchNetwork(name: string): string {
    return `*${quote(`network ${name} not found`)}*|*${quote(`No such network: ${name}`)}*`;
}

/**
 * Reads `docker network inspect -f TEMPLATE NAME` into $actual; when the network does not
 * exist, runs `whenMissing`. Any other failure (daemon down, permission) fails the script:
 * "cannot tell" is never taken for "gone".
 */
export function readNetwork(name: string, node: string, template: string, whenMissing: string): string[] {
    return [
        `if ! actual=$(${line(["docker", "network", "inspect", "-f", template, name])} 2>&1); then`,
        '  case "$actual" in',
        `    ${noSuchNetwork(name)}) ${whenMissing} ;;`,
        // Docker may print an empty line before its error: keep the message on one line.
        `    *) fail ${quote(`cannot read docker network ${name} on ${node}:`)} "$(printf '%s' "$actual" | tr -s '\\n' ' ' | sed 's/^ //')" ;;`,
        "  esac",
        "fi",
    ];
}

/**
 * The start of a create script: makes the network with `create` when it is missing (and stops
 * there), else reads it (then runs `afterRead`, which may amend $actual) and leaves its
 * differences from `fields` in $diffs for the caller to judge.
 */
export function createWhenMissing(name: string, node: string, template: string, create: Argv, fields: readonly (readonly [string, string])[],
    afterRead: readonly string[] = []): string[] {
    return [
        ...readNetwork(name, node, template, "actual=''"),
        `if [ -z "$actual" ]; then`,
        `  ${line(create)} >/dev/null`,
        "  exit 0",
        "fi",
        ...afterRead,
        ...compareFields(fields),
    ];
}

/** Compares $actual (KEY=value lines) with `fields`; the differences are left in $diffs. */
export function compareFields(fields: readonly (readonly [string, string])[]): string[] {
    return [...EXPECT_FUNCTION, ...expectLines(fields)];
}

/**
 * Retries `docker network rm NAME` while Docker answers "in use", within a bound; "No such
 * network" is success, any other answer fails. `whenInUse` runs on each "in use" answer (it
 * may fail at once, naming what holds the network); `blockedHint` ends the message when the
 * bound runs out.
 */
export function removeNetwork(name: string, node: string, whenInUse: string[], blockedHint: string): string[] {
    const rm = line(["docker", "network", "rm", name]);
    return [
        `deadline=$(( $(date +%s) + ${IN_USE_RETRY_SECONDS} ))`,
        `until out=$(${rm} 2>&1); do`,
        '  case "$out" in',
        `    ${noSuchNetwork(name)}) exit 0 ;;`,
        "    *'in use'*) ;;",
        `    *) fail ${quote(`cannot remove docker network ${name} on ${node}:`)} "$out" ;;`,
        "  esac",
        ...whenInUse.map((l) => `  ${l}`),
        `  [ "$(date +%s)" -lt "$deadline" ] || fail "$out"${quote(`; ${blockedHint}`)}`,
        "  sleep 2",
        "done",
    ];
}

