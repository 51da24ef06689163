// The benchmark's results and how they are shown: a table with ratios to Ansible, an SVG plot
// of time against the number of nodes, and docs/benchmarks.md. Pure: bench/run.ts measures.

/** One timed step: wall seconds, and the most SSH logins any one node accepted during it. */
export interface Sample {
    readonly seconds: number;
    readonly sessions: number;
}

export interface Results {
    readonly machine: Readonly<Record<string, string | number>>;
    readonly runs: number;
    readonly sizes: readonly {
        readonly nodes: number;
        /** Median per step, e.g. "pulumi scratch", "ansible no-op", "by hand destroy". */
        readonly medians: Readonly<Record<string, Sample>>;
        readonly samples: Readonly<Record<string, readonly Sample[]>>;
    }[];
    /** The planner alone: milliseconds for planSpec and for the plan CLI, per node count. */
    readonly planner: readonly { readonly nodes: number; readonly planMs: number; readonly cliMs: number }[];
}

/** The rows of the table: a label, the step of each tool it compares, and Ansible's step. */
const ROWS: readonly [string, string, string | undefined][] = [
    ["from scratch", "pulumi scratch", "ansible scratch"],
    ["no-op", "pulumi no-op", "ansible no-op"],
    ["preview", "pulumi preview", undefined],
    ["one node's range changes", "pulumi range change", undefined],
    ["destroy", "pulumi destroy", "ansible destroy"],
];

const seconds = (s: Sample | undefined) => (s === undefined ? "-" : `${s.seconds.toFixed(1)} s`);
const ratio = (a: Sample | undefined, b: Sample | undefined) => (a === undefined || b === undefined ? "-" : `${(a.seconds / b.seconds).toFixed(2)}x`);

/** Markdown table rows: per size and step, swarm-macvlan, Ansible, the ratio, by hand, and SSH sessions per node. */
function tableRows(results: Results): string[] {
    const rows: string[] = [
        "| nodes | step | swarm-macvlan | Ansible | ratio to Ansible | by hand | SSH sessions per node (swarm-macvlan / Ansible / by hand) |",
        "|---:|---|---:|---:|---:|---:|---|",
    ];
    for (const size of results.sizes) {
        const m = size.medians;
        for (const [label, ours, theirs] of ROWS) {
            const hand = label === "from scratch" ? m["by hand scratch"] : label === "destroy" ? m["by hand destroy"] : undefined;
            const sessions = [m[ours], theirs ? m[theirs] : undefined, hand].map((s) => (s === undefined ? "-" : String(s.sessions))).join(" / ");
            rows.push(`| ${size.nodes} | ${label} | ${seconds(m[ours])} | ${seconds(theirs ? m[theirs] : undefined)} | ${ratio(m[ours], theirs ? m[theirs] : undefined)} | ${seconds(hand)} | ${sessions} |`);
        }
    }
    return rows;
}

/** A line chart of `series` (seconds against nodes), one colour per series, dashed where asked. */
function plot(results: Results): string {
    const series: [string, string, string, boolean][] = [
        ["swarm-macvlan, from scratch", "pulumi scratch", "#1f77b4", false],
        ["swarm-macvlan, no-op", "pulumi no-op", "#1f77b4", true],
        ["Ansible, from scratch", "ansible scratch", "#d62728", false],
        ["Ansible, no-op", "ansible no-op", "#d62728", true],
        ["by hand, from scratch", "by hand scratch", "#2ca02c", false],
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
    const rows = tableRows(results);
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
        "swarm network. Medians of " + `${results.runs} runs; each step's SSH sessions are the most logins one node's sshd accepted.`,
        "`pulumi up` runs with `--skip-preview` (its preview is its own row); the Ansible play uses SSH",
        "pipelining, ControlPersist and no fact gathering (`bench/ansible/`). Ansible's play only creates what",
        "is missing, so a range change has no Ansible row: it would keep the old range without a word.",
        "",
        ...rows,
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
        "Rerun with `npm run bench` (root; about 15 minutes; `-- --nodes 3,6,12 --runs 3`). It writes",
        "`docs/benchmarks.json`, `docs/benchmarks.svg` and this file.",
        "",
    ].join("\n");
    return { table: [...rows, "", ...planner, ""].join("\n"), svg: plot(results), markdown };
}
