import * as assert from "node:assert/strict";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { COMMAND, find, registrations, settled } from "../components/mocks";

// Resolve `swarm-macvlan` to this checkout, as `npm install swarm-macvlan` would to the package.
const Module = require("module");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request: string, ...rest: unknown[]) {
    return resolve.call(this, request === "swarm-macvlan" ? path.join(__dirname, "../../components/index.ts") : request, ...rest);
};

describe("examples/existing-stack", () => {
    it("adds the macvlan network beside the stack's own service, which waits for it", async () => {
        registrations.length = 0;
        pulumi.runtime.setConfig("swarm-macvlan:sshPrivateKey", "example-key");
        const program = require("../../examples/existing-stack/index.ts");
        await settled(program.service.urn);
        assert.deepStrictEqual(program.ranges, { manager1: "172.80.1.0/24", worker1: "172.80.2.0/24" });
        const deps = find(COMMAND, "web").dependencies.map((u) => u.slice(u.lastIndexOf("::") + 2)).sort();
        assert.deepStrictEqual(deps, ["apps-vlan40-swarm", "apps-vlan40-swarm-drift"]);
        assert.match(find(COMMAND, "web").inputs.create, / --network swarm-vlan40_net /);
        assert.deepStrictEqual(registrations.filter((r) => r.type === COMMAND).map((r) => r.name).sort(), [
            "apps-vlan40-manager1-config", "apps-vlan40-manager1-shim", "apps-vlan40-manager1-vlan",
            "apps-vlan40-swarm",
            "apps-vlan40-worker1-config", "apps-vlan40-worker1-shim", "apps-vlan40-worker1-vlan",
            "web",
        ]);
    });
});
