// Promiscuous mode on an existing parent interface.
import { readInterface, readName } from "../fields";
import { fail, line, quote, script } from "../shell";
import { CommandPair, STATE_DIR, THIS_HOST, hasFlag, promiscArgv, readLink, upArgv, validateArgs } from "./shared";

export interface PromiscModeArgs {
    /** An existing interface, e.g. `eth1`. */
    readonly parent: string;
    /** The node's name, for messages. @default "this host" */
    readonly node?: string;
}

/** Promiscuous mode on an existing parent; delete restores the mode found before. */
export function promiscModeCommands(args: PromiscModeArgs): CommandPair {
    validateArgs((p) => {
        readInterface(p, "parent", args.parent);
        args.node === undefined || readName(p, "node", args.node);
    });
    const node = args.node ?? THIS_HOST;
    const record = `${STATE_DIR}/promisc-${args.parent}`;
    const [promisc, up] = [promiscArgv(args.parent), upArgv(args.parent)];
    return {
        steps: [promisc, up],
        create: script(
            ...readLink(args.parent, node, fail(`parent interface ${args.parent} does not exist on ${node}`)),
            `if [ ! -e ${quote(record)} ]; then`,
            `  ${line(["mkdir", "-p", STATE_DIR])}`,
            `  if ${hasFlag("PROMISC")}; then echo on; else echo off; fi > ${quote(record)}`,
            "fi",
            line(promisc),
            line(up),
        ),
        delete: script(
            `if [ -e ${quote(record)} ]; then`,
            // Gone with its parent (a removed sub-interface) is fine; any other failure fails the delete.
            `  if [ "$(cat ${quote(record)})" = off ]; then`,
            ...readLink(args.parent, node, `${line(["rm", "-f", record])}; exit 0`).map((l) => `    ${l}`),
            `    ${line(["ip", "link", "set", "dev", args.parent, "promisc", "off"])}`,
            "  fi",
            `  ${line(["rm", "-f", record])}`,
            "fi",
        ),
        check: script(
            ...readLink(args.parent, node, `echo ${quote(`interface ${args.parent}: missing`)}; exit 0`),
            `${hasFlag("PROMISC")} || echo ${quote(`interface ${args.parent}: promiscuous mode is off`)}`,
            `${hasFlag("UP")} || echo ${quote(`interface ${args.parent}: is down`)}`,
        ),
    };
}
