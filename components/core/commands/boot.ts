// Host state that survives a reboot: a oneshot systemd unit per network that runs the very
// create scripts of the network's host-state objects (sub-interface or promiscuous mode, shim)
// before docker.service starts, so that Docker never makes a dotted parent itself (without
// promiscuous mode) and containers find their parent at boot. Network managers are told to
// leave the library's interfaces alone.
import { createHash } from "node:crypto";
import { readInterface, readName } from "../fields";
import { fail, line, quote, script } from "../shell";
import { NETWORKD_DIR, NETWORK_MANAGER_DIR, RELOAD_MARK, parentManagerFiles, reloadManagers } from "./managers";
import { CommandPair, THIS_HOST, validateArgs } from "./shared";
import { takeoverStateDir } from "./takeover";

export interface BootUnitArgs {
    /** The swarm-macvlan network; names the unit `swarm-macvlan-<network>.service`. */
    readonly network: string;
    /** The node's name, for messages. @default "this host" */
    readonly node?: string;
    /** The interface the unit is bound to: the VLAN's trunk, else the macvlan parent. */
    readonly device: string;
    /** What to run at boot, in order: each an object's create script, by a short name. */
    readonly scripts: readonly {
        /** The script's file name, e.g. `10-vlan`: scripts run in name order. */
        readonly name: string;
        /** The script, e.g. a builder's `create`. */
        readonly text: string;
    }[];
    /** The interfaces the library makes (sub-interface, shim), which network managers must not manage. */
    readonly interfaces: readonly string[];
    /**
     * A takeover's parent: NetworkManager must not manage it, and systemd-networkd keeps it with
     * no address, online once it has carrier. Unmanaged, it would leave networkd without a link
     * to wait for where it was the only one, and `network-online.target` (so Docker) would wait
     * out systemd-networkd-wait-online's two minutes at every boot. @default none
     */
    readonly takeoverParent?: string;
}

export const UNIT_DIR = "/etc/systemd/system";
export const SCRIPT_DIR = "/usr/local/lib/swarm-macvlan";

/**
 * systemd's escaping of a path for a unit name (`systemd-escape --path`): `/` becomes `-`, and
 * any byte other than ASCII letters, digits, `:`, `_` and `.` (a leading `.` too) becomes `\xNN`.
 *
 * @example systemdEscapePath("/sys/subsystem/net/devices/br-lan") // "sys-subsystem-net-devices-br\\x2dlan"
 */
export function systemdEscapePath(path: string): string {
    return path.replace(/^\/+|\/+$/g, "").split("/").map((part) =>
        [...part].map((c, i) => (/[A-Za-z0-9:_]/.test(c) || (c === "." && i > 0) ? c : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)).join(""),
    ).join("-");
}

/** The files the unit consists of, path to content. */
export function bootFiles(args: BootUnitArgs): [string, string][] {
    const unit = `swarm-macvlan-${args.network}.service`;
    const device = `${systemdEscapePath(`/sys/subsystem/net/devices/${args.device}`)}.device`;
    const scripts = args.scripts.map((s) => [`${SCRIPT_DIR}/${args.network}/${s.name}.sh`, s.text] as [string, string]);
    const mark = `# Made by swarm-macvlan for network ${args.network}; it removes this file when the network goes.`;
    return [
        ...scripts,
        [`${UNIT_DIR}/${unit}`, [
            mark,
            "[Unit]",
            `Description=swarm-macvlan: host state of network ${args.network} (${args.interfaces.join(", ") || args.device})`,
            // Before Docker, so that its macvlan driver finds the parent as the library makes it.
            "Before=docker.service",
            `BindsTo=${device}`,
            `After=${device}`,
            "",
            "[Service]",
            "Type=oneshot",
            "RemainAfterExit=yes",
            ...scripts.map(([path]) => `ExecStart=/bin/sh ${path}`),
            "",
            "[Install]",
            "WantedBy=multi-user.target",
            "",
        ].join("\n")],
        // networkd applies the first .network file that matches, in lexical order: 00- comes
        // before netplan's 10-netplan-* and a distribution's catch-alls.
        ...(args.interfaces.length === 0 ? [] : [
            [`${NETWORKD_DIR}/00-swarm-macvlan-${args.network}.network`,
                [mark, "[Match]", `Name=${args.interfaces.join(" ")}`, "", "[Link]", "Unmanaged=yes", ""].join("\n")] as [string, string],
        ]),
        ...(args.interfaces.length === 0 ? [] : [
            [`${NETWORK_MANAGER_DIR}/swarm-macvlan-${args.network}.conf`,
                [mark, "[keyfile]", `unmanaged-devices+=${args.interfaces.map((i) => `interface-name:${i}`).join(";")}`, ""].join("\n")] as [string, string],
        ]),
        ...(args.takeoverParent === undefined ? [] : parentFiles(args.network, args.takeoverParent, mark)),
    ];
}

/**
 * A takeover's parent: systemd-networkd keeps it with no IPv4 address, online once it has
 * carrier, and with the static IPv6 addresses and IPv6 gateway the takeover recorded (added on
 * the host, `parentIpv6`: the takeover moves only IPv4); NetworkManager leaves it alone.
 */
function parentFiles(network: string, parent: string, mark: string): [string, string][] {
    const [networkd, manager] = parentManagerFiles(network);
    return [
        [networkd, [
            mark, "[Match]", `Name=${parent}`, "", "[Link]", "RequiredForOnline=carrier", "",
            "[Network]", `# No IPv4 address: the host's moved to the takeover interface on ${parent}.`, "",
        ].join("\n")],
        [manager, [mark, "[keyfile]", `unmanaged-devices+=interface-name:${parent}`, ""].join("\n")],
    ];
}

/** Prints the parent's `.network` file: its planned text, then the recorded IPv6 addresses and gateway. */
function parentIpv6(network: string): string[] {
    const dir = takeoverStateDir(network);
    return [
        "parent_network() {",
        `  printf '%s' "$1"`,
        `  if [ -s ${quote(`${dir}/ipv6`)} ]; then while read -r a; do printf 'Address=%s\\n' "$a"; done < ${quote(`${dir}/ipv6`)}; fi`,
        `  if [ -s ${quote(`${dir}/gateway6`)} ]; then while read -r g; do printf 'Gateway=%s\\n' "$g"; done < ${quote(`${dir}/gateway6`)}; fi`,
        "}",
    ];
}

/** Writes `content` to `path` atomically (a temporary file, then a rename). */
function writeFile(path: string, content: string): string[] {
    return [`printf '%s' ${quote(content)} > ${quote(`${path}.tmp`)}`, line(["mv", "-f", `${path}.tmp`, path])];
}

/** Only where the directory exists: a network manager that is not installed gets no file. */
function managerDir(path: string): string | undefined {
    return [NETWORKD_DIR, NETWORK_MANAGER_DIR].find((d) => path.startsWith(`${d}/`));
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * The unit, its scripts and the network managers' exclusions: created (and rewritten by an
 * update) with the unit enabled; deleted with the unit disabled. A host without systemd is
 * refused (the node preflight says so first).
 */
export function bootUnitCommands(args: BootUnitArgs): CommandPair {
    validateArgs((p) => {
        readName(p, "network", args.network);
        readInterface(p, "device", args.device);
        args.interfaces.forEach((i, n) => readInterface(p, `interfaces[${n}]`, i));
        args.takeoverParent === undefined || readInterface(p, "takeoverParent", args.takeoverParent);
        args.scripts.forEach((s, n) => readName(p, `scripts[${n}].name`, s.name));
        args.node === undefined || readName(p, "node", args.node);
    });
    const node = args.node ?? THIS_HOST;
    const unit = `swarm-macvlan-${args.network}.service`;
    const files = bootFiles(args);
    const [parentNetwork, parentManager] = parentManagerFiles(args.network);
    const record = quote(`${takeoverStateDir(args.network)}/addresses`);
    // While a takeover is recorded and this unit no longer keeps its parent, the managers are
    // told only by the takeover's move back, once the address is on the parent again.
    const keepsParent = args.takeoverParent !== undefined;
    const mark = quote(`${takeoverStateDir(args.network)}/${RELOAD_MARK}`);
    const reload = (when: string) => [
        "systemctl daemon-reload",
        ...(when === "" ? reloadManagers() : [`if ${when}; then`, ...reloadManagers().map((l) => `  ${l}`), "else", `  : > ${mark}`, "fi"]),
    ];
    const write = ([path, content]: [string, string]) => path === parentNetwork
        ? [`parent_network ${quote(content)} > ${quote(`${path}.tmp`)}`, line(["mv", "-f", `${path}.tmp`, path])]
        : writeFile(path, content);
    const enable = ["systemctl", "enable", unit];
    const unitFile = `${UNIT_DIR}/${unit}`;
    return {
        steps: [enable],
        create: script(
            `[ -d /run/systemd/system ] || ${fail(`${node} does not run systemd: the unit that restores network ${args.network}'s host state at boot needs it (set persist: false to manage runtime state only)`)}`,
            ...(keepsParent ? parentIpv6(args.network) : []),
            line(["mkdir", "-p", `${SCRIPT_DIR}/${args.network}`]),
            ...files.flatMap((file) => {
                const dir = managerDir(file[0]);
                return dir === undefined ? write(file) : [`if [ -d ${dir} ]; then`, ...write(file).map((l) => `  ${l}`), "fi"];
            }),
            ...(keepsParent ? [] : [line(["rm", "-f", parentNetwork, parentManager])]),
            ...reload(keepsParent ? "" : `[ ! -s ${record} ]`),
            `${line(enable)} 2>/dev/null`,
            // Runs the scripts now too (they are the create scripts, safe to re-run): a unit that
            // would fail at boot fails here first.
            line(["systemctl", "restart", unit]),
        ),
        delete: script(
            `if [ -d /run/systemd/system ] && [ -e ${quote(unitFile)} ]; then ${line(["systemctl", "disable", unit])}; fi`,
            line(["rm", "-f", ...files.map(([path]) => path), parentNetwork, parentManager]),
            `if [ -d ${quote(`${SCRIPT_DIR}/${args.network}`)} ]; then ${line(["rmdir", `${SCRIPT_DIR}/${args.network}`])}; fi`,
            `if [ -d /run/systemd/system ]; then`,
            ...reload(`[ ! -s ${record} ]`).map((l) => `  ${l}`),
            "fi",
        ),
        check: script(
            ...(keepsParent ? parentIpv6(args.network) : []),
            ...files.map(([path, content]) => {
                const dir = managerDir(path);
                const same = path === parentNetwork
                    ? `[ "$(parent_network ${quote(content)})" = "$(cat ${quote(path)} 2>/dev/null)" ]`
                    : `echo ${quote(`${sha256(content)}  ${path}`)} | sha256sum -c --status 2>/dev/null`;
                const test = `${same} || echo ${quote(`file ${path}: `)}"$([ -e ${quote(path)} ] && echo 'differs from the plan' || echo missing)"`;
                return dir === undefined ? test : `[ ! -d ${dir} ] || { ${test}; }`;
            }),
            `[ "$(systemctl is-enabled ${quote(unit)} 2>/dev/null)" = enabled ] || echo ${quote(`systemd unit ${unit}: is not enabled`)}`,
        ),
    };
}
