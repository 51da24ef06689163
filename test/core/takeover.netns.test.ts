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
import { gatewayProbe, hostShimCommands, hostTakeoverCommands, lockoutGuard, takeoverMac } from "../../components/core";

interface Run { status: number | null; stdout: string; stderr: string }

const STUBS = `
mkdir -p /run/systemd/system $S/bin
cat > $S/bin/systemd-run <<'X'
#!/bin/bash
# stand-in: --on-active=N runs the command after N s in the background; --wait runs it now
unit='' delay='' out='' args=()
for a in "$@"; do case $a in --unit=*) unit=\${a#--unit=} ;; --on-active=*) delay=\${a#--on-active=} ;;
  --property=StandardOutput=file:*) out=\${a#--property=StandardOutput=file:} ;; --*) ;; *) args+=("$a") ;; esac; done
if [ -n "$delay" ]; then (sleep "$delay"; "\${args[@]}") >/dev/null 2>&1 & echo $! > "$S/timer-$unit"; exit 0; fi
"\${args[@]}" > "\${out:-/dev/stdout}" 2>&1
X
cat > $S/bin/systemctl <<'X'
#!/bin/bash
# stand-in: is-active / stop of the rollback timer (a background process); the rest succeeds
case $1 in
  is-active) u=\${3%.timer}; [ -f "$S/timer-$u" ] && kill -0 "$(cat "$S/timer-$u")" 2>/dev/null ;;
  stop) u=\${2%.timer}; [ ! -f "$S/timer-$u" ] || { t=$(cat "$S/timer-$u"); c=$(pgrep -P "$t" || true); kill "$t" 2>/dev/null; kill $c 2>/dev/null; rm -f "$S/timer-$u"; } ; true ;;
  *) true ;;
esac
X
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
            "set -e", "mount -t tmpfs tmpfs /var/lib", "mount -t tmpfs tmpfs /run", `S=${dir}`, STUBS,
            "ip link add eth0 type veth peer name gw0", "ip link set gw0 up", "ip link set eth0 up",
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
/** `ip -j` of addresses and routes with the DAD flag `tentative` left out (it is gone a moment later). */
const JSON_STATE = "{ ip -j address; ip -j route; } | sed 's/\"tentative\":true,//g'";
const MAC = takeoverMac("lan", "node1");
const args = { name: "shim-lan", parent: "eth0", network: "lan", mac: MAC, node: "node1" };
const takeover = hostTakeoverCommands(args);
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
        const guard = lockoutGuard({ id: "takeover-lan", node: "node1", what: "takeover of eth0 by shim-lan", apply: takeover.create, undo: takeover.delete, probes: [], seconds: 10 });
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
            id: "takeover-lan", node: "node1", what: "takeover of eth0 by shim-lan", apply: broken.create, undo: broken.delete, probes: gatewayProbe("shim-lan"), seconds: 10,
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
});
