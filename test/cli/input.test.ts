import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../cli/main";

const ROOT = path.join(__dirname, "../..");
const SEED001 = fs.readFileSync(path.join(ROOT, "examples/seeds/001-vlan40.yaml"));
const PINS = "# vlan40: paste under the network to pin today's ranges\nranges:\n  manager1: 172.80.1.0/24\n  worker1: 172.80.2.0/24\n  worker2: 172.80.3.0/24\n";
/** What plan says on stderr of seed 001's three nodes, which have no hostKey. */
const NO_KEYS = [["manager1", "10.0.0.11"], ["worker1", "10.0.0.12"], ["worker2", "10.0.0.13"]].map(([node, host]) =>
    `warning: node ${node} has no hostKey: any machine that answers at ${host}:22 is taken for it; run swarm-macvlan keyscan --config FILE, ` +
    "check each fingerprint it shows on its node (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), and paste the hostKey lines it prints\n").join("");

async function run(stdin: Buffer, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stdin: () => stdin });
    return { code, out, err };
}

/** Writes `files` (name: content) into a new temporary directory; returns its path. */
function tempDir(files: Record<string, string | Buffer>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "smv-input-"));
    for (const [name, content] of Object.entries(files)) {
        fs.writeFileSync(path.join(dir, name), content);
    }
    return dir;
}

/** Runs `plan --config FILE` on a file holding `content`; returns the result and the file's path. */
async function planOf(content: string | Buffer, name = "spec.yaml"): Promise<{ code: number; out: string; err: string; file: string }> {
    const file = path.join(tempDir({ [name]: content }), name);
    return { ...(await run(Buffer.alloc(0), "plan", "--config", file)), file };
}

describe("swarm-macvlan help and version", () => {
    it("prints the general help on --help, -h and help (exit 0)", async () => {
        const help = [
            "swarm-macvlan: plans Docker Swarm macvlan networks across every node, and checks the nodes against the plan.",
            "",
            "usage: swarm-macvlan plan --config FILE [--format json|table|markdown|pins|svg] [--namespace NAME]",
            "       swarm-macvlan check --config FILE [--identity KEYFILE] [--format table|json|markdown] [--timeout SECONDS] [--namespace NAME] [--known-hosts FILE]",
            "       swarm-macvlan status --config FILE [--identity KEYFILE] [--format table|json|markdown] [--timeout SECONDS] [--namespace NAME] [--known-hosts FILE]",
            "       swarm-macvlan keyscan --config FILE [--timeout SECONDS] [--namespace NAME]",
            "       swarm-macvlan --help | --version | COMMAND --help",
            "",
            "  plan    Validates a spec and prints its plan, touching no host: exit 0 with the plan on stdout, 2 with every problem on stderr.",
            "  check   Compares every node with the plan over SSH, without Pulumi state: exit 0 in sync, 2 on drift, 1 when a node could not be checked.",
            "  status  Lists every container on the plan's networks on every node with its address and service, each range's use, and addresses " +
                "outside their range or on two nodes; each task address and whether a task holds it, services without the placement constraint " +
                "or updating start-first onto pinned addresses, and nodes whose placement label and network disagree: exit 0 fine, 2 on such a problem, 1 when a node could not be asked.",
            "  keyscan Prints the nodes with the SSH host key each offers now (hostKey) and its fingerprint, to check on each node and paste: " +
                "exit 0, 1 when a node did not answer. Nothing is trusted or written by itself.",
            "",
            "FILE is a spec file ({nodes, networks}, YAML or JSON) or a stack file, Pulumi.<env>.yaml; - reads it from stdin.",
            "Exit status: 0 fine, 1 a node could not be reached, 2 an invalid spec or drift, 64 bad usage.",
            "",
        ].join("\n");
        for (const flag of ["--help", "-h", "help"]) {
            assert.deepStrictEqual(await run(Buffer.alloc(0), flag), { code: 0, out: help, err: "" });
        }
    });

    it("prints each command's help with its options (exit 0), whatever else is given", async () => {
        assert.deepStrictEqual(await run(Buffer.alloc(0), "plan", "--help"), {
            code: 0, err: "", out: [
                "usage: swarm-macvlan plan --config FILE [--format json|table|markdown|pins|svg] [--namespace NAME]",
                "",
                "Validates a spec and prints its plan, touching no host: exit 0 with the plan on stdout, 2 with every problem on stderr.",
                "",
                "  --config FILE     a spec file ({nodes, networks}, YAML or JSON) or a stack file, Pulumi.<env>.yaml; - reads it from stdin",
                "  --format FORMAT   table (the default), json, markdown (a pull-request comment), pins (today's ranges as spec text), svg (an address map per subnet)",
                "  --namespace NAME  a stack file's config namespace (default: the name in the Pulumi.yaml beside it, else swarm-macvlan)",
                "  -h, --help        this help",
                "",
            ].join("\n"),
        });
        assert.deepStrictEqual(await run(Buffer.alloc(0), "check", "-h", "--config", "x"), {
            code: 0, err: "", out: [
                "usage: swarm-macvlan check --config FILE [--identity KEYFILE] [--format table|json|markdown] [--timeout SECONDS] [--namespace NAME] [--known-hosts FILE]",
                "",
                "Compares every node with the plan over SSH, without Pulumi state: exit 0 in sync, 2 on drift, 1 when a node could not be checked.",
                "",
                "  --config FILE       a spec file ({nodes, networks}, YAML or JSON) or a stack file, Pulumi.<env>.yaml; - reads it from stdin",
                "  --identity KEYFILE  the SSH private key (default: the stack file's <namespace>:sshPrivateKeyPath, else the ssh-agent)",
                "  --format FORMAT     table (the default), json or markdown",
                "  --timeout SECONDS   how long each node may take, connecting included (default 120)",
                "  --namespace NAME    a stack file's config namespace (default: the name in the Pulumi.yaml beside it, else swarm-macvlan)",
                "  --known-hosts FILE  host keys for the nodes without a hostKey (default: ~/.ssh/known_hosts, if it exists; hashed entries too)",
                "  -h, --help          this help",
                "",
            ].join("\n"),
        });
    });

    it("prints the package's version on --version", async () => {
        const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        assert.deepStrictEqual(await run(Buffer.alloc(0), "--version"), { code: 0, out: `${version}\n`, err: "" });
    });
});

describe("swarm-macvlan plan input", () => {
    it("reads the spec from stdin with --config -", async () => {
        assert.deepStrictEqual(await run(SEED001, "plan", "--config", "-", "--format", "pins"), { code: 0, out: PINS, err: NO_KEYS });
        assert.deepStrictEqual(await run(Buffer.from("nodes: []\nnetworks: []\n"), "plan", "--config", "-"), {
            code: 2, out: "", err: "stdin: invalid swarm-macvlan spec (2 problems):\n  nodes [] must be a non-empty list of nodes\n  networks [] must be a non-empty list of networks\n",
        });
    });

    it("fails when the YAML does not parse, naming the file, line and column and showing the line (exit 2)", async () => {
        const bad = await planOf("nodes:\n  - { name: manager1, host: 10.0.0.11 role: manager }\n");
        assert.deepStrictEqual(bad, {
            file: bad.file, code: 2, out: "",
            err: `swarm-macvlan: cannot parse ${bad.file}: line 2, column 29: Block collections are not allowed within flow collections\n` +
                "    - { name: manager1, host: 10.0.0.11 role: manager }\n" +
                `  ${" ".repeat(28)}^\n`,
        });
        const nested = await planOf("a: b: c\n");
        assert.equal(nested.err, `swarm-macvlan: cannot parse ${nested.file}: line 1, column 4: Nested mappings are not allowed in compact mappings\n  a: b: c\n     ^\n`);
        const two = await planOf("nodes: []\n---\nnetworks: []\n");
        assert.equal(two.err, `swarm-macvlan: cannot parse ${two.file}: line 2, column 1: holds more than one YAML document (---); a spec is one document\n  ---\n  ^\n`);
        assert.deepStrictEqual(await run(Buffer.from("[1, 2\n"), "plan", "--config", "-"), {
            code: 2, out: "", err: "swarm-macvlan: cannot parse stdin: line 2, column 1: Flow sequence must end with a ]\n",
        });
    });

    it("fails when the file is empty or holds only comments (exit 2)", async () => {
        for (const content of ["", "\n\n", "# nothing yet\n"]) {
            const empty = await planOf(content);
            assert.deepStrictEqual(empty, {
                file: empty.file, code: 2, out: "",
                err: `swarm-macvlan: ${empty.file} is empty; pass a spec file ({nodes, networks}) or a stack file, Pulumi.<env>.yaml\n`,
            });
        }
    });

    it("fails when given a Pulumi project file, saying to pass a stack file (exit 2)", async () => {
        assert.deepStrictEqual(await run(Buffer.alloc(0), "plan", "--config", path.join(ROOT, "Pulumi.yaml")), {
            code: 2, out: "", err: `swarm-macvlan: ${path.join(ROOT, "Pulumi.yaml")}: this is a Pulumi project file; pass a stack file, Pulumi.<env>.yaml\n`,
        });
    });

    it("fails on a binary file without echoing it: a short, escaped excerpt (exit 2)", async () => {
        const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(7000, 0x1b)]);
        const binary = await planOf(png, "image.yaml");
        assert.deepStrictEqual(binary, {
            file: binary.file, code: 2, out: "",
            err: `swarm-macvlan: ${binary.file} is not UTF-8 text; is it a binary file? It starts "\\x89PNG\\x0d\\x0a\\x1a\\x0a\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b"...\n`,
        });
        const control = await planOf("nodes: []\x1b[2J\x00\n");
        assert.deepStrictEqual(control, {
            file: control.file, code: 2, out: "",
            err: `swarm-macvlan: ${control.file} holds a control character (\\x1b); is it a binary file? It starts "nodes: []\\x1b[2J\\x00\\x0a"\n`,
        });
    });

    it("fails on a file larger than 16 MiB, or endless, without reading it whole (exit 2)", async () => {
        const big = await planOf(Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
        assert.deepStrictEqual(big, { file: big.file, code: 2, out: "",
            err: `swarm-macvlan: ${big.file} holds more than 16 MiB; a spec of thousands of nodes is far smaller: is it the right file?\n` });
        assert.deepStrictEqual(await run(Buffer.alloc(0), "plan", "--config", "/dev/zero"), { code: 2, out: "",
            err: "swarm-macvlan: /dev/zero holds more than 16 MiB; a spec of thousands of nodes is far smaller: is it the right file?\n" });
    });

    it("fails on a YAML alias bomb, without expanding it (exit 2)", async () => {
        const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 9 }, (_, i) =>
            `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n") + "\n";
        const r = await planOf(bomb);
        assert.deepStrictEqual(r, { file: r.file, code: 2, out: "",
            err: `swarm-macvlan: cannot parse ${r.file}: its YAML aliases expand more than 100 times; a spec needs few if any\n` });
    });

    it("shows at most 160 characters of a long bad value, and its length", async () => {
        const r = await planOf("nodes:\n  - { name: node1, host: 10.0.0.11, role: manager }\nnetworks:\n" +
            `  - { name: v40, parent: ${"e".repeat(1_000_000)}, subnet: 10.40.0.0/16, gateway: 10.40.0.1, ipRangePrefix: 24 }\n`);
        assert.deepStrictEqual([r.code, r.out], [2, ""]);
        assert.ok(r.err.includes(`networks[0].parent "${"e".repeat(160)}"... (1,000,000 characters) is not a valid interface name`), r.err.slice(0, 400));
        assert.ok(r.err.length < 1000, `${r.err.length} characters on stderr`);
    });

    it("reads a stack file's keys under the project name of the Pulumi.yaml beside it, or under --namespace", async () => {
        const spec = [
            "config:",
            "  netops:nodes:",
            "    - { name: manager1, host: 10.0.0.11, role: manager }",
            "    - { name: worker1, host: 10.0.0.12, role: worker }",
            "    - { name: worker2, host: 10.0.0.13, role: worker }",
            "  netops:networks:",
            "    - { name: vlan40, parent: bond0, vlanId: 40, subnet: 172.80.0.0/16, gateway: 172.80.0.1, ipRangePrefix: 24 }",
            "",
        ].join("\n");
        const dir = tempDir({ "Pulumi.yaml": "name: netops\nruntime: nodejs\n", "Pulumi.prod.yaml": spec });
        assert.deepStrictEqual(await run(Buffer.alloc(0), "plan", "--config", path.join(dir, "Pulumi.prod.yaml"), "--format", "pins"), { code: 0, out: PINS, err: NO_KEYS });
        const other = tempDir({ "Pulumi.prod.yaml": spec });
        assert.deepStrictEqual(await run(Buffer.alloc(0), "plan", "--config", path.join(other, "Pulumi.prod.yaml"), "--format", "pins", "--namespace", "netops"), { code: 0, out: PINS, err: NO_KEYS });
        assert.deepStrictEqual(await run(Buffer.alloc(0), "plan", "--config", path.join(other, "Pulumi.prod.yaml")), {
            code: 2, out: "",
            err: `${path.join(other, "Pulumi.prod.yaml")}: invalid swarm-macvlan spec (2 problems):\n  nodes (missing) must be a non-empty list of nodes\n  networks (missing) must be a non-empty list of networks\n`,
        });
    });
});
