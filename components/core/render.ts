// Human views of a plan, for reviewers and pull requests: a table, markdown, and `pins` (the
// current ranges as spec text, to paste before removing or reordering nodes).
import { Document, Scalar, YAMLMap } from "yaml";
import { line } from "./shell";
import { NetworkPlan, NodePlan, Plan } from "./plan";
import { networkObjects } from "./steps";

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

/**
 * Per node: what `create` runs for the parent, the config-only network and the shim, as the
 * command lines one would type. They are the builders' own `steps`, so what a reviewer reads
 * is what runs.
 */
export function nodeCommands(net: NetworkPlan, node: NodePlan): string[] {
    return networkObjects(net, node.node).filter((o) => o.kind !== "swarm").flatMap((o) => o.commands.steps).map(line);
}

/** What runs once, on the manager: the swarm network. */
function managerCommands(net: NetworkPlan): string[] {
    return networkObjects(net, net.manager).filter((o) => o.kind === "swarm").flatMap((o) => o.commands.steps).map((argv) => `${net.manager}# ${line(argv)}`);
}

/** Every command of the network, each prefixed with the node it runs on. */
function allCommands(net: NetworkPlan): string[] {
    return [...net.nodes.flatMap((n) => nodeCommands(net, n).map((c) => `${n.node}# ${c}`)), ...managerCommands(net)];
}

function tableOf(net: NetworkPlan): string {
    const all = [HEADERS, ...rows(net)];
    const width = (c: keyof Row) => Math.max(...all.map((r) => r[c].length));
    const format = (r: Row) => COLUMNS.map((c) => r[c].padEnd(width(c))).join("  ").trimEnd();
    return [title(net), ...all.map(format), "", ...allCommands(net), ""].join("\n");
}

function markdownOf(net: NetworkPlan): string {
    const cell = (r: Row) => `| ${COLUMNS.map((c) => (r === HEADERS ? r[c] : `\`${r[c]}\``)).join(" | ")} |`;
    return [
        `### ${title(net)}`,
        "",
        cell(HEADERS),
        `|${COLUMNS.map(() => "---").join("|")}|`,
        ...rows(net).map(cell),
        "",
        "```sh",
        ...allCommands(net),
        "```",
        "",
    ].join("\n");
}

/**
 * Per network, a `ranges:` block to paste under it and, with IPv6, one for under its `ipv6:`.
 * Written by the YAML library, so that any node name reads back as itself (`0x16`, `1e3` or
 * `true` are quoted, not read as numbers or booleans).
 */
function pinsOf(plan: Plan): string {
    const block = (comment: string, ranges: [string, string][]) => {
        const doc = new Document({ ranges: new Map(ranges) }); // a Map keeps node order ("10" before "b")
        // On the key, not the document: a document comment is followed by a blank line.
        ((doc.contents as YAMLMap<Scalar, unknown>).items[0].key as Scalar).commentBefore = ` ${comment}`;
        return doc.toString();
    };
    return plan.networks.flatMap((net) => [
        block(`${net.name}: paste under the network to pin today's ranges`, net.nodes.map((n) => [n.node, n.ipRange])),
        ...(net.ipv6 ? [block(`${net.name}: paste under the network's ipv6: to pin today's IPv6 ranges`, net.nodes.map((n) => [n.node, n.ipv6!.ipRange]))] : []),
    ]).join("\n");
}
