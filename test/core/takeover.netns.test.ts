// The takeover's and the lockout guard's scripts against the real `ip` and kernel, inside a
// throwaway unprivileged user + network + mount namespace (`unshare -rnm`), as
// commands.netns.test.ts does: a veth `eth0` with an address, a default route and one more
// route stands in for the management interface, tmpfs over /var/lib and /run. systemd and
// Docker are not there: the guard runs against small stand-ins for `systemd-run` (a timer is a
// background sleep, a --wait unit runs in the foreground), `systemctl` and `docker`, so its own
// logic (snapshot, arm, apply, confirm, disarm, rollback by itself, report) runs for real.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    bootUnitCommands, gatewayProbe, hostShimCommands, hostTakeoverCommands, lockoutGuard, LockoutGuardArgs, takeoverMac, takeoverStateDir,
} from "../../components/core";

interface Run { status: number | null; stdout: string; stderr: string }

const STUBS = `
mkdir -p /run/systemd/system $S/bin
cat > $S/bin/systemd-run <<'X'
#!/bin/bash
# stand-in: --on-active=N starts the command after N s (as systemd starts a timer's service: on
# its own, so that stopping the timer then does not stop it); --wait runs it now
unit='' delay='' out='' args=()
for a in "$@"; do case $a in --unit=*) unit=\${a#--unit=} ;; --on-active=*) delay=\${a#--on-active=} ;;
  --property=StandardOutput=file:*) out=\${a#--property=StandardOutput=file:} ;; --*) ;; *) args+=("$a") ;; esac; done
if [ -n "$delay" ]; then (sleep "$delay"; setsid "\${args[@]}" >/dev/null 2>&1 < /dev/null &) >/dev/null 2>&1 & echo $! > "$S/timer-$unit"; exit 0; fi
"\${args[@]}" > "\${out:-/dev/stdout}" 2>&1
X
cat > $S/bin/systemctl <<'X'
#!/bin/bash
# stand-in: a timer is active while it waits; stopping it stops the wait, not a service it
# started; another unit is active when $S/active-<unit> exists; the rest succeeds
[ "$2" != --quiet ] || set -- "$1" "\${@:3}"
case $1 in
  is-active) case $2 in *.timer) u=\${2%.timer}; [ -f "$S/timer-$u" ] && kill -0 "$(cat "$S/timer-$u")" 2>/dev/null ;; *) [ -e "$S/active-$2" ] ;; esac ;;
  stop) u=\${2%.timer}; [ ! -f "$S/timer-$u" ] || { t=$(cat "$S/timer-$u"); c=$(pgrep -P "$t" || true); kill "$t" 2>/dev/null; kill $c 2>/dev/null; rm -f "$S/timer-$u"; } ; true ;;
  *) true ;;
esac
X
# network managers' stand-ins: each reload logs where the host's address is at that moment
for m in networkctl nmcli; do printf '#!/bin/sh\\necho "%s $*: eth0 has $(ip -4 -o address show dev eth0 | awk '"'"'{ print $4 }'"'"')" >> $S/managers.log\\n' $m > $S/bin/$m; done
printf '#!/bin/sh\necho active\n' > $S/bin/docker
chmod +x $S/bin/*
export PATH=$S/bin:$PATH
`;

/** Runs `steps` (bash lines; `$S/<name>` are the given scripts) in a fresh namespace with eth0 at 10.9.0.5/24. */
function inNamespace(scripts: Record<string, string>, steps: string[]): Run {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "swarm-macvlan-tk-"));
    try {
        for (const [name, text] of Object.entries(scripts)) {
            fs.writeFileSync(path.join(dir, name), text);
        }
        const body = [
            `export S=${dir}`, "set -e", "mount -t tmpfs tmpfs /var/lib", "mount -t tmpfs tmpfs /run",
            // /etc as an overlay whose changes stay in the test's directory: the host's is never written.
            `mkdir $S/etc-up $S/etc-work; mount -t overlay overlay -o lowerdir=/etc,upperdir=$S/etc-up,workdir=$S/etc-work /etc`,
            "mkdir -p /etc/systemd/network /etc/NetworkManager/conf.d",
            "mount -t tmpfs tmpfs /etc/systemd/network", "mount -t tmpfs tmpfs /etc/NetworkManager/conf.d",
            `echo ${MACHINE_ID} > /etc/machine-id`, STUBS,
            "ip link add eth0 address 52:54:00:12:34:56 type veth peer name gw0", "ip link set gw0 up", "ip link set eth0 up",
            "ip address add 10.9.0.5/24 brd 10.9.0.255 dev eth0",
            "ip route add default via 10.9.0.1 dev eth0", "ip route add 10.50.0.0/16 via 10.9.0.7 dev eth0 metric 5",
            ...steps,
        ].join("\n");
        const run = spawnSync("unshare", ["-rnm", "bash", "-c", body], { encoding: "utf8", timeout: 60_000 });
        return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** IPv4 addresses and routes, one line each (IPv6 link-local addresses come and go with DAD). */
const STATE = "ip -4 -o address show scope global | awk '{ print $2, $4 }'; ip -4 route show";
/** The parent's global IPv6 addresses with their flags, and its IPv6 routes but the link-local one. */
const IPV6_STATE = "ip -6 -o address show dev eth0 scope global | awk '{ print $2, $4, $5, $6, $7, $8 }'; ip -6 route show dev eth0 | grep -v '^fe80' | sed 's/ *$//'";
/** `ip -j` of addresses and routes with the DAD flag `tentative` left out (it is gone a moment later). */
const JSON_STATE = "{ ip -j address; ip -j route; } | sed 's/\"tentative\":true,//g'";
/** The namespace's /etc/machine-id and eth0's MAC: the host's identity the takeover MAC derives from. */
const MACHINE_ID = "0123456789abcdef0123456789abcdef";
const MAC = takeoverMac("lan", "node1", `${MACHINE_ID} 52:54:00:12:34:56`);
// No MAC given: the takeover derives it on the host (MAC above) and records it.
const args = { name: "shim-lan", parent: "eth0", network: "lan", node: "node1" };
const takeover = hostTakeoverCommands(args);
const RECORD = takeoverStateDir("lan");
/** The guard as HostTakeover builds it. */
const guarded = (t: typeof takeover, more: Partial<LockoutGuardArgs> = {}) => lockoutGuard({
    id: "takeover-lan", node: "node1", what: "takeover of eth0 by shim-lan", apply: t.create, undo: t.undo, state: RECORD, probes: gatewayProbe("shim-lan"), seconds: 10, ...more,
});
/** A NetworkManager host: the address with noprefixroute, its subnet and default routes added by NetworkManager at metric 100. */
const NETWORK_MANAGER = [
    "ip address flush dev eth0", "ip address add 10.9.0.5/24 brd 10.9.0.255 dev eth0 noprefixroute",
    "ip route add 10.9.0.0/24 dev eth0 proto kernel scope link src 10.9.0.5 metric 100", "ip route add default via 10.9.0.1 dev eth0 proto static metric 100",
];
const NM_ORIGINAL = ["eth0 10.9.0.5/24", "default via 10.9.0.1 dev eth0 proto static metric 100 ", "10.9.0.0/24 dev eth0 proto kernel scope link src 10.9.0.5 metric 100 "];
const NM_TAKEN = NM_ORIGINAL.map((l) => l.replace("eth0", "shim-lan"));
const PARENT_FILES = "/etc/systemd/network/00-swarm-macvlan-lan-parent.network /etc/NetworkManager/conf.d/swarm-macvlan-lan-parent.conf";
const broken = hostTakeoverCommands({ ...args, breakGateway: "10.9.0.254" });
const ORIGINAL = ["eth0 10.9.0.5/24", "default via 10.9.0.1 dev eth0 ", "10.9.0.0/24 dev eth0 proto kernel scope link src 10.9.0.5 ", "10.50.0.0/16 via 10.9.0.7 dev eth0 metric 5 "];
const TAKEN = ["shim-lan 10.9.0.5/24", "default via 10.9.0.1 dev shim-lan ", "10.9.0.0/24 dev shim-lan proto kernel scope link src 10.9.0.5 ", "10.50.0.0/16 via 10.9.0.7 dev shim-lan metric 5 "];

describe("takeover and lockout guard on a real kernel (unshare -rnm)", function () {
    this.timeout(60_000);

    it("moves the address, its routes and the default route to a macvlan with the pinned MAC; re-runs; moves back exactly (ip -j)", () => {
        const run = inNamespace({ create: takeover.create, delete: takeover.delete, check: takeover.check }, [
            `${JSON_STATE} > $S/before`, "bash $S/create", STATE, "ip -o link show dev shim-lan | grep -o 'link/ether [^ ]*'",
            "bash $S/check", "bash $S/create", STATE, "bash $S/delete", STATE, `${JSON_STATE} > $S/after`,
            "cmp $S/before $S/after && echo identical", "bash $S/delete", "echo done",
        ]);
        assert.deepStrictEqual([run.status, run.stderr, run.stdout.split("\n")], [0, "", [
            ...TAKEN, `link/ether ${MAC}`, ...TAKEN, ...ORIGINAL, "identical", "done", "",
        ]]);
    });

    it("check reports the address back on the parent and a missing address, and create repairs both", () => {
        const run = inNamespace({ create: takeover.create, check: takeover.check }, [
            "bash $S/create", "ip address add 10.9.0.5/24 dev eth0", "ip address del 10.9.0.5/24 dev shim-lan", "bash $S/check", "bash $S/create", "bash $S/check", STATE,
        ]);
        assert.deepStrictEqual([run.status, run.stderr, run.stdout.split("\n")], [0, "", [
            "interface shim-lan: address 10.9.0.5/24 is missing", "interface eth0: still has an IPv4 address (takeover of eth0 by shim-lan)",
            // the default route went with the address: create replays it
            ...TAKEN, "",
        ]]);
    });

    it("fails, changing nothing, when the parent has no address or a DHCP one", () => {
        const run = inNamespace({ create: takeover.create }, [
            "ip address flush dev eth0", "bash $S/create || echo failed", "ip address add 10.9.0.5/24 dev eth0 valid_lft 600 preferred_lft 600",
            "ip link show shim-lan 2>/dev/null || echo no-shim",
        ]);
        assert.deepStrictEqual([run.status, run.stdout.split("\n"), run.stderr], [0, ["failed", "no-shim", ""],
            "swarm-macvlan: eth0 on node1 has no IPv4 address to take over (and none is recorded in /var/lib/swarm-macvlan/takeover-lan)\n"]);
        const dhcp = inNamespace({ create: takeover.create }, [
            "ip address flush dev eth0", "ip address add 10.9.0.5/24 dev eth0 valid_lft 600 preferred_lft 600", "bash $S/create || echo failed",
            "ip link show shim-lan 2>/dev/null || echo no-shim",
        ]);
        assert.deepStrictEqual([dhcp.status, dhcp.stdout.split("\n"), dhcp.stderr], [0, ["failed", "no-shim", ""],
            "swarm-macvlan: eth0 on node1 has an address from DHCP (dynamic): its DHCP client would put it back on eth0; give node1 a static address first\n"]);
    });

    it("guard: applies detached, leaves it armed, and a confirm disarms it (the host stays taken over)", () => {
        const guard = lockoutGuard({ id: "takeover-lan", node: "node1", what: "takeover of eth0 by shim-lan", apply: takeover.create, undo: takeover.undo, state: RECORD, probes: [], seconds: 10 });
        const run = inNamespace({ apply: guard.apply, confirm: guard.confirm }, [
            "bash $S/apply | sed 's/armed [0-9]*/armed N/'", "bash $S/confirm", "sleep 11", STATE, "ls /run/swarm-macvlan",
        ]);
        assert.deepStrictEqual([run.status, run.stderr, run.stdout.split("\n")], [0, "", [
            "swarm-macvlan: armed N: confirm takeover of eth0 by shim-lan over a new SSH connection within 10 s",
            "swarm-macvlan: takeover of eth0 by shim-lan on node1 confirmed over a new SSH connection; rollback disarmed",
            ...TAKEN, "",
        ]]);
    });

    it("guard: a broken takeover (wrong gateway) is not confirmed and rolls back by itself within the bound, exactly (ip -j)", () => {
        const guard = lockoutGuard({
            id: "takeover-lan", node: "node1", what: "takeover of eth0 by shim-lan", apply: broken.create, undo: broken.undo, state: RECORD, probes: gatewayProbe("shim-lan"), seconds: 10,
        });
        const run = inNamespace({ apply: guard.apply, confirm: guard.confirm }, [
            `${JSON_STATE} > $S/before`, "bash $S/apply | sed 's/armed [0-9]*/armed N/'", "ip -4 route show default",
            "start=$(date +%s)", "bash $S/confirm || echo \"not confirmed after $(( $(date +%s) - start < 13 ? 1 : 0 ))\"",
            STATE, `${JSON_STATE} > $S/after`, "cmp $S/before $S/after && echo identical",
        ]);
        assert.deepStrictEqual([run.status, run.stdout.split("\n"), run.stderr.split("\n")], [0, [
            "swarm-macvlan: armed N: confirm takeover of eth0 by shim-lan over a new SSH connection within 10 s",
            "default via 10.9.0.254 dev shim-lan ",
            "not confirmed after 1",
            ...ORIGINAL, "identical", "",
        ], [
            "swarm-macvlan: takeover of eth0 by shim-lan on node1 is not confirmed: default gateway 10.9.0.254 does not answer on shim-lan; waiting for its rollback",
            "swarm-macvlan: takeover of eth0 by shim-lan on node1 was not confirmed and rolled back by itself (within 10 s): default gateway 10.9.0.254 does not answer on shim-lan; every address and route came back",
            "",
        ]]);
    });

    it("guard: an apply that fails rolls back at once and says what came back", () => {
        const guard = lockoutGuard({ id: "t", node: "node1", what: "a change", apply: "set -eu\nip address flush dev eth0\nexit 3\n", undo: "true\n", seconds: 10 });
        const run = inNamespace({ apply: guard.apply }, ["bash $S/apply || echo failed", STATE]);
        assert.deepStrictEqual([run.status, run.stdout.split("\n"), run.stderr], [0, ["failed", ...ORIGINAL, ""],
            "swarm-macvlan: a change on node1 failed and was rolled back; every address and route came back\n"]);
    });

    it("shim: refuses a range holding $SSH_CLIENT before anything changes, naming node, address and range; allows one outside", () => {
        const shim = hostShimCommands({ name: "shim-x", parent: "eth0", network: "x", address: "10.9.0.250", ipRange: "10.9.0.0/28", node: "node1" });
        const run = inNamespace({ shim: shim.create }, [
            "SSH_CLIENT='10.9.0.3 50000 22' bash $S/shim || echo refused", "ip link show shim-x 2>/dev/null || echo no-shim",
            "SSH_CLIENT='::ffff:10.9.0.15 50000 22' bash $S/shim || echo refused",
            "SSH_CLIENT='10.9.0.16 50000 22' bash $S/shim && echo made", "ip route show 10.9.0.0/28",
        ]);
        const message = (a: string) => `swarm-macvlan: route 10.9.0.0/28 through shim shim-x on node1 would capture the address this SSH session comes from, ${a}; ` +
            "refused before anything changed: pin node1 a range that does not hold it, or exclude it";
        assert.deepStrictEqual([run.status, run.stdout.split("\n"), run.stderr.split("\n")], [0,
            ["refused", "no-shim", "refused", "made", "10.9.0.0/28 dev shim-x scope link ", ""], [message("10.9.0.3"), message("10.9.0.15"), ""]]);
    });
    it("derives the MAC on the host from the names, /etc/machine-id and the parent's MAC, records it, and keeps it (a new machine ID, a shim from before the record)", () => {
        const run = inNamespace({ create: takeover.create }, [
            "bash $S/create", `cat ${RECORD}/mac`, "echo ffffffffffffffffffffffffffffffff > /etc/machine-id", "bash $S/create",
            `rm ${RECORD}/mac`, "ip link set dev shim-lan address 02:00:00:00:00:01", "bash $S/create", `cat ${RECORD}/mac`,
            "ip -o link show dev shim-lan | grep -o 'link/ether [^ ]*'",
        ]);
        assert.deepStrictEqual([run.status, run.stderr, run.stdout.split("\n")], [0, "", [MAC, "02:00:00:00:00:01", "link/ether 02:00:00:00:00:01", ""]]);
        assert.notEqual(MAC, takeoverMac("lan", "node1", "ffffffffffffffffffffffffffffffff 52:54:00:12:34:56"));
    });

    it("NetworkManager-style host (noprefixroute, its own subnet route): moves and moves back exactly (ip -j), flags included", () => {
        const run = inNamespace({ create: takeover.create, delete: takeover.delete, check: takeover.check }, [
            ...NETWORK_MANAGER, `${JSON_STATE} > $S/before`, "bash $S/create", STATE, "ip -4 -o address show dev shim-lan | grep -o 'scope global noprefixroute'",
            "bash $S/check", "bash $S/create", "bash $S/delete", STATE, `${JSON_STATE} > $S/after`, "cmp $S/before $S/after && echo identical",
        ]);
        assert.deepStrictEqual([run.status, run.stderr, run.stdout.split("\n")], [0, "", [...NM_TAKEN, "scope global noprefixroute", ...NM_ORIGINAL, "identical", ""]]);
    });

    it("guard on a NetworkManager-style host: a broken first takeover rolls back by itself to exactly what was there (ip -j)", () => {
        const guard = guarded(broken);
        const run = inNamespace({ apply: guard.apply, confirm: guard.confirm }, [
            ...NETWORK_MANAGER, "touch $S/active-systemd-networkd", `${JSON_STATE} > $S/before`, "bash $S/apply >/dev/null", "bash $S/confirm 2>/dev/null || echo not confirmed",
            STATE, `${JSON_STATE} > $S/after`, "cmp $S/before $S/after && echo identical", `ls ${RECORD} 2>/dev/null || echo no record`,
            // Nothing told the network managers anything: they were never told otherwise.
            "cat $S/managers.log 2>/dev/null || echo no reload",
        ]);
        assert.deepStrictEqual([run.status, run.stderr, run.stdout.split("\n")], [0, "", ["not confirmed", ...NM_ORIGINAL, "identical", "no record", "no reload", ""]]);
    });

    it("guard: a re-run of a confirmed takeover that is not confirmed goes back to the takeover, record kept; the boot script then takes over as before", () => {
        const guard = guarded(broken);
        const run = inNamespace({ create: takeover.create, apply: guard.apply, confirm: guard.confirm, boot: takeover.boot }, [
            "bash $S/create", `cp -a ${RECORD} $S/record`, `${JSON_STATE} > $S/before`,
            "bash $S/apply >/dev/null", "ip -4 route show default", "bash $S/confirm 2>/dev/null || echo not confirmed",
            STATE, `${JSON_STATE} > $S/after`, "cmp $S/before $S/after && echo identical", `diff -r $S/record ${RECORD} && echo record kept`,
            "ip link delete shim-lan", "ip address add 10.9.0.5/24 brd 10.9.0.255 dev eth0", "ip route add default via 10.9.0.1 dev eth0",
            "ip address flush dev eth0", "bash $S/boot", STATE,
        ]);
        assert.deepStrictEqual([run.status, run.stderr, run.stdout.split("\n")], [0, "", [
            "default via 10.9.0.254 dev shim-lan ", "not confirmed", ...TAKEN, "identical", "record kept", ...TAKEN, "",
        ]]);
    });

    it("boot script without a record: takes nothing over and gives the parent back to its network managers", () => {
        const run = inNamespace({ boot: takeover.boot }, [
            `touch ${PARENT_FILES} $S/active-systemd-networkd $S/active-NetworkManager`, "bash $S/boot", "echo rc=$?", STATE,
            "ls /etc/systemd/network /etc/NetworkManager/conf.d", "cat $S/managers.log", "ip link show shim-lan 2>/dev/null || echo no-shim",
        ]);
        assert.deepStrictEqual([run.status, run.stdout.split("\n"), run.stderr], [0, [
            "rc=0", ...ORIGINAL, "/etc/NetworkManager/conf.d:", "", "/etc/systemd/network:",
            "networkctl reload: eth0 has 10.9.0.5/24", "nmcli general reload conf: eth0 has 10.9.0.5/24", "no-shim", "",
        ], `swarm-macvlan: nothing recorded in ${RECORD}: eth0 on node1 stays its network manager's, with its own address; no takeover\n`]);
    });

    it("delete: the network managers get the parent back only once the address is on it again; with no record, an interface holding the address is refused", () => {
        const run = inNamespace({ create: takeover.create, delete: takeover.delete }, [
            // The boot unit's delete removed the parent's files and left their reload to the move back.
            "bash $S/create", `touch ${RECORD}/reload-managers $S/active-systemd-networkd`, "bash $S/delete", "cat $S/managers.log", `ls ${PARENT_FILES} 2>/dev/null || echo files gone`,
            "bash $S/create", `rm -rf ${RECORD}`, "bash $S/delete || echo refused", STATE,
        ]);
        assert.deepStrictEqual([run.status, run.stdout.split("\n"), run.stderr], [0, [
            "networkctl reload: eth0 has 10.9.0.5/24", "files gone", "refused", ...TAKEN, "",
        ], `swarm-macvlan: shim-lan on node1 holds the host's IPv4 address and nothing is recorded in ${RECORD} to say where it belongs; ` +
            "refused, nothing changed: move the address to eth0 by hand (ip address add ... dev eth0), then run again\n"]);
    });

    it("guard: a confirm that comes while the rollback runs does not report success; it reports the rollback (systemd semantics: stopping the timer leaves its service running)", () => {
        const guard = guarded({ ...takeover, undo: `sleep 4\n${takeover.undo}` }, { probes: [] });
        const run = inNamespace({ apply: guard.apply, confirm: guard.confirm }, ["bash $S/apply >/dev/null", "sleep 11", "bash $S/confirm || echo not confirmed", STATE]);
        assert.deepStrictEqual([run.status, run.stdout.split("\n"), run.stderr.split("\n")], [0, ["not confirmed", ...ORIGINAL, ""], [
            "swarm-macvlan: takeover of eth0 by shim-lan on node1 is not confirmed: its rollback started before it could be disarmed; waiting for its rollback",
            "swarm-macvlan: takeover of eth0 by shim-lan on node1 was not confirmed and rolled back by itself (within 10 s): its rollback started before it could be disarmed; every address and route came back",
            "",
        ]]);
    });

    it("boot unit on a dual-stack parent: the parent's networkd file keeps the recorded static IPv6 addresses and gateway; check sees a change to it", () => {
        const boot = bootUnitCommands({ network: "lan", node: "node1", device: "eth0", scripts: [{ name: "20-takeover", text: takeover.boot }], interfaces: ["shim-lan"], takeoverParent: "eth0" });
        const run = inNamespace({ create: takeover.create, boot: boot.create, check: boot.check }, [
            "ip -6 address add 2001:db8:40::5/64 dev eth0 nodad", "ip -6 route add default via 2001:db8:40::1 dev eth0",
            "mkdir -p /etc/systemd/system /usr/local/lib", "mount -t tmpfs tmpfs /etc/systemd/system", "mount -t tmpfs tmpfs /usr/local/lib",
            "bash $S/create", "bash $S/boot", "sed -n '/^\\[Network\\]/,$p' /etc/systemd/network/00-swarm-macvlan-lan-parent.network",
            "ip -6 -o address show dev eth0 scope global | awk '{ print $4 }'", "bash $S/check | grep -v 'is not enabled' || true",
            "echo Address=2001:db8:40::99/64 >> /etc/systemd/network/00-swarm-macvlan-lan-parent.network", "bash $S/check | grep -v 'is not enabled'",
        ]);
        assert.deepStrictEqual([run.status, run.stderr, run.stdout.split("\n")], [0, "", [
            "[Network]", "# No IPv4 address: the host's moved to the takeover interface on eth0.", "Address=2001:db8:40::5/64", "Gateway=2001:db8:40::1",
            "2001:db8:40::5/64", "file /etc/systemd/network/00-swarm-macvlan-lan-parent.network: differs from the plan", "",
        ]]);
    });

    it("NetworkManager-style dual-stack parent: the boot script puts back its static IPv6 address (noprefixroute) and NetworkManager's IPv6 routes, which an unmanaged parent no longer gets at boot", () => {
        const run = inNamespace({ create: takeover.create, boot: takeover.boot }, [
            ...NETWORK_MANAGER,
            "ip -6 address add 2001:db8:40::5/64 dev eth0 noprefixroute nodad",
            "ip -6 route add 2001:db8:40::/64 dev eth0 proto kernel metric 100 pref medium", "ip -6 route add default via 2001:db8:40::1 dev eth0 proto static metric 100 pref medium",
            `{ ${IPV6_STATE}; } > $S/before`, "bash $S/create", `{ ${IPV6_STATE}; } > $S/taken`, "cmp $S/before $S/taken && echo kept",
            // A reboot: no shim, and NetworkManager leaves the unmanaged parent with no address.
            "ip link delete shim-lan", "ip address flush dev eth0 scope global", "ip -6 route flush dev eth0", "ip -6 -o address show dev eth0 scope global | wc -l",
            "bash $S/boot", STATE, `{ ${IPV6_STATE}; } > $S/after`, "cmp $S/before $S/after && echo identical", IPV6_STATE,
        ]);
        assert.deepStrictEqual([run.status, run.stderr, run.stdout.split("\n")], [0, "", [
            "kept", "0", ...NM_TAKEN, "identical",
            "eth0 2001:db8:40::5/64 scope global nodad noprefixroute", "2001:db8:40::/64 proto kernel metric 100 pref medium", "default via 2001:db8:40::1 proto static metric 100 pref medium", "",
        ]]);
    });
});
