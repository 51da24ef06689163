import * as assert from "node:assert/strict";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { COMMAND, DYNAMIC, find, mockOutputs, registrations, unwrapped } from "../components/mocks";

// Resolve `swarm-macvlan` to this checkout, as `npm install swarm-macvlan` would to the package.
const Module = require("module");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request: string, ...rest: unknown[]) {
    return resolve.call(this, request === "swarm-macvlan" ? path.join(__dirname, "../../components/index.ts") : request, ...rest);
};

/** The resolved value of an output. */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((r) => output.apply(r));
}

describe("examples/inputs", () => {
    it("plans before the addresses exist, then connects to and keys every object on each VM's real address", async () => {
        registrations.length = 0;
        Object.assign(mockOutputs, { "vm1-address": { stdout: "192.0.2.31\n" }, "vm2-address": { stdout: "192.0.2.32\n" }, "vm3-address": { stdout: "192.0.2.33\n" } });
        pulumi.runtime.setConfig("swarm-macvlan:sshPrivateKey", "example-key"); // the mocks' project is swarm-macvlan
        const program = require("../../examples/inputs/index.ts");
        await valueOf(program.swarmNetwork);
        await new Promise((r) => setTimeout(r, 50));
        assert.deepStrictEqual(program.ranges, { vm1: "172.80.1.0/24", vm2: "172.80.2.0/24", vm3: "172.80.3.0/24" });
        // The commands wait for the address commands, connect to their output and carry it in their triggers.
        for (const [vm, host] of [["vm1", "192.0.2.31"], ["vm2", "192.0.2.32"], ["vm3", "192.0.2.33"]]) {
            const config = find(COMMAND, `lab-vlan40-${vm}-config`);
            assert.equal(config.inputs.connection.value.host, host);
            assert.deepStrictEqual(config.inputs.triggers.slice(0, 2), [host, 22]);
            assert.ok(config.dependencies.some((u) => u.endsWith(`command:local:Command::${vm}-address`)), vm);
            assert.equal(unwrapped(find(DYNAMIC, `lab-${vm}-preflight`).inputs.connection).host, host);
        }
        assert.equal(find(COMMAND, "lab-vlan40-swarm").inputs.connection.value.host, "192.0.2.31");
        assert.deepStrictEqual(find("command:local:Command", "vm2-address").inputs.create, "getent ahostsv4 vm2.lab.example | awk 'NR == 1 { print $1 }'");
    });
});
