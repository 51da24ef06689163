// Nodes made in the same stack: each VM's address is an output of another resource, known only
// when that resource exists. Here a command prints it (a stand-in for a VM resource's
// `ipAddress` or an inventory provider's host); only each node's name and role, and the
// networks, must be plain, because the plan is made before anything exists.
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { MacvlanSwarmNetwork } from "swarm-macvlan";

const config = new pulumi.Config();
const vms = ["vm1", "vm2", "vm3"];

/** Each VM's IPv4 address, as the lab's DNS answers it. */
const addresses = vms.map((vm) => new command.local.Command(`${vm}-address`, {
    create: `getent ahostsv4 ${vm}.lab.example | awk 'NR == 1 { print $1 }'`,
}));

const macvlan = new MacvlanSwarmNetwork("lab", {
    nodes: vms.map((vm, i) => ({
        name: vm,
        role: i === 0 ? "manager" : "worker",
        host: addresses[i].stdout.apply((s) => s.trim()),
    })),
    networks: [{ name: "vlan40", parent: "eth1", vlanId: 40, subnet: "172.80.0.0/16", gateway: "172.80.0.1", ipRangePrefix: 24, shim: true }],
    sshPrivateKey: config.requireSecret("sshPrivateKey"),
});

/** Each VM's range: planned before any address was known. */
export const ranges = Object.fromEntries(macvlan.plan.networks[0].nodes.map((n) => [n.node, n.ipRange]));
/** The swarm network, for services to depend on. */
export const swarmNetwork = macvlan.swarmNetworks.vlan40.command.id;
