import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import {
    NODE_ID_PLACEHOLDER, afterCheck, afterKeyedCheck, driftFound, failureText, keptEpochs, keyedCheckInputs, keyedCheckScript, keyedOutputs, keyedReadResult,
    needsUpdate, preflightOutcome, readNodeId,
    reportedLines, sectionedAnswers, withNodeId,
} from "../../components/core";

const ok = (stdout: string) => ({ code: 0, stdout, stderr: "" });

describe("dynamic providers' decisions", () => {
    it("failureText: standard error, else standard output, else the exit status", () => {
        assert.deepStrictEqual([
            failureText({ code: 1, stdout: "out\n", stderr: "swarm-macvlan: no\n" }, "node1"),
            failureText({ code: 2, stdout: " out \n", stderr: "" }, "node1"),
            failureText({ code: 255, stdout: "", stderr: "\n" }, "node1"),
        ], ["swarm-macvlan: no", "out", "exit status 255 on node1"]);
        assert.deepStrictEqual(reportedLines("a: x\n\nb: y\n"), ["a: x", "b: y"]);
    });

    it("afterCheck: in sync keeps the epoch and clears old drift; a difference is kept and bumps the epoch; a failed check throws", () => {
        const props = { node: "node1", driftEpoch: 2, drift: ["old"] };
        assert.deepStrictEqual(afterCheck(props, ok(""), "node1"), { node: "node1", driftEpoch: 2, drift: [] });
        assert.deepStrictEqual(afterCheck(props, ok("interface eth1.40: missing\nfile x: differs\n"), "node1"),
            { node: "node1", driftEpoch: 3, drift: ["interface eth1.40: missing", "file x: differs"] });
        assert.deepStrictEqual(afterCheck({ node: "n" } as { node: string; driftEpoch?: number }, ok("x\n"), "n"), { node: "n", driftEpoch: 1, drift: ["x"] });
        assert.throws(() => afterCheck(props, { code: 1, stdout: "", stderr: "Permission denied\n" }, "node1"),
            (e: Error) => e.message === "cannot check node1: Permission denied");
    });

    it("needsUpdate: a watched input changed (as JSON), or drift was found; other keys do not count", () => {
        const olds = { check: "c", connection: { host: "a", port: 22 }, other: 1 };
        assert.deepStrictEqual([
            needsUpdate(olds, { check: "c", connection: { host: "a", port: 22 }, other: 2 }, ["check", "connection"]),
            needsUpdate(olds, { check: "c", connection: { host: "a", port: 2222 } }, ["check", "connection"]),
            needsUpdate(olds, { check: "d", connection: { host: "a", port: 22 } }, ["check", "connection"]),
            needsUpdate({ ...olds, drift: ["x"] }, olds, ["check"]),
            needsUpdate({ ...olds, drift: [] }, olds, ["check"]),
            needsUpdate({ ...olds, drift: { shim: ["x"] } }, olds, ["check"]),
            needsUpdate({ ...olds, drift: {} }, olds, ["check"]),
            needsUpdate({ ...olds, drift: { shim: [] } }, olds, ["check"]),
            needsUpdate({ checks: { a: "x" } }, { checks: { a: "y" } }, ["check", "checks"]),
        ], [false, true, true, true, false, true, false, false, true]);
        assert.deepStrictEqual([driftFound(undefined), driftFound([]), driftFound(["x"]), driftFound({}), driftFound({ vlan: ["x"] })], [false, false, true, false, true]);
    });

    describe("keyed checks (one per node and network)", () => {
        const begin = (k: string) => `--- swarm-macvlan check ${k} ---`;
        const end = (k: string, code: number) => `--- swarm-macvlan check ${k} exit ${code} ---`;

        it("keyedCheckScript: each check in a subshell between its section lines, in the keys' order; bad keys refused", () => {
            assert.equal(keyedCheckScript({ vlan: "set -eu\necho a\n", shim: "exit 0" }), [
                `printf '\\n%s\\n' '${begin("vlan")}'; printf '\\n%s\\n' '${begin("vlan")}' >&2`, "(", "set -eu", "echo a", ")",
                `printf '\\n%s\\n' "--- swarm-macvlan check vlan exit $? ---"`,
                `printf '\\n%s\\n' '${begin("shim")}'; printf '\\n%s\\n' '${begin("shim")}' >&2`, "(", "exit 0", ")",
                `printf '\\n%s\\n' "--- swarm-macvlan check shim exit $? ---"`,
            ].join("\n") + "\n");
            const bad: Record<string, string>[] = [{}, { "": "x" }, { "Shim": "x" }, { "a'b": "x" }, { ["x".repeat(33)]: "x" }];
            for (const checks of bad) {
                assert.throws(() => keyedCheckScript(checks), /^Error: a keyed drift check needs keys of 1-32 lowercase letters/, JSON.stringify(checks));
            }
        });

        it("sectionedAnswers: each key's lines and status; a cut-short key gets the script's status (255 for 0) and its stderr", () => {
            const answer = {
                code: 0,
                stdout: ["", begin("vlan"), "interface eth1.40: is down", "", end("vlan", 0), "", begin("shim"), "", end("shim", 1), "", begin("boot")].join("\n"),
                stderr: ["motd", "", begin("vlan"), "", begin("shim"), "swarm-macvlan: cannot read", "", begin("boot"), "killed"].join("\n"),
            };
            assert.deepStrictEqual(sectionedAnswers(answer, ["vlan", "shim", "boot", "config"]), {
                vlan: { code: 0, stdout: "interface eth1.40: is down\n", stderr: "" },
                shim: { code: 1, stdout: "", stderr: "swarm-macvlan: cannot read\n" },
                boot: { code: 255, stdout: "", stderr: "killed" },
                config: { code: 255, stdout: "", stderr: answer.stderr },
            });
            assert.deepStrictEqual(sectionedAnswers({ code: 255, stdout: "", stderr: "" }, ["vlan"]), { vlan: { code: 255, stdout: "", stderr: "" } });
        });

        it("afterKeyedCheck: only the keys that differ are kept and have their epoch bumped; any failed key throws naming the node and the keys", () => {
            const props = { node: "node2", checks: { vlan: "v", shim: "s", boot: "b" }, driftEpochs: { vlan: 2, shim: 0 }, drift: { vlan: ["old"] } };
            const answer = (sections: [string, string[], number][]) => ({
                code: 0, stderr: "", stdout: sections.flatMap(([k, lines, code]) => ["", begin(k), ...lines, "", end(k, code)]).join("\n") + "\n",
            });
            assert.deepStrictEqual(afterKeyedCheck(props, answer([["boot", [], 0], ["shim", [], 0], ["vlan", [], 0]]), "node2"),
                { ...props, drift: {}, driftEpochs: { vlan: 2, shim: 0, boot: 0 } });
            assert.deepStrictEqual(afterKeyedCheck(props, answer([["boot", [], 0], ["shim", ["interface shim-lab40: missing"], 0], ["vlan", [], 0]]), "node2"),
                { ...props, drift: { shim: ["interface shim-lab40: missing"] }, driftEpochs: { vlan: 2, shim: 1, boot: 0 } });
            assert.deepStrictEqual(afterKeyedCheck(props, answer([["boot", ["file x: missing"], 0], ["shim", [], 0], ["vlan", ["a", "b"], 0]]), "node2"),
                { ...props, drift: { boot: ["file x: missing"], vlan: ["a", "b"] }, driftEpochs: { vlan: 3, shim: 0, boot: 1 } });
            assert.throws(() => afterKeyedCheck(props, answer([["boot", [], 0], ["shim", ["x"], 1], ["vlan", [], 0]]), "node2"),
                (e: Error) => e.message === "cannot check node2: shim: x");
            assert.throws(() => afterKeyedCheck(props, { code: 255, stdout: "", stderr: "" }, "node2"),
                (e: Error) => e.message === "cannot check node2: vlan: exit status 255 on node2; shim: exit status 255 on node2; boot: exit status 255 on node2");
        });

        it("keptEpochs: the old epoch of each watched key, 0 for a new one; keys no longer watched are dropped", () => {
            assert.deepStrictEqual(keptEpochs({ vlan: 2, shim: 1 }, { vlan: "v", config: "c" }), { vlan: 2, config: 0 });
            assert.deepStrictEqual(keptEpochs(undefined, { vlan: "v" }), { vlan: 0 });
        });

        it("keyedCheckInputs: the program's inputs with the stored inputs' epochs (0 for a new key, none for a dropped one); unknown checks kept as given", () => {
            const news = { node: "node1", connection: { host: "h" }, checks: { shim: "s", vlan: "v" } };
            assert.deepStrictEqual(keyedCheckInputs({ node: "node1", checks: { shim: "s", boot: "b" }, driftEpochs: { shim: 2, boot: 5 } }, news),
                { node: "node1", connection: { host: "h" }, checks: { shim: "s", vlan: "v" }, driftEpochs: { shim: 2, vlan: 0 } });
            // create: no stored inputs
            assert.deepStrictEqual(keyedCheckInputs({}, news), { ...news, driftEpochs: { shim: 0, vlan: 0 } });
            // the one-object form, and checks not known yet in a preview: as given
            assert.deepStrictEqual(keyedCheckInputs({ driftEpochs: { shim: 1 } }, { node: "n", check: "c" }), { node: "n", check: "c" });
            const unknown = { node: "n", checks: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" };
            assert.deepStrictEqual(keyedCheckInputs({ driftEpochs: { shim: 1 } }, unknown), unknown);
        });

        it("keyedReadResult: the refreshed state, and the same without drift as inputs (the bumped epochs reach the next check)", () => {
            const props = { node: "node2", checks: { vlan: "v", shim: "s" }, driftEpochs: { vlan: 2, shim: 0 }, drift: {} };
            const stdout = ["", begin("vlan"), "", end("vlan", 0), "", begin("shim"), "interface shim-lab40: missing", "", end("shim", 0)].join("\n") + "\n";
            assert.deepStrictEqual(keyedReadResult("node2-x", props, ok(stdout), "node2"), {
                id: "node2-x",
                props: { node: "node2", checks: { vlan: "v", shim: "s" }, driftEpochs: { vlan: 2, shim: 1 }, drift: { shim: ["interface shim-lab40: missing"] } },
                inputs: { node: "node2", checks: { vlan: "v", shim: "s" }, driftEpochs: { vlan: 2, shim: 1 } },
            });
            assert.throws(() => keyedReadResult("node2-x", props, { code: 255, stdout: "", stderr: "no route" }, "node2"),
                (e: Error) => e.message === "cannot check node2: vlan: no route; shim: no route");
        });

        it("keyedOutputs: the inputs, no drift, and each watched key's greater epoch of the inputs' and the previous state's (0 for a new key)", () => {
            assert.deepStrictEqual(keyedOutputs({ node: "n", checks: { vlan: "v", shim: "s" }, driftEpochs: { vlan: 3, shim: 1 } }, { vlan: 2, shim: 1 }),
                { node: "n", checks: { vlan: "v", shim: "s" }, driftEpochs: { vlan: 3, shim: 1 }, drift: {} });
            // inputs behind the state (an engine that dropped read's inputs): the state's epochs, never lower
            assert.deepStrictEqual(keyedOutputs({ node: "n", checks: { vlan: "v", shim: "s" }, driftEpochs: { vlan: 0, shim: 4 } }, { vlan: 2, boot: 1 }),
                { node: "n", checks: { vlan: "v", shim: "s" }, driftEpochs: { vlan: 2, shim: 4 }, drift: {} });
            assert.deepStrictEqual(keyedOutputs({ node: "n", checks: { vlan: "v", shim: "s" }, drift: { vlan: ["x"] } }, { vlan: 9, boot: 1 }),
                { node: "n", checks: { vlan: "v", shim: "s" }, driftEpochs: { vlan: 9, shim: 0 }, drift: {} });
            assert.deepStrictEqual(keyedOutputs({ node: "n", checks: { vlan: "v" } }), { node: "n", checks: { vlan: "v" }, driftEpochs: { vlan: 0 }, drift: {} });
        });

        for (const shell of ["sh", "bash"]) {
            it(`runs under ${shell}: each check's exit, set -eu and case stay in its subshell, its output in its section`, () => {
                const checks = {
                    vlan: "set -eu\necho 'interface eth1.40: is down'\nexit 0\necho never",
                    config: "set -eu\ncase \"$(echo x)\" in\n  x) echo 'docker network n: missing'; exit 0 ;;\n  *) exit 3 ;;\nesac",
                    shim: "set -eu\nprintf 'no newline'\nfalse\necho never",
                    boot: "printf 'swarm-macvlan: cannot read' >&2; exit 1",
                    takeover: "true",
                };
                const run = spawnSync(shell, ["-c", keyedCheckScript(checks)], { encoding: "utf8" });
                assert.deepStrictEqual(sectionedAnswers({ code: run.status ?? 255, stdout: run.stdout, stderr: run.stderr }, Object.keys(checks)), {
                    vlan: { code: 0, stdout: "interface eth1.40: is down\n", stderr: "" },
                    config: { code: 0, stdout: "docker network n: missing\n", stderr: "" },
                    shim: { code: 1, stdout: "no newline", stderr: "" },
                    boot: { code: 1, stdout: "", stderr: "swarm-macvlan: cannot read" },
                    takeover: { code: 0, stdout: "", stderr: "" },
                });
            });
        }
    });

    it("readNodeId and withNodeId: the ID a node printed, checked, put where the placeholder stands", () => {
        assert.equal(readNodeId(ok("x1bm7v2f3j9q0w8e5r4t6y2u1\n"), "node2"), "x1bm7v2f3j9q0w8e5r4t6y2u1");
        assert.throws(() => readNodeId(ok("Error: not a swarm\n"), "node2"), (e: Error) => e.message === 'node2 printed "Error: not a swarm" for its swarm node ID');
        assert.throws(() => readNodeId({ code: 1, stdout: "", stderr: "swarm-macvlan: node2 is not an active swarm node\n" }, "node2"),
            (e: Error) => e.message === "swarm-macvlan: node2 is not an active swarm node");
        assert.equal(withNodeId(`docker node update --label-add k=true ${NODE_ID_PLACEHOLDER}; echo ${NODE_ID_PLACEHOLDER}`, "abc"), "docker node update --label-add k=true abc; echo abc");
    });

    it("preflightOutcome: the engine, or every problem naming the node and its engine, and that nothing changed", () => {
        assert.equal(preflightOutcome("node1", ok("engine 29.8.1-dev 1.56\n")), "Docker 29.8.1-dev (API 1.56)");
        assert.throws(() => preflightOutcome("node1", ok("engine 29.8.1-dev 1.56\ninterface eth1 (parent of network lab40) does not exist\nis not a swarm manager\n")),
            (e: Error) => e.message === "node1 is not ready for swarm-macvlan (2 problems; nothing was changed on any node; node1 runs Docker 29.8.1-dev (API 1.56)):\n" +
                "  node1 interface eth1 (parent of network lab40) does not exist\n  node1 is not a swarm manager");
        assert.throws(() => preflightOutcome("node3", { code: 127, stdout: "", stderr: "sh: docker: not found\n" }),
            (e: Error) => e.message === "node3 is not ready for swarm-macvlan (1 problem; nothing was changed on any node):\n  node3 cannot run its preflight: sh: docker: not found");
    });
});
