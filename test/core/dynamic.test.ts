import { strict as assert } from "node:assert";
import {
    NODE_ID_PLACEHOLDER, afterCheck, failureText, needsUpdate, preflightOutcome, readNodeId, reportedLines, withNodeId,
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
        ], [false, true, true, true, false]);
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
