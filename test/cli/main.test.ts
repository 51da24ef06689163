import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { main } from "../../cli/main";

const ROOT = path.join(__dirname, "../..");
const seed = (name: string) => path.join(ROOT, "examples/seeds", name);

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    return runWith(Buffer.alloc(0), ...argv);
}

/** Runs the CLI with `stdin` as its standard input. */
async function runWith(stdin: Buffer, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stdin: () => stdin });
    return { code, out, err };
}

function tempFile(name: string, text: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "smv-cli-"));
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
}

const PLAN_USAGE = "usage: swarm-macvlan plan --config FILE [--format json|table|markdown|pins|svg] [--namespace NAME]\n" +
    "       swarm-macvlan plan --help\n";
const CHECK_USAGE = "usage: swarm-macvlan check --config FILE [--identity KEYFILE] [--format table|json|markdown] [--timeout SECONDS] [--namespace NAME] [--known-hosts FILE]\n" +
    "       swarm-macvlan check --help\n";
const USAGE = "usage: swarm-macvlan plan --config FILE [--format json|table|markdown|pins|svg] [--namespace NAME]\n" +
    "       swarm-macvlan check --config FILE [--identity KEYFILE] [--format table|json|markdown] [--timeout SECONDS] [--namespace NAME] [--known-hosts FILE]\n" +
    "       swarm-macvlan status --config FILE [--identity KEYFILE] [--format table|json|markdown] [--timeout SECONDS] [--namespace NAME] [--known-hosts FILE]\n" +
    "       swarm-macvlan keyscan --config FILE [--timeout SECONDS] [--namespace NAME]\n" +
    "       swarm-macvlan --help | --version | COMMAND --help\n";

describe("swarm-macvlan plan", () => {
    it("plans seeds 000/001 (vlan40, a /24 per host in 172.80.0.0/16) as JSON", async () => {
        const { code, out, err } = await run("plan", "--config", seed("001-vlan40.yaml"), "--format", "json");
        // The seed pins no host keys: one warning per node, on stderr, the plan unchanged on stdout.
        assert.deepStrictEqual(err.split("\n").map((l) => l.split(":")[0]), ["warning", "warning", "warning", ""]);
        assert.equal(code, 0);
        const node = (n: string, i: number) => ({
            node: n, parent: "bond0.40", trunk: "bond0", ipRange: `172.80.${i}.0/24`, hostAddress: `172.80.${i}.254`,
            auxAddresses: { host: `172.80.${i}.254`, "range-first": `172.80.${i}.0`, "range-last": `172.80.${i}.255` },
        });
        assert.deepStrictEqual(JSON.parse(out), {
            networks: [{
                name: "vlan40", subnet: "172.80.0.0/16", gateway: "172.80.0.1", ipRangePrefix: 24, vlanId: 40, attachable: true, adopt: false, persist: true,
                configNetworkName: "vlan40_net", swarmNetworkName: "swarm-vlan40_net", manager: "manager1",
                nodes: [node("manager1", 1), node("worker1", 2), node("worker2", 3)],
            }],
        });
    });

    it("plans seed 002: six hosts, each host address reserved in its own range", async () => {
        const { code, out } = await run("plan", "--config", seed("002-six-hosts.yaml"), "--format", "json");
        assert.equal(code, 0);
        const nodes = JSON.parse(out).networks[0].nodes;
        assert.deepStrictEqual(nodes.map((n: any) => [n.node, n.ipRange, n.auxAddresses, n.hostAddress]), [
            ["mgr01", "192.168.17.0/24", { host: "192.168.17.1", "range-first": "192.168.17.0", "range-last": "192.168.17.255" }, "192.168.17.1"],
            ["mgr02", "192.168.18.0/24", { host: "192.168.18.1", "range-first": "192.168.18.0", "range-last": "192.168.18.255" }, "192.168.18.1"],
            ["mgr03", "192.168.19.0/24", { host: "192.168.19.1", "range-first": "192.168.19.0", "range-last": "192.168.19.255" }, "192.168.19.1"],
            ["swarm01", "192.168.20.0/24", { host: "192.168.20.1", "range-first": "192.168.20.0", "range-last": "192.168.20.255" }, "192.168.20.1"],
            ["swarm02", "192.168.21.0/24", { host: "192.168.21.1", "range-first": "192.168.21.0", "range-last": "192.168.21.255" }, "192.168.21.1"],
            ["swarm03", "192.168.22.0/24", { host: "192.168.22.1", "range-first": "192.168.22.0", "range-last": "192.168.22.255" }, "192.168.22.1"],
        ]);
    });

    it("plans seed 003: two VLANs on one trunk, dual stack", async () => {
        const { code, out } = await run("plan", "--config", seed("003-two-vlans-ipv6.yaml"), "--format", "json");
        assert.equal(code, 0);
        const nets = JSON.parse(out).networks;
        assert.deepStrictEqual(nets.map((n: any) => n.nodes.map((x: any) => [x.node, x.parent, x.ipRange, x.ipv6.ipRange])), [
            [["docker1", "eth0.10", "10.0.10.16/28", "2001:db8:babe:10:1::/80"], ["docker2", "eth0.10", "10.0.10.32/28", "2001:db8:babe:10:2::/80"]],
            [["docker1", "eth0.20", "10.0.20.16/28", "2001:db8:babe:20:1::/80"], ["docker2", "eth0.20", "10.0.20.32/28", "2001:db8:babe:20:2::/80"]],
        ]);
        assert.deepStrictEqual(nets[1].ipv6, { subnet: "2001:db8:babe:20::/64", gateway: "2001:db8:babe:20::1", ipRangePrefix: 80 });
    });

    it("reads a Pulumi.<env>.yaml stack file and shows the docker commands in markdown", async () => {
        const { code, out } = await run("plan", "--config", path.join(ROOT, "examples/vlan40/Pulumi.prod.yaml"), "--format", "markdown");
        assert.equal(code, 0);
        assert.equal(out.split("\n")[0], "### vlan40: 172.80.0.0/16 via 172.80.0.1, VLAN 40; swarm network swarm-vlan40_net on manager1");
        assert.ok(out.includes("| `worker2` | `bond0.40` | `172.80.3.0/24` | `-` | `172.80.3.254` | `shim-vlan40` |"), out);
        assert.ok(out.includes("manager1# docker network create -d macvlan --scope swarm --config-from vlan40_net --attachable swarm-vlan40_net\n"), out);
    });

    it("fails when the spec is invalid: exit 2 and every problem on stderr", async () => {
        const file = tempFile("bad.yaml", "nodes: [{name: n1, host: h1, role: worker}]\nnetworks: [{name: v, parent: eth1, subnet: 10.0.0.0/16, gateway: 10.1.0.1, ipRangePrefix: 24, ranges: {n1: 10.90.1.0/24}}]\n");
        const { code, out, err } = await run("plan", "--config", file);
        assert.equal(out, "");
        assert.equal(code, 2);
        assert.equal(err, `${file}: invalid swarm-macvlan spec (3 problems):\n` +
            "  nodes n1 has no manager: set role: manager on at least one node\n" +
            "  networks[0].gateway 10.1.0.1 is outside subnet 10.0.0.0/16\n" +
            "  networks[0].ranges.n1 10.90.1.0/24 is outside subnet 10.0.0.0/16\n");
    });

    it("fails when the file cannot be read (exit 2) or the usage is wrong (exit 64)", async () => {
        assert.deepStrictEqual(await run("plan", "--config", "/nonexistent/spec.yaml"), {
            code: 2, out: "", err: "swarm-macvlan: cannot read /nonexistent/spec.yaml: ENOENT: no such file or directory, open '/nonexistent/spec.yaml'\n",
        });
        assert.deepStrictEqual(await run("plan", "--format", "xml", "--config", "x"), {
            code: 64, out: "", err: `swarm-macvlan: --format "xml" is not one of json, table, markdown, pins, svg\n${PLAN_USAGE}`,
        });
    });

    it("runs from the package's launcher (bin/swarm-macvlan.js) with the documented exit codes", function () {
        this.timeout(60_000);
        const launcher = path.join(ROOT, "bin", "swarm-macvlan.js");
        const ok = spawnSync(launcher, ["plan", "--config", seed("001-vlan40.yaml"), "--format", "pins"], { cwd: ROOT, encoding: "utf8" });
        assert.equal(ok.status, 0, ok.stderr);
        assert.equal(ok.stdout, "# vlan40: paste under the network to pin today's ranges\nranges:\n  manager1: 172.80.1.0/24\n  worker1: 172.80.2.0/24\n  worker2: 172.80.3.0/24\n");
        const bad = spawnSync(launcher, ["plan", "--config", path.join(ROOT, "package.json")], { cwd: ROOT, encoding: "utf8" });
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /nodes \(missing\) must be a non-empty list of nodes/);
    });
});

describe("swarm-macvlan usage", () => {
    it("fails with exit 64 naming the unknown command, option or value", async () => {
        assert.deepStrictEqual(await run("apply"), { code: 64, out: "", err: `swarm-macvlan: unknown command "apply"; commands: plan, check, status, keyscan\n${USAGE}` });
        assert.deepStrictEqual(await run(), { code: 64, out: "", err: `swarm-macvlan: no command given\n${USAGE}` });
        assert.deepStrictEqual(await run("check", "--config", "x", "--timeout", "soon"), {
            code: 64, out: "", err: `swarm-macvlan: --timeout "soon" is not a whole number of seconds\n${CHECK_USAGE}`,
        });
        assert.deepStrictEqual(await run("check", "--format", "html", "--config", "x"), {
            code: 64, out: "", err: `swarm-macvlan: --format "html" is not one of table, json, markdown\n${CHECK_USAGE}`,
        });
        assert.deepStrictEqual(await run("plan", "--format=html", "--config", "x"), {
            code: 64, out: "", err: `swarm-macvlan: --format "html" is not one of json, table, markdown, pins, svg\n${PLAN_USAGE}`,
        });
        assert.deepStrictEqual(await run("plan", "--bogus", "1"), {
            code: 64, out: "", err: `swarm-macvlan: unknown option "--bogus" for plan; known: --config, --format, --namespace, --help\n${PLAN_USAGE}`,
        });
        assert.deepStrictEqual(await run("plan", "--config", "a.yaml", "extra"), {
            code: 64, out: "", err: `swarm-macvlan: unexpected argument "extra"; plan takes options only\n${PLAN_USAGE}`,
        });
        assert.deepStrictEqual(await run("check"), { code: 64, out: "", err: `swarm-macvlan: --config FILE is required\n${CHECK_USAGE}` });
    });

    it("fails when an option's value is missing, naming the option it took instead (exit 64)", async () => {
        assert.deepStrictEqual(await run("plan", "--config", "--format", "json"), {
            code: 64, out: "", err: `swarm-macvlan: --config needs a value, got the option "--format" (for a value that starts with -, write --config=VALUE)\n${PLAN_USAGE}`,
        });
        assert.deepStrictEqual(await run("plan", "--config"), { code: 64, out: "", err: `swarm-macvlan: --config needs a value\n${PLAN_USAGE}` });
    });
});
