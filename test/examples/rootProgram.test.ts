import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { COMMAND, registrations, settled } from "../components/mocks";

describe("the root program (index.ts)", () => {
    it("builds the networks of its project's config namespace (the mocks' project is swarm-macvlan)", async () => {
        registrations.length = 0;
        pulumi.runtime.setConfig("swarm-macvlan:sshPrivateKey", "example-key");
        pulumi.runtime.setConfig("swarm-macvlan:nodes", JSON.stringify([
            { name: "manager1", host: "10.0.0.11", role: "manager" }, { name: "worker1", host: "10.0.0.12", role: "worker" },
        ]));
        pulumi.runtime.setConfig("swarm-macvlan:networks", JSON.stringify([
            { name: "vlan40", parent: "bond0", vlanId: 40, subnet: "172.80.0.0/16", gateway: "172.80.0.1", ipRangePrefix: 24 },
        ]));
        const program = require("../../index.ts");
        await settled(pulumi.output(program.plan));
        await new Promise((r) => setTimeout(r, 100));
        assert.deepStrictEqual(program.plan.networks[0].nodes.map((n: { node: string; ipRange: string }) => [n.node, n.ipRange]),
            [["manager1", "172.80.1.0/24"], ["worker1", "172.80.2.0/24"]]);
        assert.deepStrictEqual(registrations.filter((r) => r.type === COMMAND).map((r) => r.name).sort(), [
            "swarm-macvlan-vlan40-manager1-boot", "swarm-macvlan-vlan40-manager1-config", "swarm-macvlan-vlan40-manager1-vlan",
            "swarm-macvlan-vlan40-swarm",
            "swarm-macvlan-vlan40-worker1-boot", "swarm-macvlan-vlan40-worker1-config", "swarm-macvlan-vlan40-worker1-vlan",
        ]);
    });
});
