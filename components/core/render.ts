// Human views of a plan, for reviewers and pull requests: a table, markdown, and `pins` (the
// current ranges as spec text, to paste before removing or reordering nodes).
import { line } from "./shell";
import { configOnlyNetworkArgv, swarmNetworkArgv } from "./commands";
import { NetworkPlan, NodePlan, Plan } from "./plan";
import { configOnlyArgs, shimArgs, swarmArgs } from "./steps";

export type Format = "json" | "table" | "markdown" | "pins";
export const FORMATS: readonly Format[] = ["json", "table", "markdown", "pins"];

export function render(plan: Plan, format: Format): string {
    switch (format) {
        case "json":
            return JSON.stringify({ networks: plan.networks }, null, 2) + "\n";
        case "table":
            return plan.networks.map(tableOf).join("\n");
        case "markdown":
            return plan.networks.map(markdownOf).join("\n");
        case "pins":
            return pinsOf(plan);
    }
}

interface Row {
    readonly node: string;
    readonly parent: string;
    readonly range: string;
    readonly host: string;
    readonly shim: string;
}

function rows(net: NetworkPlan): Row[] {
    return net.nodes.map((n) => ({
        node: n.node,
        parent: n.parent,
        range: [n.ipRange, n.ipv6?.ipRange].filter(Boolean).join(" "),
        host: [n.hostAddress, n.ipv6?.hostAddress].filter(Boolean).join(" ") || "-",
        shim: n.shim ?? "-",
    }));
}

const HEADERS: Row = { node: "node", parent: "parent", range: "ip-range", host: "host address", shim: "shim" };
const COLUMNS = Object.keys(HEADERS) as (keyof Row)[];

function title(net: NetworkPlan): string {
    const v6 = net.ipv6 ? `, ${net.ipv6.subnet} via ${net.ipv6.gateway}` : "";
    const vlan = net.vlanId !== undefined ? `, VLAN ${net.vlanId}` : "";
    return `${net.name}: ${net.subnet} via ${net.gateway}${v6}${vlan}; swarm network ${net.swarmNetworkName} on ${net.manager}`;
}

/** Per node: the parent set-up, the config-only network and the shim, as the commands one would type. */
export function dockerCommands(net: NetworkPlan, node: NodePlan): string[] {
    const shim = shimArgs(net, node);
    return [
        ...(node.trunk !== undefined ? [line(["ip", "link", "add", "link", node.trunk, "name", node.parent, "type", "vlan", "id", String(net.vlanId)])] : []),
        line(["ip", "link", "set", "dev", node.parent, "promisc", "on"]),
        line(configOnlyNetworkArgv(configOnlyArgs(net, node))),
        ...(shim ? [
            line(["ip", "link", "add", shim.name, "link", shim.parent, "type", "macvlan", "mode", "bridge"]),
            line(["ip", "address", "add", `${shim.address}/32`, "dev", shim.name]),
            ...(shim.ipv6 ? [line(["ip", "-6", "address", "add", `${shim.ipv6.address}/128`, "dev", shim.name])] : []),
            line(["ip", "link", "set", "dev", shim.name, "up"]),
            line(["ip", "route", "add", shim.ipRange, "dev", shim.name]),
            ...(shim.ipv6 ? [line(["ip", "-6", "route", "add", shim.ipv6.ipRange, "dev", shim.name])] : []),
        ] : []),
    ];
}

function tableOf(net: NetworkPlan): string {
    const all = [HEADERS, ...rows(net)];
    const width = (c: keyof Row) => Math.max(...all.map((r) => r[c].length));
    const format = (r: Row) => COLUMNS.map((c) => r[c].padEnd(width(c))).join("  ").trimEnd();
    const commands = net.nodes.flatMap((n) => dockerCommands(net, n).map((c) => `${n.node}# ${c}`));
    return [
        title(net),
        ...all.map(format),
        "",
        ...commands,
        `${net.manager}# ${line(swarmNetworkArgv(swarmArgs(net)))}`,
        "",
    ].join("\n");
}

function markdownOf(net: NetworkPlan): string {
    const cell = (r: Row) => `| ${COLUMNS.map((c) => (r === HEADERS ? r[c] : `\`${r[c]}\``)).join(" | ")} |`;
    const commands = net.nodes.flatMap((n) => dockerCommands(net, n).map((c) => `${n.node}# ${c}`));
    return [
        `### ${title(net)}`,
        "",
        cell(HEADERS),
        `|${COLUMNS.map(() => "---").join("|")}|`,
        ...rows(net).map(cell),
        "",
        "```sh",
        ...commands,
        `${net.manager}# ${line(swarmNetworkArgv(swarmArgs(net)))}`,
        "```",
        "",
    ].join("\n");
}

/** Per network, a `ranges:` block to paste under it and, with IPv6, one for under its `ipv6:`. */
function pinsOf(plan: Plan): string {
    const block = (comment: string, ranges: [string, string][]) =>
        [comment, "ranges:", ...ranges.map(([node, range]) => `  ${node}: ${range}`), ""].join("\n");
    return plan.networks.flatMap((net) => [
        block(`# ${net.name}: paste under the network to pin today's ranges`, net.nodes.map((n) => [n.node, n.ipRange])),
        ...(net.ipv6 ? [block(`# ${net.name}: paste under the network's ipv6: to pin today's IPv6 ranges`, net.nodes.map((n) => [n.node, n.ipv6!.ipRange]))] : []),
    ]).join("\n");
}
