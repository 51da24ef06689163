// The host's own macvlan interface beside the containers.
import { readAddress, readCidr, readInterface, readName } from "../fields";
import { fail, line, quote, script } from "../shell";
import {
    CommandPair, THIS_HOST, aliasArgv, deleteOwnedLink, hasFlag, linkExists, ownedBy, readLink, refuseSshClientIn, upArgv, validateArgs,
} from "./shared";

export interface HostShimArgs {
    /** The shim interface, e.g. `shim-vlan40`. */
    readonly name: string;
    /** The macvlan parent it hangs off. */
    readonly parent: string;
    /** The spec network the shim belongs to: its interface alias is `swarm-macvlan:<network>`. */
    readonly network: string;
    /** This host's address on the network (a /32 on the shim). */
    readonly address: string;
    /** This node's container range, routed through the shim. */
    readonly ipRange: string;
    /** The host's IPv6 address and the node's IPv6 range, for dual stack. @default IPv4 only */
    readonly ipv6?: {
        /** The host's IPv6 address on the network. */
        readonly address: string;
        /** The node's IPv6 range, routed through the shim. */
        readonly ipRange: string;
    };
    /** The node's name, for messages. @default "this host" */
    readonly node?: string;
}

/**
 * A bridge-mode macvlan beside the containers: the kernel keeps a macvlan parent from talking
 * to its own macvlan children, so the host reaches them through a sibling
 * (https://docs.docker.com/engine/network/drivers/macvlan/).
 */
export function hostShimCommands(args: HostShimArgs): CommandPair {
    validateArgs((p) => {
        readInterface(p, "name", args.name);
        readInterface(p, "parent", args.parent);
        readName(p, "network", args.network);
        readAddress(p, "address", args.address, 4);
        readCidr(p, "ipRange", args.ipRange, 4);
        if (args.ipv6) {
            readAddress(p, "ipv6.address", args.ipv6.address, 6);
            readCidr(p, "ipv6.ipRange", args.ipv6.ipRange, 6);
        }
        args.node === undefined || readName(p, "node", args.node);
    });
    const node = args.node ?? THIS_HOST;
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
    const object = `interface ${args.name}`;
    const hasAddress = (family: "-4" | "-6", cidr: string) =>
        `${line(["ip", "-o", family, "address", "show", "dev", args.name])} | ${line(["grep", "-qF", ` ${cidr} `])}`;
    const hasRoute = (family: "-4" | "-6", range: string) =>
        `[ -n "$(${line(["ip", family, "route", "show", "exact", range, "dev", args.name])})" ]`;
    return {
        steps: [add, alias, ...addresses, up, ...routes],
        create: script(
            // Before anything changes: a route that captured the SSH session's own source would
            // cut this very session (and every later one) off.
            ...refuseSshClientIn(args.ipRange, node, `route ${args.ipRange} through shim ${args.name}`),
            `if ${linkExists(args.name)}; then`,
            `  ${ownedBy(args.name, args.network)} || ${fail(`interface ${args.name} exists on ${node} but was not made by swarm-macvlan; remove it or set shimName`)}`,
            "else",
            `  ${line(add)}`,
            `  ${line(alias)}`,
            "fi",
            ...addresses.map(line),
            line(up),
            ...routes.map(line),
        ),
        delete: script(...deleteOwnedLink(args.name, args.network, node)),
        check: script(
            ...readLink(args.name, node, `echo ${quote(`${object}: missing`)}; exit 0`),
            `${ownedBy(args.name, args.network)} || { echo ${quote(`${object}: exists but was not made by swarm-macvlan`)}; exit 0; }`,
            `printf '%s\\n' "$link" | ${line(["grep", "-qF", `${args.name}@${args.parent}:`])} || echo ${quote(`${object}: is not on ${args.parent}`)}`,
            `printf '%s\\n' "$link" | ${line(["grep", "-qF", " macvlan mode bridge "])} || echo ${quote(`${object}: is not a bridge-mode macvlan`)}`,
            `${hasFlag("UP")} || echo ${quote(`${object}: is down`)}`,
            `${hasAddress("-4", `${args.address}/32`)} || echo ${quote(`${object}: address ${args.address}/32 is missing`)}`,
            ...(v6 ? [`${hasAddress("-6", `${v6.address}/128`)} || echo ${quote(`${object}: address ${v6.address}/128 is missing`)}`] : []),
            `${hasRoute("-4", args.ipRange)} || echo ${quote(`${object}: route ${args.ipRange} is missing`)}`,
            ...(v6 ? [`${hasRoute("-6", v6.ipRange)} || echo ${quote(`${object}: route ${v6.ipRange} is missing`)}`] : []),
        ),
    };
}
