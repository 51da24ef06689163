// The benchmark's results and how they are shown: a table with ratios to Ansible, an SVG plot
// of time against the number of nodes, and docs/benchmarks.md. Pure: bench/run.ts measures.

/** One timed step: wall seconds, and the most SSH logins any one node's sshd accepted during it. */
export interface Sample {
    readonly seconds: number;
    readonly logins: number;
}

/** The resources a scratch `up` leaves in the state (stack and providers left out), and each node's by type. */
export interface ObjectCount {
    readonly total: number;
    readonly perNode: readonly { readonly node: string; readonly total: number; readonly byType: Readonly<Record<string, number>> }[];
}

export interface Results {
    readonly machine: Readonly<Record<string, string | number>>;
    readonly runs: number;
    readonly sizes: readonly {
        readonly nodes: number;
        /**
         * Median per step, e.g. "pulumi scratch" (the command provider as upstream behaves: a new
         * SSH connection per command), "pooled scratch" (SWARM_MACVLAN_COMMAND_POOL=1),
         * "empty up" (an empty program: the floor), "ansible no-op", "by hand destroy".
         */
        readonly medians: Readonly<Record<string, Sample>>;
        readonly samples: Readonly<Record<string, readonly Sample[]>>;
        readonly objects?: ObjectCount;
    }[];
    /** The planner alone: milliseconds for planSpec and for the plan CLI, per node count. */
    readonly planner: readonly { readonly nodes: number; readonly planMs: number; readonly cliMs: number }[];
}

/** The rows of a table: a label, swarm-macvlan's step (after the mode's prefix), and Ansible's step. */
const ROWS: readonly [string, string, string | undefined][] = [
    ["from scratch", "scratch", "ansible scratch"],
    ["no-op", "no-op", "ansible no-op"],
    ["preview", "preview", undefined],
    ["one node's range changes", "range change", undefined],
    ["destroy", "destroy", "ansible destroy"],
];

/**
 * The modes swarm-macvlan runs in: the step prefix in `medians`, the table's title and, when the
 * mode runs only some steps, which (the other rows are left out of its table).
 */
const MODES: readonly [string, string, (readonly string[])?][] = [
    ["pulumi", "Command provider as upstream 1.2.1 (a new SSH connection per command; what users get)"],
    ["pooled", "Command provider pooled (`SWARM_MACVLAN_COMMAND_POOL=1`: one SSH connection per host)"],
    ["unsaved", "Command provider as upstream 1.2.1, with `PULUMI_SKIP_CHECKPOINTS=true` (the state is written once, at the end, not after every step; opt-in, see README)",
        ["scratch", "range change", "destroy"]],
];

const seconds = (s: Sample | undefined) => (s === undefined ? "-" : `${s.seconds.toFixed(1)} s`);
const ratio = (a: Sample | undefined, b: Sample | undefined) => (a === undefined || b === undefined ? "-" : `${(a.seconds / b.seconds).toFixed(2)}x`);

/** Markdown table rows for one mode: per size and step, swarm-macvlan, Ansible, the ratio, by hand, and SSH logins per node. */
function tableRows(results: Results, prefix: string, steps?: readonly string[]): string[] {
    const rows: string[] = [
        "| nodes | step | swarm-macvlan | Ansible | ratio to Ansible | by hand | SSH logins on the busiest node (swarm-macvlan / Ansible / by hand) |",
        "|---:|---|---:|---:|---:|---:|---|",
    ];
    for (const size of results.sizes) {
        const m = size.medians;
        for (const [label, step, theirs] of ROWS.filter(([, step]) => steps === undefined || steps.includes(step))) {
            const ours = m[`${prefix} ${step}`];
            const hand = label === "from scratch" ? m["by hand scratch"] : label === "destroy" ? m["by hand destroy"] : undefined;
            const logins = [ours, theirs ? m[theirs] : undefined, hand].map((s) => (s === undefined ? "-" : String(s.logins))).join(" / ");
            rows.push(`| ${size.nodes} | ${label} | ${seconds(ours)} | ${seconds(theirs ? m[theirs] : undefined)} | ${ratio(ours, theirs ? m[theirs] : undefined)} | ${seconds(hand)} | ${logins} |`);
        }
    }
    return rows;
}

/** The floor: an empty program's `up` on the same engine, against the no-op of each mode. */
function floorRows(results: Results): string[] {
    const above = (a: Sample | undefined, floor: Sample | undefined) => (a === undefined || floor === undefined ? "-" : `${(a.seconds - floor.seconds).toFixed(1)} s`);
    return [
        "| nodes | `pulumi up`, empty program | no-op, upstream-like | above the floor | no-op, pooled | above the floor |",
        "|---:|---:|---:|---:|---:|---:|",
        ...results.sizes.map(({ nodes, medians: m }) =>
            `| ${nodes} | ${seconds(m["empty up"])} | ${seconds(m["pulumi no-op"])} | ${above(m["pulumi no-op"], m["empty up"])} | ${seconds(m["pooled no-op"])} | ${above(m["pooled no-op"], m["empty up"])} |`),
    ];
}

/** Resources in the state after a scratch `up`: in all, per node (the range over nodes), and one node's by type. */
function objectRows(results: Results): string[] {
    const rows = ["| nodes | resources in the state | per node | one node's, by type |", "|---:|---:|---:|---|"];
    for (const { nodes, objects } of results.sizes) {
        if (objects === undefined) {
            continue;
        }
        const counts = objects.perNode.map((n) => n.total);
        const [lo, hi] = [Math.min(...counts), Math.max(...counts)];
        const first = objects.perNode[0];
        const types = Object.entries(first.byType).sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, c]) => `${c} \`${t}\``).join(", ");
        rows.push(`| ${nodes} | ${objects.total} | ${lo === hi ? lo : `${lo}-${hi}`} | ${first.node}: ${types} |`);
    }
    return rows;
}

/** A line chart of `series` (seconds against nodes), one colour per series, dashed where asked. */
function plot(results: Results): string {
    const series: [string, string, string, boolean][] = [
        ["swarm-macvlan, from scratch", "pulumi scratch", "#1f77b4", false],
        ["swarm-macvlan, no-op", "pulumi no-op", "#1f77b4", true],
        ["pooled, from scratch", "pooled scratch", "#9467bd", false],
        ["pooled, no-op", "pooled no-op", "#9467bd", true],
        ["no checkpoints, from scratch", "unsaved scratch", "#ff7f0e", false],
        ["Ansible, from scratch", "ansible scratch", "#d62728", false],
        ["Ansible, no-op", "ansible no-op", "#d62728", true],
        ["by hand, from scratch", "by hand scratch", "#2ca02c", false],
        ["empty program, up", "empty up", "#7f7f7f", true],
    ];
    const [w, h, left, bottom, top, right] = [640, 360, 56, 44, 20, 210];
    const ns = results.sizes.map((s) => s.nodes);
    const all = results.sizes.flatMap((s) => series.map(([, key]) => s.medians[key]?.seconds ?? 0));
    const maxN = Math.max(...ns, 1);
    // Five whole-second ticks, the top one above the tallest median.
    const step = Math.ceil((Math.max(...all, 1) * 1.1) / 5);
    const maxS = step * 5;
    const x = (n: number) => left + ((w - left - right) * n) / maxN;
    const y = (s: number) => h - bottom - ((h - bottom - top) * s) / maxS;
    const ticks = Array.from({ length: 6 }, (_, i) => step * i);
    const lines = series.map(([label, key, colour, dashed], i) => {
        const points = results.sizes.filter((s) => s.medians[key]).map((s) => `${x(s.nodes).toFixed(1)},${y(s.medians[key].seconds).toFixed(1)}`);
        return [
            `<polyline fill="none" stroke="${colour}" stroke-width="2"${dashed ? ' stroke-dasharray="6 4"' : ""} points="${points.join(" ")}"/>`,
            ...points.map((p) => `<circle cx="${p.split(",")[0]}" cy="${p.split(",")[1]}" r="3" fill="${colour}"/>`),
            `<line x1="${w - right + 14}" y1="${top + 12 + i * 20}" x2="${w - right + 40}" y2="${top + 12 + i * 20}" stroke="${colour}" stroke-width="2"${dashed ? ' stroke-dasharray="6 4"' : ""}/>`,
            `<text x="${w - right + 46}" y="${top + 16 + i * 20}">${label}</text>`,
        ].join("\n");
    });
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">`,
        `<rect width="${w}" height="${h}" fill="white"/>`,
        `<line x1="${left}" y1="${h - bottom}" x2="${w - right}" y2="${h - bottom}" stroke="black"/>`,
        `<line x1="${left}" y1="${top}" x2="${left}" y2="${h - bottom}" stroke="black"/>`,
        ...ns.map((n) => `<text x="${x(n)}" y="${h - bottom + 16}" text-anchor="middle">${n}</text>`),
        ...ticks.map((t) => `<text x="${left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t}</text>`),
        `<text x="${(left + w - right) / 2}" y="${h - 8}" text-anchor="middle">nodes</text>`,
        `<text x="14" y="${(top + h - bottom) / 2}" transform="rotate(-90 14 ${(top + h - bottom) / 2})" text-anchor="middle">seconds (median of ${results.runs})</text>`,
        ...lines,
        "</svg>",
        "",
    ].join("\n");
}

/** The table (for the terminal), the plot and docs/benchmarks.md. */
export function renderBenchmarks(results: Results): { table: string; svg: string; markdown: string } {
    const modes = MODES.flatMap(([prefix, title, steps]) => [`${title}:`, "", ...tableRows(results, prefix, steps), ""]);
    const floor = floorRows(results);
    const objects = objectRows(results);
    const planner = [
        "| nodes | planSpec | plan CLI |", "|---:|---:|---:|",
        ...results.planner.map((p) => `| ${p.nodes} | ${p.planMs.toFixed(1)} ms | ${p.cliMs.toFixed(0)} ms |`),
    ];
    const machine = Object.entries(results.machine).map(([k, v]) => `- ${k}: ${v}`);
    const markdown = [
        "# Benchmarks",
        "",
        "swarm-macvlan against an Ansible play and the seeds' by-hand recipe, doing the same work on the",
        "namespace lab (`scripts/lab`): promiscuous mode, each node's config-only network, a shim, and the",
        `swarm network. Medians of ${results.runs} run${results.runs === 1 ? "" : "s"}. SSH logins are counted from each node's sshd log`,
        "(`Accepted publickey` lines: one per authenticated connection) and shown for the node that had the",
        "most; swarm-macvlan's include its drift checks' connections (one per host, from the dynamic provider).",
        "`pulumi up` runs with `--skip-preview` (its preview is its own row); the Ansible play uses SSH",
        "pipelining, ControlPersist and no fact gathering (`bench/ansible/`). Ansible's play only creates what",
        "is missing, so a range change has no Ansible row: it would keep the old range without a word.",
        "",
        "swarm-macvlan runs three times in each run, in turn: first with the project's command provider behaving as",
        "upstream `pulumi-resource-command` 1.2.1 does (a new SSH connection for every `remote.Command`), the",
        "headline, since it is what users run; then pooled (one connection per host for the whole run); then",
        "as upstream again with `PULUMI_SKIP_CHECKPOINTS=true` (from scratch, a range change and destroy only:",
        "the steps that write the state), which an operator may choose (README, \"Benchmarks\").",
        "The lab's sshd allows `MaxStartups 100:30:200`; a stock sshd (`10:30:100`) drops connections sooner.",
        "",
        ...modes,
        "The floor: `pulumi up` of an empty JavaScript program on the same engine, in the same run:",
        "",
        ...floor,
        "",
        "Resources a scratch `up` leaves in the state (one network; the stack and providers not counted);",
        "a node's are those whose name holds the node's:",
        "",
        ...objects,
        "",
        "![time against nodes](benchmarks.svg)",
        "",
        "The planner alone (validation included; the CLI from a built package, end to end):",
        "",
        ...planner,
        "",
        "Machine:",
        "",
        ...machine,
        "",
        "Rerun with `npm run bench` (root; about 25 minutes; `-- --nodes 3,6,12 --runs 3`). It writes",
        "`docs/benchmarks.json`, `docs/benchmarks.svg` and this file.",
        "",
    ].join("\n");
    return { table: [...modes, ...floor, "", ...objects, "", ...planner, ""].join("\n"), svg: plot(results), markdown };
}
