import * as assert from "assert";
import { renderBenchmarks, Results } from "../../bench/report";

const sample = (seconds: number, sessions: number) => ({ seconds, sessions });

const results: Results = {
    machine: { cores: 2, node: "v22.0.0" },
    runs: 3,
    sizes: [
        {
            nodes: 3,
            medians: {
                "pulumi scratch": sample(6.4, 2), "pulumi no-op": sample(3.7, 0), "pulumi preview": sample(4.3, 0),
                "pulumi range change": sample(5.9, 2), "pulumi destroy": sample(3.1, 1),
                "ansible scratch": sample(4, 1), "ansible no-op": sample(3.6, 0), "ansible destroy": sample(3, 0),
                "by hand scratch": sample(2.4, 2), "by hand destroy": sample(2.4, 2),
            },
            samples: {},
        },
    ],
    planner: [{ nodes: 16, planMs: 1.84, cliMs: 148.2 }],
};

describe("bench/report", () => {
    it("tabulates medians with ratios to Ansible, by hand and sessions per node", () => {
        assert.deepStrictEqual(renderBenchmarks(results).table.split("\n"), [
            "| nodes | step | swarm-macvlan | Ansible | ratio to Ansible | by hand | SSH sessions per node (swarm-macvlan / Ansible / by hand) |",
            "|---:|---|---:|---:|---:|---:|---|",
            "| 3 | from scratch | 6.4 s | 4.0 s | 1.60x | 2.4 s | 2 / 1 / 2 |",
            "| 3 | no-op | 3.7 s | 3.6 s | 1.03x | - | 0 / 0 / - |",
            "| 3 | preview | 4.3 s | - | - | - | 0 / - / - |",
            "| 3 | one node's range changes | 5.9 s | - | - | - | 2 / - / - |",
            "| 3 | destroy | 3.1 s | 3.0 s | 1.03x | 2.4 s | 1 / 0 / 2 |",
            "",
            "| nodes | planSpec | plan CLI |",
            "|---:|---:|---:|",
            "| 16 | 1.8 ms | 148 ms |",
            "",
        ]);
    });

    it("plots one line per tool through each size's median", () => {
        const svg = renderBenchmarks({ ...results, sizes: [...results.sizes, { ...results.sizes[0], nodes: 12 }] }).svg;
        assert.deepStrictEqual(svg.match(/<polyline [^>]*points="[^"]*"/g)!.map((p) => p.replace(/.*points=/, "")), [
            // x: 56 + 374 * n / 12; y: 316 - 296 * s / 10 (ticks every ceil(6.4 * 1.1 / 5) = 2 s, five of them).
            '"149.5,126.6 430.0,126.6"', // swarm-macvlan from scratch, 6.4 s at 3 and 12 nodes
            '"149.5,206.5 430.0,206.5"', // swarm-macvlan no-op, 3.7 s
            '"149.5,197.6 430.0,197.6"', // Ansible from scratch, 4.0 s
            '"149.5,209.4 430.0,209.4"', // Ansible no-op, 3.6 s
            '"149.5,245.0 430.0,245.0"', // by hand from scratch, 2.4 s
        ]);
        assert.deepStrictEqual(svg.match(/>[0-9]+<\/text>/g)!.slice(2), [">0</text>", ">2</text>", ">4</text>", ">6</text>", ">8</text>", ">10</text>"]);
        assert.match(renderBenchmarks(results).markdown, /^# Benchmarks\n[\s\S]*!\[time against nodes\]\(benchmarks\.svg\)[\s\S]*- cores: 2\n- node: v22\.0\.0\n/);
    });
});
