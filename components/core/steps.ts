// From a planned network to the arguments of each command builder: the one place that says
// which plan field feeds which docker or ip option.
import {
    BootUnitArgs, CommandPair, ConfigOnlyNetworkArgs, bootUnitCommands, HostShimArgs, PreflightArgs, PromiscModeArgs, SwarmNetworkArgs, VlanSubinterfaceArgs,
    configOnlyNetworkCommands, hostShimCommands, promiscModeCommands, swarmNetworkCommands, vlanSubinterfaceCommands,
    HostTakeoverArgs, hostTakeoverCommands,
} from "./commands";
import { identity } from "./identity";
import { NetworkPlan, NodePlan, Plan, dockerIpRange } from "./plan";

export function configOnlyArgs(net: NetworkPlan, node: NodePlan): ConfigOnlyNetworkArgs {
    return {
        name: net.configNetworkName,
        network: net.name,
        node: node.node,
        parent: node.parent,
        subnet: net.subnet,
        gateway: net.gateway,
        ipRange: dockerIpRange(node),
        auxAddresses: node.auxAddresses,
        ...(net.adopt && { adopt: true }),
        ...(net.ipv6 && node.ipv6 && {
            ipv6: { subnet: net.ipv6.subnet, gateway: net.ipv6.gateway, ipRange: dockerIpRange(node.ipv6), auxAddresses: node.ipv6.auxAddresses },
        }),
    };
}

export function swarmArgs(net: NetworkPlan): SwarmNetworkArgs {
    return { name: net.swarmNetworkName, configFrom: net.configNetworkName, attachable: net.attachable, node: net.manager };
}

/**
 * What makes a swarm network the one it is (what replaces it): its configuration, without the
 * manager it is made on (it is cluster-wide), with `attachable` spelled out.
 */
export function swarmNetworkIdentity(args: SwarmNetworkArgs): string {
    const { node: _node, ...rest } = args;
    return identity({ ...rest, attachable: args.attachable ?? true });
}

/**
 * What node `node`'s part of swarm network `net` stands on, whose change replaces it: the node's
 * SSH endpoint, its parent interface step and its config-only network (the identities their
 * commands carry as triggers).
 */
export function swarmSourceIdentity(net: NetworkPlan, node: NodePlan, host: string, port: number): string {
    return identity({ host, port, parent: parentArgs(net, node).args, config: configOnlyArgs(net, node) });
}

/** The shim of one node, or undefined when the network has no shim. */
export function shimArgs(net: NetworkPlan, node: NodePlan): HostShimArgs | undefined {
    if (node.shim === undefined || node.hostAddress === undefined) {
        return undefined;
    }
    return {
        name: node.shim,
        parent: node.parent,
        network: net.name,
        node: node.node,
        address: node.hostAddress,
        ipRange: node.ipRange,
        ...(node.ipv6?.hostAddress !== undefined && { ipv6: { address: node.ipv6.hostAddress, ipRange: node.ipv6.ipRange } }),
    };
}

/** The takeover of one node, or undefined when the network has no takeover. */
export function takeoverArgs(net: NetworkPlan, node: NodePlan): HostTakeoverArgs | undefined {
    if (node.takeover === undefined) {
        return undefined;
    }
    return { name: node.takeover.interface, parent: node.parent, network: net.name, node: node.node };
}

/** What prepares a node's parent: an 802.1Q sub-interface with a VLAN, else promiscuous mode. */
export type ParentStep =
    | { readonly kind: "vlan"; readonly args: VlanSubinterfaceArgs }
    | { readonly kind: "promisc"; readonly args: PromiscModeArgs };

export function parentArgs(net: NetworkPlan, node: NodePlan): ParentStep {
    return node.trunk !== undefined && net.vlanId !== undefined
        ? { kind: "vlan", args: { trunk: node.trunk, vlanId: net.vlanId, network: net.name, node: node.node } }
        : { kind: "promisc", args: { parent: node.parent, node: node.node } };
}

/**
 * What node `node` must offer before anything on it changes, from the plan: its parents or
 * trunks, 802.1Q when it gets a VLAN, the manager role when swarm networks are made on it, and
 * the docker networks allowed on each macvlan parent.
 */
export function preflightArgs(plan: Plan, node: string): PreflightArgs {
    const mine = plan.networks.map((net) => ({ net, own: net.nodes.find((n) => n.node === node)! }));
    return {
        node,
        interfaces: mine.map(({ net, own }) => ({ name: own.trunk ?? own.parent, field: `${own.trunk ? "trunk" : "parent"} of network ${net.name}` })),
        vlans: mine.some(({ own }) => own.trunk !== undefined),
        manager: plan.networks.some((net) => net.manager === node),
        systemd: plan.networks.some((net) => net.persist),
        parents: mine.map(({ net, own }) => ({ parent: own.parent, networks: [net.configNetworkName, net.swarmNetworkName] })),
        plan: mine.map(({ net, own }) => ({ network: { ...net, nodes: undefined }, node: own })),
    };
}

/** One object the plan puts on a host, with its scripts. */
export interface HostObject {
    readonly node: string;
    /** The network of the spec it serves. */
    readonly network: string;
    readonly kind: "vlan" | "promisc" | "config" | "shim" | "takeover" | "boot" | "swarm";
    readonly commands: CommandPair;
}

/**
 * The objects network `net` puts on node `node`: its parent step, config-only network and shim,
 * and on the manager its swarm network, in the order they are made.
 */
export function networkObjects(net: NetworkPlan, node: string): HostObject[] {
    const own = net.nodes.find((x) => x.node === node)!;
    const parent = parentArgs(net, own);
    const shim = shimArgs(net, own);
    const takeover = takeoverArgs(net, own);
    const at = { node, network: net.name };
    return [
        parent.kind === "vlan" ? { ...at, kind: "vlan", commands: vlanSubinterfaceCommands(parent.args) }
            : { ...at, kind: "promisc", commands: promiscModeCommands(parent.args) },
        { ...at, kind: "config", commands: configOnlyNetworkCommands(configOnlyArgs(net, own)) },
        ...(shim ? [{ ...at, kind: "shim" as const, commands: hostShimCommands(shim) }] : []),
        ...(takeover ? [{ ...at, kind: "takeover" as const, commands: hostTakeoverCommands(takeover) }] : []),
        ...(net.persist ? [{ ...at, kind: "boot" as const, commands: bootUnitCommands(bootUnitArgs(net, own)) }] : []),
        ...(net.manager === node ? [{ ...at, kind: "swarm" as const, commands: swarmNetworkCommands(swarmArgs(net)) }] : []),
    ];
}

/**
 * Every object of the plan, node by node: what MacvlanSwarmNetwork makes, for tools that work
 * without Pulumi (the `check` CLI).
 */
export function hostObjects(plan: Plan): HostObject[] {
    return plan.nodes.flatMap((n) => plan.networks.flatMap((net) => networkObjects(net, n.name)));
}

/**
 * The boot unit of one node's share of a network: its parent step's create script, then its
 * shim's or takeover's, bound to the trunk (with a VLAN) or the parent. With takeover the parent
 * is left to the unit too: network managers must not put the host's address back on it
 * (systemd-networkd keeps it, without an address, as a link to wait for: `takeoverParent`).
 */
export function bootUnitArgs(net: NetworkPlan, node: NodePlan): BootUnitArgs {
    const parent = parentArgs(net, node);
    const shim = shimArgs(net, node);
    const takeover = takeoverArgs(net, node);
    return {
        network: net.name,
        node: node.node,
        device: node.trunk ?? node.parent,
        scripts: [
            parent.kind === "vlan" ? { name: "10-vlan", text: vlanSubinterfaceCommands(parent.args).create }
                : { name: "10-promisc", text: promiscModeCommands(parent.args).create },
            ...(shim ? [{ name: "20-shim", text: hostShimCommands(shim).create }] : []),
            ...(takeover ? [{ name: "20-takeover", text: hostTakeoverCommands(takeover).boot }] : []),
        ],
        interfaces: [...(node.trunk !== undefined ? [node.parent] : []), ...(shim ? [shim.name] : []), ...(takeover ? [takeover.name] : [])],
        ...(takeover && { takeoverParent: takeover.parent }),
    };
}
