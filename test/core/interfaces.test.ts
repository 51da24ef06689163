import { strict as assert } from "node:assert";
import { nodeInterfaces } from "../../components/core";

const net = { path: "networks[1]", parent: "bond0", overrides: new Map([["worker2", "eth2"]]) };

describe("nodeInterfaces", () => {
    it("uses the network's parent, or the node's override, naming the field it comes from", () => {
        assert.deepStrictEqual(nodeInterfaces(net, "worker1"), { parent: "bond0", field: "networks[1].parent" });
        assert.deepStrictEqual(nodeInterfaces(net, "worker2"), { parent: "eth2", field: "networks[1].parents.worker2" });
    });

    it("with a VLAN, makes <trunk>.<vlanId> the parent and the override the trunk", () => {
        assert.deepStrictEqual(nodeInterfaces({ ...net, vlanId: 40 }, "worker1"), { parent: "bond0.40", trunk: "bond0", field: "networks[1].parent" });
        assert.deepStrictEqual(nodeInterfaces({ ...net, vlanId: 40 }, "worker2"), { parent: "eth2.40", trunk: "eth2", field: "networks[1].parents.worker2" });
    });
});
