// The planner: a spec in, a plain, deterministically ordered, JSON-serialisable plan out.
//
// Range allocation (allocate.ts), per network and address family, walks the nodes in list order:
//  - a node with a pinned range (`ranges.<node>`) gets exactly that range;
//  - any other node gets the first free block of `ipRangePrefix` inside the subnet, skipping
//    `exclude`, the block that holds the gateway, and every range given to an EARLIER node.
// So a node's range depends only on the nodes before it: appending a node never changes an
// existing range. A pin that collides with the range an earlier node was given is an error
// (never a silent move). Removing or reordering nodes would renumber the unpinned nodes after
// the change; `swarm-macvlan plan --format pins` prints every current range as `ranges:` to
// paste into the spec first, and the components put each range into their replacement
// triggers, so a preview always names any node whose range would change.
import { Problems } from "./errors";
import { formatAddress, formatCidr } from "./cidr";
import { planFamily } from "./family";
import { CheckedFamily, CheckedNetwork, checkSpec } from "./validate";
import { nodeInterfaces } from "./interfaces";
import { PlannedNode } from "./spec";

/** One node's share of one address family. */
export interface FamilyNodePlan {
    readonly ipRange: string;
    /** `--aux-address` entries: every host address inside this node's range (`host` for its own). */
    readonly auxAddresses: Readonly<Record<string, string>>;
    /** The node's own address on the network (used by the shim), if any. */
    readonly hostAddress?: string;
}

export interface NodePlan extends FamilyNodePlan {
    readonly node: string;
    /** The macvlan parent on this node: `eth1`, or `bond0.40` with a VLAN. */
    readonly parent: string;
    /** With a VLAN: the interface the sub-interface rides on. */
    readonly trunk?: string;
    /** With `shim`: the shim interface's name. */
    readonly shim?: string;
    readonly ipv6?: FamilyNodePlan;
}

export interface NetworkPlan {
    readonly name: string;
    readonly subnet: string;
    readonly gateway: string;
    readonly ipRangePrefix: number;
    readonly ipv6?: { readonly subnet: string; readonly gateway: string; readonly ipRangePrefix: number };
    readonly vlanId?: number;
    readonly attachable: boolean;
    /** Take over hand-made docker networks of these names that match the plan. */
    readonly adopt: boolean;
    /** Restore the host state at boot with a systemd unit. */
    readonly persist: boolean;
    readonly configNetworkName: string;
    readonly swarmNetworkName: string;
    /** The manager the swarm-scoped network is created on. */
    readonly manager: string;
    readonly nodes: readonly NodePlan[];
}

export interface Plan {
    readonly nodes: readonly PlannedNode[];
    readonly networks: readonly NetworkPlan[];
}

/**
 * Validates a spec and plans every network, or throws one SpecError listing every problem.
 *
 * @example
 * planSpec({
 *   nodes: [{ name: "manager1", host: "10.0.0.11", role: "manager" }],
 *   networks: [{ name: "vlan40", parent: "bond0", vlanId: 40, subnet: "172.80.0.0/16",
 *                gateway: "172.80.0.1", ipRangePrefix: 24 }],
 * }).networks[0].nodes[0].ipRange // "172.80.1.0/24"
 */
export function planSpec(raw: unknown): Plan {
    const problems = new Problems();
    const { nodes, networks } = checkSpec(problems, raw);
    const names = nodes.map((n) => n.name);
    const manager = nodes.find((n) => n.role === "manager")?.name;
    const planned = networks.map((net) => planNetwork(problems, net, names, manager));
    problems.throwIfAny();
    return { nodes: nodes.map(({ path, ...node }) => node), networks: planned.map((p) => p!) };
}

/** The subnet, gateway and range prefix of a family, as text. */
function familyHeader(fam: CheckedFamily): { subnet: string; gateway: string; ipRangePrefix: number } {
    return { subnet: formatCidr(fam.subnet), gateway: formatAddress(fam.gateway), ipRangePrefix: fam.prefix };
}

function planNetwork(problems: Problems, net: CheckedNetwork, nodes: readonly string[], manager?: string): NetworkPlan | undefined {
    const v4 = net.v4 && planFamily(problems, net.v4, nodes, net);
    const v6 = net.v6 && planFamily(problems, net.v6, nodes, net);
    if (net.v4 === undefined || v4 === undefined || (net.hasIpv6 && v6 === undefined) || manager === undefined) {
        return undefined;
    }
    return {
        name: net.name,
        ...familyHeader(net.v4),
        ...(net.v6 && { ipv6: familyHeader(net.v6) }),
        ...(net.vlanId !== undefined && { vlanId: net.vlanId }),
        attachable: net.attachable,
        adopt: net.adopt,
        persist: net.persist,
        configNetworkName: net.configNetworkName,
        swarmNetworkName: net.swarmNetworkName,
        manager,
        nodes: nodes.map((node, i) => ({
            node,
            ...interfacesOf(net, node),
            ...v4[i],
            ...(net.shim && { shim: net.shimName }),
            ...(v6 && { ipv6: v6[i] }),
        })),
    };
}

/** A node's parent and, with a VLAN, its trunk. */
function interfacesOf(net: CheckedNetwork, node: string): { parent: string; trunk?: string } {
    const { parent, trunk } = nodeInterfaces(net, node);
    return trunk === undefined ? { parent } : { parent, trunk };
}
