// The generated scripts run against the real `ip` and kernel, inside a throwaway unprivileged
// user + network + mount namespace (`unshare -rnm`), with a veth standing in for the parent and
// a tmpfs over /var/lib. No root and no Docker needed; fails where unshare is not allowed.
// (VLAN creation needs 8021q, which these kernels lack: only its checks run here.)
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { hostShimCommands, promiscModeCommands, vlanSubinterfaceCommands } from "../../components/core";

interface Run { status: number | null; stdout: string; stderr: string }

/** Runs `steps` (bash lines; `$S/<name>` are the given scripts) in a fresh namespace. */
function inNamespace(scripts: Record<string, string>, steps: string[]): Run {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "swarm-macvlan-ns-"));
    try {
        for (const [name, text] of Object.entries(scripts)) {
            fs.writeFileSync(path.join(dir, name), text);
        }
        const body = ["set -e", "mount -t tmpfs tmpfs /var/lib", `S=${dir}`, ...steps].join("\n");
        const run = spawnSync("unshare", ["-rnm", "bash", "-c", body], { encoding: "utf8" });
        return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** `name: flags alias` of a link, e.g. "shim-vlan40 UP swarm-macvlan:vlan40", or "absent". */
const LINK = (dev: string) =>
    `if ip -o link show dev ${dev} >/dev/null 2>&1; then ip -o link show dev ${dev} | sed -E 's/^[0-9]+: ([^@:]+)[^<]*<([^>]*)>.*alias (.*)$/\\1 \\2 \\3/; t; s/^[0-9]+: ([^@:]+)[^<]*<([^>]*)>.*$/\\1 \\2 -/'; else echo "${dev} absent"; fi`;
const ADDRS = (dev: string) => `ip -o address show dev ${dev} | awk '{print $3, $4}'`;
const ROUTES = (dev: string) => `{ ip route show dev ${dev}; ip -6 route show dev ${dev} | grep -v 'proto kernel'; } | awk '{print $1}'`;

const shim = hostShimCommands({
    name: "shim-vlan40", parent: "bond0.40", network: "vlan40", address: "172.80.1.254", ipRange: "172.80.1.0/24",
    ipv6: { address: "2001:db8:babe:40:1:ffff:ffff:fffe", ipRange: "2001:db8:babe:40:1::/80" },
});
const otherShim = hostShimCommands({ name: "shim-vlan40", parent: "bond0.40", network: "vlan4", address: "172.80.1.254", ipRange: "172.80.1.0/24" });
const PARENT = "ip link add bond0.40 type veth peer name bond0";

describe("commands on a real kernel (unshare -rnm)", function () {
    this.timeout(10_000);
    before(() => {
        const probe = spawnSync("unshare", ["-rnm", "sh", "-c", "mount -t tmpfs tmpfs /var/lib && ip link add probe0 type veth peer name probe1"], { encoding: "utf8" });
        // Not a skip: every machine this project runs on allows it, and a missing prerequisite
        // must fail (CI=true skips nothing).
        assert.equal(probe.status, 0, `unshare -rnm with tmpfs and veth is needed here: ${probe.stderr}`);
    });

    it("creates a dual-stack shim, re-runs create without change, and deletes it (twice)", () => {
        const state = [LINK("shim-vlan40"), ADDRS("shim-vlan40"), ROUTES("shim-vlan40")];
        const run = inNamespace({ create: shim.create, delete: shim.delete }, [
            PARENT, "bash $S/create", ...state, "bash $S/create", ...state, "bash $S/delete", LINK("shim-vlan40"), "bash $S/delete", "echo done",
        ]);
        const once = [
            "shim-vlan40 NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN swarm-macvlan:vlan40",
            "inet 172.80.1.254/32", "inet6 2001:db8:babe:40:1:ffff:ffff:fffe/128",
            "172.80.1.0/24", "2001:db8:babe:40:1::/80",
        ];
        assert.deepStrictEqual([run.status, run.stderr, run.stdout.trim().split("\n")], [0, "", [...once, ...once, "shim-vlan40 absent", "done"]]);
    });

    it("fails when a shim of that name belongs to another network, and its delete leaves it", () => {
        const run = inNamespace({ create: shim.create, otherCreate: otherShim.create, otherDelete: otherShim.delete }, [
            PARENT, "bash $S/create", "bash $S/otherDelete", LINK("shim-vlan40"), "bash $S/otherCreate",
        ]);
        assert.deepStrictEqual([run.status, run.stdout, run.stderr], [
            1, "shim-vlan40 NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN swarm-macvlan:vlan40\n",
            "swarm-macvlan: interface shim-vlan40 exists on this host but was not made by swarm-macvlan; remove it or set shimName\n",
        ]);
    });

    it("turns promiscuous mode on and restores the mode it found (off, then on)", () => {
        const promisc = promiscModeCommands({ parent: "bond0.40" });
        const record = "cat /var/lib/swarm-macvlan/promisc-bond0.40 2>/dev/null || echo no-record";
        const run = inNamespace({ create: promisc.create, delete: promisc.delete }, [
            PARENT, "bash $S/create", "bash $S/create", LINK("bond0.40"), record, "bash $S/delete", LINK("bond0.40"), record,
            "ip link set dev bond0.40 promisc on", "bash $S/create", "bash $S/delete", LINK("bond0.40"), record,
        ]);
        assert.deepStrictEqual([run.status, run.stderr, run.stdout.trim().split("\n")], [0, "", [
            "bond0.40 NO-CARRIER,BROADCAST,MULTICAST,PROMISC,UP,M-DOWN -", "off",
            "bond0.40 NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN -", "no-record",
            "bond0.40 NO-CARRIER,BROADCAST,MULTICAST,PROMISC,UP,M-DOWN -", "no-record",
        ]]);
    });

    it("promiscuous mode's delete: a parent gone with its trunk is fine; a mode it cannot restore fails, keeping the record", () => {
        const promisc = promiscModeCommands({ parent: "bond0.40" });
        const record = "cat /var/lib/swarm-macvlan/promisc-bond0.40 2>/dev/null || echo no-record";
        const run = inNamespace({ create: promisc.create, delete: promisc.delete }, [
            PARENT, "bash $S/create", "ip link delete bond0.40", "bash $S/delete", record,
            PARENT, "bash $S/create", "mkdir $S/bin",
            `printf '#!/bin/sh\ncase "$*" in *"promisc off"*) echo "RTNETLINK answers: Operation not permitted" >&2; exit 2 ;; esac\nexec %s "$@"\n' "$(command -v ip)" > $S/bin/ip`,
            "chmod +x $S/bin/ip", "PATH=$S/bin:$PATH bash $S/delete || echo failed", record,
        ]);
        assert.deepStrictEqual([run.status, run.stderr, run.stdout.trim().split("\n")], [0, "RTNETLINK answers: Operation not permitted\n", ["no-record", "failed", "off"]]);
    });

    it("refuses an existing bond0.40 that is not VLAN 40, and deletes only what its network owns", () => {
        const vlan40 = vlanSubinterfaceCommands({ trunk: "bond0", vlanId: 40, network: "vlan40", node: "node7" });
        const vlan4 = vlanSubinterfaceCommands({ trunk: "bond0", vlanId: 40, network: "vlan4" });
        const run = inNamespace({ create: vlan40.create, delete40: vlan40.delete, delete4: vlan4.delete }, [
            PARENT, "ip link set dev bond0.40 alias swarm-macvlan:vlan40", "bash $S/delete4", LINK("bond0.40"),
            "bash $S/delete40", LINK("bond0.40"), PARENT, "bash $S/create",
        ]);
        assert.deepStrictEqual([run.status, run.stdout, run.stderr], [
            1, "bond0.40 BROADCAST,MULTICAST,M-DOWN swarm-macvlan:vlan40\nbond0.40 absent\n",
            "swarm-macvlan: bond0.40 exists on node7 but is not VLAN 40 on bond0; remove or rename it\n",
        ]);
    });

    describe("drift checks: silent in sync, one line per difference", () => {
        it("reports a shim's missing route, address and link, and create repairs each", () => {
            const run = inNamespace({ create: shim.create, check: shim.check }, [
                PARENT, "bash $S/check", "bash $S/create", "echo in-sync:", "bash $S/check",
                "ip route del 172.80.1.0/24 dev shim-vlan40", "ip -6 address del 2001:db8:babe:40:1:ffff:ffff:fffe/128 dev shim-vlan40",
                "bash $S/check", "bash $S/create", "echo repaired:", "bash $S/check",
                "ip link set dev shim-vlan40 down", "bash $S/check",
            ]);
            assert.deepStrictEqual([run.status, run.stderr, run.stdout.trim().split("\n")], [0, "", [
                "interface shim-vlan40: missing",
                "in-sync:",
                "interface shim-vlan40: address 2001:db8:babe:40:1:ffff:ffff:fffe/128 is missing",
                "interface shim-vlan40: route 172.80.1.0/24 is missing",
                "repaired:",
                // Taking a link down drops its IPv6 addresses and its routes (the kernel's doing).
                "interface shim-vlan40: is down",
                "interface shim-vlan40: address 2001:db8:babe:40:1:ffff:ffff:fffe/128 is missing",
                "interface shim-vlan40: route 172.80.1.0/24 is missing",
                "interface shim-vlan40: route 2001:db8:babe:40:1::/80 is missing",
            ]]);
        });

        it("reports a shim of that name that another network owns, and promiscuous mode turned off", () => {
            const promisc = promiscModeCommands({ parent: "bond0.40" });
            const run = inNamespace({ otherCreate: otherShim.create, check: shim.check, promisc: promisc.create, promiscCheck: promisc.check }, [
                PARENT, "bash $S/otherCreate", "bash $S/check", "bash $S/promiscCheck", "bash $S/promisc", "echo in-sync:", "bash $S/promiscCheck",
                "ip link set dev bond0.40 promisc off", "bash $S/promiscCheck", "ip link del bond0.40", "bash $S/promiscCheck",
            ]);
            assert.deepStrictEqual([run.status, run.stderr, run.stdout.trim().split("\n")], [0, "", [
                "interface shim-vlan40: exists but was not made by swarm-macvlan",
                "interface bond0.40: promiscuous mode is off",
                "interface bond0.40: is down",
                "in-sync:",
                "interface bond0.40: promiscuous mode is off",
                "interface bond0.40: missing",
            ]]);
        });

        it("reports a missing sub-interface (8021q is not needed to see that)", () => {
            const vlan = vlanSubinterfaceCommands({ trunk: "bond0", vlanId: 40, network: "vlan40" });
            const run = inNamespace({ check: vlan.check }, ["ip link add bond0 type veth peer name bond1", "bash $S/check"]);
            assert.deepStrictEqual([run.status, run.stderr, run.stdout], [0, "", "interface bond0.40: missing (802.1Q VLAN 40 on bond0)\n"]);
        });
    });

    describe("deletes that cannot tell fail instead of reporting success", () => {
        it("fails when ip cannot read the interface for another reason than its absence", () => {
            const vlan = vlanSubinterfaceCommands({ trunk: "bond0", vlanId: 40, network: "vlan40", node: "node2" });
            // An `ip` that answers like a broken netlink socket.
            const fake = "mkdir -p $S/bin && printf '#!/bin/sh\\necho \"Cannot open netlink socket: Permission denied\" >&2\\nexit 2\\n' > $S/bin/ip && chmod +x $S/bin/ip";
            const run = inNamespace({ delete: vlan.delete, shimDelete: shim.delete }, [fake, "PATH=$S/bin:$PATH bash $S/delete || echo exit=$?", "PATH=$S/bin:$PATH bash $S/shimDelete || echo exit=$?"]);
            assert.deepStrictEqual([run.status, run.stdout, run.stderr], [0, "exit=1\nexit=1\n",
                "swarm-macvlan: cannot tell whether interface bond0.40 exists on node2: Cannot open netlink socket: Permission denied\n" +
                "swarm-macvlan: cannot tell whether interface shim-vlan40 exists on this host: Cannot open netlink socket: Permission denied\n"]);
        });
    });
});
