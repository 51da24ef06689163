// An 802.1Q sub-interface as a macvlan parent.
import { readInteger, readInterface, readName } from "../fields";
import { fail, line, quote, script } from "../shell";
import {
    CommandPair, THIS_HOST, aliasArgv, deleteOwnedLink, hasFlag, promiscArgv, readLink, upArgv, validateArgs,
} from "./shared";

export interface VlanSubinterfaceArgs {
    /** The trunk the VLAN rides on, e.g. `bond0`. */
    readonly trunk: string;
    /** The 802.1Q VLAN id, 1-4094: the sub-interface is `<trunk>.<vlanId>`. */
    readonly vlanId: number;
    /** The swarm-macvlan network this serves; recorded in the interface alias. */
    readonly network: string;
    /** The node's name, for messages. @default "this host" */
    readonly node?: string;
}

/**
 * `<trunk>.<vlanId>`, 802.1Q, promiscuous and up; deleted only if swarm-macvlan made it. One of
 * that name that swarm-macvlan did not make is used as it is (and never deleted) when it is
 * the same VLAN on the same trunk.
 */
export function vlanSubinterfaceCommands(args: VlanSubinterfaceArgs): CommandPair {
    validateArgs((p) => {
        readInterface(p, "trunk", args.trunk);
        readInteger(p, "vlanId", args.vlanId, 1, 4094);
        readName(p, "network", args.network);
        readInterface(p, "name", `${args.trunk}.${args.vlanId}`);
        args.node === undefined || readName(p, "node", args.node);
    });
    const node = args.node ?? THIS_HOST;
    const name = `${args.trunk}.${args.vlanId}`;
    const add = ["ip", "link", "add", "link", args.trunk, "name", name, "type", "vlan", "id", String(args.vlanId)];
    const alias = aliasArgv(name, args.network);
    const [trunkUp, promisc, up] = [upArgv(args.trunk), promiscArgv(name), upArgv(name)];
    // `ip -d -o link show` prints `NAME@TRUNK: <FLAGS> ... vlan protocol 802.1Q id ID <...>`.
    const isOurVlan = `printf '%s\\n' "$link" | ${line(["grep", "-qF", `${name}@${args.trunk}:`])} && ` +
        `printf '%s\\n' "$link" | ${line(["grep", "-qF", ` vlan protocol 802.1Q id ${args.vlanId} `])}`;
    return {
        steps: [add, alias, trunkUp, promisc, up],
        create: script(
            `${line(["ip", "link", "show", "dev", args.trunk])} >/dev/null 2>&1 || ${fail(`trunk interface ${args.trunk} does not exist on ${node}`)}`,
            ...readLink(name, node, "link=''"),
            `if [ -n "$link" ]; then`,
            `  { ${isOurVlan}; } || ${fail(`${name} exists on ${node} but is not VLAN ${args.vlanId} on ${args.trunk}; remove or rename it`)}`,
            "else",
            `  ${line(add)} || ${fail(`cannot create 802.1Q interface ${name} on ${node}: is the 8021q kernel module available? (modprobe 8021q)`)}`,
            `  ${line(alias)}`,
            "fi",
            line(trunkUp),
            line(promisc),
            line(up),
        ),
        delete: script(...deleteOwnedLink(name, args.network, node)),
        check: script(
            ...readLink(name, node, `echo ${quote(`interface ${name}: missing (802.1Q VLAN ${args.vlanId} on ${args.trunk})`)}; exit 0`),
            `{ ${isOurVlan}; } || echo ${quote(`interface ${name}: is not VLAN ${args.vlanId} on ${args.trunk}`)}`,
            `${hasFlag("PROMISC")} || echo ${quote(`interface ${name}: promiscuous mode is off`)}`,
            `${hasFlag("UP")} || echo ${quote(`interface ${name}: is down`)}`,
        ),
    };
}
