// End-to-end on the oldest engine swarm-macvlan supports: the namespace lab on Debian 12's
// docker.io (Engine 20.10, API 1.41). The first deployment, an appended node and destroy, as on
// the current engine (lab.test.ts), so that a change which only works on new engines fails here.
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { parse, stringify } from "yaml";
import * as core from "../../components/core";
import { main as cli } from "../../cli/main";
import { freshStack, pulumiEnv, repoRoot } from "../support/pulumiEnv";
import { Lab, engineOf, handMade, hostPing, inRange, labExec, labUp, onNode, plannedOps, preflightEngines, runningTask, tearDown, waitFor } from "../support/lab";

const STACK = "e2e-floor";
const STACK_FILE = path.join(repoRoot, `Pulumi.${STACK}.yaml`);
const SERVICE = "floor-probe";
const NETWORK = { name: "lab40", parent: "eth1", subnet: "10.214.0.0/16", gateway: "10.214.0.1", ipRangePrefix: 24, shim: true, persist: false };
/** The library's placement label for lab40, and the constraint the probe service gives. */
const LABEL = core.placementLabel("lab40");
const CONSTRAINT = core.placementConstraint("lab40");
const TWO = ["node1", "node2"];
const THREE = [...TWO, "node3"];

let lab: Lab;
let stack: Stack;

const log = (text: string) => process.stderr.write(text);

/** Writes the stack file for `nodes` (keeping Pulumi's encryption salt); returns the plan. */
function setConfig(nodes: readonly string[], patch: Record<string, unknown> = {}): core.Plan {
    const config = {
        "swarm-macvlan:sshPrivateKeyPath": lab.sshKey,
        "swarm-macvlan:nodes": lab.nodes.filter((n) => nodes.includes(n.name)).map((n) => ({ name: n.name, host: n.host, role: n.role, hostKey: n.hostKey })),
        "swarm-macvlan:networks": [{ ...NETWORK, ...patch }],
    };
    const file = fs.existsSync(STACK_FILE) ? parse(fs.readFileSync(STACK_FILE, "utf8")) ?? {} : {};
    fs.writeFileSync(STACK_FILE, stringify({ ...file, config }), { mode: 0o600 });
    return core.planSpec(core.specFromDocument({ config }));
}

/** Every node's swarm labels, by node name, as the manager shows them. */
function nodeLabels(): Record<string, Record<string, string>> {
    return Object.fromEntries(lab.nodes.map((n) => [n.name, JSON.parse(onNode("node1", "docker", "node", "inspect", "-f", "{{json .Spec.Labels}}", n.name)) ?? {}]));
}

/** Each node's probe address, once every one of `nodes` runs a probe. */
function probes(nodes: readonly string[]): Map<string, string> | undefined {
    const found = new Map<string, string>();
    for (const n of nodes) {
        const ip = runningTask(n, SERVICE)?.networks["swarm-lab40_net"]?.v4;
        if (!ip) {
            return undefined;
        }
        found.set(n, ip);
    }
    return found;
}

describe("end-to-end on the oldest supported engine (Docker 20.10, the namespace lab)", function () {
    this.timeout(15 * 60_000);

    before(async function () {
        this.timeout(60 * 60_000);
        const env = await pulumiEnv();
        lab = labUp(3, false, "debian");
        stack = await freshStack(STACK, env);
    });

    after(async function () {
        this.timeout(15 * 60_000);
        await tearDown(stack, STACK_FILE, log);
    });

    it("first deployment: each preflight names Docker 20.10; config-only networks as planned, the swarm network from them; a service's tasks in their ranges, reached across nodes and from their host", async () => {
        const engine = engineOf("node1");
        assert.match(engine, /^Docker 20\.10\.\d+\S* \(API 1\.41\)$/);
        const plan = setConfig(TWO);
        assert.equal((await stack.up({ onOutput: log })).summary.result, "succeeded");
        assert.deepStrictEqual(await preflightEngines(stack), Object.fromEntries(TWO.map((n) => [`swarm-macvlan-${n}-preflight`, engine])));
        const net = plan.networks[0];
        for (const n of net.nodes) {
            const actual = JSON.parse(onNode(n.node, "docker", "network", "inspect", net.configNetworkName))[0];
            assert.deepStrictEqual([actual.ConfigOnly, actual.Options.parent, actual.IPAM.Config], [true, "eth1",
                [{ Subnet: "10.214.0.0/16", Gateway: "10.214.0.1", IPRange: n.ipRange, AuxiliaryAddresses: n.auxAddresses }]], n.node);
        }
        const swarm = JSON.parse(onNode("node1", "docker", "network", "inspect", net.swarmNetworkName))[0];
        assert.deepStrictEqual([swarm.Driver, swarm.Scope, swarm.ConfigFrom.Network], ["macvlan", "swarm", "lab40_net"]);
        // The placement label on each node of the network, none on node3 (not in it yet).
        assert.deepStrictEqual(nodeLabels(), { node1: { [LABEL]: "true" }, node2: { [LABEL]: "true" }, node3: {} });
        onNode("node1", "docker", "service", "create", "--detach", "--no-resolve-image", "--name", SERVICE, "--mode", "global",
            "--constraint", CONSTRAINT, "--network", net.swarmNetworkName, "--endpoint-mode", "dnsrr", lab.image);
        const found = await waitFor("a probe on node1 and node2", 180, () => probes(TWO));
        for (const n of net.nodes) {
            assert.ok(inRange(found.get(n.node)!, n.ipRange), `${n.node}'s container ${found.get(n.node)} is outside ${n.ipRange}`);
            assert.ok(hostPing(n.node, found.get(n.node)!), `${n.node} cannot reach its own container through its shim`);
        }
        // status on 20.10 (API 1.41): each range's use counted from the containers it lists.
        let out = "";
        assert.equal(await cli(["status", "--config", STACK_FILE, "--format", "json"], { out: (t) => (out += t), err: (t) => (out += t) }), 0, out);
        assert.deepStrictEqual(JSON.parse(out).networks[0].ranges.map((r: Record<string, unknown>) => [r.node, r.countedBy, r.used, r.usable]),
            [["node1", "containers", 1, 253], ["node2", "containers", 1, 253]]);
        const id = runningTask("node1", SERVICE)!.id;
        assert.equal(labExec("node1", ["docker", "exec", id, "ping", "-c", "1", "-W", "2", found.get("node2")!]).status, 0);
    });

    it("appending a node creates only that node's objects; the running containers keep their addresses", async () => {
        const before = probes(TWO)!;
        const plan = setConfig(THREE);
        assert.deepStrictEqual(await plannedOps((onEvent) => stack.preview({ onEvent })), Object.fromEntries([
            "swarm-macvlan-node3-preflight",
            "swarm-macvlan-lab40-node3-drift",
            "swarm-macvlan-lab40-node3-promisc",
            "swarm-macvlan-lab40-node3-config",
            "swarm-macvlan-lab40-node3-shim", "swarm-macvlan-lab40-node3-guard",
            "swarm-macvlan-lab40-node3-label",
        ].sort().map((n) => [n, "create"])));
        assert.equal(runningTask("node3", SERVICE), undefined);
        await stack.up({ onOutput: log });
        assert.deepStrictEqual(nodeLabels().node3, { [LABEL]: "true" });
        const after = await waitFor("a probe on node3", 180, () => probes(THREE));
        assert.deepStrictEqual(TWO.map((n) => after.get(n)), TWO.map((n) => before.get(n)));
        assert.ok(inRange(after.get("node3")!, plan.networks[0].nodes[2].ipRange), after.get("node3"));
        assert.ok(hostPing("node3", after.get("node3")!));
    });

    it("destroy (after the service is gone) leaves no network, interface or record the library made", async () => {
        onNode("node1", "docker", "service", "rm", SERVICE);
        await waitFor("the probes to stop", 120, () => (THREE.every((n) => runningTask(n, SERVICE) === undefined) ? true : undefined));
        assert.equal((await stack.destroy({ onOutput: log })).summary.result, "succeeded");
        for (const n of THREE) {
            assert.deepStrictEqual(onNode(n, "docker", "network", "ls", "--format", "{{.Name}}").split("\n").filter((x) => x.includes("lab40")), [], n);
            assert.equal(onNode(n, "ip", "-o", "link", "show").includes("shim-lab40"), false, n);
            assert.doesNotMatch(onNode(n, "ip", "-o", "link", "show", "dev", "eth1"), /PROMISC/, n);
            assert.equal(labExec(n, ["test", "-e", `${core.STATE_DIR}/promisc-eth1`]).status, 1, n);
        }
        assert.deepStrictEqual(nodeLabels(), { node1: {}, node2: {}, node3: {} });
    });

    it("adopts seed-style networks made by hand (Docker 20.10 shows their addresses), refusing one without a gateway and a mismatch, naming the node; the service on them keeps running; destroy removes them", async () => {
        const plan = setConfig(THREE, { adopt: true });
        const net = plan.networks[0];
        // node3's made without --gateway, as Docker 29 would leave its containers without a
        // default route (moby#50929): refused, naming the node, the network and the subnet.
        const gateless = handMade(net, net.nodes[2]).filter((word, i, all) => word !== "--gateway" && all[i - 1] !== "--gateway");
        onNode("node3", ...gateless);
        net.nodes.slice(0, 2).forEach((n) => onNode(n.node, ...handMade(net, n)));
        const inspected = () => THREE.map((n) => onNode(n, "docker", "network", "inspect", "lab40_net"));
        const before = inspected();
        await assert.rejects(stack.up({ onOutput: log }), (e: Error) => {
            assert.ok(e.message.includes("swarm-macvlan: docker network lab40_net on node3 has no gateway for subnet 10.214.0.0/16 (made by hand without --gateway?): " +
                "Docker 29 and later give its containers no default route (moby#50929); remove it (after any swarm network made from it) and run again, " +
                "so that swarm-macvlan makes it with --gateway 10.214.0.1"), e.message);
            // The failing step's command is a few words (its script was on stdin): the message, not the script.
            assert.ok(e.message.includes('running "sh -s -- create"') && !e.message.includes("fail() {"), e.message);
            return true;
        });
        assert.deepStrictEqual(inspected(), before);
        // node1's and node2's matched, so they were adopted, and destroy removes them; node3's
        // was not touched and goes by hand.
        assert.equal((await stack.destroy({ onOutput: log })).summary.result, "succeeded");
        assert.deepStrictEqual(["node1", "node2"].map((n) => labExec(n, ["docker", "network", "inspect", "lab40_net"]).status), [1, 1]);
        onNode("node3", "docker", "network", "rm", "lab40_net");
        net.nodes.forEach((n) => onNode(n.node, ...handMade(net, n, n.node === "node2" ? "10.214.7.0/24" : n.ipRange)));
        const [planned, made] = [`10.214.0.0/16 10.214.0.1 10.214.2.0/24`, `10.214.0.0/16 10.214.0.1 10.214.7.0/24`];
        const aux = "host=10.214.2.254 range-first=10.214.2.0 range-last=10.214.2.255";
        await assert.rejects(stack.up({ onOutput: log }), (e: Error) => {
            assert.ok(e.message.includes(`swarm-macvlan: cannot adopt docker network lab40_net on node2: ipam0 is ${made} ${aux}, the plan says ${planned} ${aux}`), e.message);
            return true;
        });
        onNode("node2", "docker", "network", "rm", "lab40_net");
        onNode("node2", ...handMade(net, net.nodes[1]));
        onNode("node1", ...core.swarmNetworkArgv(core.swarmArgs(net)));
        // Labelled by hand with the library's key as well, so the service runs before the up
        // (which finds each label as planned and takes it over; destroy then removes it).
        THREE.forEach((n) => onNode("node1", "docker", "node", "update", "--label-add", `${LABEL}=true`, n));
        onNode("node1", "docker", "service", "create", "--detach", "--no-resolve-image", "--name", SERVICE, "--mode", "global",
            "--constraint", CONSTRAINT, "--network", net.swarmNetworkName, "--endpoint-mode", "dnsrr", lab.image);
        const running = await waitFor("the probes on hand-made networks", 180, () => probes(THREE));
        assert.equal((await stack.up({ onOutput: log })).summary.result, "succeeded");
        assert.deepStrictEqual(probes(THREE), running);
        const clean = await stack.preview({ refresh: true, expectNoChanges: true });
        assert.deepStrictEqual(Object.entries(clean.changeSummary ?? {}).filter(([op, n]) => op !== "same" && (n ?? 0) > 0), []);
        onNode("node1", "docker", "service", "rm", SERVICE);
        await waitFor("the probes to stop", 120, () => (THREE.every((n) => runningTask(n, SERVICE) === undefined) ? true : undefined));
        assert.equal((await stack.destroy({ onOutput: log })).summary.result, "succeeded");
        THREE.forEach((n) => assert.equal(labExec(n, ["docker", "network", "inspect", "lab40_net"]).status, 1, n));
        assert.deepStrictEqual(nodeLabels(), { node1: {}, node2: {}, node3: {} });
    });
});
