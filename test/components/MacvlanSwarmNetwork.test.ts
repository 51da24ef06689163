import * as assert from "node:assert/strict";
import { COMMAND, SECRET_SIG, find, registrations, settled } from "./mocks";
import * as core from "../../components/core";
import { MacvlanSwarmNetwork } from "../../components";
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

/** `type::name` of each dependency (the URN's last segment). */
function deps(type: string, name: string): string[] {
    return find(type, name).dependencies.map((u) => u.slice(u.lastIndexOf("$") + 1)).sort();
}

async function build(networks: object[] = [NETWORK]): Promise<MacvlanSwarmNetwork> {
    registrations.length = 0;
    const net = new MacvlanSwarmNetwork("t", { nodes: NODES, networks: networks as core.NetworkSpec[], sshPrivateKey: KEY });
    await Promise.all(Object.values(net.swarmNetworks).map((s) => settled(s.command.urn)));
    // Let every sibling registration land too.
    await new Promise((r) => setTimeout(r, 50));
    return net;
}

describe("MacvlanSwarmNetwork", () => {
    it("creates exactly the per-node and swarm children, named from the component", async () => {
        await build();
        const seen = registrations.map((r) => `${r.type} ${r.name}`).sort();
        const expected = [
            `${ROOT} t`,
            ...["node1", "node2"].flatMap((n) => [
                `swarm-macvlan:index:VlanSubinterface t-lab40-${n}-vlan`, `${COMMAND} t-lab40-${n}-vlan`,
                `swarm-macvlan:index:ConfigOnlyNetwork t-lab40-${n}-config`, `${COMMAND} t-lab40-${n}-config`,
                `swarm-macvlan:index:HostShim t-lab40-${n}-shim`, `${COMMAND} t-lab40-${n}-shim`,
            ]),
            `swarm-macvlan:index:SwarmNetwork t-lab40-swarm`, `${COMMAND} t-lab40-swarm`,
        ].sort();
        assert.deepStrictEqual(seen, expected);
    });

    it("orders host steps: parent interface, then config-only network and shim, then the swarm network", async () => {
        await build();
        for (const n of ["node1", "node2"]) {
            assert.deepStrictEqual(deps(COMMAND, `t-lab40-${n}-vlan`), []);
            assert.deepStrictEqual(deps(COMMAND, `t-lab40-${n}-config`), [`${COMMAND}::t-lab40-${n}-vlan`]);
            assert.deepStrictEqual(deps(COMMAND, `t-lab40-${n}-shim`), [`${COMMAND}::t-lab40-${n}-vlan`]);
            const parent = find(COMMAND, `t-lab40-${n}-config`).parent;
            assert.equal(parent.endsWith("swarm-macvlan:index:ConfigOnlyNetwork::t-lab40-" + n + "-config"), true, parent);
        }
        assert.deepStrictEqual(deps(COMMAND, "t-lab40-swarm"), [`${COMMAND}::t-lab40-node1-config`, `${COMMAND}::t-lab40-node2-config`]);
    });

    it("runs the planned create and delete scripts (golden), replacing (delete first) on identity change", async () => {
        await build();
        // A step's triggers are its host, its identity, then the triggers of the steps it is
        // built on (property dependencies).
        const vlan = (host: string, port: number, n: number) => [host, port, `{"network":"lab40","node":"node${n}","trunk":"eth1","vlanId":40}`];
        const config = (host: string, port: number, n: number) => [host, port,
            `{"auxAddresses":{"host":"10.214.${n}.254","range-first":"10.214.${n}.0","range-last":"10.214.${n}.255"},"gateway":"10.214.0.1",` +
            `"ipRange":"10.214.${n}.0/24","name":"lab40_net","network":"lab40","node":"node${n}","parent":"eth1.40","subnet":"10.214.0.0/16"}`,
            vlan(host, port, n)];
        const expectations: [string, unknown[]][] = [
            ["t-lab40-node1-vlan", vlan("192.0.2.11", 22, 1)],
            ["t-lab40-node2-config", config("192.0.2.12", 2222, 2)],
            ["t-lab40-node1-shim", ["192.0.2.11", 22,
                '{"address":"10.214.1.254","ipRange":"10.214.1.0/24","name":"shim-lab40","network":"lab40","node":"node1","parent":"eth1.40"}', vlan("192.0.2.11", 22, 1)]],
            ["t-lab40-swarm", ['{"attachable":true,"configFrom":"lab40_net","name":"swarm-lab40_net","node":"node1"}', config("192.0.2.11", 22, 1), config("192.0.2.12", 2222, 2)]],
        ];
        for (const [name, triggers] of expectations) {
            const r = find(COMMAND, name);
            assertGolden(`components/${name}.create.sh`, r.inputs.create);
            assertGolden(`components/${name}.delete.sh`, r.inputs.delete);
            assert.deepStrictEqual(r.inputs.triggers, triggers, name);
            assert.equal(r.deleteBeforeReplace, true, name);
            assert.equal(r.inputs.addPreviousOutputInEnv, false, name);
        }
        assert.equal(find(COMMAND, "t-lab40-swarm").inputs.connection.value.host, "192.0.2.11");
    });

    it("keeps the SSH key secret and out of every command text and trigger", async () => {
        await build();
        const commands = registrations.filter((r) => r.type === COMMAND);
        assert.equal(commands.length, 7);
        for (const r of commands) {
            // The SDK marks the whole connection secret because the key inside it is.
            const { connection, ...rest } = r.inputs;
            assert.equal(connection["4dabf18193072939515e22adb298388d"], SECRET_SIG, r.name);
            assert.equal(connection.value.privateKey, KEY, r.name);
            assert.equal(JSON.stringify(rest).includes("not-a-real-key"), false, r.name);
            assert.deepStrictEqual({ ...connection.value, privateKey: "-" }, {
                host: r.name.includes("node2") ? "192.0.2.12" : "192.0.2.11",
                port: r.name.includes("node2") ? 2222 : 22,
                user: r.name.includes("node2") ? "ops" : "root",
                privateKey: "-", dialErrorLimit: 4, perDialTimeout: 15,
            });
        }
    });

    it("uses PromiscMode on a plain parent and makes no shim without shim: true", async () => {
        await build([{ ...NETWORK, vlanId: undefined, shim: false }]);
        const names = registrations.filter((r) => r.type === COMMAND).map((r) => r.name).sort();
        assert.deepStrictEqual(names, ["t-lab40-node1-config", "t-lab40-node1-promisc", "t-lab40-node2-config", "t-lab40-node2-promisc", "t-lab40-swarm"]);
        assertGolden("components/t-lab40-node1-promisc.create.sh", find(COMMAND, "t-lab40-node1-promisc").inputs.create);
    });

    it("fails when the spec is invalid, before registering anything", () => {
        registrations.length = 0;
        assert.throws(
            () => new MacvlanSwarmNetwork("bad", { nodes: NODES, networks: [{ ...NETWORK, vlanId: 4095 }], sshPrivateKey: KEY }),
            (e: core.SpecError) => {
                assert.deepStrictEqual(e.problems, ["networks[0].vlanId 4095 is outside 1-4094"]);
                return true;
            },
        );
        assert.deepStrictEqual(registrations, []);
    });
});
