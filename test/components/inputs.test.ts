import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { COMMAND, DYNAMIC, find, registrations, settled, unwrapped } from "./mocks";
import * as core from "../../components/core";
import { MacvlanSwarmNetwork } from "../../components";
import { NO_KEY_PROBLEM } from "../../components/MacvlanSwarmNetwork";

const KEY = "not-a-real-key";
const NETWORK = { name: "lab40", parent: "eth1", subnet: "10.214.0.0/16", gateway: "10.214.0.1", ipRangePrefix: 24 };

describe("MacvlanSwarmNetwork with Input connection fields", () => {
    it("plans a node whose host, port or user is pending under a placeholder, and connects with the real values", async () => {
        registrations.length = 0;
        const net = new MacvlanSwarmNetwork("in", {
            nodes: [
                { name: "node1", host: "192.0.2.11", role: "manager" },
                { name: "node2", host: pulumi.output("192.0.2.12"), port: Promise.resolve(2222), user: pulumi.output("ops"), role: "worker" },
                { name: "node3", host: "192.0.2.11", port: pulumi.output(2200), role: "worker" },
            ],
            networks: [NETWORK],
            sshPrivateKey: KEY,
        });
        await settled(net.swarmNetworks.lab40.command.urn);
        await new Promise((r) => setTimeout(r, 50));
        assert.deepStrictEqual(net.plan.nodes, [
            { name: "node1", host: "192.0.2.11", port: 22, user: "root", role: "manager" },
            { name: "node2", host: "unresolved-1.invalid", port: 22, user: "root", role: "worker" },
            { name: "node3", host: "unresolved-2.invalid", port: 22, user: "root", role: "worker" },
        ]);
        const connection = (name: string) => {
            const { privateKey, ...rest } = find(COMMAND, name).inputs.connection.value;
            return { ...rest, privateKey: privateKey === KEY };
        };
        assert.deepStrictEqual(connection("in-lab40-node2-config"), { host: "192.0.2.12", port: 2222, user: "ops", privateKey: true, dialErrorLimit: 2, perDialTimeout: 10 });
        assert.deepStrictEqual(connection("in-lab40-node3-config"), { host: "192.0.2.11", port: 2200, user: "root", privateKey: true, dialErrorLimit: 2, perDialTimeout: 10 });
        assert.deepStrictEqual(find(COMMAND, "in-lab40-node2-promisc").inputs.triggers, ["192.0.2.12", 2222, '{"node":"node2","parent":"eth1"}']);
        assert.deepStrictEqual(find(COMMAND, "in-lab40-node3-promisc").inputs.triggers, ["192.0.2.11", 2200, '{"node":"node3","parent":"eth1"}']);
        assert.equal(unwrapped(find(DYNAMIC, "in-node2-preflight").inputs.connection).host, "192.0.2.12");
    });

    it("fails when a plain field is invalid, whatever the pending ones beside it", () => {
        registrations.length = 0;
        assert.throws(
            () => new MacvlanSwarmNetwork("bad", {
                nodes: [
                    { name: "node1", host: "192.0.2.11", role: "manager" },
                    { name: "node 2", host: pulumi.output("192.0.2.12"), port: 70000, role: "worker" },
                    { name: "node3", host: "192.0.2.11", role: "worker" },
                ],
                networks: [NETWORK],
                sshPrivateKey: KEY,
            }),
            (e: core.SpecError) => {
                assert.equal(e.message, "invalid swarm-macvlan spec (3 problems):\n" +
                    "  nodes[1].name \"node 2\" is not allowed: use letters, digits, _ . - starting with a letter or digit\n" +
                    "  nodes[1].port 70000 is outside 1-65535\n" +
                    "  nodes[2].host 192.0.2.11 with port 22 is also node node1; each node needs its own SSH endpoint");
                return true;
            },
        );
        assert.deepStrictEqual(registrations, []);
    });

    describe("with no sshPrivateKey", () => {
        const saved = process.env.SSH_AUTH_SOCK;
        afterEach(() => {
            if (saved === undefined) {
                delete process.env.SSH_AUTH_SOCK;
            } else {
                process.env.SSH_AUTH_SOCK = saved;
            }
        });
        const spec = { nodes: [{ name: "node1", host: "192.0.2.11", role: "manager" as const }, { name: "node2", host: "192.0.2.12", role: "worker" as const }], networks: [NETWORK] };

        it("connects every command and dynamic resource through the ssh-agent: no connection carries a key", async () => {
            process.env.SSH_AUTH_SOCK = "/run/user/0/agent.sock";
            registrations.length = 0;
            const net = new MacvlanSwarmNetwork("agent", spec);
            await settled(net.swarmNetworks.lab40.command.urn);
            await new Promise((r) => setTimeout(r, 50));
            const connected = registrations.filter((r) => r.inputs.connection !== undefined || r.inputs.nodeConnection !== undefined);
            assert.deepStrictEqual(connected.map((r) => r.name).sort(), [
                ...["node1", "node2"].flatMap((n) => ["boot", "config", "drift", "guard", "label", "promisc"].map((o) => `agent-lab40-${n}-${o}`)),
                "agent-lab40-swarm", "agent-lab40-swarm-drift", "agent-node1-preflight", "agent-node2-preflight",
            ].sort());
            for (const r of connected) {
                for (const c of [r.inputs.connection, r.inputs.nodeConnection].filter((x) => x !== undefined)) {
                    assert.deepStrictEqual(Object.keys(unwrapped(c)).sort(), ["dialErrorLimit", "host", "perDialTimeout", "port", "user"], r.name);
                }
            }
        });

        it("without an agent either, fails saying both ways, before registering anything", () => {
            delete process.env.SSH_AUTH_SOCK;
            registrations.length = 0;
            assert.throws(() => new MacvlanSwarmNetwork("nokey", spec), (e: core.SpecError) => {
                assert.equal(e.message, `invalid swarm-macvlan spec (1 problem):\n  ${NO_KEY_PROBLEM}`);
                return true;
            });
            assert.deepStrictEqual(registrations, []);
        });
    });
});
