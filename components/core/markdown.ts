// The plan as a pull-request comment. A comment holds at most 65,536 characters, so the view
// stays under MARKDOWN_LIMIT: per-node commands are folded in <details>, and a plan too large
// even so drops them, then table rows, saying so at the top.
import { Plan, NetworkPlan } from "./plan";
import { COLUMNS, HEADERS, Row, managerCommands, nodeCommands, placement, rows, title } from "./planView";

/** The most characters the markdown view has (GitHub's comment limit is 65,536). */
export const MARKDOWN_LIMIT = 60_000;

/** How much of each network to show: its per-node commands, and at most `rows` table rows. */
interface Detail {
    readonly commands: boolean;
    readonly rows: number;
}

function cell(r: Row, header = false): string {
    return `| ${COLUMNS.map((c) => (header ? r[c] : `\`${r[c]}\``)).join(" | ")} |`;
}

function network(net: NetworkPlan, detail: Detail): string[] {
    const all = rows(net);
    const shown = all.slice(0, detail.rows);
    const perNode = detail.commands ? net.nodes.flatMap((n) => {
        const commands = nodeCommands(net, n);
        return [
            `<details><summary>on <code>${n.node}</code>: ${commands.length} command${commands.length === 1 ? "" : "s"}</summary>`,
            "",
            "```sh",
            ...commands.map((c) => `${n.node}# ${c}`),
            "```",
            "",
            "</details>",
        ];
    }) : [];
    return [
        `### ${title(net)}`,
        "",
        cell(HEADERS, true),
        `|${COLUMNS.map(() => "---").join("|")}|`,
        ...shown.map((r) => cell(r)),
        ...(shown.length < all.length ? ["", `_... and ${all.length - shown.length} more node${all.length - shown.length === 1 ? "" : "s"}._`] : []),
        "",
        ...placement(net).flatMap((p) => [p.replace(/(--constraint|--update-order) (\S+)/g, "`$1 $2`"), ""]),
        ...perNode,
        ...(perNode.length > 0 ? [""] : []),
        `${perNode.length > 0 ? "Then once" : "Once"}, on \`${net.manager}\`:`,
        "",
        "```sh",
        ...managerCommands(net),
        "```",
        "",
    ];
}

function document(plan: Plan, detail: Detail, note?: string): string {
    return [...(note === undefined ? [] : [`> ${note}`, ""]), ...plan.networks.flatMap((net) => network(net, detail))].join("\n");
}

/**
 * The plan as markdown for a pull-request comment: per network its title, a table of nodes,
 * the swarm network's command, and each node's commands folded in `<details>`. Past
 * MARKDOWN_LIMIT characters the per-node commands are left out, then table rows, and a note at
 * the top says so and where to see everything.
 *
 * @example markdown(planSpec(spec)).startsWith("### vlan40: 172.80.0.0/16 via 172.80.0.1") // true
 */
export function markdown(plan: Plan): string {
    const most = Math.max(...plan.networks.map((n) => n.nodes.length));
    const full = document(plan, { commands: true, rows: most });
    if (full.length <= MARKDOWN_LIMIT) {
        return full;
    }
    const why = `The full plan is ${full.length.toLocaleString("en-US")} characters, more than the ${MARKDOWN_LIMIT.toLocaleString("en-US")} this view keeps to fit a pull-request comment`;
    const see = "`swarm-macvlan plan --format table` shows everything.";
    const summary = document(plan, { commands: false, rows: most }, `${why}: the per-node commands are left out. ${see}`);
    if (summary.length <= MARKDOWN_LIMIT) {
        return summary;
    }
    // The most table rows per network that fit, found by bisection (the length grows with rows).
    const shorter = (n: number) => document(plan, { commands: false, rows: n }, `${why}: the per-node commands are left out, and each table stops at ${n} nodes. ${see}`);
    let [low, high] = [0, most];
    while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        [low, high] = shorter(mid).length <= MARKDOWN_LIMIT ? [mid, high] : [low, mid - 1];
    }
    return shorter(low);
}
