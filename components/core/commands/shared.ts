// What every command builder shares: the result shape, where host-side records live, the
// interface ownership mark, and the script fragments that say whether an object is there.
import { parseCidr } from "../cidr";
import { Problems } from "../errors";
import { Argv, fail, line, quote } from "../shell";

/**
 * The scripts for one object on one host, reviewed together. `create` ensures (safe to re-run
 * over existing state, so it also repairs drift); `delete` removes only what swarm-macvlan made
 * and fails when it cannot tell whether the object is gone; `check` prints one line per way the
 * host differs from the plan (`<object>: <difference>`) and nothing when in sync.
 */
export interface CommandPair {
    readonly create: string;
    readonly delete: string;
    readonly check: string;
    /**
     * The commands `create` runs to make the object, in order, as argv: the one source of what
     * reviewers are shown (render.ts) and of what the script runs (each appears in `create`,
     * quoted by `line`, between the guards that make it safe to re-run).
     */
    readonly steps: readonly Argv[];
}

/** Where host-side records live (the promiscuous state found before we changed it). */
export const STATE_DIR = "/var/lib/swarm-macvlan";
/** How long a delete retries while Docker answers "in use" (removal propagates asynchronously). */
export const IN_USE_RETRY_SECONDS = 90;
/** The docker label that marks a network as made by swarm-macvlan for a network of the spec. */
export const LABEL = "swarm-macvlan.network";
/** What messages call a host when the builder is not told the node's name. */
export const THIS_HOST = "this host";

/** The alias that marks an interface as made by swarm-macvlan for `network`. */
export function ownerAlias(network: string): string {
    return `swarm-macvlan:${network}`;
}

/** `ip link set dev NAME alias swarm-macvlan:NETWORK`: the mark `delete` looks for. */
export function aliasArgv(name: string, network: string): Argv {
    return ["ip", "link", "set", "dev", name, "alias", ownerAlias(network)];
}

export function upArgv(name: string): Argv {
    return ["ip", "link", "set", "dev", name, "up"];
}

export function promiscArgv(name: string): Argv {
    return ["ip", "link", "set", "dev", name, "promisc", "on"];
}

export function linkExists(name: string): string {
    return `${line(["ip", "link", "show", "dev", name])} >/dev/null 2>&1`;
}

/** `ip -o link show dev NAME`, whose one line carries the flags, the link and the alias. */
export function linkLine(name: string): string {
    return line(["ip", "-d", "-o", "link", "show", "dev", name]);
}

/** True when `name`'s alias is exactly ours (`ip -o` prints it as `\    alias VALUE`, then `\` or the end). */
export function ownedBy(name: string, network: string): string {
    const alias = `$(${line(["ip", "-o", "link", "show", "dev", name])} 2>/dev/null | ${line(["sed", "-n", String.raw`s/.*\\ *alias \([^\\]*\).*/\1/p`])})`;
    return `[ "${alias}" = ${quote(ownerAlias(network))} ]`;
}

/** True when the link line in $link has flag FLAG (UP, PROMISC, ...). */
export function hasFlag(flag: string): string {
    return `printf '%s\\n' "$link" | ${line(["grep", "-q", `[<,]${flag}[,>]`])}`;
}

/**
 * Reads interface `name` into $link; if it does not exist, runs `whenMissing` (a script line,
 * e.g. `exit 0`). Any other failure of `ip` fails the script: a delete must never take "cannot
 * tell" for "gone".
 */
export function readLink(name: string, node: string, whenMissing: string): string[] {
    return [
        `if ! link=$(${linkLine(name)} 2>&1); then`,
        '  case "$link" in',
        `    *'does not exist'*|*'Cannot find device'*) ${whenMissing} ;;`,
        `    *) fail ${quote(`cannot tell whether interface ${name} exists on ${node}:`)} "$link" ;;`,
        "  esac",
        "fi",
    ];
}

/** Deletes interface `name` if swarm-macvlan made it for `network`; gone already is fine. */
export function deleteOwnedLink(name: string, network: string, node: string): string[] {
    return [
        ...readLink(name, node, "exit 0"),
        `if ${ownedBy(name, network)}; then ${line(["ip", "link", "delete", "dev", name])}; fi`,
    ];
}

/**
 * Validates builder arguments; the problems name the argument, e.g. `trunk "eth0;reboot" is
 * not a valid interface name: ...`.
 */
export function validateArgs(fields: (problems: Problems) => void): void {
    const problems = new Problems();
    fields(problems);
    problems.throwIfAny();
}

/**
 * Defines `expect KEY WANT` for a script: compares the line `KEY=...` of `$actual` with WANT and
 * appends `KEY is GOT, the plan says WANT` to `$diffs` when they differ. Keys are our own words.
 */
export const EXPECT_FUNCTION = [
    "diffs=''",
    // A literal newline ends each entry ($'\n' is not POSIX sh).
    `expect() { got=$(printf '%s\\n' "$actual" | sed -n "s/^$1=//p"); [ "$got" = "$2" ] || diffs="$diffs$1 is \${got:-(none)}, the plan says $2
"; }`,
    // The differences on one line: `a is 1, the plan says 2; b is ...`.
    `joined() { printf '%s' "$diffs" | tr '\\n' ';' | sed 's/;$//; s/;/; /g'; }`,
];

/** `expect KEY WANT` lines for the given fields, in order. */
export function expectLines(fields: readonly (readonly [string, string])[]): string[] {
    return fields.map(([key, want]) => line(["expect", key, want]));
}

/** Prints each line of $diffs as `<object>: <line>` (the drift report of a check script). */
export function reportDiffs(object: string): string {
    return `printf '%s' "$diffs" | while IFS= read -r d; do printf '%s: %s\\n' ${quote(object)} "$d"; done`;
}

/**
 * Script lines that stop, before anything changes, when `$SSH_CLIENT` (the address this SSH
 * session comes from; an IPv4-mapped IPv6 form is read as IPv4) lies in the IPv4 CIDR `range`:
 * routing that range elsewhere would lock this session, and every later one from there, out.
 * The range's ends are computed here, so the host only compares integers. No SSH session (a
 * boot unit, a local run) and an IPv6 client (never inside an IPv4 range) pass.
 *
 * @example refuseSshClientIn("10.0.0.0/24", "node1", "route 10.0.0.0/24 through shim-lan")
 */
export function refuseSshClientIn(range: string, node: string, what: string): string[] {
    const parsed = parseCidr(range, 4);
    if (!parsed.ok) {
        throw new Error(`refuseSshClientIn: ${range} is not an IPv4 CIDR`);
    }
    const first = parsed.value.base;
    const last = first + (1n << BigInt(32 - parsed.value.prefix)) - 1n;
    return [
        'client=${SSH_CLIENT:-}; client=${client%% *}; client=${client#::ffff:}',
        'case "$client" in',
        // mawk prints large numbers in exponent form unless told otherwise.
        `  *.*.*.*) n=$(printf '%s\\n' "$client" | awk -F. '{ printf "%.0f", $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')`,
        `    if [ "$n" -ge ${first} ] && [ "$n" -le ${last} ]; then`,
        `      ${fail(`${what} on ${node} would capture the address this SSH session comes from,`)} "$client;" ${quote(`refused before anything changed: pin ${node} a range that does not hold it, or exclude it`)}`,
        "    fi ;;",
        "esac",
    ];
}

/**
 * Defines, for a script, the functions that put addresses and routes back exactly:
 * - `address_record [with-device]`: reads `ip -o address` lines (either family) and prints each as
 *   `ADDRESS/PREFIX [metric M] [brd B] scope S [noprefixroute] [nodad]` (what `ip address add` takes),
 *   after the device's name when asked;
 * - `put_address DEV ADDRESS [FLAGS...]`: makes ADDRESS (either family) on DEV carry exactly FLAGS. The kernel
 *   keeps an existing address's flags on `ip address replace` (noprefixroute included), so an
 *   address with other flags is deleted and added again;
 * - `mac_of DEV`: DEV's MAC address;
 * - `replay_routes FILE [DEV]`: `ip route replace` of each line of FILE (`ip route show` output),
 *   link-scope routes first, so that a gateway is reachable before a route through it is made.
 *   A NetworkManager host's subnet route (`proto kernel ... metric 100` beside a `noprefixroute`
 *   address) is an ordinary line here: it is put back like any other.
 */
export const NET_FUNCTIONS = [
    "address_record() { awk -v dev=\"${1:-}\" '{ s = $4; for (i = 5; i < NF; i++) if ($i == \"metric\" || $i == \"brd\" || $i == \"scope\") s = s \" \" $i \" \" $(i + 1); " +
        "for (i = 5; i <= NF; i++) if ($i == \"noprefixroute\" || $i == \"nodad\") s = s \" \" $i; print (dev == \"\" ? s : $2 \" \" s) }'; }",
    `put_address() {`,
    `  d=$1; shift`,
    `  have=$(ip -o address show dev "$d" | awk -v a="$1" '$4 == a' | address_record)`,
    `  [ "$have" != "$*" ] || return 0`,
    `  [ -z "$have" ] || ip address del "$1" dev "$d"`,
    `  ip address add "$@" dev "$d"`,
    `}`,
    String.raw`mac_of() { ip -o link show dev "$1" | sed -n 's/.* link\/ether \([0-9a-f:]*\) .*/\1/p'; }`,
    `replay_routes() {`,
    `  { grep ' scope link' "$1" || true; grep -v ' scope link' "$1" || true; } | sed 's/ linkdown//; s/ dead//' | while read -r r; do ip route replace $r \${2:+dev "$2"}; done`,
    `}`,
];
