import { strict as assert } from "node:assert";
import { parse as parseYaml } from "yaml";
import { NAMESPACE, planSpec, specFromDocument } from "../../components/core";
import { assertProblems, loadFixture } from "./helpers";

/** Seed 001 as a `Pulumi.<env>.yaml` holds it: namespaced keys under config, beside others. */
const STACK_FILE = `
encryptionsalt: v1:abc
config:
  aws:region: eu-west-1
  swarm-macvlan:sshPrivateKey:
    secure: v1:AAAABBBB
  swarm-macvlan:nodes:
    - { name: manager1, host: 10.0.0.11, role: manager }
    - { name: worker1, host: 10.0.0.12, role: worker }
    - { name: worker2, host: 10.0.0.13, role: worker }
  swarm-macvlan:networks:
    - name: vlan40
      parent: bond0
      vlanId: 40
      subnet: 172.80.0.0/16
      gateway: 172.80.0.1
      ipRangePrefix: 24
`;

describe("stackConfig", () => {
    it("namespaces stack config keys as swarm-macvlan", () => {
        assert.equal(NAMESPACE, "swarm-macvlan");
    });

    it("reads {nodes, networks} from a Pulumi.<env>.yaml document, ignoring other keys", () => {
        const fixture = loadFixture("seed001-vlan40.json");
        const spec = specFromDocument(parseYaml(STACK_FILE));
        assert.deepStrictEqual(spec, fixture.spec);
        assert.deepStrictEqual(planSpec(spec), fixture.plan);
    });

    it("returns a plain spec document unchanged", () => {
        const doc = loadFixture("seed002-six-nodes.json").spec;
        assert.equal(specFromDocument(doc), doc);
    });

    it("returns other documents unchanged, for the planner to reject", () => {
        for (const doc of [null, undefined, "nodes: []", [], 7, { config: "x" }, { config: [] }]) {
            assert.equal(specFromDocument(doc), doc);
        }
        assertProblems(() => planSpec(specFromDocument({ config: [] })), [
            "spec.config [] is not a known field; allowed: nodes, networks, requireHostKeys",
            "nodes (missing) must be a non-empty list of nodes",
            "networks (missing) must be a non-empty list of networks",
        ]);
    });

    it("fails when a stack file has no swarm-macvlan keys", () => {
        const doc = parseYaml("config:\n  swarmmacvlan:nodes: []\n");
        assert.deepStrictEqual(specFromDocument(doc), { nodes: undefined, networks: undefined });
        assertProblems(() => planSpec(specFromDocument(doc)), [
            "nodes (missing) must be a non-empty list of nodes",
            "networks (missing) must be a non-empty list of networks",
        ]);
    });
});
