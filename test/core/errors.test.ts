import { strict as assert } from "node:assert";
import { Problems, SpecError, show } from "../../components/core";

describe("errors", () => {
    it("formats SpecError as the TSDoc example says", () => {
        const e = new SpecError(["networks[0].vlanId 5000 is outside 1-4094"]);
        assert.deepStrictEqual([e.name, e.message, e.problems, e instanceof Error], [
            "SpecError", "invalid swarm-macvlan spec (1 problem):\n  networks[0].vlanId 5000 is outside 1-4094", ["networks[0].vlanId 5000 is outside 1-4094"], true,
        ]);
    });

    it("collects problems in order and throws them once", () => {
        const problems = new Problems();
        problems.throwIfAny();
        problems.add("a", "x y", "is bad");
        problems.add("b", undefined, "is required");
        assert.deepStrictEqual(problems.list, ['a "x y" is bad', "b (missing) is required"]);
        assert.throws(() => problems.throwIfAny(), { name: "SpecError", message: 'invalid swarm-macvlan spec (2 problems):\n  a "x y" is bad\n  b (missing) is required' });
    });

    const shown: [unknown, string][] = [
        ["bond0.40", "bond0.40"],
        ["2001:db8::/64", "2001:db8::/64"],
        ["yes", "yes"],
        ["", '""'],
        ["a b", '"a b"'],
        ["a\nb", '"a\\nb"'],
        ["22", '"22"'],
        ["-1", '"-1"'],
        ["1.5", '"1.5"'],
        ["true", '"true"'],
        ["null", '"null"'],
        [22, "22"],
        [true, "true"],
        [null, "null"],
        [undefined, "(missing)"],
        [["eth1"], '["eth1"]'],
        [{ a: 1 }, '{"a":1}'],
    ];
    for (const [value, text] of shown) {
        it(`shows ${JSON.stringify(value) ?? "undefined"} as ${text}`, () => {
            assert.equal(show(value), text);
        });
    }

    it("shows quoted every string YAML would not read as a string (True, 0x16, 1e3, ...)", () => {
        const texts = ["True", "FALSE", "Null", "0x16", "0o17", "1e3", "1.", ".inf"];
        assert.deepStrictEqual(texts.map(show), texts.map((t) => JSON.stringify(t)));
    });
});
