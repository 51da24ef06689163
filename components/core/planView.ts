// What every human view of a plan shows (table, markdown, svg): per node one row, the network's
// title line, and the commands one would type, taken from the builders' own steps.
import { line } from "./shell";
import { NetworkPlan, NodePlan } from "./plan";
import { networkObjects } from "./steps";

/** One node of one network, as a table shows it. */
export interface Row {
    readonly node: string;
    readonly parent: string;
    readonly range: string;
    readonly host: string;
    readonly shim: string;
}

/** Each node's row, in node order. */
export function rows(net: NetworkPlan): Row[] {
    return net.nodes.map((n) => ({
        node: n.node,
        parent: n.parent,
        range: [n.ipRange, n.ipv6?.ipRange].filter(Boolean).join(" "),
        host: [n.hostAddress, n.ipv6?.hostAddress].filter(Boolean).join(" ") || "-",
        shim: n.shim ?? (n.takeover ? `${n.takeover.interface} (takeover)` : "-"),
    }));
}

/** The column headers. */
export const HEADERS: Row = { node: "node", parent: "parent", range: "ip-range", host: "host address", shim: "shim" };
/** The columns, in order. */
export const COLUMNS = Object.keys(HEADERS) as (keyof Row)[];

/** `vlan40: 172.80.0.0/16 via 172.80.0.1, VLAN 40; swarm network swarm-vlan40_net on manager1` */
export function title(net: NetworkPlan): string {
    const v6 = net.ipv6 ? `, ${net.ipv6.subnet} via ${net.ipv6.gateway}` : "";
    const vlan = net.vlanId !== undefined ? `, VLAN ${net.vlanId}` : "";
    return `${net.name}: ${net.subnet} via ${net.gateway}${v6}${vlan}; swarm network ${net.swarmNetworkName} on ${net.manager}`;
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
