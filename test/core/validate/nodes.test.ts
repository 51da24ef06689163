// Validation of the spec's shape and its nodes (validate/index.ts checkSpec, validate/nodes.ts).
import { strict as assert } from "node:assert";
import { SpecError, planSpec } from "../../../components/core";
import { assertProblems, seedNodes, vlan40, withNode } from "../helpers";

const NAME_RULE = "use letters, digits, _ . - starting with a letter or digit";
/** Values a shell would read as more than one plain word. */
const SHELL_WORDS = ["eth0;reboot", "$(id)", "`id`", "a b", "it's", 'say"hi"', "a\nb", "x|y", "x&y", "~root", "*"];

describe("validation: spec and nodes", () => {
    it("names every problem in SpecError.message, one per line, with a count", () => {
        assert.throws(() => planSpec(withNode(1, { port: 0, role: "leader" })), (e: unknown) => {
            assert.ok(e instanceof SpecError);
            assert.equal(e.name, "SpecError");
            assert.equal(e.message, "invalid swarm-macvlan spec (2 problems):\n  nodes[1].port 0 is outside 1-65535\n  nodes[1].role leader must be manager or worker");
            return true;
        });
        assert.throws(() => planSpec(withNode(1, { port: 0 })), { message: "invalid swarm-macvlan spec (1 problem):\n  nodes[1].port 0 is outside 1-65535" });
    });

    describe("the spec's shape", () => {
        it("fails when the spec is not an object", () => {
            assertProblems(() => planSpec(undefined), ["spec (missing) must be an object with nodes and networks"]);
            assertProblems(() => planSpec([]), ["spec [] must be an object with nodes and networks"]);
            assertProblems(() => planSpec("nodes"), ["spec nodes must be an object with nodes and networks"]);
            assertProblems(() => planSpec(null), ["spec null must be an object with nodes and networks"]);
        });

        it("fails when nodes and networks are missing", () => {
            assertProblems(() => planSpec({}), ["nodes (missing) must be a non-empty list of nodes", "networks (missing) must be a non-empty list of networks"]);
        });

        it("fails when nodes or networks are empty lists", () => {
            assertProblems(() => planSpec({ nodes: [], networks: [vlan40()] }), ["nodes [] must be a non-empty list of nodes"]);
            assertProblems(() => planSpec({ nodes: seedNodes(), networks: [] }), ["networks [] must be a non-empty list of networks"]);
        });

        it("fails when nodes or networks are not lists, with one problem each", () => {
            assertProblems(() => planSpec({ nodes: {}, networks: "vlan40" }), [
                "nodes {} must be a non-empty list of nodes",
                "networks vlan40 must be a non-empty list of networks",
            ]);
        });

        it("fails when the spec has an unknown top-level field (typo)", () => {
            assertProblems(() => planSpec({ nodes: seedNodes(), networks: [vlan40()], network: [] }), [
                "spec.network [] is not a known field; allowed: nodes, networks, requireHostKeys",
            ]);
        });
    });

    describe("nodes", () => {
        it("fails when a node is not an object", () => {
            assertProblems(() => planSpec({ nodes: [seedNodes()[0], "worker1"], networks: [vlan40()] }), [
                "nodes[1] worker1 must be a node: {name, host, role, port?, user?, hostKey?}",
            ]);
        });

        it("fails when node names repeat", () => {
            assertProblems(() => planSpec(withNode(2, { name: "manager1" })), [
                "nodes[2].name manager1 is a duplicate of nodes[0].name; node names must be unique",
            ]);
        });

        it("fails when node names repeat even if that node has another problem", () => {
            assertProblems(() => planSpec(withNode(2, { name: "worker1", port: 70000 })), [
                "nodes[2].port 70000 is outside 1-65535",
                "nodes[2].name worker1 is a duplicate of nodes[1].name; node names must be unique",
            ]);
        });

        it("fails when two nodes share an SSH endpoint", () => {
            assertProblems(() => planSpec(withNode(2, { host: "10.0.0.12" })), [
                "nodes[2].host 10.0.0.12 with port 22 is also node worker1; each node needs its own SSH endpoint",
            ]);
        });

        it("accepts two nodes on one host with different ports, and DNS names", () => {
            const nodes = [
                { name: "a", host: "lab.example.org", port: 2201, user: "deploy", role: "manager" },
                { name: "b", host: "lab.example.org", port: 2202, role: "worker" },
            ];
            assert.deepStrictEqual(planSpec({ nodes, networks: [vlan40()] }).nodes, [
                { name: "a", host: "lab.example.org", port: 2201, user: "deploy", role: "manager" },
                { name: "b", host: "lab.example.org", port: 2202, user: "root", role: "worker" },
            ]);
        });

        it("fails when no node is a manager", () => {
            const nodes = seedNodes().map((n) => ({ ...n, role: "worker" }));
            assertProblems(() => planSpec({ nodes, networks: [vlan40()] }), [
                'nodes "manager1,worker1,worker2" has no manager: set role: manager on at least one node',
            ]);
        });

        it("fails when the only manager has a bad host, without claiming there is no manager", () => {
            assertProblems(() => planSpec(withNode(0, { host: "bad host" })), ['nodes[0].host "bad host" is not allowed: a hostname or IP address']);
        });

        it("fails when a role is missing or unknown", () => {
            assertProblems(() => planSpec(withNode(1, { role: undefined })), ["nodes[1].role (missing) must be manager or worker"]);
            assertProblems(() => planSpec(withNode(1, { role: "leader" })), ["nodes[1].role leader must be manager or worker"]);
        });

        it("fails when required fields are missing", () => {
            assertProblems(() => planSpec(withNode(1, { name: undefined, host: undefined })), [
                `nodes[1].name (missing) is required: ${NAME_RULE}`,
                "nodes[1].host (missing) is required: a hostname or IP address",
            ]);
        });

        it("fails when a node has an unknown field (typo)", () => {
            assertProblems(() => planSpec(withNode(1, { hostname: "w1", usr: "deploy" })), [
                "nodes[1].hostname w1 is not a known field; allowed: name, host, port, user, role, hostKey",
                "nodes[1].usr deploy is not a known field; allowed: name, host, port, user, role, hostKey",
            ]);
        });

        it("fails when the port is out of range or not an integer", () => {
            assertProblems(() => planSpec(withNode(1, { port: 0 })), ["nodes[1].port 0 is outside 1-65535"]);
            assertProblems(() => planSpec(withNode(1, { port: 65536 })), ["nodes[1].port 65536 is outside 1-65535"]);
            assertProblems(() => planSpec(withNode(1, { port: 22.5 })), ["nodes[1].port 22.5 must be an integer 1-65535"]);
            assertProblems(() => planSpec(withNode(1, { port: null })), ["nodes[1].port null must be an integer 1-65535"]);
        });

        // A string YAML would read as a number is shown quoted, or it would read "port 22 must be an integer".
        it('fails when the port is the string "22", showing it quoted', () => {
            assertProblems(() => planSpec(withNode(1, { port: "22" })), ['nodes[1].port "22" must be an integer 1-65535']);
        });

        it("fails when the user is not a plain login name", () => {
            assertProblems(() => planSpec(withNode(1, { user: "Root" })), ["nodes[1].user Root is not allowed: a login name such as root or deploy"]);
            assertProblems(() => planSpec(withNode(1, { user: "" })), ['nodes[1].user "" is not allowed: a login name such as root or deploy']);
        });

        const rules: Record<string, string> = {
            name: NAME_RULE,
            host: "a hostname or IP address",
            user: "a login name such as root or deploy",
        };
        for (const [field, rule] of Object.entries(rules)) {
            for (const bad of SHELL_WORDS) {
                it(`fails when nodes[1].${field} is ${JSON.stringify(bad)} (shell metacharacters)`, () => {
                    assertProblems(() => planSpec(withNode(1, { [field]: bad })), [`nodes[1].${field} ${JSON.stringify(bad)} is not allowed: ${rule}`]);
                });
            }
        }
    });
});
