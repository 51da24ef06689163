// Takeover (seed 004): the host's own IPv4 addresses, their routes and the default route move
// from the parent onto a bridge-mode macvlan sibling of the containers, so that the host reaches
// its containers without spending an address; the parent keeps none. What the parent had is
// recorded once on the host and is what the move back (delete) restores; the record stays
// until the move back, and a rollback of a later run puts it back as it was.
import { createHash } from "node:crypto";
import { readAddress, readInterface, readName, readString } from "../fields";
import { Argv, fail, line, quote, script } from "../shell";
import { RELOAD_MARK, parentManagerFiles, reloadManagers } from "./managers";
import {
    CommandPair, NET_FUNCTIONS, STATE_DIR, THIS_HOST, aliasArgv, hasFlag, linkExists, ownedBy, readLink, upArgv, validateArgs,
} from "./shared";

export interface HostTakeoverArgs {
    /** The macvlan interface that takes the host's address over, e.g. `shim-lan`. */
    readonly name: string;
    /** The interface that has the host's address now (and keeps none), e.g. `eth0`. */
    readonly parent: string;
    /** The spec network it belongs to: its alias is `swarm-macvlan:<network>`. */
    readonly network: string;
    /**
     * The MAC pinned on `name`. @default derived on the host at the first takeover (takeoverMac
     * of the network, the node and the host's identity) and kept in the record, so that it is
     * the same at every boot and unique on the segment
     */
    readonly mac?: string;
    /** The node's name, for messages. @default "this host" */
    readonly node?: string;
    /**
     * Test hook, never for production: the default route moves with this gateway instead of its
     * own, so that the lockout guard's rollback can be exercised. @default the route's own gateway
     */
    readonly breakGateway?: string;
}

const MAC = /^02(:[0-9a-f]{2}){5}$/;
/** What `steps` shows for the MAC taken from the record. */
export const RECORDED_MAC = "RECORDED_MAC";

/**
 * The MAC of the takeover interface of `node` in `network` on the host whose identity is
 * `hostId` (`/etc/machine-id` and the parent's MAC, as the create script reads them):
 * locally administered, unicast (first octet 02), the rest from a hash. Names alone would give
 * two stacks with the same names on one segment one MAC; the host's identity makes it unique.
 * The create script computes the same on the host, once, and records it.
 *
 * @example takeoverMac("lan", "node1", "4f1c...e2 52:54:00:12:34:56") // "02:" then five hash octets
 */
export function takeoverMac(network: string, node: string, hostId: string): string {
    const hash = createHash("sha256").update(`swarm-macvlan takeover\n${network}\n${node}\n${hostId}\n`).digest("hex");
    return ["02", ...(hash.slice(0, 10).match(/../g) ?? [])].join(":");
}

/** Where the parent's own configuration is recorded on the host (kept until the move back). */
export function takeoverStateDir(network: string): string {
    return `${STATE_DIR}/takeover-${network}`;
}

/**
 * Sends gratuitous ARP for every recorded address from `dev` (arping, else busybox's arping),
 * so neighbours learn the new MAC at once; without either, one ping of the gateway from `dev`
 * makes the gateway learn it from the ARP request.
 */
function announce(dev: string, addresses: string): string[] {
    return [
        `while read -r a rest; do`,
        `  if command -v arping >/dev/null 2>&1; then arping -U -c 2 -I ${quote(dev)} "\${a%/*}" >/dev/null 2>&1 || true`,
        `  elif busybox arping -h 2>&1 | grep -q Unsolicited; then busybox arping -U -c 2 -I ${quote(dev)} "\${a%/*}" >/dev/null 2>&1 || true`,
        `  else gw=$(ip -4 route show default dev ${quote(dev)} | awk '{ print $3; exit }'); [ -z "$gw" ] || ping -c 1 -W 1 -I ${quote(dev)} "$gw" >/dev/null 2>&1 || true`,
        "  fi",
        `done < ${addresses}`,
    ];
}

/** The takeover's scripts: the object's own, `undo` for the lockout guard and `boot` for the boot unit. */
export interface TakeoverCommands extends CommandPair {
    /**
     * The guard's undo, run with the guard's directory as `$1`: when the takeover was in place
     * before the run (`$1/state` holds its record), it keeps the interface with its recorded MAC
     * and leaves the record and the addresses to the guard, which puts them back as they were;
     * else (a first takeover) it is `delete`.
     */
    readonly undo: string;
    /**
     * What the boot unit runs: with a record, `create`; without one (the record is what says
     * where the host's address belongs) it takes nothing over and gives the parent back to its
     * network manager, so that the node boots with its own address on the parent.
     */
    readonly boot: string;
}

/**
 * The takeover's scripts. `create` records, once, the parent's global IPv4 addresses (with
 * prefix, metric, broadcast, scope and noprefixroute), all its routes (a NetworkManager host's
 * `proto kernel` subnet routes too), its static IPv6 addresses (with their flags), IPv6 routes
 * and IPv6 gateway, and the interface's MAC; makes the macvlan (bridge mode, that MAC), puts the addresses on it exactly,
 * removes them from the parent, replays the routes on it and announces the move, and keeps the
 * parent's recorded IPv6 configuration on it (IPv6 does not move); re-run, it
 * re-asserts the same end state from the record (as the boot unit does). `delete` puts the
 * addresses back on the parent exactly, removes the macvlan, replays the routes on the parent,
 * and only then gives the parent back to its network manager; it refuses to remove an interface
 * that holds a global IPv4 address when no record says where that address belongs. A DHCP
 * address (`dynamic`) is refused: the DHCP client would put it back on the parent.
 */
export function hostTakeoverCommands(args: HostTakeoverArgs): TakeoverCommands {
    validateArgs((p) => {
        readInterface(p, "name", args.name);
        readInterface(p, "parent", args.parent);
        readName(p, "network", args.network);
        args.mac === undefined || readString(p, "mac", args.mac, MAC, "a locally administered MAC such as 02:1a:2b:3c:4d:5e (lower case)");
        args.node === undefined || readName(p, "node", args.node);
        args.breakGateway === undefined || readAddress(p, "breakGateway", args.breakGateway, 4);
    });
    const node = args.node ?? THIS_HOST;
    const { name, parent } = args;
    const dir = takeoverStateDir(args.network);
    const at = (file: string) => quote(`${dir}/${file}`);
    const add: Argv = ["ip", "link", "add", name, "link", parent, "address", args.mac ?? RECORDED_MAC, "type", "macvlan", "mode", "bridge"];
    const alias = aliasArgv(name, args.network);
    const pin: Argv = ["ip", "link", "set", "dev", name, "address", args.mac ?? RECORDED_MAC];
    const withMac = (argv: Argv) => line(argv).replace(` address ${RECORDED_MAC}`, ' address "$mac"');
    const what = `takeover of ${parent} by ${name}`;
    const globalV4 = (dev: string) => line(["ip", "-4", "-o", "address", "show", "dev", dev, "scope", "global"]);
    // The host's identity for the MAC: its machine ID and the parent's MAC (either alone may be shared by clones).
    const derive = `printf 'swarm-macvlan takeover\\n%s\\n%s\\n%s\\n' ${quote(args.network)} ${quote(node)} ` +
        `"$(cat /etc/machine-id 2>/dev/null || true) $(mac_of ${quote(parent)})" | sha256sum | cut -c1-10 | sed 's/../:&/g; s/^/02/'`;
    const routes = args.breakGateway === undefined ? at("routes") : quote(`${dir}/routes.test-hook`);
    const makeLink = [
        `mac=$(cat ${at("mac")})`,
        `case "$mac" in 02:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]) ;; *) ${fail(`the MAC recorded in ${dir}/mac on ${node} is not a locally administered MAC:`)} "$mac" ;; esac`,
        `if ! ${linkExists(name)}; then`,
        `  ${withMac(add)}`,
        `  ${line(alias)}`,
        "fi",
        `${withMac(pin)} 2>/dev/null || { ${line(["ip", "link", "set", "dev", name, "down"])}; ${withMac(pin)}; }`,
    ];
    const create = [
        ...NET_FUNCTIONS,
        ...readLink(parent, node, fail(`parent interface ${parent} does not exist on ${node}`)),
        `if ${linkExists(name)}; then`,
        `  ${ownedBy(name, args.network)} || ${fail(`interface ${name} exists on ${node} but was not made by swarm-macvlan; remove it or set shimName`)}`,
        "fi",
        `if [ ! -s ${at("addresses")} ]; then`,
        // Recorded once: what the parent had before anything moved, and what delete restores.
        `  now=$(${globalV4(parent)})`,
        `  [ -n "$now" ] || ${fail(`${parent} on ${node} has no IPv4 address to take over (and none is recorded in ${dir})`)}`,
        `  case "$now" in *' dynamic '*) ${fail(`${parent} on ${node} has an address from DHCP (dynamic): its DHCP client would put it back on ${parent}; give ${node} a static address first`)} ;; esac`,
        `  ${line(["mkdir", "-p", dir])}`,
        `  ${line(["ip", "-4", "route", "show", "table", "main", "dev", parent])} | sed 's/ linkdown//; s/ dead//' > ${at("routes")}`,
        `  ${line(["ip", "-6", "-o", "address", "show", "dev", parent, "scope", "global", "permanent"])} | awk '{ print $4 }' > ${at("ipv6")}`,
        `  ${line(["ip", "-6", "route", "show", "default", "dev", parent])} | awk '{ for (i = 1; i < NF; i++) if ($i == "via") { print $(i + 1); exit } }' > ${at("gateway6")}`,
        // The same IPv6 configuration exactly (flags, and the routes with their protocol and
        // metric): what create puts back on the parent where no network manager does (at boot,
        // NetworkManager leaves the parent it is told to leave alone without them).
        `  ${line(["ip", "-6", "-o", "address", "show", "dev", parent, "scope", "global", "permanent"])} | address_record > ${at("addresses6")}`,
        `  ${line(["ip", "-6", "route", "show", "table", "main", "dev", parent])} | ${line(["awk", "$1 !~ /^(fe80|ff[0-9a-f][0-9a-f]):/ && !/ expires / && !/ proto ra /"])} | sed 's/ linkdown//; s/ dead//' > ${at("routes6")}`,
        `  printf '%s\\n' "$now" | address_record > ${at("addresses.tmp")}`,
        `  ${line(["mv", "-f", `${dir}/addresses.tmp`, `${dir}/addresses`])}`,
        "fi",
        ...(args.mac !== undefined ? [`printf '%s\\n' ${quote(args.mac)} > ${at("mac")}`] : [
            `if [ ! -s ${at("mac")} ]; then`,
            // A takeover made before the MAC was recorded keeps the MAC it has.
            `  if ${linkExists(name)}; then mac_of ${quote(name)}; else ${derive}; fi > ${at("mac.tmp")}`,
            `  ${line(["mv", "-f", `${dir}/mac.tmp`, `${dir}/mac`])}`,
            "fi",
        ]),
        ...makeLink,
        line(upArgv(parent)),
        line(upArgv(name)),
        `while read -r a rest; do put_address ${quote(name)} "$a" $rest; done < ${at("addresses")}`,
        // The parent keeps none: its prefix routes and the routes through them go with them.
        `while read -r a rest; do`,
        `  if ${line(["ip", "-4", "-o", "address", "show", "dev", parent])} | grep -qF " $a "; then ${line(["ip", "address", "del"])} "$a" dev ${quote(parent)}; fi`,
        `done < ${at("addresses")}`,
        ...(args.breakGateway === undefined ? [] : [`sed ${quote(`s/^default via [^ ]*/default via ${args.breakGateway}/`)} ${at("routes")} > ${routes}`]),
        `replay_routes ${routes} ${quote(name)}`,
        ...announce(name, at("addresses")),
        // The parent keeps its static IPv6 configuration, as recorded (a no-op while it has it).
        `if [ -s ${at("addresses6")} ]; then while read -r a rest; do put_address ${quote(parent)} "$a" $rest; done < ${at("addresses6")}; fi`,
        // Routes through a gateway after the others (the gateway's own prefix first).
        `if [ -s ${at("routes6")} ]; then { grep -v ' via ' ${at("routes6")} || true; grep ' via ' ${at("routes6")} || true; } | while read -r r; do ip -6 route replace $r dev ${quote(parent)}; done; fi`,
    ];
    const moveBack = [
        `if [ ! -s ${at("addresses")} ] && ${linkExists(name)} && ${ownedBy(name, args.network)} && [ -n "$(${globalV4(name)})" ]; then`,
        `  ${fail(`${name} on ${node} holds the host's IPv4 address and nothing is recorded in ${dir} to say where it belongs; refused, nothing changed: move the address to ${parent} by hand (ip address add ... dev ${parent}), then run again`)}`,
        "fi",
        `if [ -s ${at("addresses")} ]; then`,
        ...readLink(parent, node, fail(`cannot move the host's address back: ${parent} does not exist on ${node}`)).map((l) => `  ${l}`),
        `  ${line(upArgv(parent))}`,
        `  while read -r a rest; do put_address ${quote(parent)} "$a" $rest; done < ${at("addresses")}`,
        "fi",
        ...readLink(name, node, ":"),
        `if ${linkExists(name)} && ${ownedBy(name, args.network)}; then ${line(["ip", "link", "delete", "dev", name])}; fi`,
        `if [ -s ${at("addresses")} ]; then`,
        `  replay_routes ${at("routes")} ${quote(parent)}`,
        ...announce(parent, at("addresses")).map((l) => `  ${l}`),
        "fi",
        // Only now, with the address back on the parent, is the parent its network manager's again:
        // when the boot unit kept it from them (its files, or their removal left to this).
        `reload=no; for f in ${[...parentManagerFiles(args.network), `${dir}/${RELOAD_MARK}`].map(quote).join(" ")}; do [ ! -e "$f" ] || reload=yes; done`,
        line(["rm", "-rf", dir]),
        line(["rm", "-f", ...parentManagerFiles(args.network)]),
        `if [ "$reload" = yes ]; then`,
        ...reloadManagers().map((l) => `  ${l}`),
        "fi",
    ];
    return {
        steps: [add, alias, pin, upArgv(parent), upArgv(name)],
        create: script(...create),
        delete: script(...NET_FUNCTIONS, ...moveBack),
        undo: script(
            ...NET_FUNCTIONS,
            `g=\${1:?the guard directory}`,
            `if [ -s "$g/state/addresses" ]; then`,
            // In place before this run: the interface stays; the guard puts the record and every address back.
            `  ${line(["mkdir", "-p", dir])}`,
            `  if [ -s "$g/state/mac" ]; then ${line(["cp", "-f"])} "$g/state/mac" ${at("mac")}; fi`,
            ...(args.mac !== undefined ? [`  printf '%s\\n' ${quote(args.mac)} > ${at("mac")}`] : []),
            ...makeLink.map((l) => `  ${l}`),
            `  ${line(upArgv(name))}`,
            "  exit 0",
            "fi",
            ...moveBack,
        ),
        boot: script(
            `if [ ! -s ${at("addresses")} ]; then`,
            `  echo ${quote(`swarm-macvlan: nothing recorded in ${dir}: ${parent} on ${node} stays its network manager's, with its own address; no takeover`)} >&2`,
            `  ${line(["rm", "-f", ...parentManagerFiles(args.network)])}`,
            ...reloadManagers().map((l) => `  ${l}`),
            "  exit 0",
            "fi",
            ...create,
        ),
        check: script(
            ...readLink(name, node, `echo ${quote(`interface ${name}: missing (${what})`)}; exit 0`),
            `${ownedBy(name, args.network)} || { echo ${quote(`interface ${name}: exists but was not made by swarm-macvlan`)}; exit 0; }`,
            `printf '%s\\n' "$link" | ${line(["grep", "-qF", `${name}@${parent}:`])} || echo ${quote(`interface ${name}: is not on ${parent}`)}`,
            `printf '%s\\n' "$link" | ${line(["grep", "-qF", " macvlan mode bridge "])} || echo ${quote(`interface ${name}: is not a bridge-mode macvlan`)}`,
            `${hasFlag("UP")} || echo ${quote(`interface ${name}: is down`)}`,
            `[ -s ${at("addresses")} ] || { echo ${quote(`${what}: nothing recorded in ${dir}`)}; exit 0; }`,
            `mac=${args.mac === undefined ? `$(cat ${at("mac")} 2>/dev/null || true)` : quote(args.mac)}`,
            `printf '%s\\n' "$link" | grep -qF " link/ether $mac " || echo ${quote(`interface ${name}: its MAC is not`)} "\${mac:-(none recorded)}"`,
            `while read -r a rest; do ${line(["ip", "-4", "-o", "address", "show", "dev", name])} | grep -qF " $a " || echo ${quote(`interface ${name}: address`)} "$a" is missing; done < ${at("addresses")}`,
            `if [ -n "$(${globalV4(parent)})" ]; then echo ${quote(`interface ${parent}: still has an IPv4 address (${what})`)}; fi`,
        ),
    };
}
