import * as assert from "node:assert/strict";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { COMMAND, find, names, registrations, settled } from "../components/mocks";

// Resolve `swarm-macvlan` to this checkout, as `npm install swarm-macvlan` would to the package.
const Module = require("module");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request: string, ...rest: unknown[]) {
    return resolve.call(this, request === "swarm-macvlan" ? path.join(__dirname, "../../components/index.ts") : request, ...rest);
};

const SERVICE = "docker:index/service:Service";

// @pulumi/docker's plugin (pulumi-resource-docker) cannot be built from the Go module proxy, so
// this example runs under mocks only: the exact arguments the engine would send it.
describe("examples/existing-stack", () => {
    it("deploys its services with @pulumi/docker through an ssh:// provider on the manager, after the swarm network", async () => {
        registrations.length = 0;
        pulumi.runtime.setConfig("swarm-macvlan:sshPrivateKey", "example-key");
        pulumi.runtime.setConfig("swarm-macvlan:sshKeyFile", "/home/ops/.ssh/id_ed25519");
        const program = require("../../examples/existing-stack/index.ts");
        await Promise.all([settled(program.web.urn), settled(program.portainer.urn), settled(program.dns.urn)]);
        await new Promise((r) => setTimeout(r, 50));
        assert.deepStrictEqual(program.ranges, { manager1: "172.80.1.0/24", worker1: "172.80.2.0/24" });
        assert.deepStrictEqual(program.dnsAddresses, { manager1: "172.81.0.21", worker1: "172.81.0.37" });
        assert.deepStrictEqual(find("pulumi:providers:docker", "swarm-manager").inputs, {
            host: "ssh://root@10.0.0.11:22",
            // A provider's list-valued config travels JSON-encoded.
            sshOpts: JSON.stringify(["-i", "/home/ops/.ssh/id_ed25519", "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes"]),
        });
        const network = [{ name: "swarm-vlan40_net" }];
        assert.deepStrictEqual(find(SERVICE, "web").inputs, {
            name: "web", mode: { global: true }, endpointSpec: { mode: "dnsrr" },
            taskSpec: { containerSpec: { image: "nginx:stable" }, placement: { constraints: ["node.labels.swarm-macvlan.vlan40==true"] }, networksAdvanceds: network },
        });
        assert.deepStrictEqual(find(SERVICE, "portainer").inputs, {
            name: "portainer", mode: { replicated: { replicas: 1 } }, endpointSpec: { mode: "dnsrr" },
            taskSpec: {
                containerSpec: { image: "portainer/portainer-ce:latest", mounts: [{ type: "bind", source: "/var/run/docker.sock", target: "/var/run/docker.sock" }] },
                placement: { constraints: ["node.role == manager", "node.labels.swarm-macvlan.vlan40==true"] },
                networksAdvanceds: network,
            },
        });
        assert.deepStrictEqual(find(SERVICE, "dns").inputs, {
            name: "dns", mode: { global: true }, endpointSpec: { mode: "dnsrr" }, updateConfig: { order: "stop-first" },
            taskSpec: {
                containerSpec: { image: "coredns/coredns:1.11.3" },
                placement: { constraints: ["node.labels.swarm-macvlan.dns==true"] },
                networksAdvanceds: [{ name: "swarm-dns_net" }],
            },
        });
        for (const [service, net] of [["web", "vlan40"], ["portainer", "vlan40"], ["dns", "dns"]]) {
            const r = find(SERVICE, service);
            assert.equal(r.provider, "urn:pulumi:test::swarm-macvlan::pulumi:providers:docker::swarm-manager::swarm-manager-id", service);
            // dependsOn the SwarmNetwork (its command and drift check) and every NodeLabel of its network.
            assert.deepStrictEqual(names(r.dependencies), [
                `apps-${net}-manager1-label`, `apps-${net}-swarm`, `apps-${net}-swarm-drift`, `apps-${net}-worker1-label`,
            ], service);
        }
        const perNode = (net: string, node: string, kinds: string[]) => kinds.map((k) => `apps-${net}-${node}-${k}`);
        assert.deepStrictEqual(registrations.filter((r) => r.type === COMMAND).map((r) => r.name).sort(), [
            ...perNode("dns", "manager1", ["boot", "config", "vlan"]), "apps-dns-swarm",
            ...perNode("dns", "worker1", ["boot", "config", "vlan"]),
            ...perNode("vlan40", "manager1", ["boot", "config", "shim", "vlan"]), "apps-vlan40-swarm",
            ...perNode("vlan40", "worker1", ["boot", "config", "shim", "vlan"]),
        ]);
    });
});
