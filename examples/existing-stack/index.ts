// An existing stack (it already runs its own service deploys) that adds a macvlan network
// from swarm-macvlan and deploys onto it. Only the import line and the component are new.
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { MacvlanSwarmNetwork } from "swarm-macvlan";

const config = new pulumi.Config();
const sshPrivateKey = config.requireSecret("sshPrivateKey");
const manager = { host: "10.0.0.11", user: "root", privateKey: sshPrivateKey };

const macvlan = new MacvlanSwarmNetwork("apps", {
    nodes: [
        { name: "manager1", host: "10.0.0.11", role: "manager" },
        { name: "worker1", host: "10.0.0.12", role: "worker" },
    ],
    networks: [{ name: "vlan40", parent: "bond0", vlanId: 40, subnet: "172.80.0.0/16", gateway: "172.80.0.1", ipRangePrefix: 24, shim: true }],
    sshPrivateKey,
});

// The stack's own resource: a service on the new network, deployed after it exists.
const network = macvlan.plan.networks[0].swarmNetworkName;
export const service = new command.remote.Command("web", {
    connection: manager,
    create: `docker service create --detach --name web --mode global --endpoint-mode dnsrr --network ${network} nginx:stable`,
    delete: "docker service rm web",
}, { dependsOn: [macvlan.swarmNetworks.vlan40] });

export const ranges = Object.fromEntries(macvlan.plan.networks[0].nodes.map((n) => [n.node, n.ipRange]));
