// Takeover (seed 004): the host's own IPv4 addresses, their routes and the default route move
// from the parent onto a bridge-mode macvlan sibling of the containers, so that the host reaches
// its containers without spending an address; the parent keeps none. What the parent had is
// recorded once on the host and is what the move back (delete) restores.
import { createHash } from "node:crypto";
import { readAddress, readInterface, readName, readString } from "../fields";
import { Argv, fail, line, quote, script } from "../shell";
import {
    CommandPair, STATE_DIR, THIS_HOST, aliasArgv, hasFlag, linkExists, ownedBy, readLink, upArgv, validateArgs,
} from "./shared";

export interface HostTakeoverArgs {
    /** The macvlan interface that takes the host's address over, e.g. `shim-lan`. */
    readonly name: string;
    /** The interface that has the host's address now (and keeps none), e.g. `eth0`. */
    readonly parent: string;
    /** The spec network it belongs to: its alias is `swarm-macvlan:<network>`. */
    readonly network: string;
    /** The MAC pinned on `name` (takeoverMac), so that it is the same at every boot. */
    readonly mac: string;
    /** The node's name, for messages. @default "this host" */
    readonly node?: string;
    /**
     * Test hook, never for production: the default route moves with this gateway instead of its
     * own, so that the lockout guard's rollback can be exercised. @default the route's own gateway
     */
    readonly breakGateway?: string;
}

const MAC = /^02(:[0-9a-f]{2}){5}$/;

/**
 * The MAC pinned on the takeover interface of `node` in `network`: locally administered,
 * unicast (first octet 02), the rest from a hash of the names, so every plan and every boot
 * gives the same one and neighbours' ARP caches stay valid across reboots.
 *
 * @example takeoverMac("lan", "node1") // "02:" followed by five hash octets
 */
export function takeoverMac(network: string, node: string): string {
    const hash = createHash("sha256").update(`swarm-macvlan takeover\0${network}\0${node}`).digest();
    return ["02", ...[...hash.subarray(0, 5)].map((b) => b.toString(16).padStart(2, "0"))].join(":");
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

/**
 * The takeover's scripts. `create` records the parent's global IPv4 addresses (with prefix,
 * broadcast, scope) and its routes (not the kernel's own prefix routes) once, makes the macvlan
 * (bridge mode, pinned MAC), puts the addresses on it, removes them from the parent, replays the
 * routes on it and announces the move; re-run, it re-asserts the same end state from the record
 * (as the boot unit does). `delete` puts the addresses back on the parent, removes the macvlan
 * and replays the routes on the parent. A DHCP address (`dynamic`) is refused: the DHCP client
 * would put it back on the parent.
 */
export function hostTakeoverCommands(args: HostTakeoverArgs): CommandPair {
    validateArgs((p) => {
        readInterface(p, "name", args.name);
        readInterface(p, "parent", args.parent);
        readName(p, "network", args.network);
        readString(p, "mac", args.mac, MAC, "a locally administered MAC such as 02:1a:2b:3c:4d:5e (lower case)");
        args.node === undefined || readName(p, "node", args.node);
        args.breakGateway === undefined || readAddress(p, "breakGateway", args.breakGateway, 4);
    });
    const node = args.node ?? THIS_HOST;
    const { name, parent } = args;
    const dir = takeoverStateDir(args.network);
    const [addresses, routes] = [quote(`${dir}/addresses`), quote(`${dir}/routes`)];
    const add: Argv = ["ip", "link", "add", name, "link", parent, "address", args.mac, "type", "macvlan", "mode", "bridge"];
    const alias = aliasArgv(name, args.network);
    const pin: Argv = ["ip", "link", "set", "dev", name, "address", args.mac];
    const what = `takeover of ${parent} by ${name}`;
    // Each recorded line is `ADDRESS/PREFIX [brd B] scope S [noprefixroute]`, made from `ip -o` output.
    const record = String.raw`awk '{ s = $4; for (i = 5; i <= NF; i++) { if ($i == "brd" || $i == "scope") s = s " " $i " " $(i + 1); if ($i == "noprefixroute") s = s " noprefixroute" } print s }'`;
    const replay = (dev: string, hook: boolean) => [
        `while read -r r; do`,
        ...(args.breakGateway === undefined || !hook ? [] : [`  r=$(printf '%s\\n' "$r" | sed ${quote(`s/^default via [^ ]*/default via ${args.breakGateway}/`)})`]),
        `  ip route replace $r dev ${quote(dev)}`,
        `done < ${routes}`,
    ];
    return {
        steps: [add, alias, pin, upArgv(parent), upArgv(name)],
        create: script(
            ...readLink(parent, node, fail(`parent interface ${parent} does not exist on ${node}`)),
            `if ${linkExists(name)}; then`,
            `  ${ownedBy(name, args.network)} || ${fail(`interface ${name} exists on ${node} but was not made by swarm-macvlan; remove it or set shimName`)}`,
            "fi",
            `if [ ! -s ${addresses} ]; then`,
            // Recorded once: what the parent had before anything moved, and what delete restores.
            `  now=$(${line(["ip", "-4", "-o", "address", "show", "dev", parent, "scope", "global"])})`,
            `  [ -n "$now" ] || ${fail(`${parent} on ${node} has no IPv4 address to take over (and none is recorded in ${dir})`)}`,
            `  case "$now" in *' dynamic '*) ${fail(`${parent} on ${node} has an address from DHCP (dynamic): its DHCP client would put it back on ${parent}; give ${node} a static address first`)} ;; esac`,
            `  ${line(["mkdir", "-p", dir])}`,
            `  ${line(["ip", "-4", "route", "show", "table", "main", "dev", parent])} | { grep -v ' proto kernel ' || true; } | sed 's/ linkdown//; s/ dead//' > ${routes}`,
            `  printf '%s\\n' "$now" | ${record} > ${quote(`${dir}/addresses.tmp`)}`,
            `  ${line(["mv", "-f", `${dir}/addresses.tmp`, `${dir}/addresses`])}`,
            "fi",
            `if ! ${linkExists(name)}; then`,
            `  ${line(add)}`,
            `  ${line(alias)}`,
            "fi",
            `${line(pin)} 2>/dev/null || { ${line(["ip", "link", "set", "dev", name, "down"])}; ${line(pin)}; }`,
            line(upArgv(parent)),
            line(upArgv(name)),
            `while read -r a rest; do ip address replace "$a" $rest dev ${quote(name)}; done < ${addresses}`,
            // The parent keeps none: its prefix routes and the routes through them go with them.
            `while read -r a rest; do`,
            `  if ${line(["ip", "-4", "-o", "address", "show", "dev", parent])} | grep -qF " $a "; then ${line(["ip", "address", "del"])} "$a" dev ${quote(parent)}; fi`,
            `done < ${addresses}`,
            ...replay(name, true),
            ...announce(name, addresses),
        ),
        delete: script(
            `if [ -s ${addresses} ]; then`,
            ...readLink(parent, node, fail(`cannot move the host's address back: ${parent} does not exist on ${node}`)).map((l) => `  ${l}`),
            `  ${line(upArgv(parent))}`,
            `  while read -r a rest; do ip address replace "$a" $rest dev ${quote(parent)}; done < ${addresses}`,
            "fi",
            ...readLink(name, node, ":"),
            `if ${linkExists(name)} && ${ownedBy(name, args.network)}; then ${line(["ip", "link", "delete", "dev", name])}; fi`,
            `if [ -s ${addresses} ]; then`,
            ...replay(parent, false).map((l) => `  ${l}`),
            ...announce(parent, addresses).map((l) => `  ${l}`),
            "fi",
            line(["rm", "-rf", dir]),
        ),
        check: script(
            ...readLink(name, node, `echo ${quote(`interface ${name}: missing (${what})`)}; exit 0`),
            `${ownedBy(name, args.network)} || { echo ${quote(`interface ${name}: exists but was not made by swarm-macvlan`)}; exit 0; }`,
            `printf '%s\\n' "$link" | ${line(["grep", "-qF", `${name}@${parent}:`])} || echo ${quote(`interface ${name}: is not on ${parent}`)}`,
            `printf '%s\\n' "$link" | ${line(["grep", "-qF", " macvlan mode bridge "])} || echo ${quote(`interface ${name}: is not a bridge-mode macvlan`)}`,
            `printf '%s\\n' "$link" | ${line(["grep", "-qF", ` link/ether ${args.mac} `])} || echo ${quote(`interface ${name}: its MAC is not ${args.mac}`)}`,
            `${hasFlag("UP")} || echo ${quote(`interface ${name}: is down`)}`,
            `[ -s ${addresses} ] || { echo ${quote(`${what}: nothing recorded in ${dir}`)}; exit 0; }`,
            `while read -r a rest; do ${line(["ip", "-4", "-o", "address", "show", "dev", name])} | grep -qF " $a " || echo ${quote(`interface ${name}: address`)} "$a" is missing; done < ${addresses}`,
            `if [ -n "$(${line(["ip", "-4", "-o", "address", "show", "dev", parent, "scope", "global"])})" ]; then echo ${quote(`interface ${parent}: still has an IPv4 address (${what})`)}; fi`,
        ),
    };
}
