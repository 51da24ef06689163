import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fc from "fast-check";
import { STEP_COMMANDS, fail, line, quote, script, stepStdin } from "../../components/core";

/** What bash prints for `printf %s <quoted word>`, as raw bytes decoded as UTF-8. */
function bashEcho(quoted: string): string {
    const run = spawnSync("bash", ["-c", `printf %s ${quoted}`], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    return run.stdout;
}

describe("shell", () => {
    describe("quote", () => {
        const cases: [string, string][] = [
            ["eth0.40", "eth0.40"],
            ["swarm-macvlan:vlan40", "swarm-macvlan:vlan40"],
            ["parent=bond0.40", "parent=bond0.40"],
            ["host-worker1=172.80.2.250", "host-worker1=172.80.2.250"],
            ["/var/lib/swarm-macvlan/promisc-eth1", "/var/lib/swarm-macvlan/promisc-eth1"],
            ["2001:db8:babe:10::/64", "2001:db8:babe:10::/64"],
            ["", "''"],
            ["it's", "'it'\\''s'"],
            ["''", "''\\'''\\'''"],
            ["$(id)", "'$(id)'"],
            ["`id`", "'`id`'"],
            ["eth0;reboot", "'eth0;reboot'"],
            ["a b", "'a b'"],
            ["a\nb", "'a\nb'"],
            ["{{.Driver}} {{.Scope}}", "'{{.Driver}} {{.Scope}}'"],
            ['say "hi"', "'say \"hi\"'"],
            ["~", "'~'"],
            ["*", "'*'"],
            ["a\\b", "'a\\b'"],
            ["!x", "'!x'"],
            ["ünï", "'ünï'"],
        ];
        for (const [word, quoted] of cases) {
            it(`quotes ${JSON.stringify(word)} as ${JSON.stringify(quoted)}`, () => {
                assert.equal(quote(word), quoted);
            });
        }

        it("round-trips any string without NUL through bash (binary code points)", function () {
            this.timeout(60_000);
            const word = fc.string({ unit: "binary", maxLength: 40 }).filter((s) => !s.includes("\0"));
            fc.assert(fc.property(word, (s) => assert.equal(bashEcho(quote(s)), s)), { numRuns: 300 });
        });

        it("round-trips strings dense in shell metacharacters through bash", function () {
            this.timeout(60_000);
            const unit = fc.oneof(fc.constantFrom(..."'\"$`\\!*?[]{}()<>|&;~#= \t\n%@+:,./-"), fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 1 }));
            const word = fc.string({ unit, maxLength: 30 }).filter((s) => !s.includes("\0"));
            fc.assert(fc.property(word, (s) => assert.equal(bashEcho(quote(s)), s)), { numRuns: 300 });
        });
    });

    describe("line, fail and script", () => {
        it("quotes every element of a command line", () => {
            assert.equal(line(["ip", "link", "set", "dev", "eth0.40", "alias", "swarm-macvlan:vlan40"]), "ip link set dev eth0.40 alias swarm-macvlan:vlan40");
            assert.equal(line(["echo", "a b", "it's", ""]), "echo 'a b' 'it'\\''s' ''");
        });

        it("builds a fail call with its message as one word", () => {
            assert.equal(fail("trunk interface eth0 does not exist"), "fail 'trunk interface eth0 does not exist'");
        });

        it("starts a script with set -eu and the fail helper, one line each", () => {
            assert.equal(
                script(line(["ip", "link", "set", "dev", "eth1", "up"])),
                'set -eu\nfail() { echo "swarm-macvlan: $*" >&2; exit 1; }\nip link set dev eth1 up\n',
            );
        });

        it("makes fail print its message on stderr and exit 1", () => {
            const run = spawnSync("bash", ["-c", script(fail("it's $(gone)"), "echo unreachable")], { encoding: "utf8" });
            assert.deepStrictEqual([run.status, run.stdout, run.stderr], [1, "", "swarm-macvlan: it's $(gone)\n"]);
        });

        it("stops at the first failing command (set -e) and on unset variables (set -u)", () => {
            const failing = spawnSync("bash", ["-c", script("false", "echo after")], { encoding: "utf8" });
            const unset = spawnSync("bash", ["-c", script("echo $nope", "echo after")], { encoding: "utf8" });
            assert.deepStrictEqual([failing.status, failing.stdout], [1, ""]);
            assert.deepStrictEqual([unset.status, unset.stdout], [1, ""]);
            assert.match(unset.stderr, /^bash: (line 3: )?nope: unbound variable\n$/); // the line number depends on the bash version
        });
    });
    describe("stepStdin", () => {
        const text = stepStdin({
            create: script("cat; echo made", fail("eth1.40 on node1 is not VLAN 40")),
            delete: script("echo gone"),
        });
        const run = (...args: string[]) => spawnSync("sh", ["-s", "--", ...args], { input: text, encoding: "utf8" });

        it("runs the script its argument names, with no standard input: a failing one says only its own message", () => {
            assert.deepStrictEqual([run("create"), run("delete"), run()].map((r) => [r.status, r.stdout, r.stderr]), [
                [1, "made\n", "swarm-macvlan: eth1.40 on node1 is not VLAN 40\n"],
                [0, "gone\n", ""],
                [2, "", "swarm-macvlan: run as: sh -s -- create, or sh -s -- delete (got nothing)\n"],
            ]);
        });

        it("keeps each script whole between its label and its end mark", () => {
            assert.equal(text, [
                "{", 'case "${1:-}" in',
                "create)", "set -eu", 'fail() { echo "swarm-macvlan: $*" >&2; exit 1; }', "cat; echo made", "fail 'eth1.40 on node1 is not VLAN 40'", ";; # end of create",
                "delete)", "set -eu", 'fail() { echo "swarm-macvlan: $*" >&2; exit 1; }', "echo gone", ";; # end of delete",
                '*) echo "swarm-macvlan: run as: sh -s -- create, or sh -s -- delete (got ${1:-nothing})" >&2; exit 2 ;;', "esac", "} </dev/null", "",
            ].join("\n"));
            assert.deepStrictEqual(STEP_COMMANDS, { create: "sh -s -- create", delete: "sh -s -- delete" });
        });
    });
});
