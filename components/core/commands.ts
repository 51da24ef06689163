// Command builders: each returns `{ create, delete }` for one object on one host, so a command
// and its teardown are reviewed together. `create` ensures (safe to re-run over existing
// state); `delete` removes only what swarm-macvlan made, marked by an interface alias or a
// docker label, and leaves anything else alone.
import { Problems } from "./errors";
import { readAddress, readCidr, readInteger, readInterface, readName, NAME } from "./fields";
import { Argv, fail, line, quote, script } from "./shell";

export interface CommandPair {
    readonly create: string;
    readonly delete: string;
    /**
     * The commands `create` runs to make the object, in order, as argv: the one source of what
     * reviewers are shown (render.ts) and of what the script runs (each appears in `create`,
     * quoted by `line`, between the guards that make it safe to re-run).
     */
    readonly steps: readonly Argv[];
}

/** Where host-side records live (for now: the promiscuous state found before we changed it). */
export const STATE_DIR = "/var/lib/swarm-macvlan";
/** How long a delete retries while Docker answers "in use" (removal propagates asynchronously). */
export const IN_USE_RETRY_SECONDS = 90;

/** The alias that marks an interface as made by swarm-macvlan for `network`. */
export function ownerAlias(network: string): string {
    return `swarm-macvlan:${network}`;
}

/** `ip link set dev NAME alias swarm-macvlan:NETWORK`: the mark `delete` looks for. */
function aliasArgv(name: string, network: string): Argv {
    return ["ip", "link", "set", "dev", name, "alias", ownerAlias(network)];
}

function upArgv(name: string): Argv {
    return ["ip", "link", "set", "dev", name, "up"];
}

function promiscArgv(name: string): Argv {
    return ["ip", "link", "set", "dev", name, "promisc", "on"];
}

function linkExists(name: string): string {
    return `${line(["ip", "link", "show", "dev", name])} >/dev/null 2>&1`;
}

/** True when `name`'s alias is exactly ours (`ip -o` prints it as `\    alias VALUE`, then `\` or the end). */
function ownedBy(name: string, network: string): string {
    const alias = `$(${line(["ip", "-o", "link", "show", "dev", name])} 2>/dev/null | ${line(["sed", "-n", String.raw`s/.*\\ *alias \([^\\]*\).*/\1/p`])})`;
    return `[ "${alias}" = ${quote(ownerAlias(network))} ]`;
}

function check(fields: (problems: Problems) => void): void {
    const problems = new Problems();
    fields(problems);
    problems.throwIfAny();
}

export interface VlanSubinterfaceArgs {
    /** The trunk the VLAN rides on, e.g. `bond0`. */
    readonly trunk: string;
    readonly vlanId: number;
    /** The swarm-macvlan network this serves; recorded in the interface alias. */
    readonly network: string;
}

/** `<trunk>.<vlanId>`, 802.1Q, promiscuous and up; deleted only if swarm-macvlan made it. */
export function vlanSubinterfaceCommands(args: VlanSubinterfaceArgs): CommandPair {
    check((p) => {
        readInterface(p, "trunk", args.trunk);
        readInteger(p, "vlanId", args.vlanId, 1, 4094);
        readName(p, "network", args.network);
        readInterface(p, "name", `${args.trunk}.${args.vlanId}`);
    });
    const name = `${args.trunk}.${args.vlanId}`;
    const add = ["ip", "link", "add", "link", args.trunk, "name", name, "type", "vlan", "id", String(args.vlanId)];
    const alias = aliasArgv(name, args.network);
    const [trunkUp, promisc, up] = [upArgv(args.trunk), promiscArgv(name), upArgv(name)];
    return {
        steps: [add, alias, trunkUp, promisc, up],
        create: script(
            `${linkExists(args.trunk)} || ${fail(`trunk interface ${args.trunk} does not exist on this host`)}`,
            `if ${linkExists(name)}; then`,
            `  ${line(["ip", "-d", "-o", "link", "show", "dev", name])} | ${line(["grep", "-qF", `${name}@${args.trunk}:`])} && ` +
                `${line(["ip", "-d", "-o", "link", "show", "dev", name])} | ${line(["grep", "-qF", ` vlan protocol 802.1Q id ${args.vlanId} `])} || ` +
                fail(`${name} exists but is not VLAN ${args.vlanId} on ${args.trunk}; remove or rename it`),
            "else",
            `  ${line(add)} || ${fail(`cannot create 802.1Q interface ${name}: is the 8021q kernel module available? (modprobe 8021q)`)}`,
            `  ${line(alias)}`,
            "fi",
            line(trunkUp),
            line(promisc),
            line(up),
        ),
        delete: script(`if ${ownedBy(name, args.network)}; then ${line(["ip", "link", "delete", "dev", name])}; fi`),
    };
}

export interface PromiscModeArgs {
    /** An existing interface, e.g. `eth1`. */
    readonly parent: string;
}

/** Promiscuous mode on an existing parent; delete restores the mode found before. */
export function promiscModeCommands(args: PromiscModeArgs): CommandPair {
    check((p) => readInterface(p, "parent", args.parent));
    const record = `${STATE_DIR}/promisc-${args.parent}`;
    const [promisc, up] = [promiscArgv(args.parent), upArgv(args.parent)];
    return {
        steps: [promisc, up],
        create: script(
            `${linkExists(args.parent)} || ${fail(`parent interface ${args.parent} does not exist on this host`)}`,
            `if [ ! -e ${quote(record)} ]; then`,
            `  ${line(["mkdir", "-p", STATE_DIR])}`,
            `  if ${line(["ip", "-o", "link", "show", "dev", args.parent])} | ${line(["grep", "-q", "[<,]PROMISC[,>]"])}; then echo on; else echo off; fi > ${quote(record)}`,
            "fi",
            line(promisc),
            line(up),
        ),
        delete: script(
            `if [ -e ${quote(record)} ]; then`,
            `  if [ "$(cat ${quote(record)})" = off ]; then ${line(["ip", "link", "set", "dev", args.parent, "promisc", "off"])} 2>/dev/null || true; fi`,
            `  ${line(["rm", "-f", record])}`,
            "fi",
        ),
    };
}

export interface FamilyConfig {
    readonly subnet: string;
    readonly gateway: string;
    readonly ipRange: string;
    readonly auxAddresses: Readonly<Record<string, string>>;
}

export interface ConfigOnlyNetworkArgs extends FamilyConfig {
    /** The docker network name, the same on every node, e.g. `vlan40_net`. */
    readonly name: string;
    /** The swarm-macvlan network this serves; recorded in a docker label. */
    readonly network: string;
    /** The macvlan parent on this node. */
    readonly parent: string;
    readonly ipv6?: FamilyConfig;
}

export const LABEL = "swarm-macvlan.network";

/** The plain `docker network create --config-only ...` that the plan CLI shows. */
export function configOnlyNetworkArgv(args: ConfigOnlyNetworkArgs): Argv {
    const family = (f: FamilyConfig) => [
        "--subnet", f.subnet, "--gateway", f.gateway, "--ip-range", f.ipRange,
        ...Object.entries(f.auxAddresses).flatMap(([k, v]) => ["--aux-address", `${k}=${v}`]),
    ];
    return [
        "docker", "network", "create", "--config-only", ...family(args),
        ...(args.ipv6 ? ["--ipv6", ...family(args.ipv6)] : []),
        "-o", `parent=${args.parent}`, "--label", `${LABEL}=${args.network}`, args.name,
    ];
}

function checkFamily(p: Problems, path: string, f: FamilyConfig, family: 4 | 6): void {
    readCidr(p, `${path}subnet`, f.subnet, family);
    readAddress(p, `${path}gateway`, f.gateway, family);
    readCidr(p, `${path}ipRange`, f.ipRange, family);
    for (const [k, v] of Object.entries(f.auxAddresses)) {
        if (!NAME.test(k)) {
            p.add(`${path}auxAddresses`, k, "is not an allowed aux-address name: use letters, digits, _ . -");
        }
        readAddress(p, `${path}auxAddresses.${k}`, v, family);
    }
}

/**
 * Retries `docker network rm NAME` while Docker answers "in use", within a bound. A service
 * attached to a swarm network does not go away by waiting, so with `services` "in use by
 * service" fails at once, naming the service.
 */
function removeNetwork(name: string, blockedHint: string, services: boolean): string[] {
    const rm = line(["docker", "network", "rm", name]);
    const hint = quote(`; ${blockedHint}`);
    return [
        `deadline=$(( $(date +%s) + ${IN_USE_RETRY_SECONDS} ))`,
        `until out=$(${rm} 2>&1); do`,
        '  case "$out" in',
        "    *'No such network'*|*'not found'*) exit 0 ;;",
        // Docker names the service by ID; the operator needs its name.
        ...(services ? [
            `    *'in use by service'*) sid=\${out##*in use by service }; sid=\${sid%%[!A-Za-z0-9]*}`,
            `      fail ${quote(`cannot remove ${name}: it is in use by service `)}"$(docker service inspect -f '{{.Spec.Name}}' "$sid" 2>/dev/null || echo "$sid")"${hint} ;;`,
        ] : []),
        "    *'in use'*) ;;",
        '    *) echo "$out" >&2; exit 1 ;;',
        "  esac",
        `  [ "$(date +%s)" -lt "$deadline" ] || fail "$out"${hint}`,
        "  sleep 2",
        "done",
    ];
}

/** The per-node `--config-only` network: created when missing, checked when present. */
export function configOnlyNetworkCommands(args: ConfigOnlyNetworkArgs): CommandPair {
    check((p) => {
        readName(p, "name", args.name);
        readName(p, "network", args.network);
        readInterface(p, "parent", args.parent);
        checkFamily(p, "", args, 4);
        args.ipv6 && checkFamily(p, "ipv6.", args.ipv6, 6);
    });
    const inspect = (format: string) => `$(${line(["docker", "network", "inspect", "-f", format, args.name])})`;
    const ranges = [args.ipRange, ...(args.ipv6 ? [args.ipv6.ipRange] : [])].join(" ");
    const create = configOnlyNetworkArgv(args);
    return {
        steps: [create],
        create: script(
            `if ${line(["docker", "network", "inspect", args.name])} >/dev/null 2>&1; then`,
            `  [ "${inspect(`{{index .Labels "${LABEL}"}}`)}" = ${quote(args.network)} ] || ` +
                fail(`docker network ${args.name} exists but was not made by swarm-macvlan; remove it or set configNetworkName`),
            `  ranges="${inspect("{{range .IPAM.Config}}{{.IPRange}} {{end}}")}"`,
            `  [ "$ranges" = ${quote(`${ranges} `)} ] || fail ${quote(`docker network ${args.name} has ip-range`)} "$ranges" ${quote(`but the plan says ${ranges}; run pulumi up after removing it`)}`,
            "else",
            `  ${line(create)} >/dev/null`,
            "fi",
        ),
        delete: script(
            `${line(["docker", "network", "inspect", args.name])} >/dev/null 2>&1 || exit 0`,
            `[ "${inspect(`{{index .Labels "${LABEL}"}}`)}" = ${quote(args.network)} ] || exit 0`,
            ...removeNetwork(args.name, "a swarm network made --config-from it still exists", false),
        ),
    };
}

export interface SwarmNetworkArgs {
    /** The swarm-scoped network's name, e.g. `swarm-vlan40_net`. */
    readonly name: string;
    /** The per-node config-only network it is made from. */
    readonly configFrom: string;
    /** @default true */
    readonly attachable?: boolean;
}

/** The plain `docker network create -d macvlan --scope swarm --config-from ...`. */
export function swarmNetworkArgv(args: SwarmNetworkArgs): Argv {
    // Docker refuses any other option (ipv6, ipam, labels) next to --config-from: the config
    // network carries them.
    return [
        "docker", "network", "create", "-d", "macvlan", "--scope", "swarm", "--config-from", args.configFrom,
        ...(args.attachable ?? true ? ["--attachable"] : []), args.name,
    ];
}

/** The swarm-scoped network, run on one manager; delete names the service that blocks it. */
export function swarmNetworkCommands(args: SwarmNetworkArgs): CommandPair {
    check((p) => {
        readName(p, "name", args.name);
        readName(p, "configFrom", args.configFrom);
    });
    const identity = `macvlan swarm ${args.configFrom}`;
    const inspect = line(["docker", "network", "inspect", "-f", "{{.Driver}} {{.Scope}} {{.ConfigFrom.Network}}", args.name]);
    const create = swarmNetworkArgv(args);
    return {
        steps: [create],
        create: script(
            `if ${line(["docker", "network", "inspect", args.name])} >/dev/null 2>&1; then`,
            `  [ "$(${inspect})" = ${quote(identity)} ] || ` +
                fail(`docker network ${args.name} exists but is not a swarm macvlan network made --config-from ${args.configFrom}; remove it or set swarmNetworkName`),
            "else",
            `  ${line(create)} >/dev/null`,
            "fi",
        ),
        delete: script(
            `[ "$(${inspect} 2>/dev/null)" = ${quote(identity)} ] || exit 0`,
            ...removeNetwork(args.name, `remove the service(s) using ${args.name} (docker service rm, or docker service update --network-rm ${args.name}) and run again`, true),
        ),
    };
}

export interface HostShimArgs {
    /** The shim interface, e.g. `shim-vlan40`. */
    readonly name: string;
    /** The macvlan parent it hangs off. */
    readonly parent: string;
    readonly network: string;
    /** This host's address on the network (a /32 on the shim). */
    readonly address: string;
    /** This node's container range, routed through the shim. */
    readonly ipRange: string;
    readonly ipv6?: { readonly address: string; readonly ipRange: string };
}

/**
 * A bridge-mode macvlan beside the containers: the kernel keeps a macvlan parent from talking
 * to its own macvlan children, so the host reaches them through a sibling
 * (https://docs.docker.com/engine/network/drivers/macvlan/).
 */
export function hostShimCommands(args: HostShimArgs): CommandPair {
    check((p) => {
        readInterface(p, "name", args.name);
        readInterface(p, "parent", args.parent);
        readName(p, "network", args.network);
        readAddress(p, "address", args.address, 4);
        readCidr(p, "ipRange", args.ipRange, 4);
        if (args.ipv6) {
            readAddress(p, "ipv6.address", args.ipv6.address, 6);
            readCidr(p, "ipv6.ipRange", args.ipv6.ipRange, 6);
        }
    });
    const v6 = args.ipv6;
    const add = ["ip", "link", "add", args.name, "link", args.parent, "type", "macvlan", "mode", "bridge"];
    const alias = aliasArgv(args.name, args.network);
    const addresses = [
        ["ip", "address", "replace", `${args.address}/32`, "dev", args.name],
        ...(v6 ? [["ip", "-6", "address", "replace", `${v6.address}/128`, "dev", args.name, "nodad"]] : []),
    ];
    const routes = [
        ["ip", "route", "replace", args.ipRange, "dev", args.name],
        ...(v6 ? [["ip", "-6", "route", "replace", v6.ipRange, "dev", args.name]] : []),
    ];
    const up = upArgv(args.name);
    return {
        steps: [add, alias, ...addresses, up, ...routes],
        create: script(
            `if ${linkExists(args.name)}; then`,
            `  ${ownedBy(args.name, args.network)} || ${fail(`interface ${args.name} exists but was not made by swarm-macvlan; remove it or set shimName`)}`,
            "else",
            `  ${line(add)}`,
            `  ${line(alias)}`,
            "fi",
            ...addresses.map(line),
            line(up),
            ...routes.map(line),
        ),
        delete: script(`if ${ownedBy(args.name, args.network)}; then ${line(["ip", "link", "delete", "dev", args.name])}; fi`),
    };
}
