import { strict as assert } from "node:assert";
import * as fc from "fast-check";
import { identity } from "../../components/core";

describe("identity", () => {
    it("sorts keys at every level and leaves out undefined fields, keeping array order", () => {
        assert.equal(identity({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
        assert.equal(identity(["x", 22]), '["x",22]');
    });

    it("gives the same text for the same fields in any order (property)", () => {
        fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
            const reversed = Object.fromEntries(Object.entries(value).reverse());
            assert.equal(identity(reversed), identity(value));
            assert.deepStrictEqual(JSON.parse(identity(value)), JSON.parse(JSON.stringify(value)));
        }));
    });
});
