import * as assert from "node:assert/strict";
import { COMMAND, DYNAMIC, SECRET_SIG, find, registrations, settled, stepScript, unwrapped } from "./mocks";
import * as core from "../../components/core";
import { BootUnit, ConfigOnlyNetwork, DriftCheck, HostShim, HostTakeover, NodeLabel, PromiscMode, SwarmNetwork, VlanSubinterface } from "../../components";
import { NODE_ID_PLACEHOLDER } from "../../components/NodeLabel";
import { assertGolden } from "../support/golden";

const connection = { host: "192.0.2.21", user: "root", privateKey: "k" };

/** The last segment of each dependency's URN. */
function deps(name: string): string[] {
    return find(COMMAND, name).dependencies.map((u) => u.slice(u.lastIndexOf("::") + 2));
}

describe("components used alone", () => {
    beforeEach(() => {
        registrations.length = 0;
    });

    it("VlanSubinterface names the interface, parents its command and forwards dependsOn to it", async () => {
        const promisc = new PromiscMode("p", { connection, parent: "bond0" });
        const vlan = new VlanSubinterface("v", { connection, trunk: "bond0", vlanId: 120, network: "storage" }, { dependsOn: [promisc] });
        await settled(vlan.command.urn);
        assert.equal(vlan.interfaceName, "bond0.120");
        // dependsOn a component means on its children: PromiscMode's command and drift check.
        assert.deepStrictEqual(deps("v").sort(), ["p", "p-drift", "v-drift"]);
        assert.deepStrictEqual(find(COMMAND, "v").inputs.triggers, ["192.0.2.21", 22, '{"network":"storage","trunk":"bond0","vlanId":120}']);
        assert.equal(find(DYNAMIC, "v-drift").inputs.node, "v");
        assert.match(find(COMMAND, "v").parent, /::swarm-macvlan:index:VlanSubinterface::v$/);
        assertGolden("components/standalone-v.create.sh", stepScript(find(COMMAND, "v"), "create"));
    });

    it("ConfigOnlyNetwork and HostShim carry their whole configuration as identity, whatever the order of its fields", async () => {
        const args = { name: "storage_net", network: "storage", parent: "bond0.120", subnet: "10.120.0.0/16", gateway: "10.120.0.1", ipRange: "10.120.4.0/24", auxAddresses: { host: "10.120.4.254" } };
        const reordered = Object.fromEntries(Object.entries(args).reverse()) as typeof args;
        const config = new ConfigOnlyNetwork("c", { connection, ...reordered });
        const shim = new HostShim("s", { connection, name: "shim-storage", parent: "bond0.120", network: "storage", address: "10.120.4.254", ipRange: "10.120.4.0/24" });
        await Promise.all([settled(config.command.urn), settled(shim.command.urn)]);
        assert.deepStrictEqual(find(COMMAND, "c").inputs.triggers, ["192.0.2.21", 22,
            '{"auxAddresses":{"host":"10.120.4.254"},"gateway":"10.120.0.1","ipRange":"10.120.4.0/24","name":"storage_net","network":"storage","parent":"bond0.120","subnet":"10.120.0.0/16"}']);
        assert.deepStrictEqual(find(COMMAND, "s").inputs.triggers, ["192.0.2.21", 22,
            '{"address":"10.120.4.254","ipRange":"10.120.4.0/24","name":"shim-storage","network":"storage","parent":"bond0.120"}']);
        assertGolden("components/standalone-c.create.sh", stepScript(find(COMMAND, "c"), "create"));
        assertGolden("components/standalone-s.delete.sh", stepScript(find(COMMAND, "s"), "delete"));
        assert.deepStrictEqual([config.networkName, config.ipRange, shim.interfaceName, shim.address], ["storage_net", "10.120.4.0/24", "shim-storage", "10.120.4.254"]);
    });

    it("SwarmNetwork does not tie its identity to the manager it runs on", async () => {
        const swarm = new SwarmNetwork("w", { connection, name: "swarm-storage_net", configFrom: "storage_net", attachable: false });
        await settled(swarm.command.urn);
        assert.deepStrictEqual(find(COMMAND, "w").inputs.triggers, ['{"attachable":false,"configFrom":"storage_net","name":"swarm-storage_net"}']);
    });

    it("fails when an argument would reach a shell unvalidated, naming the component, before registering anything", () => {
        assert.throws(() => new VlanSubinterface("bad", { connection, trunk: "eth0;reboot", vlanId: 40, network: "x" }), (e: core.SpecError) => {
            assert.equal(e.message, 'invalid arguments to VlanSubinterface "bad" (2 problems):\n' +
                '  trunk "eth0;reboot" is not a valid interface name: use 1-15 characters from A-Z a-z 0-9 _ . - starting with a letter or digit\n' +
                '  name "eth0;reboot.40" is not a valid interface name: use 1-15 characters from A-Z a-z 0-9 _ . - starting with a letter or digit');
            return true;
        });
        assert.throws(() => new HostShim("bad", { connection, name: "shim", parent: "eth1", network: "n", address: "10.0.0.300", ipRange: "10.0.0.0/24" }), (e: core.SpecError) => {
            assert.equal(e.message, 'invalid arguments to HostShim "bad" (1 problem):\n' +
                "  address 10.0.0.300 is not an IPv4 address: write four decimal octets without leading zeros, e.g. 10.0.0.1");
            return true;
        });
        assert.throws(() => new NodeLabel("bad", { connection, nodeConnection: connection, network: "v40;x", node: "node2", manager: "node1" }), (e: core.SpecError) => {
            assert.equal(e.message, 'invalid arguments to NodeLabel "bad" (1 problem):\n' +
                '  network "v40;x" is not allowed: use letters, digits, _ . - starting with a letter or digit');
            return true;
        });
        assert.deepStrictEqual(registrations, []);
    });

    it("NodeLabel reads the node's swarm ID on the node and labels it on the manager, over the library's own connections, after what it is given to follow", async () => {
        const node2 = { ...connection, host: "192.0.2.22" };
        const config = new ConfigOnlyNetwork("c", { connection: node2, name: "storage_net", network: "storage", parent: "eth1", subnet: "10.120.0.0/16",
            gateway: "10.120.0.1", ipRange: "10.120.4.0/24", auxAddresses: {} });
        const label = new NodeLabel("l", { connection, nodeConnection: node2, network: "storage", node: "node2", manager: "node1" },
            { dependsOn: [config.command], replaceWith: [config.command], deleteBeforeReplace: true });
        await settled(label.urn);
        const r = find(DYNAMIC, "l");
        assert.deepStrictEqual([unwrapped(r.inputs.nodeConnection).host, unwrapped(r.inputs.connection).host, r.inputs.idScript, r.inputs.create], [
            "192.0.2.22", "192.0.2.21", core.swarmNodeIdScript("node2"), core.nodeLabelCommands({ network: "storage", node: "node2", manager: "node1", nodeId: NODE_ID_PLACEHOLDER }).create,
        ]);
        assert.deepStrictEqual(r.dependencies.map((u) => u.slice(u.lastIndexOf("::") + 2)), ["c"]);
        assert.deepStrictEqual(r.replaceWith.map((u) => u.slice(u.lastIndexOf("::") + 2)), ["c"]);
        assert.deepStrictEqual(registrations.filter((x) => x.type === COMMAND).map((x) => x.name), ["c"]);
    });

    it("with a shared drift check, makes no DriftCheck of its own and carries the check's epoch of its key; a check of another script is refused", async () => {
        const vlanArgs = { trunk: "bond0", vlanId: 120, network: "storage", node: "node1" };
        const shimArgs = { name: "shim-storage", parent: "bond0.120", network: "storage", node: "node1", address: "10.120.4.254", ipRange: "10.120.4.0/24" };
        const checks = { vlan: core.vlanSubinterfaceCommands(vlanArgs).check, shim: core.hostShimCommands(shimArgs).check };
        const check = new DriftCheck("n-drift", { connection, node: "node1", checks });
        const vlan = new VlanSubinterface("v", { connection, ...vlanArgs, drift: { check, key: "vlan" } });
        const shim = new HostShim("s", { connection, ...shimArgs, parentInterface: vlan, drift: { check, key: "shim" } });
        await settled(shim.command.urn);
        assert.deepStrictEqual([vlan.drift, shim.drift], [check, check]);
        assert.deepStrictEqual(registrations.filter((r) => r.type === DYNAMIC).map((r) => [r.name, r.inputs.checks]), [["n-drift", checks]]);
        assert.deepStrictEqual(deps("s").sort(), ["n-drift", "v"]);
        assert.equal(find(COMMAND, "s").inputs.update, "sh -s -- create # swarm-macvlan: repair after drift #0");
        // The identity is the object's alone: the shared check is not part of it.
        assert.deepStrictEqual(find(COMMAND, "v").inputs.triggers, ["192.0.2.21", 22, core.identity(vlanArgs)]);
        assert.throws(() => new HostShim("s2", { connection, ...shimArgs, drift: { check, key: "vlan" } }),
            (e: Error) => e.message === 's2: its shared drift check watches another check script under key "vlan": it must be the object\'s own (its builder\'s check)');
        assert.throws(() => new HostShim("s3", { connection, ...shimArgs, drift: { check, key: "boot" } }),
            (e: Error) => e.message === 's3: its shared drift check watches no check script under key "boot": it must be the object\'s own (its builder\'s check)');
        assert.throws(() => new DriftCheck("bad-drift", { connection, node: "node1", checks: { "Shim;x": "true" } }),
            (e: Error) => e.message === 'a keyed drift check needs keys of 1-32 lowercase letters, digits and dashes, starting with a letter; got ["Shim;x"]');
    });
});

describe("components used alone keep the caller's credentials secret", () => {
    beforeEach(() => {
        registrations.length = 0;
    });

    /** Where `needle` occurs in `value` outside any secret-marked part, as paths. */
    function plaintext(value: unknown, needle: string, at = "inputs"): string[] {
        if (typeof value === "string") {
            return value.includes(needle) ? [at] : [];
        }
        if (value === null || typeof value !== "object" || (value as Record<string, unknown>)["4dabf18193072939515e22adb298388d"] === SECRET_SIG) {
            return [];
        }
        return Object.entries(value).flatMap(([k, v]) => plaintext(v, needle, `${at}.${k}`));
    }

    it("marks a plain-string key and password secret in every command, drift check and confirm of each standalone component", async () => {
        const plain = { host: "192.0.2.21", user: "root", privateKey: "plain-key-7c1e", password: "plain-password-7c1e" };
        const vlan = new VlanSubinterface("v", { connection: plain, trunk: "bond0", vlanId: 120, network: "storage" });
        const built = [
            vlan,
            new PromiscMode("p", { connection: plain, parent: "eth1" }),
            new ConfigOnlyNetwork("c", { connection: plain, name: "storage_net", network: "storage", parent: "bond0.120", subnet: "10.120.0.0/16", gateway: "10.120.0.1", ipRange: "10.120.4.0/24", auxAddresses: {} }),
            new HostShim("s", { connection: plain, name: "shim-storage", parent: "bond0.120", network: "storage", address: "10.120.4.254", ipRange: "10.120.4.0/24" }),
            new HostTakeover("t", { connection: plain, name: "shim-lan", parent: "eth0", network: "lan", node: "node1", mac: "02:1e:8a:f8:9a:ba" }),
            new BootUnit("b", { connection: plain, network: "storage", node: "node1", device: "bond0", scripts: [{ name: "10-vlan", text: "ip link set dev bond0.120 up" }], interfaces: ["bond0.120"] }),
            new SwarmNetwork("w", { connection: plain, name: "swarm-storage_net", configFrom: "storage_net", node: "manager1", sources: [] }),
            new NodeLabel("l", { connection: plain, nodeConnection: plain, network: "storage", node: "node2", manager: "node1" }),
        ];
        await Promise.all(built.map((b) => settled(b instanceof NodeLabel ? b.urn : b.command.urn)));
        await settled((built[4] as HostTakeover).confirm.urn);
        const carrying = registrations.filter((r) => r.inputs.connection !== undefined).map((r) => r.name).sort();
        assert.deepStrictEqual(carrying, ["b", "b-drift", "c", "c-drift", "l", "p", "p-drift", "s", "s-drift", "t", "t-confirm", "t-drift", "v", "v-drift", "w", "w-drift"]);
        assert.deepStrictEqual(registrations.flatMap((r) => [...plaintext(r.inputs, "plain-key-7c1e", r.name), ...plaintext(r.inputs, "plain-password-7c1e", r.name)]), []);
    });
});
