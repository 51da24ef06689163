import * as assert from "node:assert/strict";
import { COMMAND, DYNAMIC, SECRET_SIG, find, mockOutputs, names, registrations, settled, stepScript, unwrapped } from "./mocks";
import * as core from "../../components/core";
import { MacvlanSwarmNetwork } from "../../components";
import { NODE_ID_PLACEHOLDER } from "../../components/NodeLabel";
import { assertGolden } from "../support/golden";

const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----\n";
const ROOT = "swarm-macvlan:index:MacvlanSwarmNetwork";
const NODES = [
    { name: "node1", host: "192.0.2.11", role: "manager" as const },
    { name: "node2", host: "192.0.2.12", port: 2222, user: "ops", role: "worker" as const },
];
const NETWORK = {
    name: "lab40", parent: "eth1", vlanId: 40, subnet: "10.214.0.0/16", gateway: "10.214.0.1", ipRangePrefix: 24, shim: true,
};
const PREFLIGHTS = ["t-node1-preflight", "t-node2-preflight"];
/** What every host step waits for: the one barrier, which waits for GUARDED. */
const BARRIER = ["t-barrier"];
/** Every preflight and the network's replacement guard of each node. */
const GUARDED = [...PREFLIGHTS, "t-lab40-node1-guard", "t-lab40-node2-guard"];

async function build(networks: object[] = [NETWORK], nodes: object[] = NODES): Promise<MacvlanSwarmNetwork> {
    registrations.length = 0;
    const net = new MacvlanSwarmNetwork("t", { nodes: nodes as core.NodeSpec[], networks: networks as core.NetworkSpec[], sshPrivateKey: KEY });
    await Promise.all(Object.values(net.swarmNetworks).map((s) => settled(s.command.urn)));
    // Let every sibling registration land too.
    await new Promise((r) => setTimeout(r, 50));
    return net;
}

describe("MacvlanSwarmNetwork", () => {
    it("creates exactly the preflights, the per-node and swarm children, one drift check per node and network and one for the swarm network", async () => {
        await build();
        const seen = registrations.map((r) => `${r.type} ${r.name}`).sort();
        const step = (type: string, name: string) => [`swarm-macvlan:index:${type} ${name}`, `${COMMAND} ${name}`];
        const expected = [
            `${ROOT} t`,
            ...[...BARRIER, ...GUARDED].map((p) => `${DYNAMIC} ${p}`),
            ...["node1", "node2"].flatMap((n) => [
                `${DYNAMIC} t-lab40-${n}-drift`,
                ...step("VlanSubinterface", `t-lab40-${n}-vlan`),
                ...step("ConfigOnlyNetwork", `t-lab40-${n}-config`),
                ...step("HostShim", `t-lab40-${n}-shim`),
                ...step("BootUnit", `t-lab40-${n}-boot`),
                `${DYNAMIC} t-lab40-${n}-label`,
            ]),
            ...step("SwarmNetwork", "t-lab40-swarm"), `${DYNAMIC} t-lab40-swarm-drift`,
        ].sort();
        assert.deepStrictEqual(seen, expected);
    });

    it("registers exactly the host objects of core.hostObjects (the list check and render use too), each with that object's scripts and check", async () => {
        const LAN = { name: "lan", parent: "eth0", subnet: "192.0.2.0/24", gateway: "192.0.2.1", ipRangePrefix: 28, exclude: ["192.0.2.0/28"], takeover: true };
        for (const networks of [[NETWORK], [{ ...NETWORK, vlanId: undefined, shim: false, persist: false }], [LAN]]) {
            const built = await build(networks);
            const objects = core.hostObjects(built.plan);
            const nameOf = (o: core.HostObject) => (o.kind === "swarm" ? `t-${o.network}-swarm` : `t-${o.network}-${o.node}-${o.kind}`);
            assert.deepStrictEqual(registrations.filter((r) => r.type === COMMAND).map((r) => r.name).sort(), objects.map(nameOf).sort());
            for (const o of objects) {
                const r = find(COMMAND, nameOf(o));
                // A takeover runs under the lockout guard: its command's scripts are the guard's, which write the object's own to a file.
                const scripts = o.kind === "takeover"
                    ? [stepScript(r, "create").includes(core.quote(o.commands.create)), stepScript(r, "delete").includes(core.quote(o.commands.delete))]
                    : [stepScript(r, "create") === o.commands.create, stepScript(r, "delete") === o.commands.delete];
                assert.deepStrictEqual(scripts, [true, true], nameOf(o));
            }
            // Each node's objects of a network are watched by that node's one drift check, by kind; the swarm network by its own.
            const nodeObjects = objects.filter((o) => o.kind !== "swarm");
            const drifts = registrations.filter((r) => r.type === DYNAMIC && r.name.endsWith("-drift"));
            const expected: [string, object][] = [...new Set(nodeObjects.map((o) => `t-${o.network}-${o.node}-drift`))].map((name) => [name, {
                checks: Object.fromEntries(nodeObjects.filter((o) => `t-${o.network}-${o.node}-drift` === name).map((o) => [o.kind, o.commands.check])),
            }]);
            expected.push(...objects.filter((o) => o.kind === "swarm").map((o): [string, object] => [`t-${o.network}-swarm-drift`, { check: o.commands.check }]));
            assert.deepStrictEqual(drifts.map((r) => [r.name, r.inputs.checks === undefined ? { check: r.inputs.check } : { checks: r.inputs.checks }])
                .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)), expected.sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)));
        }
    });

    it("makes each command's update carry its own key's epoch of its node's drift check: a refresh that finds only the shim re-runs only the shim", async () => {
        mockOutputs["t-lab40-node2-drift"] = { driftEpochs: { vlan: 1, config: 0, shim: 3, boot: 0 }, drift: {} };
        try {
            await build();
        } finally {
            delete mockOutputs["t-lab40-node2-drift"];
        }
        const updates = registrations.filter((r) => r.type === COMMAND).map((r) => [r.name, r.inputs.update]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
        const repair = (epoch: number) => `sh -s -- create # swarm-macvlan: repair after drift #${epoch}`;
        assert.deepStrictEqual(updates, [
            ["t-lab40-node1-boot", repair(0)], ["t-lab40-node1-config", repair(0)], ["t-lab40-node1-shim", repair(0)], ["t-lab40-node1-vlan", repair(0)],
            ["t-lab40-node2-boot", repair(0)], ["t-lab40-node2-config", repair(0)], ["t-lab40-node2-shim", repair(3)], ["t-lab40-node2-vlan", repair(1)],
            ["t-lab40-swarm", repair(0)],
        ]);
    });

    it("orders host steps after every preflight and the replacement guard: parent interface, then config-only network and shim, then the swarm network", async () => {
        await build();
        for (const n of ["node1", "node2"]) {
            // The node's drift check's epochs feed the commands' updates: a property dependency on the one check.
            assert.deepStrictEqual(names(find(COMMAND, `t-lab40-${n}-vlan`).dependencies), [...BARRIER, `t-lab40-${n}-drift`].sort());
            assert.deepStrictEqual(names(find(COMMAND, `t-lab40-${n}-config`).dependencies), [...BARRIER, `t-lab40-${n}-drift`, `t-lab40-${n}-vlan`].sort());
            assert.deepStrictEqual(names(find(COMMAND, `t-lab40-${n}-shim`).dependencies), [...BARRIER, `t-lab40-${n}-drift`, `t-lab40-${n}-vlan`].sort());
            assert.deepStrictEqual(names(find(COMMAND, `t-lab40-${n}-boot`).dependencies),
                [...BARRIER, `t-lab40-${n}-drift`, `t-lab40-${n}-shim`, `t-lab40-${n}-vlan`].sort());
            // The drift check itself waits for nothing: it touches no host until a refresh.
            assert.deepStrictEqual(names(find(DYNAMIC, `t-lab40-${n}-drift`).dependencies), []);
            assert.match(find(COMMAND, `t-lab40-${n}-config`).parent, new RegExp(`\\$swarm-macvlan:index:ConfigOnlyNetwork::t-lab40-${n}-config$`));
        }
        assert.deepStrictEqual(names(find(COMMAND, "t-lab40-swarm").dependencies),
            [...BARRIER, "t-lab40-node1-config", "t-lab40-node2-config", "t-lab40-swarm-drift"].sort());
        // The barrier waits for every preflight and every guard, and for nothing else.
        assert.deepStrictEqual(names(find(DYNAMIC, "t-barrier").dependencies), [...GUARDED].sort());
    });

    it("replaces the swarm network only with a node's config-only network, and a config-only network or shim only with its parent", async () => {
        await build();
        assert.deepStrictEqual(names(find(COMMAND, "t-lab40-swarm").replaceWith), ["t-lab40-node1-config", "t-lab40-node2-config"]);
        assert.deepStrictEqual(names(find(COMMAND, "t-lab40-node2-config").replaceWith), ["t-lab40-node2-vlan"]);
        assert.deepStrictEqual(names(find(COMMAND, "t-lab40-node2-shim").replaceWith), ["t-lab40-node2-vlan"]);
        assert.deepStrictEqual(names(find(COMMAND, "t-lab40-node2-vlan").replaceWith), []);
    });

    it("runs the planned scripts (golden), with identity alone in the triggers: appending a node changes no existing command", async () => {
        await build();
        const before = registrations.filter((r) => r.type === COMMAND).map((r) => [r.name, r.inputs.triggers, r.inputs.stdin]);
        const vlan = (host: string, port: number, n: number) => [host, port, `{"network":"lab40","node":"node${n}","trunk":"eth1","vlanId":40}`];
        const config = (host: string, port: number, n: number) => [host, port,
            `{"auxAddresses":{"host":"10.214.${n}.254","range-first":"10.214.${n}.0","range-last":"10.214.${n}.255"},"gateway":"10.214.0.1",` +
            `"ipRange":"10.214.${n}.0/24","name":"lab40_net","network":"lab40","node":"node${n}","parent":"eth1.40","subnet":"10.214.0.0/16"}`];
        const expectations: [string, unknown[]][] = [
            ["t-lab40-node1-vlan", vlan("192.0.2.11", 22, 1)],
            ["t-lab40-node2-config", config("192.0.2.12", 2222, 2)],
            ["t-lab40-node1-shim", ["192.0.2.11", 22, '{"address":"10.214.1.254","ipRange":"10.214.1.0/24","name":"shim-lab40","network":"lab40","node":"node1","parent":"eth1.40"}']],
            ["t-lab40-swarm", ['{"attachable":true,"configFrom":"lab40_net","name":"swarm-lab40_net"}']],
            ["t-lab40-node2-boot", ["192.0.2.12", 2222, '{"network":"lab40","node":"node2"}']],
        ];
        for (const [name, triggers] of expectations) {
            const r = find(COMMAND, name);
            assertGolden(`components/${name}.create.sh`, stepScript(r, "create"));
            assertGolden(`components/${name}.delete.sh`, stepScript(r, "delete"));
            assert.equal(r.inputs.update, "sh -s -- create # swarm-macvlan: repair after drift #0", name);
            assert.deepStrictEqual(r.inputs.triggers, triggers, name);
            assert.equal(r.deleteBeforeReplace, true, name);
            assert.equal(r.inputs.addPreviousOutputInEnv, false, name);
        }
        // What a refresh runs: the swarm network's check on the manager, and per node one script of all its objects' checks.
        assertGolden("components/t-lab40-swarm-drift.check.sh", find(DYNAMIC, "t-lab40-swarm-drift").inputs.check);
        for (const n of ["node1", "node2"]) {
            const drift = find(DYNAMIC, `t-lab40-${n}-drift`);
            // The engine keeps the keys sorted, so a refresh checks them in that order.
            assert.deepStrictEqual(Object.keys(drift.inputs.checks), ["boot", "config", "shim", "vlan"], n);
            assertGolden(`components/t-lab40-${n}-drift.check.sh`, core.keyedCheckScript(drift.inputs.checks));
        }
        // Every command line is a few words; the scripts are on stdin (a failing step shows its message, not its script).
        const commands = registrations.filter((r) => r.type === COMMAND);
        assert.deepStrictEqual(commands.filter((r) => stepScript(r, "create") === "" || stepScript(r, "delete") === "").map((r) => r.name), []);
        assert.ok(commands.length >= 5, `${commands.length} commands`);
        assert.equal(find(COMMAND, "t-lab40-swarm").inputs.connection.value.host, "192.0.2.11");
        // A third node adds its own objects; the first two nodes' and the swarm network's stay as they were.
        await build([NETWORK], [...NODES, { name: "node3", host: "192.0.2.13", role: "worker" }]);
        const after = registrations.filter((r) => r.type === COMMAND).map((r) => [r.name, r.inputs.triggers, r.inputs.stdin]);
        // By name: a label's command registers once its node's ID is known, so the order varies.
        const byName = (list: unknown[][]) => [...list].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
        assert.deepStrictEqual(byName(after.filter(([name]) => !String(name).includes("node3"))), byName(before));
        assert.deepStrictEqual(names(find(COMMAND, "t-lab40-swarm").replaceWith), ["t-lab40-node1-config", "t-lab40-node2-config", "t-lab40-node3-config"]);
    });

    it("sets each node's placement label on the manager after its config-only network, by the ID the node prints, and removes it before that network", async () => {
        await build();
        for (const n of ["node1", "node2"]) {
            const label = find(DYNAMIC, `t-lab40-${n}-label`);
            const commands = core.nodeLabelCommands({ network: "lab40", node: n, manager: "node1", nodeId: NODE_ID_PLACEHOLDER });
            const { idScript, create, delete: remove, check, node, manager } = label.inputs;
            assert.deepStrictEqual({ idScript, create, delete: remove, check, node, manager },
                { idScript: core.swarmNodeIdScript(n), create: commands.create, delete: commands.delete, check: commands.check, node: n, manager: "node1" });
            // The ID is read on the node, the label set on the manager.
            assert.deepStrictEqual([unwrapped(label.inputs.nodeConnection).host, unwrapped(label.inputs.connection).host], [n === "node1" ? "192.0.2.11" : "192.0.2.12", "192.0.2.11"]);
            // Made after the config-only network, so deleted before it; replaced (deleted first) with it.
            assert.deepStrictEqual(names(label.dependencies), [...BARRIER, `t-lab40-${n}-config`].sort());
            assert.deepStrictEqual(names(label.replaceWith), [`t-lab40-${n}-config`]);
            assert.equal(label.deleteBeforeReplace, true);
        }
    });

    it("gives each node a replacement guard on the manager whose key changes exactly when that node's objects are replaced", async () => {
        await build();
        const inputsOf = (node: string) => {
            const { connection, __provider, ...inputs } = find(DYNAMIC, `t-lab40-${node}-guard`).inputs;
            assert.equal((connection.value ?? connection).host, "192.0.2.11", node);
            return inputs;
        };
        const source = (host: string, port: number, n: number) => JSON.stringify({
            config: {
                auxAddresses: { host: `10.214.${n}.254`, "range-first": `10.214.${n}.0`, "range-last": `10.214.${n}.255` }, gateway: "10.214.0.1",
                ipRange: `10.214.${n}.0/24`, name: "lab40_net", network: "lab40", node: `node${n}`, parent: "eth1.40", subnet: "10.214.0.0/16",
            },
            host,
            parent: { network: "lab40", node: `node${n}`, trunk: "eth1", vlanId: 40 },
            port,
        });
        const common = { node: "node1", network: "lab40", swarmName: "swarm-lab40_net", script: core.swarmNetworkServicesScript("swarm-lab40_net", "node1") };
        const [node1, node2] = [inputsOf("node1"), inputsOf("node2")];
        assert.deepStrictEqual(node1, {
            ...common, self: '{"attachable":true,"configFrom":"lab40_net","name":"swarm-lab40_net"}', sources: { node1: source("192.0.2.11", 22, 1) },
        });
        assert.deepStrictEqual(node2, { ...common, sources: { node2: source("192.0.2.12", 2222, 2) } });
        // The keys carry what the commands' triggers carry: the same config and parent identities.
        const key = JSON.parse(node2.sources.node2);
        assert.deepStrictEqual(find(COMMAND, "t-lab40-node2-config").inputs.triggers, ["192.0.2.12", 2222, core.identity(key.config)]);
        assert.deepStrictEqual(find(COMMAND, "t-lab40-node2-vlan").inputs.triggers, ["192.0.2.12", 2222, core.identity(key.parent)]);
        assert.equal(find(COMMAND, "t-lab40-swarm").inputs.triggers[0], node1.self);
        // A pinned range for node2 changes node2's guard alone, and the guard names the change.
        await build([{ ...NETWORK, ranges: { node2: "10.214.9.0/24" } }]);
        assert.deepStrictEqual(inputsOf("node1"), node1);
        assert.deepStrictEqual(core.replacingChanges(node2 as core.SwarmReplacementKeys, inputsOf("node2") as core.SwarmReplacementKeys), [
            "node2's auxAddresses.host from 10.214.2.254 to 10.214.9.254, auxAddresses.range-first from 10.214.2.0 to 10.214.9.0, " +
            "auxAddresses.range-last from 10.214.2.255 to 10.214.9.255, ipRange from 10.214.2.0/24 to 10.214.9.0/24",
        ]);
    });

    it("gives each node a preflight of its own part of the plan (golden)", async () => {
        await build();
        assertGolden("components/t-node1-preflight.sh", find(DYNAMIC, "t-node1-preflight").inputs.script);
        assertGolden("components/t-node2-preflight.sh", find(DYNAMIC, "t-node2-preflight").inputs.script);
        assert.deepStrictEqual(find(DYNAMIC, "t-node2-preflight").inputs.node, "node2");
    });

    it("gives each node's pinned host key to every connection to it: its commands, drift checks, preflight and replacement guard", async () => {
        const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOm5AKvJhsHJ7BMRNqqeRA3qdKBM6LcBX7dvWaMCCZXQ";
        await build([NETWORK], [{ ...NODES[0], hostKey: `${ED25519} root@node1` }, NODES[1]]);
        const keys = registrations.filter((r) => r.inputs.connection !== undefined).map((r) => {
            const connection = r.inputs.connection["4dabf18193072939515e22adb298388d"] === SECRET_SIG ? r.inputs.connection.value : r.inputs.connection;
            return [r.name, connection.host, connection.hostKey ?? "(none)"];
        }).sort();
        // node1 is the manager: the swarm network and both replacement guards run there.
        // Both nodes' placement labels are set on the manager (each node's swarm ID is read on the node: its nodeConnection).
        const node1 = ["t-lab40-node1-boot", "t-lab40-node1-config", "t-lab40-node1-guard", "t-lab40-node1-shim", "t-lab40-node1-vlan",
            "t-lab40-node2-guard", "t-lab40-swarm", "t-node1-preflight", "t-lab40-node1-label", "t-lab40-node2-label", "t-lab40-node1-drift", "t-lab40-swarm-drift",
        ].sort();
        const node2 = ["t-lab40-node2-boot", "t-lab40-node2-config", "t-lab40-node2-shim", "t-lab40-node2-vlan", "t-lab40-node2-drift", "t-node2-preflight"].sort();
        assert.deepStrictEqual(keys, [...node1.map((n) => [n, "192.0.2.11", ED25519]), ...node2.map((n) => [n, "192.0.2.12", "(none)"])]
            .sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    });

    it("keeps the SSH key secret and out of every command text, trigger, drift check and serialized provider", async () => {
        await build();
        const commands = registrations.filter((r) => r.type === COMMAND);
        assert.equal(commands.length, 9);
        for (const r of commands) {
            const onNode2 = r.name.includes("node2") && !r.name.endsWith("-label");
            // The SDK marks the whole connection secret because the key inside it is.
            const { connection, ...rest } = r.inputs;
            assert.equal(connection["4dabf18193072939515e22adb298388d"], SECRET_SIG, r.name);
            assert.equal(connection.value.privateKey, KEY, r.name);
            assert.equal(JSON.stringify(rest).includes("not-a-real-key"), false, r.name);
            assert.deepStrictEqual({ ...connection.value, privateKey: "-" }, {
                host: onNode2 ? "192.0.2.12" : "192.0.2.11",
                port: onNode2 ? 2222 : 22,
                user: onNode2 ? "ops" : "root",
                privateKey: "-", dialErrorLimit: 2, perDialTimeout: 10,
            });
        }
        // The barrier has no input but its provider: no connection, nothing to keep secret.
        const barrier = find(DYNAMIC, "t-barrier");
        assert.deepStrictEqual(Object.keys(barrier.inputs), ["__provider"]);
        assert.ok(barrier.inputs.__provider.length < 1_000, `t-barrier: serialized provider of ${barrier.inputs.__provider.length} characters`);
        const dynamic = registrations.filter((r) => r.type === DYNAMIC && r !== barrier);
        // 2 preflights, 2 replacement guards, 2 placement labels, 2 node drift checks and the swarm network's.
        assert.equal(dynamic.length, 9);
        for (const r of dynamic) {
            // A placement label also reaches its node (nodeConnection).
            const { connection, nodeConnection, ...rest } = r.inputs;
            for (const c of [connection, ...(nodeConnection === undefined ? [] : [nodeConnection])]) {
                // Secret as a whole, or its key is.
                const marked = unwrapped(c);
                assert.deepStrictEqual(marked.privateKey === KEY ? SECRET_SIG : marked.privateKey["4dabf18193072939515e22adb298388d"], SECRET_SIG, r.name);
            }
            assert.equal(JSON.stringify(rest).includes("not-a-real-key"), false, r.name);
            // The provider is serialized into the state of each: it must stay small.
            // (24,000: host key verification added about 1,000 characters to the ssh code in each.)
            assert.ok(rest.__provider.length < 24_000, `${r.name}: serialized provider of ${rest.__provider.length} characters`);
        }
    });

    it("uses PromiscMode on a plain parent and makes neither shim without shim: true nor boot unit with persist: false", async () => {
        await build([{ ...NETWORK, vlanId: undefined, shim: false, persist: false }]);
        const commands = registrations.filter((r) => r.type === COMMAND).map((r) => r.name).sort();
        assert.deepStrictEqual(commands, [
            "t-lab40-node1-config", "t-lab40-node1-promisc", "t-lab40-node2-config", "t-lab40-node2-promisc", "t-lab40-swarm",
        ]);
        assertGolden("components/t-lab40-node1-promisc.create.sh", stepScript(find(COMMAND, "t-lab40-node1-promisc"), "create"));
    });

    describe("takeover (seed 004)", () => {
        const LAN = { name: "lan", parent: "eth0", subnet: "192.0.2.0/24", gateway: "192.0.2.1", ipRangePrefix: 28, exclude: ["192.0.2.0/28"], takeover: true };

        it("takes over one node at a time, each under the guard: confirm after its command, the next node after it, the boot unit after it", async () => {
            mockOutputs["t-lan-node1-takeover"] = { stdout: "swarm-macvlan: armed 1733050000123456789: confirm ...\n" };
            await build([LAN]);
            delete mockOutputs["t-lan-node1-takeover"];
            const ofType = (type: string) => registrations.filter((r) => r.type === type).map((r) => r.name).sort();
            assert.deepStrictEqual(ofType("swarm-macvlan:index:HostTakeover"), ["t-lan-node1-takeover", "t-lan-node2-takeover"]);
            assert.deepStrictEqual(ofType(COMMAND), [
                "t-lan-node1-boot", "t-lan-node1-config", "t-lan-node1-promisc", "t-lan-node1-takeover",
                "t-lan-node2-boot", "t-lan-node2-config", "t-lan-node2-promisc", "t-lan-node2-takeover", "t-lan-swarm",
            ]);
            assert.deepStrictEqual(names(find(DYNAMIC, "t-lan-node1-takeover-confirm").dependencies), ["t-lan-node1-takeover"]);
            assert.deepStrictEqual(names(find(COMMAND, "t-lan-node1-takeover").dependencies),
                ["t-barrier", "t-lan-node1-promisc", "t-lan-node1-drift"].sort());
            assert.deepStrictEqual(names(find(COMMAND, "t-lan-node2-takeover").dependencies),
                ["t-barrier", "t-lan-node1-takeover-confirm", "t-lan-node2-promisc", "t-lan-node2-drift"].sort());
            assert.deepStrictEqual(names(find(COMMAND, "t-lan-node2-boot").dependencies), [
                "t-barrier", "t-lan-node2-drift", "t-lan-node2-promisc",
                "t-lan-node2-takeover", "t-lan-node2-takeover-confirm",
            ].sort());
            assert.deepStrictEqual(Object.keys(find(DYNAMIC, "t-lan-node2-drift").inputs.checks), ["boot", "config", "promisc", "takeover"]);
            const command = find(COMMAND, "t-lan-node1-takeover");
            const confirm = find(DYNAMIC, "t-lan-node1-takeover-confirm");
            assertGolden("components/t-lan-node1-takeover.create.sh", stepScript(command, "create"));
            assertGolden("components/t-lan-node1-takeover.delete.sh", stepScript(command, "delete"));
            assertGolden("components/t-lan-node1-takeover-confirm.sh", confirm.inputs.script);
            assertGolden("components/t-lan-node1-boot.create.sh", stepScript(find(COMMAND, "t-lan-node1-boot"), "create"));
            assert.deepStrictEqual([confirm.inputs.armed, confirm.inputs.attempts, confirm.inputs.node], ["1733050000123456789", 45, "node1"]);
            assert.deepStrictEqual(command.inputs.triggers, ["192.0.2.11", 22,
                `{"name":"shim-lan","network":"lan","node":"node1","parent":"eth0"}`]);
        });

        it("changes only the takeover's create under the test hook SWARM_MACVLAN_TEST_BREAK_GATEWAY", async () => {
            await build([LAN]);
            // The drift checks' scripts too: the hook does not change what a check looks for.
            const plain = registrations.filter((r) => r.type === COMMAND || r.type === DYNAMIC).map((r) => [r.name, r.inputs.stdin, r.inputs.script, r.inputs.checks]);
            process.env.SWARM_MACVLAN_TEST_BREAK_GATEWAY = "192.0.2.254";
            try {
                await build([LAN]);
            } finally {
                delete process.env.SWARM_MACVLAN_TEST_BREAK_GATEWAY;
            }
            const hooked = registrations.filter((r) => r.type === COMMAND || r.type === DYNAMIC).map((r) => [r.name, r.inputs.stdin, r.inputs.script, r.inputs.checks]);
            const changed = hooked.filter((h, i) => JSON.stringify(h) !== JSON.stringify(plain[i])).map(([name]) => name);
            assert.deepStrictEqual(changed, ["t-lan-node1-takeover", "t-lan-node2-takeover"]);
            assert.equal(String(stepScript(find(COMMAND, "t-lan-node1-takeover"), "create")).includes("default via 192.0.2.254"), true);
        });
    });

    it("fails when the spec is invalid, before registering anything", () => {
        registrations.length = 0;
        assert.throws(
            () => new MacvlanSwarmNetwork("bad", { nodes: NODES, networks: [{ ...NETWORK, vlanId: 4095 }], sshPrivateKey: KEY }),
            (e: core.SpecError) => {
                assert.equal(e.message, "invalid swarm-macvlan spec (1 problem):\n  networks[0].vlanId 4095 is outside 1-4094");
                return true;
            },
        );
        assert.deepStrictEqual(registrations, []);
    });
});
