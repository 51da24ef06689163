// Host state that survives a reboot: a oneshot systemd unit per network that runs the very
// create scripts of the network's host-state objects (sub-interface or promiscuous mode, shim)
// before docker.service starts, so that Docker never makes a dotted parent itself (without
// promiscuous mode) and containers find their parent at boot. Network managers are told to
// leave the library's interfaces alone.
import { createHash } from "node:crypto";
import { readInterface, readName } from "../fields";
import { fail, line, quote, script } from "../shell";
import { CommandPair, THIS_HOST, validateArgs } from "./shared";

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
export const NETWORKD_DIR = "/etc/systemd/network";
export const NETWORK_MANAGER_DIR = "/etc/NetworkManager/conf.d";

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
    const unmanaged = [...args.interfaces, ...(args.takeoverParent === undefined ? [] : [args.takeoverParent])];
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
        ...(args.takeoverParent === undefined ? [] : [
            [`${NETWORKD_DIR}/00-swarm-macvlan-${args.network}-parent.network`, [
                mark, "[Match]", `Name=${args.takeoverParent}`, "", "[Link]", "RequiredForOnline=carrier", "",
                "[Network]", `# No address: the host's moved to the takeover interface on ${args.takeoverParent}.`, "",
            ].join("\n")] as [string, string],
        ]),
        ...(unmanaged.length === 0 ? [] : [
            [`${NETWORK_MANAGER_DIR}/swarm-macvlan-${args.network}.conf`,
                [mark, "[keyfile]", `unmanaged-devices+=${unmanaged.map((i) => `interface-name:${i}`).join(";")}`, ""].join("\n")] as [string, string],
        ]),
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
    const reload = [
        "systemctl daemon-reload",
        `if [ -d ${NETWORKD_DIR} ]; then networkctl reload 2>/dev/null || true; fi`,
        `if [ -d ${NETWORK_MANAGER_DIR} ]; then nmcli general reload conf 2>/dev/null || true; fi`,
    ];
    const enable = ["systemctl", "enable", unit];
    return {
        steps: [enable],
        create: script(
            `[ -d /run/systemd/system ] || ${fail(`${node} does not run systemd: the unit that restores network ${args.network}'s host state at boot needs it (set persist: false to manage runtime state only)`)}`,
            line(["mkdir", "-p", `${SCRIPT_DIR}/${args.network}`]),
            ...files.flatMap(([path, content]) => {
                const dir = managerDir(path);
                return dir === undefined ? writeFile(path, content) : [`if [ -d ${dir} ]; then`, ...writeFile(path, content).map((l) => `  ${l}`), "fi"];
            }),
            ...reload,
            `${line(enable)} 2>/dev/null`,
            // Runs the scripts now too (they are the create scripts, safe to re-run): a unit that
            // would fail at boot fails here first.
            line(["systemctl", "restart", unit]),
        ),
        delete: script(
            `if [ -d /run/systemd/system ]; then ${line(["systemctl", "disable", unit])} 2>/dev/null || true; fi`,
            line(["rm", "-f", ...files.map(([path]) => path)]),
            `rmdir ${quote(`${SCRIPT_DIR}/${args.network}`)} 2>/dev/null || true`,
            `if [ -d /run/systemd/system ]; then ${reload.join("; ")}; fi`,
        ),
        check: script(
            ...files.map(([path, content]) => {
                const dir = managerDir(path);
                const test = `echo ${quote(`${sha256(content)}  ${path}`)} | sha256sum -c --status 2>/dev/null || ` +
                    `echo ${quote(`file ${path}: `)}"$([ -e ${quote(path)} ] && echo 'differs from the plan' || echo missing)"`;
                return dir === undefined ? test : `[ ! -d ${dir} ] || { ${test}; }`;
            }),
            `[ "$(systemctl is-enabled ${quote(unit)} 2>/dev/null)" = enabled ] || echo ${quote(`systemd unit ${unit}: is not enabled`)}`,
        ),
    };
}
