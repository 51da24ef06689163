// An existing stack that adds a macvlan network from swarm-macvlan and deploys services onto it
// the ecosystem's way: @pulumi/docker's Service, through a docker.Provider that reaches the
// swarm manager's Docker API over SSH. Only the import line and the component are new to it.
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import { MacvlanSwarmNetwork, placementConstraint } from "swarm-macvlan";

const config = new pulumi.Config();
const nodes = [
    { name: "manager1", host: "10.0.0.11", role: "manager" as const },
    { name: "worker1", host: "10.0.0.12", role: "worker" as const },
];

const macvlan = new MacvlanSwarmNetwork("apps", {
    nodes,
    networks: [
        { name: "vlan40", parent: "bond0", vlanId: 40, subnet: "172.80.0.0/16", gateway: "172.80.0.1", ipRangePrefix: 24, shim: true },
        // Stable task addresses: on each node the dns service's task gets this address and no other.
        { name: "dns", parent: "bond0", vlanId: 41, subnet: "172.81.0.0/24", gateway: "172.81.0.1", ipRangePrefix: 28,
            taskAddresses: { manager1: "172.81.0.21", worker1: "172.81.0.37" } },
    ],
    sshPrivateKey: config.requireSecret("sshPrivateKey"),
});
const vlan40 = macvlan.plan.networks[0];
const manager = nodes.find((n) => n.name === vlan40.manager)!;

// Docker's ssh:// transport runs the system's ssh client: it takes the key from the ssh-agent,
// or from the file `sshKeyFile` names, not from the stack's secret text.
const keyFile = config.get("sshKeyFile");
const swarm = new docker.Provider("swarm-manager", {
    host: `ssh://root@${manager.host}:22`,
    sshOpts: [...(keyFile === undefined ? [] : ["-i", keyFile, "-o", "IdentitiesOnly=yes"]), "-o", "BatchMode=yes"],
});

// Services on a macvlan network use DNS round robin: macvlan has no virtual-IP load balancing.
// Each waits for the swarm network (and so for every node's config-only network) and for the
// placement labels, and is constrained to the nodes that carry the label: swarm places no task
// where the network does not exist (moby#33437).
const on = (net: string) => ({ provider: swarm, dependsOn: [macvlan.swarmNetworks[net], ...macvlan.nodeLabels[net]] });
const network = [{ name: vlan40.swarmNetworkName }];

/** The stack's own web service, one task per node, each with an address from its node's range. */
export const web = new docker.Service("web", {
    name: "web",
    mode: { global: true },
    endpointSpec: { mode: "dnsrr" },
    taskSpec: { containerSpec: { image: "nginx:stable" }, placement: { constraints: [placementConstraint("vlan40")] }, networksAdvanceds: network },
}, on("vlan40"));

/**
 * Seed 000's Portainer (`docker service create --network swarm-vlan40_net --name portainer
 * portainer/portainer`; portainer-ce is that image's current name): one task on a manager,
 * managing the swarm through the manager's Docker socket, reachable at its own VLAN address.
 */
export const portainer = new docker.Service("portainer", {
    name: "portainer",
    mode: { replicated: { replicas: 1 } },
    endpointSpec: { mode: "dnsrr" },
    taskSpec: {
        containerSpec: {
            image: "portainer/portainer-ce:latest",
            mounts: [{ type: "bind", source: "/var/run/docker.sock", target: "/var/run/docker.sock" }],
        },
        placement: { constraints: ["node.role == manager", placementConstraint("vlan40")] },
        networksAdvanceds: network,
    },
}, on("vlan40"));

/**
 * A resolver at a fixed address per node (moby#24170): the dns network pins one address on each
 * node, so each node's task gets it at every restart, update and reboot. stop-first: a pinned
 * node has one address for the network, so a new task can only start once the old one is gone.
 */
export const dns = new docker.Service("dns", {
    name: "dns",
    mode: { global: true },
    endpointSpec: { mode: "dnsrr" },
    updateConfig: { order: "stop-first" },
    taskSpec: {
        containerSpec: { image: "coredns/coredns:1.11.3" },
        placement: { constraints: [placementConstraint("dns")] },
        networksAdvanceds: [{ name: macvlan.plan.networks[1].swarmNetworkName }],
    },
}, on("dns"));

/** Each node's range on vlan40. */
export const ranges = Object.fromEntries(vlan40.nodes.map((n) => [n.node, n.ipRange]));
/** Each node's dns address. */
export const dnsAddresses = Object.fromEntries(macvlan.plan.networks[1].nodes.map((n) => [n.node, n.taskAddress]));
