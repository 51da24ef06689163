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
import { checkRoutedRanges } from "./validate/lockout";

/** One node's share of one address family. */
export interface FamilyNodePlan {
    /** The node's `--ip-range`, e.g. `172.80.1.0/24`. */
    readonly ipRange: string;
    /** `--aux-address` entries: every host address inside this node's range (`host` for its own). */
    readonly auxAddresses: Readonly<Record<string, string>>;
    /** The node's own address on the network (used by the shim), if any. */
    readonly hostAddress?: string;
    /**
     * With `taskAddresses`: the one address a task gets on this node. The config-only network's
     * `--ip-range` is then this address alone (see `dockerIpRange`); `ipRange` stays the node's block.
     */
    readonly taskAddress?: string;
}

/**
 * The `--ip-range` Docker gets for a node's share: its task address as a /32 (/128) when pinned,
 * else its range. Docker's default IPAM takes a one-address range and a gateway and aux addresses
 * outside it: the range only bounds dynamic allocation, while the gateway and aux addresses are
 * requested as preferred addresses, which need only be in the subnet. Read in moby's source:
 * Engine 20.10.24, vendor/github.com/docker/libnetwork/ipam/allocator.go (RequestAddress checks a
 * preferred address against the pool, i.e. the subnet; getAddress takes SetAnyInRange(ipr.Start,
 * ipr.End) from utils.go's getAddressRange, where a /32 gives Start == End) and network.go
 * (IpamConf.Validate checks only that the gateway parses); Engine 29.7.2,
 * daemon/network.go validateIpamConfig/validateIPRange (an ip-range must be canonical, no bigger
 * than the subnet and inside it; gateway and aux addresses only inside the subnet) and
 * daemon/libnetwork/ipams/defaultipam/address_space.go requestAddress (a preferred address must
 * be in the subnet) with allocator.go getAddress (AddAnyInRange over the sub-range otherwise).
 * On both, once the one address is taken, the next request fails "no available IPs".
 *
 * @example dockerIpRange({ ipRange: "10.20.40.0/24", auxAddresses: {}, taskAddress: "10.20.40.11" }) // "10.20.40.11/32"
 */
export function dockerIpRange(share: FamilyNodePlan): string {
    if (share.taskAddress === undefined) {
        return share.ipRange;
    }
    return `${share.taskAddress}/${share.taskAddress.includes(":") ? 128 : 32}`;
}

/** One node's share of one network (its IPv4 part at the top level). */
export interface NodePlan extends FamilyNodePlan {
    /** The node's name. */
    readonly node: string;
    /** The macvlan parent on this node: `eth1`, or `bond0.40` with a VLAN. */
    readonly parent: string;
    /** With a VLAN: the interface the sub-interface rides on. */
    readonly trunk?: string;
    /** With `shim`: the shim interface's name. */
    readonly shim?: string;
    /**
     * With `takeover`: the macvlan interface the host's own address, routes and default route
     * move to. Its MAC is derived on the host, once, from the names and the host's identity
     * (takeoverMac) and kept in the takeover's record, so it is the same at every boot.
     */
    readonly takeover?: {
        /** The takeover interface, e.g. `shim-lan`. */
        readonly interface: string;
    };
    /** The node's IPv6 share, for dual stack. */
    readonly ipv6?: FamilyNodePlan;
}

/** A family's shared addressing: the subnet, its router, each range's length and what no range may touch. */
export interface FamilyHeader {
    /** The shared subnet, e.g. `172.80.0.0/16`. */
    readonly subnet: string;
    /** The subnet's router. */
    readonly gateway: string;
    /** Each node range's prefix length. */
    readonly ipRangePrefix: number;
    /** The spec's `exclude`, when not empty. */
    readonly exclude?: readonly string[];
}

/** One network planned on every node (its IPv4 addressing at the top level). */
export interface NetworkPlan extends FamilyHeader {
    /** The spec network's name. */
    readonly name: string;
    /** The IPv6 addressing, for dual stack. */
    readonly ipv6?: FamilyHeader;
    /** The 802.1Q VLAN id, when the network rides a VLAN. */
    readonly vlanId?: number;
    /** Whether standalone containers may attach (`--attachable`). */
    readonly attachable: boolean;
    /** Take over hand-made docker networks of these names that match the plan. */
    readonly adopt: boolean;
    /** Restore the host state at boot with a systemd unit. */
    readonly persist: boolean;
    /** The per-node config-only network's name. */
    readonly configNetworkName: string;
    /** The swarm-scoped network's name: what services attach to. */
    readonly swarmNetworkName: string;
    /** The manager the swarm-scoped network is created on. */
    readonly manager: string;
    /** Every node's share, in node order. */
    readonly nodes: readonly NodePlan[];
}

/** What planSpec returns: plain, deterministically ordered, JSON-serialisable. */
export interface Plan {
    /** The nodes with their defaults applied. */
    readonly nodes: readonly PlannedNode[];
    /** Every network, in spec order. */
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
    checkRoutedRanges(problems, nodes, networks, planned);
    problems.throwIfAny();
    return { nodes: nodes.map(({ path, ...node }) => node), networks: planned.map((p) => p!) };
}

/** The subnet, gateway, range prefix and excludes of a family, as text. */
function familyHeader(fam: CheckedFamily): FamilyHeader {
    return {
        subnet: formatCidr(fam.subnet), gateway: formatAddress(fam.gateway), ipRangePrefix: fam.prefix,
        ...(fam.exclude.length > 0 && { exclude: fam.exclude.map(formatCidr) }),
    };
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
            ...(net.takeover && { takeover: { interface: net.shimName } }),
            ...(v6 && { ipv6: v6[i] }),
        })),
    };
}

/** A node's parent and, with a VLAN, its trunk. */
function interfacesOf(net: CheckedNetwork, node: string): { parent: string; trunk?: string } {
    const { parent, trunk } = nodeInterfaces(net, node);
    return trunk === undefined ? { parent } : { parent, trunk };
}
