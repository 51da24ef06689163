import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    CommandPair, bootUnitCommands, configOnlyNetworkArgv, systemdEscapePath, configOnlyNetworkCommands, hostShimCommands, ownerAlias, preflightScript, promiscModeCommands,
    swarmNetworkArgv, swarmNetworkCommands, vlanSubinterfaceCommands, hostTakeoverCommands, lockoutGuard, gatewayProbe, parsePreflight, takeoverStateDir,
} from "../../components/core";
import { assertGolden, assertProblems } from "./helpers";

const NAME_RULE = "use letters, digits, _ . - starting with a letter or digit";
const IFACE_RULE = "use 1-15 characters from A-Z a-z 0-9 _ . - starting with a letter or digit";
const V4_OCTETS = "write four decimal octets without leading zeros, e.g. 10.0.0.1";

/** Config-only networks of the first node of seeds 001, 002 and 003 (both VLANs), as the plan fixtures have them. */
const seed001 = {
    name: "vlan40_net", network: "vlan40", parent: "bond0.40", subnet: "172.80.0.0/16", gateway: "172.80.0.1", ipRange: "172.80.1.0/24", auxAddresses: {},
};
const seed002 = {
    name: "macvlanconf", network: "macvlan", parent: "eth0", subnet: "192.168.16.0/20", gateway: "192.168.16.1", ipRange: "192.168.17.0/24",
    auxAddresses: { host: "192.168.17.1" },
};
const seed003 = {
    name: "macvlan10_net", network: "macvlan10", parent: "eth0.10", subnet: "10.0.10.0/24", gateway: "10.0.10.1", ipRange: "10.0.10.16/28",
    auxAddresses: { host: "10.0.10.30", "host-docker2": "10.0.10.29" },
    ipv6: {
        subnet: "2001:db8:babe:10::/64", gateway: "2001:db8:babe:10::1", ipRange: "2001:db8:babe:10:1::/80",
        auxAddresses: { "host-v6": "2001:db8:babe:10:1:ffff:ffff:fffe" },
    },
};
const seed003vlan20 = {
    name: "macvlan20_net", network: "macvlan20", parent: "eth0.20", subnet: "10.0.20.0/24", gateway: "10.0.20.1", ipRange: "10.0.20.16/28", auxAddresses: {},
    ipv6: { subnet: "2001:db8:babe:20::/64", gateway: "2001:db8:babe:20::1", ipRange: "2001:db8:babe:20:1::/80", auxAddresses: {} },
};

/** Every builder call with golden scripts: test/golden/commands/<name>.{create,delete,check}.sh. */
const PAIRS: [string, () => CommandPair][] = [
    ["vlan-subinterface-bond0.40", () => vlanSubinterfaceCommands({ trunk: "bond0", vlanId: 40, network: "vlan40" })],
    ["promisc-mode-eth1", () => promiscModeCommands({ parent: "eth1" })],
    ["config-only-network-v4", () => configOnlyNetworkCommands(seed001)],
    ["config-only-network-v4-aux", () => configOnlyNetworkCommands(seed002)],
    ["config-only-network-dual-aux", () => configOnlyNetworkCommands(seed003)],
    ["config-only-network-dual", () => configOnlyNetworkCommands(seed003vlan20)],
    ["config-only-network-adopt", () => configOnlyNetworkCommands({ ...seed002, adopt: true, node: "docker1" })],
    ["boot-unit-vlan-shim", () => bootUnitCommands({
        network: "vlan40", node: "manager1", device: "bond0", interfaces: ["bond0.40", "shim-vlan40"],
        scripts: [{ name: "10-vlan", text: "set -eu\necho vlan\n" }, { name: "20-shim", text: "set -eu\necho 'shim'\n" }],
    })],
    ["swarm-network-attachable", () => swarmNetworkCommands({ name: "swarm-vlan40_net", configFrom: "vlan40_net", attachable: true })],
    ["swarm-network-not-attachable", () => swarmNetworkCommands({ name: "macvlanswarm", configFrom: "macvlanconf", attachable: false })],
    ["host-shim-v4", () => hostShimCommands({ name: "shim-vlan40", parent: "bond0.40", network: "vlan40", address: "172.80.1.254", ipRange: "172.80.1.0/24" })],
    ["host-shim-dual", () => hostShimCommands({
        name: "shim-macvlan10", parent: "eth0.10", network: "macvlan10", address: "10.0.10.30", ipRange: "10.0.10.16/28",
        ipv6: { address: "2001:db8:babe:10:1:ffff:ffff:fffe", ipRange: "2001:db8:babe:10:1::/80" },
    })],
    ["host-takeover-eth0", () => hostTakeoverCommands({ name: "shim-lan", parent: "eth0", network: "lan", mac: "02:1e:8a:f8:9a:ba", node: "node1" })],
];

describe("commands", () => {
    describe("golden scripts (UPDATE_GOLDEN=1 rewrites test/golden/commands)", () => {
        for (const [name, build] of PAIRS) {
            it(`${name}: create, delete and check match their golden files`, () => {
                const pair = build();
                // A takeover also has the guard's undo and the boot unit's script.
                const more = "undo" in pair ? ["boot", "undo"] : [];
                assert.deepStrictEqual(Object.keys(pair).sort(), ["check", "create", "delete", "steps", ...more].sort());
                assertGolden(`commands/${name}.create.sh`, pair.create);
                assertGolden(`commands/${name}.delete.sh`, pair.delete);
                assertGolden(`commands/${name}.check.sh`, pair.check);
                for (const key of more) {
                    assertGolden(`commands/${name}.${key}.sh`, (pair as unknown as Record<string, string>)[key]);
                }
            });
        }

        it("preflight: golden script for a VLAN node that creates the swarm network", () => {
            assertGolden("commands/preflight-manager-vlan.sh", preflightScript({
                node: "manager1", interfaces: [{ name: "bond0", field: "networks[0].parent" }], vlans: true, manager: true, systemd: true,
                parents: [{ parent: "bond0.40", networks: ["vlan40_net", "swarm-vlan40_net"] }], plan: { vlan40: "172.80.1.0/24" },
            }));
        });

        it("lockout guard: golden apply, confirm and detached scripts around a takeover", () => {
            const t = hostTakeoverCommands({ name: "shim-lan", parent: "eth0", network: "lan", mac: "02:1e:8a:f8:9a:ba", node: "node1" });
            const guard = lockoutGuard({ id: "takeover-lan", node: "node1", what: "takeover of eth0 by shim-lan", apply: t.create, undo: t.undo, state: takeoverStateDir("lan"), probes: gatewayProbe("shim-lan") });
            assertGolden("commands/guard-takeover-eth0.apply.sh", guard.apply);
            assertGolden("commands/guard-takeover-eth0.confirm.sh", guard.confirm);
            assertGolden("commands/guard-takeover-eth0.detached.sh", guard.detached);
            for (const text of [guard.apply, guard.confirm, guard.detached]) {
                assert.deepStrictEqual(spawnSync("bash", ["-n"], { input: text, encoding: "utf8" }).status, 0);
            }
        });

        it("takeover: the test hook changes only create's default route, never the move back", () => {
            const args = { name: "shim-lan", parent: "eth0", network: "lan", mac: "02:1e:8a:f8:9a:ba", node: "node1" };
            const [plain, hooked] = [hostTakeoverCommands(args), hostTakeoverCommands({ ...args, breakGateway: "10.9.0.254" })];
            assert.deepStrictEqual([hooked.delete, hooked.check, hooked.steps, hooked.undo], [plain.delete, plain.check, plain.steps, plain.undo]);
            assert.deepStrictEqual(hooked.create.split("\n").filter((l) => !plain.create.split("\n").includes(l)), [
                "sed 's/^default via [^ ]*/default via 10.9.0.254/' /var/lib/swarm-macvlan/takeover-lan/routes > /var/lib/swarm-macvlan/takeover-lan/routes.test-hook",
                "replay_routes /var/lib/swarm-macvlan/takeover-lan/routes.test-hook shim-lan",
            ]);
        });

        it("fails when a takeover or guard argument could reach a shell unchecked", () => {
            assert.throws(() => hostTakeoverCommands({ name: "shim-lan", parent: "eth0;reboot", network: "lan", mac: "02:1E:8A:F8:9A:BA", breakGateway: "10.9.0" }),
                (e: Error) => e.message === "invalid swarm-macvlan spec (3 problems):\n" +
                    `  parent "eth0;reboot" is not a valid interface name: ${IFACE_RULE}\n` +
                    "  mac 02:1E:8A:F8:9A:BA is not allowed: a locally administered MAC such as 02:1a:2b:3c:4d:5e (lower case)\n" +
                    `  breakGateway 10.9.0 is not an IPv4 address: ${V4_OCTETS}`);
            assert.throws(() => lockoutGuard({ id: "a b", what: "x", apply: "", undo: "", seconds: 5 }),
                (e: Error) => e.message === "invalid swarm-macvlan spec (2 problems):\n" +
                    `  id "a b" is not allowed: ${NAME_RULE}\n  seconds 5 is not allowed: a whole number of seconds, 10-3600`);
        });

        it("every generated script passes bash -n and starts with set -eu", () => {
            for (const [name, build] of PAIRS) {
                const { create, delete: remove, check } = build();
                for (const [kind, text] of Object.entries({ create, delete: remove, check })) {
                    const run = spawnSync("bash", ["-n"], { input: text, encoding: "utf8" });
                    assert.deepStrictEqual([name, kind, run.status, run.stderr], [name, kind, 0, ""]);
                    assert.equal(text.split("\n")[0], "set -eu", `${name} ${kind}`);
                }
            }
        });

        it("treats attachable left out as true", () => {
            assert.deepStrictEqual(
                swarmNetworkCommands({ name: "swarm-vlan40_net", configFrom: "vlan40_net" }),
                swarmNetworkCommands({ name: "swarm-vlan40_net", configFrom: "vlan40_net", attachable: true }),
            );
        });
    });

    describe("argv", () => {
        it("builds the config-only network's docker argv, IPv6 after --ipv6", () => {
            assert.deepStrictEqual(configOnlyNetworkArgv(seed003), [
                "docker", "network", "create", "--config-only",
                "--subnet", "10.0.10.0/24", "--gateway", "10.0.10.1", "--ip-range", "10.0.10.16/28",
                "--aux-address", "host=10.0.10.30", "--aux-address", "host-docker2=10.0.10.29",
                "--ipv6", "--subnet", "2001:db8:babe:10::/64", "--gateway", "2001:db8:babe:10::1", "--ip-range", "2001:db8:babe:10:1::/80",
                "--aux-address", "host-v6=2001:db8:babe:10:1:ffff:ffff:fffe",
                "-o", "parent=eth0.10", "--label", "swarm-macvlan.network=macvlan10",
                "--label", "swarm-macvlan.ipam0=10.0.10.0/24 10.0.10.1 10.0.10.16/28 host=10.0.10.30 host-docker2=10.0.10.29",
                "--label", "swarm-macvlan.ipam1=2001:db8:babe:10::/64 2001:db8:babe:10::1 2001:db8:babe:10:1::/80 host-v6=2001:db8:babe:10:1:ffff:ffff:fffe",
                "macvlan10_net",
            ]);
        });

        it("builds the swarm network's argv with --config-from and nothing Docker refuses beside it", () => {
            assert.deepStrictEqual(swarmNetworkArgv({ name: "swarm-vlan40_net", configFrom: "vlan40_net" }), [
                "docker", "network", "create", "-d", "macvlan", "--scope", "swarm", "--config-from", "vlan40_net", "--attachable", "swarm-vlan40_net",
            ]);
            assert.deepStrictEqual(swarmNetworkArgv({ name: "macvlanswarm", configFrom: "macvlanconf", attachable: false }), [
                "docker", "network", "create", "-d", "macvlan", "--scope", "swarm", "--config-from", "macvlanconf", "macvlanswarm",
            ]);
        });

        it("escapes unit names as systemd-escape --path does", () => {
            assert.deepStrictEqual(["/sys/subsystem/net/devices/eth1", "/sys/subsystem/net/devices/br-lan", "/a/.b/c.d", "/x y/ü"].map(systemdEscapePath),
                ["sys-subsystem-net-devices-eth1", "sys-subsystem-net-devices-br\\x2dlan", "a-\\x2eb-c.d", "x\\x20y-\\xfc"]);
        });

        it("marks interfaces with the owner alias swarm-macvlan:<network>", () => {
            assert.equal(ownerAlias("vlan40"), "swarm-macvlan:vlan40");
        });
    });

    describe("invalid arguments", () => {
        it("fails when the VLAN trunk is eth0;reboot, naming trunk and the derived name", () => {
            assertProblems(() => vlanSubinterfaceCommands({ trunk: "eth0;reboot", vlanId: 40, network: "vlan40" }), [
                `trunk "eth0;reboot" is not a valid interface name: ${IFACE_RULE}`,
                `name "eth0;reboot.40" is not a valid interface name: ${IFACE_RULE}`,
            ]);
        });

        it("fails when the VLAN id, network or derived name is bad", () => {
            assertProblems(() => vlanSubinterfaceCommands({ trunk: "enp0s31f6abcd", vlanId: 4095, network: "vlan 40" }), [
                "vlanId 4095 is outside 1-4094",
                `network "vlan 40" is not allowed: ${NAME_RULE}`,
                `name enp0s31f6abcd.4095 is not a valid interface name: ${IFACE_RULE}`,
            ]);
        });

        it("fails when the promiscuous parent is $(id)", () => {
            assertProblems(() => promiscModeCommands({ parent: "$(id)" }), [`parent "$(id)" is not a valid interface name: ${IFACE_RULE}`]);
        });

        it("fails when config-only network fields are bad, IPv6 included", () => {
            const args = {
                ...seed003, name: "x y", parent: "eth0;reboot", subnet: "10.0.10.1/24", auxAddresses: { "a b": "10.0.10.20", host: "10.0.10" },
                ipv6: { ...seed003.ipv6, gateway: "2001:DB8:BABE:10::1" },
            };
            assertProblems(() => configOnlyNetworkCommands(args), [
                `name "x y" is not allowed: ${NAME_RULE}`,
                `parent "eth0;reboot" is not a valid interface name: ${IFACE_RULE}`,
                "subnet 10.0.10.1/24 has host bits set: the network is 10.0.10.0/24",
                'auxAddresses "a b" is not an allowed aux-address name: use letters, digits, _ . -',
                `auxAddresses.host 10.0.10 is not an IPv4 address: ${V4_OCTETS}`,
                "ipv6.gateway 2001:DB8:BABE:10::1 is not in canonical form: write 2001:db8:babe:10::1",
            ]);
        });

        it("fails when an IPv6 aux address has an IPv4 one's name (Docker keeps one address per name)", () => {
            const args = { ...seed003, ipv6: { ...seed003.ipv6, auxAddresses: { host: "2001:db8:babe:10:1::5" } } };
            assertProblems(() => configOnlyNetworkCommands(args), [
                "ipv6.auxAddresses.host 2001:db8:babe:10:1::5 has the name of an IPv4 aux address: Docker keeps one address per name across a network's subnets; rename one",
            ]);
        });

        it("fails when swarm network names carry shell metacharacters", () => {
            assertProblems(() => swarmNetworkCommands({ name: "x;y", configFrom: "$(id)" }), [
                `name "x;y" is not allowed: ${NAME_RULE}`,
                `configFrom "$(id)" is not allowed: ${NAME_RULE}`,
            ]);
        });

        it("fails when shim addresses are of the wrong family", () => {
            const args = { name: "shim'x", parent: "bond0.40", network: "vlan40", address: "2001:db8::1", ipRange: "172.80.1.1/24", ipv6: { address: "10.0.0.1", ipRange: "2001:db8::/64" } };
            assertProblems(() => hostShimCommands(args), [
                `name "shim'x" is not a valid interface name: ${IFACE_RULE}`,
                `address 2001:db8::1 is not an IPv4 address: ${V4_OCTETS}`,
                "ipRange 172.80.1.1/24 has host bits set: the network is 172.80.1.0/24",
                "ipv6.address 10.0.0.1 is not an IPv6 address, e.g. 2001:db8::1",
            ]);
        });
    });

    describe("ownership check at delete (run against a stub `ip`)", () => {
        /** Runs `script` with an `ip` that shows `dev` with alias `alias` and logs every call. */
        function withStubIp(script: string, alias: string): string[] {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "swarm-macvlan-ip-"));
            try {
                fs.writeFileSync(path.join(dir, "ip"), [
                    "#!/bin/sh",
                    `echo "$*" >> '${dir}/log'`,
                    `case "$*" in *"link show"*) echo "7: eth0.40@eth0: <BROADCAST,MULTICAST,UP> mtu 1500 state UP\\    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff\\    alias ${alias}" ;; esac`,
                ].join("\n"), { mode: 0o755 });
                const run = spawnSync("bash", ["-c", script], { encoding: "utf8", env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
                assert.equal(run.status, 0, run.stderr);
                return fs.readFileSync(path.join(dir, "log"), "utf8").trim().split("\n");
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        }

        it("deletes the sub-interface it owns", () => {
            const script = vlanSubinterfaceCommands({ trunk: "eth0", vlanId: 40, network: "vlan40" }).delete;
            assert.deepStrictEqual(withStubIp(script, "swarm-macvlan:vlan40"), ["-d -o link show dev eth0.40", "-o link show dev eth0.40", "link delete dev eth0.40"]);
        });

        it("leaves a sub-interface marked by another tool alone", () => {
            const script = vlanSubinterfaceCommands({ trunk: "eth0", vlanId: 40, network: "vlan40" }).delete;
            assert.deepStrictEqual(withStubIp(script, "netplan"), ["-d -o link show dev eth0.40", "-o link show dev eth0.40"]);
        });

        it("leaves a sub-interface owned by a network whose name extends this one's (vlan4 vs vlan40)", () => {
            const script = vlanSubinterfaceCommands({ trunk: "eth0", vlanId: 40, network: "vlan4" }).delete;
            assert.deepStrictEqual(withStubIp(script, "swarm-macvlan:vlan40"), ["-d -o link show dev eth0.40", "-o link show dev eth0.40"]);
        });
    });
});

/**
 * Runs `script` with a `docker` that answers `<subcommand> <verb>` (its first two arguments) from
 * `answers` (nothing for any other) and logs each call's first two arguments.
 */
function withStubDocker(script: string, answers: Record<string, string>): { status: number | null; stdout: string; stderr: string; calls: string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "swarm-macvlan-docker-"));
    try {
        Object.entries(answers).forEach(([call, out], i) => fs.writeFileSync(path.join(dir, `answer${i}`), out));
        fs.writeFileSync(path.join(dir, "docker"), [
            "#!/bin/sh",
            `echo "$1 $2" >> '${dir}/log'`,
            `case "$1 $2" in`,
            ...Object.keys(answers).map((call, i) => `  ${JSON.stringify(call)}) cat '${dir}/answer${i}' ;;`),
            "esac",
        ].join("\n"), { mode: 0o755 });
        const run = spawnSync("bash", ["-c", script], { encoding: "utf8", env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
        return { status: run.status, stdout: run.stdout, stderr: run.stderr, calls: fs.readFileSync(path.join(dir, "log"), "utf8").trim().split("\n") };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("preflight's engine check (run against a stand-in docker)", () => {
    const ARGS = { node: "node2", interfaces: [], vlans: false, manager: false, systemd: false, parents: [], plan: {} };
    const run = (version: string) => {
        const r = withStubDocker(preflightScript(ARGS), { "version -f": `${version}\n`, "info -f": "active false\n" });
        return { status: r.status, stderr: r.stderr, result: parsePreflight(r.stdout) };
    };

    it("names the engine and finds nothing wrong with the current one and the oldest supported", () => {
        assert.deepStrictEqual(run("29.8.1-dev 1.56"), { status: 0, stderr: "", result: { engine: "Docker 29.8.1-dev (API 1.56)", problems: [] } });
        assert.deepStrictEqual(run("20.10.24+dfsg1 1.41"), { status: 0, stderr: "", result: { engine: "Docker 20.10.24+dfsg1 (API 1.41)", problems: [] } });
    });

    it("fails on Docker 28.0.0, with the reason and the fix", () => {
        assert.deepStrictEqual(run("28.0.0 1.48"), { status: 0, stderr: "", result: { engine: "Docker 28.0.0 (API 1.48)", problems: [
            "runs Docker 28.0.0 (API 1.48), which breaks --config-from networks (docker/cli#5857): upgrade to 28.0.1 or later",
        ] } });
        assert.deepStrictEqual(run("28.0.1 1.48").result.problems, []);
    });

    it("fails on an engine older than 20.10, naming the oldest supported", () => {
        assert.deepStrictEqual(run("19.03.15 1.40").result, { engine: "Docker 19.03.15 (API 1.40)", problems: [
            "runs Docker 19.03.15 (API 1.40), older than the oldest engine swarm-macvlan supports, Docker 20.10 (API 1.41): upgrade it",
        ] });
        assert.deepStrictEqual(run("17.06.2-ce 1.30").result.problems, [
            "runs Docker 17.06.2-ce (API 1.30), older than the oldest engine swarm-macvlan supports, Docker 20.10 (API 1.41): upgrade it",
        ]);
    });

    it("reads a preflight that could not reach Docker as problems without an engine", () => {
        assert.deepStrictEqual(parsePreflight("cannot reach the Docker daemon: Cannot connect\n"), { problems: ["cannot reach the Docker daemon: Cannot connect"] });
    });
});

describe("config-only network without a gateway (run against a stand-in docker)", () => {
    const ARGS = { name: "lab40_net", network: "lab40", parent: "eth1", subnet: "10.214.0.0/16", gateway: "10.214.0.1", ipRange: "10.214.2.0/24", auxAddresses: {}, node: "node2" };

    // What `docker network inspect` prints through the builder's template for a network made by
    // hand as `docker network create --config-only --subnet 10.214.0.0/16 --ip-range 10.214.2.0/24 -o parent=eth1 lab40_net`.
    const HAND_MADE = "configOnly=true\nparent=eth1\nipv6=false\nipam0=10.214.0.0/16  10.214.2.0/24\nlabel=\n";
    const FIX = "(made by hand without --gateway?): Docker 29 and later give its containers no default route (moby#50929); " +
        "remove it (after any swarm network made from it) and run again, so that swarm-macvlan makes it with --gateway 10.214.0.1";

    it("fails when a hand-made network to adopt has no gateway, naming the node, the network and the subnet, and changes nothing", () => {
        const run = withStubDocker(configOnlyNetworkCommands({ ...ARGS, adopt: true }).create, { "network inspect": HAND_MADE });
        assert.deepStrictEqual([run.status, run.stdout, run.stderr, run.calls], [1, "",
            `swarm-macvlan: docker network lab40_net on node2 has no gateway for subnet 10.214.0.0/16 ${FIX}\n`, ["network inspect"]]);
    });

    it("check reports the missing gateway beside the differing field", () => {
        const run = withStubDocker(configOnlyNetworkCommands({ ...ARGS, adopt: true }).check, { "network inspect": HAND_MADE });
        assert.deepStrictEqual([run.status, run.stdout.split("\n"), run.stderr], [0, [
            `docker network lab40_net: has no gateway for subnet 10.214.0.0/16 ${FIX}`,
            "docker network lab40_net: ipam0 is 10.214.0.0/16  10.214.2.0/24, the plan says 10.214.0.0/16 10.214.0.1 10.214.2.0/24",
            "",
        ], ""]);
    });

    // What Docker 29 prints through the template: IPAM.Config is null for every config-only network.
    const hidden = (labels: string) => `configOnly=true\nparent=eth1\nipv6=false\nlabel=${labels ? "lab40" : ""}\nrecorded.ipam0=${labels}\nrecorded.ipam1=\n`;

    it("reads the addresses it recorded in labels where Docker shows none (Docker 29): in sync, nothing to do", () => {
        const ours = hidden("10.214.0.0/16 10.214.0.1 10.214.2.0/24");
        assert.deepStrictEqual(configOnlyNetworkArgv(ARGS).slice(-5), ["--label", "swarm-macvlan.network=lab40", "--label", "swarm-macvlan.ipam0=10.214.0.0/16 10.214.0.1 10.214.2.0/24", "lab40_net"]);
        const create = withStubDocker(configOnlyNetworkCommands(ARGS).create, { "network inspect": ours });
        assert.deepStrictEqual([create.status, create.stdout, create.stderr, create.calls], [0, "", "", ["network inspect"]]);
        const check = withStubDocker(configOnlyNetworkCommands(ARGS).check, { "network inspect": ours });
        assert.deepStrictEqual([check.status, check.stdout, check.stderr], [0, "", ""]);
        const moved = withStubDocker(configOnlyNetworkCommands({ ...ARGS, ipRange: "10.214.3.0/24" }).check, { "network inspect": ours });
        assert.deepStrictEqual(moved.stdout, "docker network lab40_net: ipam0 is 10.214.0.0/16 10.214.0.1 10.214.2.0/24, the plan says 10.214.0.0/16 10.214.0.1 10.214.3.0/24\n");
    });

    it("fails when Docker shows no addresses and the network carries no record (made by hand on Docker 29), naming the node and the fix", () => {
        const unseen = "cannot check docker network lab40_net on node2: this Docker Engine does not show a config-only network's subnet, gateway or range " +
            "(IPAM.Config is null), and swarm-macvlan did not make it (no swarm-macvlan.ipam0 label); " +
            "remove it (after any swarm network made from it) and run again, so that swarm-macvlan makes it and records them";
        const create = withStubDocker(configOnlyNetworkCommands({ ...ARGS, adopt: true }).create, { "network inspect": hidden("") });
        assert.deepStrictEqual([create.status, create.stdout, create.stderr, create.calls], [1, "", `swarm-macvlan: ${unseen}\n`, ["network inspect"]]);
        const check = withStubDocker(configOnlyNetworkCommands({ ...ARGS, adopt: true }).check, { "network inspect": hidden("") });
        assert.deepStrictEqual(check.stdout.split("\n"), [`docker network lab40_net: ${unseen}`,
            "docker network lab40_net: ipam0 is (none), the plan says 10.214.0.0/16 10.214.0.1 10.214.2.0/24", ""]);
    });

    it("passes a network whose every IPAM entry has its gateway", () => {
        const ours = "configOnly=true\nparent=eth1\nipv6=false\nipam0=10.214.0.0/16 10.214.0.1 10.214.2.0/24\nlabel=lab40\n";
        const run = withStubDocker(configOnlyNetworkCommands(ARGS).create, { "network inspect": ours });
        assert.deepStrictEqual([run.status, run.stdout, run.stderr], [0, "", ""]);
    });
});

describe("a delete that cannot see Docker never reads it as gone (run against a stand-in docker that fails)", () => {
    const ARGS = { name: "lab40_net", network: "lab40", parent: "eth1", subnet: "10.214.0.0/16", gateway: "10.214.0.1", ipRange: "10.214.2.0/24", auxAddresses: {}, node: "node2" };

    /** Runs `script` with a `docker` that prints `answer` on stderr and exits 1, whatever it is asked. */
    function withFailingDocker(script: string, answer: string): { status: number | null; stderr: string } {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "swarm-macvlan-docker-"));
        try {
            fs.writeFileSync(path.join(dir, "answer"), `${answer}\n`);
            fs.writeFileSync(path.join(dir, "docker"), `#!/bin/sh\ncat '${dir}/answer' >&2\nexit 1\n`, { mode: 0o755 });
            const run = spawnSync("bash", ["-c", script], { encoding: "utf8", env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
            return { status: run.status, stderr: run.stderr };
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }

    it("takes Docker's own answers, from 20.10 to 29, that the network does not exist as gone", () => {
        for (const answer of ["Error response from daemon: network lab40_net not found", "Error: No such network: lab40_net"]) {
            assert.deepStrictEqual(withFailingDocker(configOnlyNetworkCommands(ARGS).delete, answer), { status: 0, stderr: "" }, answer);
            assert.deepStrictEqual(withFailingDocker(swarmNetworkCommands({ name: "lab40_net", configFrom: "x_net", node: "node2" }).delete, answer), { status: 0, stderr: "" }, answer);
        }
    });

    it("fails, naming the node and what Docker said, on any other \"not found\": no docker CLI, no context, another network", () => {
        for (const answer of ["bash: line 3: docker: command not found", "context \"prod\" not found", "Error response from daemon: page not found",
            "Error response from daemon: network lab40_net_old not found"]) {
            assert.deepStrictEqual(withFailingDocker(configOnlyNetworkCommands(ARGS).delete, answer),
                { status: 1, stderr: `swarm-macvlan: cannot read docker network lab40_net on node2: ${answer}\n` }, answer);
        }
    });
});

describe("a config-only network's delete while a swarm network made from it is in use (run against a stand-in docker, date and sleep)", () => {
    const ARGS = { name: "lab40_net", network: "lab40", parent: "eth1", subnet: "10.214.0.0/16", gateway: "10.214.0.1", ipRange: "10.214.2.0/24", auxAddresses: {}, node: "node2" };
    const OURS = "configOnly=true\nparent=eth1\nipv6=false\nipam0=10.214.0.0/16 10.214.0.1 10.214.2.0/24\nlabel=lab40\n";

    /**
     * Runs the delete with a docker whose `network rm` says "in use" while `ps` lists `containers`
     * (for its first `psCalls` calls, none after, when the swarm stopped them) and `rmAfterPs` more
     * times after that (Docker removes the local copy a moment later); `date` advances 10 s a call
     * and `sleep` returns at once. Returns the exit status, stderr and docker's calls.
     */
    function run(containers: string, psCalls: number, rmAfterPs = 1): { status: number | null; stderr: string; calls: string[] } {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "swarm-macvlan-docker-"));
        try {
            fs.writeFileSync(path.join(dir, "ours"), OURS);
            fs.writeFileSync(path.join(dir, "containers"), containers);
            fs.writeFileSync(path.join(dir, "docker"), [
                "#!/bin/sh",
                `d='${dir}'`,
                'echo "$1 $2 $3" >> "$d/log"',
                'count() { n=$(($(cat "$d/$1" 2>/dev/null || echo 0) + 1)); echo $n > "$d/$1"; echo $n; }',
                'case "$*" in',
                '  "network inspect -f {{.ConfigFrom.Network}} abc1") echo lab40_net ;;',
                '  "network inspect -f {{.Name}} abc1") echo swarm-lab40_net ;;',
                '  "network inspect"*) cat "$d/ours" ;;',
                '  "network ls -q --filter driver=macvlan") echo abc1 ;;',
                `  "ps --filter network=abc1 --format"*) [ "$(count ps)" -gt ${psCalls} ] || cat "$d/containers" ;;`,
                `  "network rm lab40_net") if [ "$(cat "$d/ps" 2>/dev/null || echo 0)" -le ${psCalls} ] || [ "$(count rmafter)" -le ${rmAfterPs} ]; then`,
                '      echo "Error response from daemon: configuration network \\"lab40_net\\" is in use" >&2; exit 1; fi ;;',
                "esac",
            ].join("\n"), { mode: 0o755 });
            fs.writeFileSync(path.join(dir, "date"), `#!/bin/sh\nn=$(($(cat '${dir}/clock' 2>/dev/null || echo 1000) + 10)); echo $n > '${dir}/clock'; echo $n\n`, { mode: 0o755 });
            fs.writeFileSync(path.join(dir, "sleep"), "#!/bin/sh\n", { mode: 0o755 });
            const r = spawnSync("bash", ["-c", configOnlyNetworkCommands(ARGS).delete], { encoding: "utf8", env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
            return { status: r.status, stderr: r.stderr, calls: fs.readFileSync(path.join(dir, "log"), "utf8").trim().split("\n").map((c) => c.split(" ").slice(0, 3).join(" ")) };
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    const ROUND = ["network ls -q", "network inspect -f", "network inspect -f", "ps --filter network=abc1"];

    it("waits for swarm tasks to leave (the node lost its placement label) and for Docker to drop its local copy, then removes it", () => {
        const r = run("web.2.k3j=t1\n", 2);
        assert.deepStrictEqual([r.status, r.stderr], [0, ""]);
        assert.deepStrictEqual(r.calls, ["network inspect -f", "network rm lab40_net", ...ROUND, "network rm lab40_net", ...ROUND,
            "network rm lab40_net", ...ROUND, "network rm lab40_net", ...ROUND, "network rm lab40_net"]);
    });

    it("fails at once, naming them, when containers that are not swarm tasks use it: they never leave by themselves", () => {
        const r = run("web.2.k3j=t1\nadhoc=\n", 5);
        assert.deepStrictEqual([r.status, r.stderr, r.calls], [1, "swarm-macvlan: cannot remove docker network lab40_net on node2: containers that are not swarm tasks use " +
            "a swarm network made from it (swarm-lab40_net: adhoc); stop them or disconnect them (docker network disconnect NETWORK CONTAINER), then run again\n",
        ["network inspect -f", "network rm lab40_net", ...ROUND]]);
    });

    it("fails after 90 s, naming the tasks, the placement constraint and the drain, when the tasks stay (a service without the constraint)", () => {
        const r = run("web.2.k3j=t1\n", 1000);
        assert.deepStrictEqual([r.status, r.stderr], [1, "swarm-macvlan: cannot remove docker network lab40_net on node2: swarm tasks on a swarm network made from it " +
            "still run there after 90 s (swarm-lab40_net: web.2.k3j): a service without the placement constraint node.labels.swarm-macvlan.lab40==true keeps its task " +
            "on a node that loses the label; drain the node (docker node update --availability drain node2) or add the constraint, then run again\n"]);
        // The clock advances 10 s per `date`: the deadline's (1010 + 90), then two per round.
        assert.deepStrictEqual(r.calls.filter((c) => c === "network rm lab40_net").length, 5);
    });
});
