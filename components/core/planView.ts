// What every human view of a plan shows (table, markdown, svg): per node one row, the network's
// title line, and the commands one would type, taken from the builders' own steps.
import { placementConstraint, placementLabel } from "./commands";
import { line } from "./shell";
import { NetworkPlan, NodePlan } from "./plan";
import { networkObjects } from "./steps";

/** One node of one network, as a table shows it. */
export interface Row {
    readonly node: string;
    readonly parent: string;
    readonly range: string;
    readonly task: string;
    readonly host: string;
    readonly shim: string;
}

/** Each node's row, in node order. */
export function rows(net: NetworkPlan): Row[] {
    return net.nodes.map((n) => ({
        node: n.node,
        parent: n.parent,
        range: [n.ipRange, n.ipv6?.ipRange].filter(Boolean).join(" "),
        task: [n.taskAddress, n.ipv6?.taskAddress].filter(Boolean).join(" ") || "-",
        host: [n.hostAddress, n.ipv6?.hostAddress].filter(Boolean).join(" ") || "-",
        shim: n.shim ?? (n.takeover ? `${n.takeover.interface} (takeover)` : "-"),
    }));
}

/** The column headers. */
export const HEADERS: Row = { node: "node", parent: "parent", range: "ip-range", task: "task address", host: "host address", shim: "shim" };
/** The columns, in order. */
export const COLUMNS = Object.keys(HEADERS) as (keyof Row)[];

/** `vlan40: 172.80.0.0/16 via 172.80.0.1, VLAN 40; swarm network swarm-vlan40_net on manager1` */
export function title(net: NetworkPlan): string {
    const v6 = net.ipv6 ? `, ${net.ipv6.subnet} via ${net.ipv6.gateway}` : "";
    const vlan = net.vlanId !== undefined ? `, VLAN ${net.vlanId}` : "";
    return `${net.name}: ${net.subnet} via ${net.gateway}${v6}${vlan}; swarm network ${net.swarmNetworkName} on ${net.manager}`;
}

/**
 * How services use the network: the placement constraint, and with task addresses the pins and
 * the update order they need.
 *
 * @example placement(net)[0] // "Placement: every node with vlan40_net gets the node label swarm-macvlan.vlan40=true (set from manager1); give services --constraint node.labels.swarm-macvlan.vlan40==true"
 */
export function placement(net: NetworkPlan): string[] {
    const pinned = net.nodes.filter((n) => n.taskAddress !== undefined || n.ipv6?.taskAddress !== undefined);
    const free = net.nodes.filter((n) => !pinned.includes(n)).map((n) => n.node);
    return [
        `Placement: every node with ${net.configNetworkName} gets the node label ${placementLabel(net.name)}=true (set from ${net.manager}); ` +
            `give services --constraint ${placementConstraint(net.name)}`,
        ...(pinned.length === 0 ? [] : [
            `Stable task addresses: ${pinned.map((n) => `${n.node} ${[n.taskAddress, n.ipv6?.taskAddress].filter(Boolean).join(" ")}`).join(", ")}. ` +
                "A pinned node runs one task of this network at a time: give services --update-order stop-first (start-first waits for an address that is never freed)" +
                (free.length === 0 ? "" : `; nodes without one (${free.join(", ")}) hand out any address of their range`),
        ]),
    ];
}

/**
 * Per node: what `create` runs for the parent, the config-only network and the shim, as the
 * command lines one would type. They are the builders' own `steps`, so what a reviewer reads
 * is what runs.
 *
 * @example nodeCommands(plan.networks[0], plan.networks[0].nodes[0])[0] // "ip link add link bond0 name bond0.40 type vlan id 40"
 */
export function nodeCommands(net: NetworkPlan, node: NodePlan): string[] {
    return networkObjects(net, node.node).filter((o) => o.kind !== "swarm").flatMap((o) => o.commands.steps).map(line);
}

/** What runs once, on the manager (the swarm network), each line prefixed with `<manager># `. */
export function managerCommands(net: NetworkPlan): string[] {
    return networkObjects(net, net.manager).filter((o) => o.kind === "swarm").flatMap((o) => o.commands.steps).map((argv) => `${net.manager}# ${line(argv)}`);
}
