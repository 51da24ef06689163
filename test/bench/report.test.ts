import * as assert from "assert";
import { renderBenchmarks, Results } from "../../bench/report";

const sample = (seconds: number, logins: number) => ({ seconds, logins });

const results: Results = {
    machine: { cores: 2, node: "v22.0.0" },
    runs: 3,
    sizes: [
        {
            nodes: 3,
            medians: {
                "pulumi scratch": sample(9.2, 14), "pulumi no-op": sample(3.8, 0), "pulumi preview": sample(4.3, 0),
                "pulumi range change": sample(7.5, 6), "pulumi destroy": sample(4.6, 9),
                "pooled scratch": sample(6.4, 2), "pooled no-op": sample(3.7, 0), "pooled preview": sample(4.2, 0),
                "pooled range change": sample(5.9, 2), "pooled destroy": sample(3.1, 1),
                "unsaved scratch": sample(7.1, 14), "unsaved range change": sample(6.6, 6), "unsaved destroy": sample(3.3, 9),
                "empty up": sample(1.3, 0),
                "ansible scratch": sample(4, 1), "ansible no-op": sample(3.6, 0), "ansible destroy": sample(3, 0),
                "by hand scratch": sample(2.4, 2), "by hand destroy": sample(2.4, 2),
            },
            samples: {},
            objects: {
                total: 40,
                perNode: [
                    { node: "node1", total: 12, byType: { "pulumi-nodejs:dynamic:Resource": 5, "command:remote:Command": 6, "swarm-macvlan:index:HostShim": 1 } },
                    { node: "node2", total: 12, byType: {} },
                    { node: "node3", total: 11, byType: {} },
                ],
            },
        },
    ],
    planner: [{ nodes: 16, planMs: 1.84, cliMs: 148.2 }],
};

describe("bench/report", () => {
    it("tabulates each provider mode's medians with ratios to Ansible, by hand and logins per node; the floor; the objects per node", () => {
        assert.deepStrictEqual(renderBenchmarks(results).table.split("\n"), [
            "Command provider as upstream 1.2.1 (a new SSH connection per command; what users get):",
            "",
            "| nodes | step | swarm-macvlan | Ansible | ratio to Ansible | by hand | SSH logins on the busiest node (swarm-macvlan / Ansible / by hand) |",
            "|---:|---|---:|---:|---:|---:|---|",
            "| 3 | from scratch | 9.2 s | 4.0 s | 2.30x | 2.4 s | 14 / 1 / 2 |",
            "| 3 | no-op | 3.8 s | 3.6 s | 1.06x | - | 0 / 0 / - |",
            "| 3 | preview | 4.3 s | - | - | - | 0 / - / - |",
            "| 3 | one node's range changes | 7.5 s | - | - | - | 6 / - / - |",
            "| 3 | destroy | 4.6 s | 3.0 s | 1.53x | 2.4 s | 9 / 0 / 2 |",
            "",
            "Command provider pooled (`SWARM_MACVLAN_COMMAND_POOL=1`: one SSH connection per host):",
            "",
            "| nodes | step | swarm-macvlan | Ansible | ratio to Ansible | by hand | SSH logins on the busiest node (swarm-macvlan / Ansible / by hand) |",
            "|---:|---|---:|---:|---:|---:|---|",
            "| 3 | from scratch | 6.4 s | 4.0 s | 1.60x | 2.4 s | 2 / 1 / 2 |",
            "| 3 | no-op | 3.7 s | 3.6 s | 1.03x | - | 0 / 0 / - |",
            "| 3 | preview | 4.2 s | - | - | - | 0 / - / - |",
            "| 3 | one node's range changes | 5.9 s | - | - | - | 2 / - / - |",
            "| 3 | destroy | 3.1 s | 3.0 s | 1.03x | 2.4 s | 1 / 0 / 2 |",
            "",
            "Command provider as upstream 1.2.1, with `PULUMI_SKIP_CHECKPOINTS=true` (the state is written once, at the end, not after every step; opt-in, see README):",
            "",
            "| nodes | step | swarm-macvlan | Ansible | ratio to Ansible | by hand | SSH logins on the busiest node (swarm-macvlan / Ansible / by hand) |",
            "|---:|---|---:|---:|---:|---:|---|",
            "| 3 | from scratch | 7.1 s | 4.0 s | 1.77x | 2.4 s | 14 / 1 / 2 |",
            "| 3 | one node's range changes | 6.6 s | - | - | - | 6 / - / - |",
            "| 3 | destroy | 3.3 s | 3.0 s | 1.10x | 2.4 s | 9 / 0 / 2 |",
            "",
            "| nodes | `pulumi up`, empty program | no-op, upstream-like | above the floor | no-op, pooled | above the floor |",
            "|---:|---:|---:|---:|---:|---:|",
            "| 3 | 1.3 s | 3.8 s | 2.5 s | 3.7 s | 2.4 s |",
            "",
            "| nodes | resources in the state | per node | one node's, by type |",
            "|---:|---:|---:|---|",
            "| 3 | 40 | 11-12 | node1: 6 `command:remote:Command`, 5 `pulumi-nodejs:dynamic:Resource`, 1 `swarm-macvlan:index:HostShim` |",
            "",
            "| nodes | planSpec | plan CLI |",
            "|---:|---:|---:|",
            "| 16 | 1.8 ms | 148 ms |",
            "",
        ]);
    });

    it("leaves out what a run did not measure: a missing mode's cells are dashes, a size without a count has no objects row", () => {
        const size = { ...results.sizes[0], objects: undefined };
        const medians = Object.fromEntries(Object.entries(size.medians).filter(([k]) => !k.startsWith("pooled ") && !k.startsWith("unsaved ") && k !== "empty up"));
        const table = renderBenchmarks({ ...results, sizes: [{ ...size, medians }] }).table.split("\n");
        assert.deepStrictEqual(table.filter((l) => l.startsWith("| 3 |")).slice(5), [
            "| 3 | from scratch | - | 4.0 s | - | 2.4 s | - / 1 / 2 |",
            "| 3 | no-op | - | 3.6 s | - | - | - / 0 / - |",
            "| 3 | preview | - | - | - | - | - / - / - |",
            "| 3 | one node's range changes | - | - | - | - | - / - / - |",
            "| 3 | destroy | - | 3.0 s | - | 2.4 s | - / 0 / 2 |",
            "| 3 | from scratch | - | 4.0 s | - | 2.4 s | - / 1 / 2 |",
            "| 3 | one node's range changes | - | - | - | - | - / - / - |",
            "| 3 | destroy | - | 3.0 s | - | 2.4 s | - / 0 / 2 |",
            "| 3 | - | 3.8 s | - | - | - |",
        ]);
    });

    it("plots one line per tool and mode through each size's median", () => {
        const svg = renderBenchmarks({ ...results, sizes: [...results.sizes, { ...results.sizes[0], nodes: 12 }] }).svg;
        assert.deepStrictEqual(svg.match(/<polyline [^>]*points="[^"]*"/g)!.map((p) => p.replace(/.*points=/, "")), [
            // x: 56 + 374 * n / 12; y: 316 - 296 * s / 15 (ticks every ceil(9.2 * 1.1 / 5) = 3 s, five of them).
            '"149.5,134.5 430.0,134.5"', // upstream-like from scratch, 9.2 s at 3 and 12 nodes
            '"149.5,241.0 430.0,241.0"', // upstream-like no-op, 3.8 s
            '"149.5,189.7 430.0,189.7"', // pooled from scratch, 6.4 s
            '"149.5,243.0 430.0,243.0"', // pooled no-op, 3.7 s
            '"149.5,175.9 430.0,175.9"', // upstream-like without checkpoints, from scratch, 7.1 s
            '"149.5,237.1 430.0,237.1"', // Ansible from scratch, 4.0 s
            '"149.5,245.0 430.0,245.0"', // Ansible no-op, 3.6 s
            '"149.5,268.6 430.0,268.6"', // by hand from scratch, 2.4 s
            '"149.5,290.3 430.0,290.3"', // empty program's up, 1.3 s
        ]);
        assert.deepStrictEqual(svg.match(/>[0-9]+<\/text>/g)!.slice(2), [">0</text>", ">3</text>", ">6</text>", ">9</text>", ">12</text>", ">15</text>"]);
        assert.match(renderBenchmarks(results).markdown, /^# Benchmarks\n[\s\S]*!\[time against nodes\]\(benchmarks\.svg\)[\s\S]*- cores: 2\n- node: v22\.0\.0\n/);
    });
});
