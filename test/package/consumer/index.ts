// A consumer's program: the package as installed from its tarball, with a node whose address is
// another resource's output.
import * as pulumi from "@pulumi/pulumi";
import { MacvlanSwarmNetwork, Plan } from "swarm-macvlan";

const worker = pulumi.output("192.0.2.12");
const macvlan = new MacvlanSwarmNetwork("consumer", {
    nodes: [
        { name: "manager1", host: "192.0.2.11", role: "manager" },
        { name: "worker1", host: worker, role: "worker" },
    ],
    networks: [{ name: "vlan40", parent: "bond0", vlanId: 40, subnet: "172.80.0.0/16", gateway: "172.80.0.1", ipRangePrefix: 24, shim: true }],
    sshPrivateKey: pulumi.secret("not-a-real-key"),
});
const plan: Plan = macvlan.plan;

export const ranges = Object.fromEntries(plan.networks[0].nodes.map((n) => [n.node, n.ipRange]));
export const swarmNetwork = macvlan.swarmNetworks.vlan40.command.id;
