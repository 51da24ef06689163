import * as assert from "node:assert/strict";
import "./mocks";
import "../../components";
import { providerNamed, providerLoader } from "../../components/providerCode";

describe("NodePreflight's provider", () => {
    const provider = providerNamed("NodePreflight");
    const connection = { host: "10.0.0.11", port: 22, user: "root", privateKey: "key" };
    const olds = { connection, node: "node1", script: "echo ok", engine: "Docker 29.8.1-dev (API 1.56)", __provider: "old code" };
    const news = { connection, node: "node1", script: "echo ok", __provider: providerLoader("NodePreflight") };

    it("sees no change when only its code differs (a new release whose preflight asks the same)", async () => {
        assert.deepStrictEqual(await provider.diff!("node1-preflight", olds, news), { changes: false });
    });

    it("changes when the script, the node or the connection does", async () => {
        for (const changed of [{ script: "echo other" }, { node: "node2" }, { connection: { ...connection, host: "10.0.0.12" } }]) {
            assert.deepStrictEqual(await provider.diff!("node1-preflight", olds, { ...news, ...changed }), { changes: true }, JSON.stringify(changed));
        }
    });
});
