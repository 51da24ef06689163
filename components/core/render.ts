// Human views of a plan, for reviewers and pull requests: a table, markdown, `pins` (the
// current ranges as spec text, to paste before removing or reordering nodes) and an SVG map.
import { Document, Scalar, YAMLMap } from "yaml";
import { markdown } from "./markdown";
import { NetworkPlan, Plan } from "./plan";
import { COLUMNS, HEADERS, Row, managerCommands, nodeCommands, placement, rows, title } from "./planView";
import { svg } from "./svg";

/** A view of a plan that `render` makes. */
export type Format = "json" | "table" | "markdown" | "pins" | "svg";
/** Every Format, in the order the CLI lists them. */
export const FORMATS: readonly Format[] = ["json", "table", "markdown", "pins", "svg"];

/**
 * The plan as JSON (the networks), a table with the commands, markdown for a pull request
 * (see `markdown`), `pins` (today's ranges as spec text) or an SVG address map (see `svg`).
 *
 * @example render(planSpec(spec), "pins") // "# vlan40: paste under the network to pin today's ranges\nranges:\n  manager1: 172.80.1.0/24\n..."
 */
export function render(plan: Plan, format: Format): string {
    switch (format) {
        case "json":
            return JSON.stringify({ networks: plan.networks }, null, 2) + "\n";
        case "table":
            return plan.networks.map(tableOf).join("\n");
        case "markdown":
            return markdown(plan);
        case "pins":
            return pinsOf(plan);
        case "svg":
            return svg(plan);
    }
}

/** Every command of the network, each prefixed with the node it runs on. */
function allCommands(net: NetworkPlan): string[] {
    return [...net.nodes.flatMap((n) => nodeCommands(net, n).map((c) => `${n.node}# ${c}`)), ...managerCommands(net)];
}

function tableOf(net: NetworkPlan): string {
    const all = [HEADERS, ...rows(net)];
    const width = (c: keyof Row) => Math.max(...all.map((r) => r[c].length));
    const format = (r: Row) => COLUMNS.map((c) => r[c].padEnd(width(c))).join("  ").trimEnd();
    return [title(net), ...all.map(format), "", ...placement(net), "", ...allCommands(net), ""].join("\n");
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
