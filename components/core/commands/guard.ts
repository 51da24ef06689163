// The lockout guard: a change on the management path (the interface or routes that carry the
// node's SSH address) runs under a dead man's switch, as nmstate's checkpoints and `netplan try`
// do. `apply` snapshots the host's addresses and routes, arms a rollback with a systemd timer,
// applies the change as a transient systemd service (detached from the SSH session: a session
// that drops does not kill it half way) and leaves the rollback armed. `confirm`, run over a NEW
// SSH connection, checks the node is still in the swarm (and the change's own probes), then
// disarms; if it cannot, the timer puts the host back by itself within the bound and `confirm`
// fails naming what did not come back.
import { readName } from "../fields";
import { fail, line, quote, script } from "../shell";
import { NET_FUNCTIONS, THIS_HOST, validateArgs } from "./shared";

/** Where the guard keeps its snapshot and scripts while a change is armed (tmpfs: gone at reboot). */
export const GUARD_DIR = "/run/swarm-macvlan";
/** How long a change stays armed before it rolls back by itself, unless confirmed. */
export const GUARD_SECONDS = 60;

export interface LockoutGuardArgs {
    /** Names the run directory and the systemd units, e.g. `takeover-lan`. */
    readonly id: string;
    /** The node's name, for messages. @default "this host" */
    readonly node?: string;
    /** What the change is, for messages, e.g. `takeover of eth0 by shim-lan`. */
    readonly what: string;
    /** The change: a script (a builder's `create`). */
    readonly apply: string;
    /**
     * What puts the host back before the snapshot is replayed: a script, run with the guard's
     * directory as `$1` (where `state/` is the copy of `state` taken before the change, when it
     * existed), e.g. the takeover's `undo`.
     */
    readonly undo: string;
    /**
     * A directory of the change's own records (e.g. the takeover's record): part of the snapshot,
     * it is put back exactly (or removed, when there was none) after `undo`. @default none
     */
    readonly state?: string;
    /**
     * Script lines `confirm` runs after the swarm check: each appends a problem to `$problems`
     * when the change does not work, e.g. the default gateway does not answer. @default none
     */
    readonly probes?: readonly string[];
    /** Seconds before an unconfirmed change rolls back. @default GUARD_SECONDS */
    readonly seconds?: number;
}

/** The guard's scripts: `apply` and `confirm` for a create or update, `detached` for a delete. */
export interface LockoutGuard {
    /** Snapshot, arm, apply detached; prints `armed <id>` on success and leaves the rollback armed. */
    readonly apply: string;
    /**
     * Over a new connection: swarm membership (`docker info`, and on a manager the node Ready in
     * `docker node inspect self`) and the probes, then disarm; else wait for the rollback and report.
     */
    readonly confirm: string;
    /**
     * For a delete, after which nothing can run to confirm: the change applied detached from the
     * session, then the swarm check and the probes on the host itself; no rollback is armed.
     */
    readonly detached: string;
}

/**
 * The lockout guard around one change on one host.
 *
 * @example
 * const t = hostTakeoverCommands({ name: "shim-lan", parent: "eth0", network: "lan", mac, node: "node1" });
 * lockoutGuard({ id: "takeover-lan", node: "node1", what: "takeover of eth0 by shim-lan", apply: t.create, undo: t.delete });
 */
export function lockoutGuard(args: LockoutGuardArgs): LockoutGuard {
    validateArgs((p) => {
        readName(p, "id", args.id);
        args.node === undefined || readName(p, "node", args.node);
        if (args.seconds !== undefined && !(Number.isInteger(args.seconds) && args.seconds >= 10 && args.seconds <= 3600)) {
            p.add("seconds", args.seconds, "is not allowed: a whole number of seconds, 10-3600");
        }
    });
    const node = args.node ?? THIS_HOST;
    const seconds = args.seconds ?? GUARD_SECONDS;
    const dir = `${GUARD_DIR}/${args.id}`;
    const file = (name: string) => quote(`${dir}/${name}`);
    const rollbackUnit = `swarm-macvlan-rollback-${args.id}`;
    const applyUnit = `swarm-macvlan-apply-${args.id}`;
    const what = `${args.what} on ${node}`;
    const write = (name: string, content: string) => `printf '%s' ${quote(content)} > ${file(name)}`;
    // What came back: the snapshot's addresses (device and address) and routes missing now.
    const report = [
        `${line(["ip", "-4", "-o", "address", "show", "scope", "global"])} | awk '{ print $2, $4 }' > ${file("after-addresses")}`,
        `${line(["ip", "-4", "route", "show", "table", "main"])} | sed 's/ linkdown//; s/ dead//' > ${file("after-routes")}`,
        `missing=$(awk '{ print $2, $4 }' ${file("addresses")} | grep -vxF -f ${file("after-addresses")} | sed 's/^/address /' | tr '\\n' ';' || true)`,
        `missing="$missing$(sed 's/ linkdown//; s/ dead//' ${file("routes")} | grep -vxF -f ${file("after-routes")} | sed 's/^/route /' | tr '\\n' ';' || true)"`,
        `if [ -z "$missing" ]; then came='every address and route came back'; else came="did not come back: $missing"; fi`,
    ];
    // The rollback: it runs only if `confirm` has not decided first (`decided` is made once,
    // atomically, by whichever comes first; a rollback under way is never reported confirmed),
    // then the change's own undo, the change's records as they were, and every snapshot
    // address (with its flags) and route put back.
    const state = args.state;
    const rollback = [
        "set -u",
        ...NET_FUNCTIONS,
        `mkdir ${file("decided")} 2>/dev/null || exit 0`,
        line(["sh", `${dir}/undo.sh`, dir]) + " || true",
        ...(state === undefined ? [] : [
            line(["rm", "-rf", state]),
            `if [ -d ${file("state")} ]; then ${line(["cp", "-a", `${dir}/state`, state])}; fi`,
        ]),
        `while read -r d a rest; do put_address "$d" "$a" $rest 2>/dev/null || true; done < ${file("snapshot")}`,
        `replay_routes ${file("routes")} 2>/dev/null`,
        `date +%s > ${file("rolled-back")}`,
        "",
    ].join("\n");
    const swarm = [
        "problems=''",
        `state=$(docker info --format '{{.Swarm.LocalNodeState}}' 2>&1) || state="unknown (docker info: $state)"`,
        `[ "$state" = active ] || problems="\${problems}swarm membership is $state; "`,
        // On a manager the swarm's own view too: this node Ready (`docker node ls` shows the same).
        `if [ "$(docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null)" = true ]; then`,
        `  ready=$(docker node inspect self --format '{{.Status.State}}' 2>&1) || ready="unknown (docker node inspect: $ready)"`,
        `  [ "$ready" = ready ] || problems="\${problems}the swarm sees this node as $ready; "`,
        "fi",
        ...(args.probes ?? []),
    ];
    const systemd = `command -v systemd-run >/dev/null 2>&1 && [ -d /run/systemd/system ] || ${fail(`${node} does not run systemd: the lockout guard of ${args.what} needs systemd-run`)}`;
    const runDetached = [
        // A transient service: it runs to the end whatever happens to this SSH session.
        `if ${line(["systemd-run", "--quiet", "--wait", "--collect", `--unit=${applyUnit}`, `--property=StandardOutput=file:${dir}/apply.log`, "/bin/sh", `${dir}/apply.sh`])}; then`,
        `  cat ${file("apply.log")}`,
    ];
    return {
        apply: script(
            ...NET_FUNCTIONS,
            systemd,
            `if systemctl is-active --quiet ${quote(`${rollbackUnit}.timer`)}; then ${fail(`an earlier ${what} is still armed and not confirmed; it rolls back by itself within ${seconds} s: run again after that`)}; fi`,
            // An elapsed or failed unit of an earlier run would keep its name taken.
            `systemctl stop ${quote(`${rollbackUnit}.timer`)} ${quote(`${rollbackUnit}.service`)} 2>/dev/null || true`,
            `systemctl reset-failed ${quote(`${rollbackUnit}.service`)} ${quote(`${rollbackUnit}.timer`)} ${quote(`${applyUnit}.service`)} 2>/dev/null || true`,
            line(["rm", "-rf", dir]),
            line(["mkdir", "-p", dir]),
            `ip -j address > ${file("before-address.json")}`,
            `ip -j route > ${file("before-route.json")}`,
            `${line(["ip", "-4", "-o", "address", "show", "scope", "global"])} > ${file("addresses")}`,
            `${line(["ip", "-4", "route", "show", "table", "main"])} > ${file("routes")}`,
            `${line(["ip", "-4", "-o", "address", "show", "scope", "global"])} | address_record with-device > ${file("snapshot")}`,
            ...(state === undefined ? [] : [`if [ -d ${quote(state)} ]; then ${line(["cp", "-a", state, `${dir}/state`])}; fi`]),
            write("apply.sh", args.apply),
            write("undo.sh", args.undo),
            write("rollback.sh", rollback),
            // Armed before anything changes: whatever happens next, the host is back within the bound.
            line(["systemd-run", "--quiet", `--unit=${rollbackUnit}`, `--on-active=${seconds}`, "--timer-property=AccuracySec=1s", "--timer-property=RemainAfterElapse=no", "/bin/sh", `${dir}/rollback.sh`]),
            `date +%s%N > ${file("armed")}`,
            ...runDetached,
            `  echo "swarm-macvlan: armed $(cat ${file("armed")}): confirm ${args.what} over a new SSH connection within ${seconds} s"`,
            "else",
            `  cat ${file("apply.log")} >&2`,
            `  systemctl stop ${quote(`${rollbackUnit}.timer`)} 2>/dev/null || true`,
            `  sh ${file("rollback.sh")}`,
            ...report.map((l) => `  ${l}`),
            `  ${fail(`${what} failed and was rolled back;`)} "$came"`,
            "fi",
        ),
        confirm: script(
            `[ -f ${file("armed")} ] || ${fail(`nothing is armed for ${what}: its apply step did not leave it armed`)}`,
            `if [ -f ${file("rolled-back")} ]; then`,
            ...report.map((l) => `  ${l}`),
            `  ${fail(`${what} was rolled back before it was confirmed;`)} "$came"`,
            "fi",
            ...swarm,
            'if [ -z "$problems" ]; then',
            // Decided once: a rollback that started first (the timer elapsed) runs to its end.
            `  if mkdir ${file("decided")} 2>/dev/null; then`,
            `    systemctl stop ${quote(`${rollbackUnit}.timer`)}`,
            `    ${line(["rm", "-rf", dir])}`,
            `    echo ${quote(`swarm-macvlan: ${what} confirmed over a new SSH connection; rollback disarmed`)}`,
            "    exit 0",
            "  fi",
            `  problems='its rollback started before it could be disarmed; '`,
            "fi",
            // Not confirmed: the armed timer puts the host back by itself; wait for it to report.
            `echo ${quote(`swarm-macvlan: ${what} is not confirmed:`)} "\${problems}waiting for its rollback" >&2`,
            "i=0",
            `while [ ! -f ${file("rolled-back")} ] && [ "$i" -lt ${seconds + 30} ]; do sleep 1; i=$((i + 1)); done`,
            `[ -f ${file("rolled-back")} ] || ${fail(`${what} is not confirmed and its rollback did not run within ${seconds + 30} s:`)} "\${problems%; }"`,
            ...report,
            `${fail(`${what} was not confirmed and rolled back by itself (within ${seconds} s):`)} "$problems$came"`,
        ),
        detached: script(
            systemd,
            `systemctl reset-failed ${quote(`${applyUnit}.service`)} 2>/dev/null || true`,
            line(["rm", "-rf", dir]),
            line(["mkdir", "-p", dir]),
            write("apply.sh", args.apply),
            ...runDetached,
            "else",
            `  cat ${file("apply.log")} >&2`,
            `  ${fail(`${what} failed`)}`,
            "fi",
            line(["rm", "-rf", dir]),
            ...swarm,
            `[ -z "$problems" ] || ${fail(`after ${args.what}, ${node} does not work:`)} "\${problems%; }"`,
        ),
    };
}

/**
 * A probe for `confirm`: when `dev` has a default route, its gateway answers (a ping, or at
 * least ARP: a gateway that drops ICMP still resolves), as kubernetes-nmstate probes the
 * gateway before it commits.
 *
 * @example gatewayProbe("shim-lan")
 */
export function gatewayProbe(dev: string): string[] {
    return [
        `gw=$(${line(["ip", "-4", "route", "show", "default", "dev", dev])} | awk '{ print $3; exit }')`,
        `if [ -n "$gw" ] && ! ping -c 3 -W 2 -I ${quote(dev)} "$gw" >/dev/null 2>&1 && ! ip neigh show "$gw" dev ${quote(dev)} | grep -qE 'REACHABLE|STALE|DELAY|PERMANENT'; then`,
        `  problems="\${problems}default gateway $gw does not answer on "${quote(dev)}"; "`,
        "fi",
    ];
}
