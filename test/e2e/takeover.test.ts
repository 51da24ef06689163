// End-to-end on real kernels (the VM lab): seed 004's takeover on eth0, the interface that
// carries every SSH session and the swarm's own traffic, under the lockout guard, on two kinds of
// host: vm1's eth0 is systemd-networkd's, vm2's NetworkManager's (networkd off; the NetworkManager
// shape: noprefixroute addresses, its subnet routes at metric 100). A service runs throughout. Checks: SSH and swarm membership survive; the host reaches its containers; the
// other VM reaches the node on its old address; eth0's static IPv6 (dual stack, from networkd)
// stays through the takeover and a reboot; a reboot keeps it; destroy puts `ip -j address`
// and `ip -j route` back as they were; a takeover broken on purpose (a wrong gateway, through
// the test hook SWARM_MACVLAN_TEST_BREAK_GATEWAY) is not confirmed and rolls back by itself
// within the guard's bound, the node staying reachable.
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { OpMap, Stack } from "@pulumi/pulumi/automation";
import { stringify } from "yaml";
import * as core from "../../components/core";
import { freshStack, pulumiEnv, repoRoot } from "../support/pulumiEnv";
import { inRange, Lab, labExec, labUp, onNode, runningTask, tearDown, waitFor } from "../support/lab";

const STACK = "e2e-takeover";
const STACK_FILE = path.join(repoRoot, `Pulumi.${STACK}.yaml`);
const VMS = ["vm1", "vm2"];
/** The lab's management segment: eth0 of each VM (10.213.0.2N), the lab host 10.213.0.1 as gateway. */
const LAN = {
    name: "lan", parent: "eth0", subnet: "10.213.0.0/24", gateway: "10.213.0.1", ipRangePrefix: 28,
    // The VMs' own addresses (10.213.0.21, .22) are in this block: no container may get them.
    exclude: ["10.213.0.16/28"], takeover: true,
};
const ADDRESS: Record<string, string> = { vm1: "10.213.0.21", vm2: "10.213.0.22" };
/** A static IPv6 address on each VM's eth0 (dual stack), from a networkd drop-in: the takeover moves IPv4 only, and must keep these. */
const ADDRESS6: Record<string, string> = { vm1: "fd00:213::21", vm2: "fd00:213::22" };
const DROP_IN = "/etc/systemd/network/10-smv-eth0.network.d/50-e2e.conf";
/** vm2's NetworkManager profile for eth0 (the address the lab gave it, the gateway, IPv6 with its gateway) and settings. */
const NM_PROFILE = "/etc/NetworkManager/system-connections/e2e-eth0.nmconnection";
const NM_CONF = "/etc/NetworkManager/conf.d/50-e2e.conf";
/**
 * The default route each VM's manager makes, on `dev` (moved with the address): networkd's from
 * the drop-in's Gateway= (vm1), NetworkManager's at its metric 100 (vm2).
 */
const DEFAULT_ROUTE = (node: string, dev: string) => `default via 10.213.0.1 dev ${dev} proto static${node === "vm2" ? " metric 100" : ""}`;
/** vm2's IPv6 default route, from its NetworkManager profile (a takeover moves IPv4 only: it stays on eth0). */
const DEFAULT_ROUTE6 = "default via fd00:213::1 proto static metric 100 pref medium";

let lab: Lab;
let stack: Stack;
let plan: core.Plan;
/** Each VM's `ip -j address` and `ip -j route` before anything, normalised (see `snapshot`). */
const original: Record<string, string> = {};

const log = (text: string) => process.stderr.write(text);

function nonSame(summary: OpMap | undefined): Record<string, number> {
    return Object.fromEntries(Object.entries(summary ?? {}).filter(([op, n]) => op !== "same" && (n ?? 0) > 0));
}

/**
 * `ip -j address` and `ip -j route` of a VM, as JSON text, with what legitimately changes left
 * out: the `veth*` links of containers (started and stopped by the service's tasks) and their
 * routes, and the DAD flag `tentative` of a fresh IPv6 link-local address. Everything else
 * (every other link's flags, MAC, addresses with prefix, broadcast, scope and lifetimes; every
 * route with its protocol, scope, source and metric) must match byte for byte.
 */
function snapshot(node: string): string {
    const links = (JSON.parse(onNode(node, "ip", "-j", "address")) as { ifname: string; addr_info: object[] }[])
        .filter((l) => !l.ifname.startsWith("veth"))
        .map((l) => ({ ...l, addr_info: l.addr_info.map((a) => Object.fromEntries(Object.entries(a).filter(([k]) => k !== "tentative"))) }));
    const routes = (JSON.parse(onNode(node, "ip", "-j", "route")) as { dev: string }[]).filter((r) => !r.dev.startsWith("veth"));
    return JSON.stringify({ links, routes }, null, 1);
}

/**
 * A snapshot without Docker's own bridges: after a reboot docker0 has a new random MAC (and so a
 * new IPv6 link-local address) and may have another ifindex, whatever this library does.
 */
function withoutDockerBridges(snap: string): string {
    const { links, routes } = JSON.parse(snap) as { links: { ifname: string }[]; routes: { dev: string }[] };
    return JSON.stringify({ links: links.filter((l) => !l.ifname.startsWith("docker")), routes: routes.filter((r) => !r.dev.startsWith("docker")) }, null, 1);
}

/** What the guard restores: each link's addresses and every route (a link's flags, e.g. PROMISC, belong to other steps). */
function addressesAndRoutes(snap: string): string {
    const { links, routes } = JSON.parse(snap) as { links: { ifname: string; addr_info: object[] }[]; routes: object[] };
    return JSON.stringify({ addresses: links.map((l) => [l.ifname, l.addr_info]), routes });
}

/** The global IPv6 addresses of `dev` on `node` ("" when none). */
function ipv6(node: string, dev: string): string {
    return onNode(node, "sh", "-c", `ip -6 -o address show dev ${dev} scope global | awk '{ print $4 }'`);
}

/** The IPv4 addresses of `dev` on `node` ("" when none). */
function ipv4(node: string, dev: string): string {
    return onNode(node, "sh", "-c", `ip -4 -o address show dev ${dev} | awk '{ print $4 }'`);
}

function reaches(node: string, argv: string[]): boolean {
    return labExec(node, argv, 60_000).status === 0;
}

/** NetworkManager's state of `dev` on `node`, e.g. "100 (connected)" or "10 (unmanaged)". */
function nmState(node: string, dev: string): string {
    return onNode(node, "nmcli", "-g", "GENERAL.STATE", "device", "show", dev);
}

/** Reboots `nodes` at once and waits until each answers with a new boot ID and its Docker is back in the swarm. */
async function reboot(...nodes: string[]): Promise<void> {
    const before = Object.fromEntries(nodes.map((n) => [n, onNode(n, "cat", "/proc/sys/kernel/random/boot_id")]));
    const started = Date.now();
    nodes.forEach((n) => labExec(n, ["systemctl", "reboot"], 30_000));
    for (const node of nodes) {
        await waitFor(`${node} to come back`, 600, () => {
            const r = labExec(node, ["cat", "/proc/sys/kernel/random/boot_id"], 30_000);
            return r.status === 0 && r.stdout.trim() !== before[node] ? true : undefined;
        });
        log(`    ${node}: reboot to SSH: ${Math.round((Date.now() - started) / 1000)} s\n`);
    }
    for (const node of nodes) {
        await waitFor(`${node}'s Docker to answer`, 600, () => (labExec(node, ["docker", "info", "--format", "{{.Swarm.LocalNodeState}}"], 30_000).stdout.trim() === "active" ? true : undefined));
        log(`    ${node}: reboot to Docker in the swarm: ${Math.round((Date.now() - started) / 1000)} s\n`);
    }
}

/**
 * Makes vm2 a NetworkManager host: eth0 from a keyfile profile (its lab address, the gateway,
 * a static IPv6 address and gateway), no automatic profiles, systemd-networkd off; then reboots
 * it so that NetworkManager configures eth0 from the start, as on such a host.
 */
async function toNetworkManager(): Promise<void> {
    const profile = ["[connection]", "id=e2e-eth0", "type=ethernet", "interface-name=eth0", "autoconnect=true", "",
        "[ipv4]", "method=manual", `address1=${ADDRESS.vm2}/24,10.213.0.1`, "",
        "[ipv6]", "method=manual", `address1=${ADDRESS6.vm2}/64,fd00:213::1`, "addr-gen-mode=eui64", ""].join("\n");
    labExec("vm2", ["sh", "-c", `umask 077 && cat > ${NM_PROFILE}`], 30_000, profile);
    onNode("vm2", "sh", "-c", `printf '[main]\\nno-auto-default=*\\n' > ${NM_CONF} && ` +
        "systemctl disable systemd-networkd.service && systemctl enable NetworkManager.service NetworkManager-wait-online.service");
    await reboot("vm2");
    assert.equal(labExec("vm2", ["systemctl", "is-active", "systemd-networkd"]).stdout.trim(), "inactive");
}

/** Each VM's task of `service`, once every VM has one. */
function tasks(service: string) {
    const found = VMS.map((n) => runningTask(n, service));
    return found.every((t) => t !== undefined) ? found.map((t) => t!) : undefined;
}



describe("end-to-end: takeover of the SSH interface under the lockout guard (the VM lab)", function () {
    this.timeout(30 * 60_000);

    before(async function () {
        this.timeout(60 * 60_000);
        const env = await pulumiEnv();
        lab = labUp(2, true);
        stack = await freshStack(STACK, env);
        const config = {
            "swarm-macvlan:sshPrivateKeyPath": lab.sshKey,
            "swarm-macvlan:nodes": lab.nodes.map((n) => ({ name: n.name, host: n.host, role: n.role, hostKey: n.hostKey })),
            "swarm-macvlan:networks": [LAN],
        };
        fs.writeFileSync(STACK_FILE, stringify({ config }), { mode: 0o600 });
        plan = core.planSpec(core.specFromDocument({ config }));
        // The lab's VMs have no default route; a real host has one, and it must move too. And
        // dual stack: eth0 also gets a static IPv6 address. On vm1 both from systemd-networkd, as
        // on a real host (its reload drops routes it did not make); vm2 becomes a NetworkManager host.
        onNode("vm1", "sh", "-c", `mkdir -p ${path.dirname(DROP_IN)} && printf '[Network]\\nAddress=%s/64\\nGateway=10.213.0.1\\n' ${ADDRESS6.vm1} > ${DROP_IN} && networkctl reload`);
        await toNetworkManager();
        for (const node of VMS) {
            await waitFor(`${node}'s IPv6 address (DAD done) and default route`, 120, () => {
                const shown = onNode(node, "ip", "-6", "-o", "address", "show", "dev", "eth0", "scope", "global");
                const route = onNode(node, "ip", "-4", "route", "show", "default");
                return shown.includes(`${ADDRESS6[node]}/64 scope global`) && !shown.includes("tentative") && route === DEFAULT_ROUTE(node, "eth0") ? true : undefined;
            });
        }
        // NetworkManager's shape on vm2: its address noprefixroute, its own subnet route at metric 100.
        assert.deepStrictEqual([nmState("vm2", "eth0"), onNode("vm2", "ip", "-4", "-o", "address", "show", "dev", "eth0").includes(" noprefixroute"),
            onNode("vm2", "ip", "-4", "route", "show", "10.213.0.0/24")], ["100 (connected)", true, `10.213.0.0/24 dev eth0 proto kernel scope link src ${ADDRESS.vm2} metric 100 `.trim()]);
        assert.equal(onNode("vm2", "ip", "-6", "route", "show", "default", "dev", "eth0"), DEFAULT_ROUTE6);
        // A service that runs before, during and after the takeover (on no macvlan network).
        onNode("vm1", "docker", "service", "create", "--detach", "--no-resolve-image", "--name", "steady", "--mode", "global", lab.image);
        await waitFor("a steady task on each VM", 300, () => tasks("steady"));
        // Taken with the service running: its container's veth brings docker0 up (and gives it an
        // IPv6 link-local address), which is Docker's doing, not the takeover's.
        for (const node of VMS) {
            original[node] = snapshot(node);
        }
    });

    after(async function () {
        this.timeout(20 * 60_000);
        delete process.env.SWARM_MACVLAN_TEST_BREAK_GATEWAY;
        // The last suite on the VMs (vm2 is a NetworkManager host now): destroy, then the lab goes.
        await tearDown(stack, STACK_FILE, log);
    });

    it("moves each VM's address, routes and default route to shim-lan, one VM at a time, confirmed over a new SSH connection; SSH, the swarm and the running service survive", async () => {
        const steady = tasks("steady")!.map((t) => t.id);
        const started = Date.now();
        const result = await stack.up({ onOutput: log });
        log(`    takeover up (2 VMs, guarded): ${Math.round((Date.now() - started) / 1000)} s\n`);
        assert.equal(result.summary.result, "succeeded");
        for (const node of VMS) {
            assert.deepStrictEqual([ipv4(node, "eth0"), ipv4(node, "shim-lan")], ["", `${ADDRESS[node]}/24`], node);
            assert.equal(onNode(node, "ip", "-4", "route", "show", "default"), DEFAULT_ROUTE(node, "shim-lan"), node);
            const link = onNode(node, "ip", "-d", "-o", "link", "show", "dev", "shim-lan");
            // The MAC: derived on the node from the names and the node's identity, and recorded.
            const mac = core.takeoverMac("lan", node, `${onNode(node, "cat", "/etc/machine-id")} ${onNode(node, "cat", "/sys/class/net/eth0/address")}`);
            assert.equal(onNode(node, "cat", "/var/lib/swarm-macvlan/takeover-lan/mac"), mac, node);
            assert.match(link, new RegExp(`shim-lan@eth0: .* link/ether ${mac} .* macvlan mode bridge `), link);
            // Disarmed: no rollback pending, nothing left in the guard's directory.
            assert.equal(labExec(node, ["systemctl", "is-active", "swarm-macvlan-rollback-takeover-lan.timer"]).stdout.trim(), "inactive", node);
            assert.equal(labExec(node, ["test", "-e", "/run/swarm-macvlan/takeover-lan"]).status, 1, node);
            assert.equal(onNode(node, "docker", "info", "--format", "{{.Swarm.LocalNodeState}}"), "active", node);
            // IPv6 stays on eth0, through the boot unit's networkd reload (vm1) and NetworkManager's
            // letting eth0 go (vm2) too.
            assert.equal(ipv6(node, "eth0"), `${ADDRESS6[node]}/64`, node);
        }
        assert.deepStrictEqual([nmState("vm2", "eth0"), onNode("vm2", "ip", "-6", "route", "show", "default", "dev", "eth0")], ["10 (unmanaged)", DEFAULT_ROUTE6]);
        assert.ok(reaches("vm1", ["ping", "-6", "-c", "1", "-W", "3", ADDRESS6.vm2]), "vm1 cannot reach vm2 over IPv6 after the takeover");
        assert.deepStrictEqual(onNode("vm1", "docker", "node", "ls", "--format", "{{.Hostname}} {{.Status}}").split("\n").sort(), ["vm1 Ready", "vm2 Ready"]);
        assert.deepStrictEqual(tasks("steady")!.map((t) => t.id), steady, "the steady service's tasks were not restarted");
        const clean = await stack.preview({ refresh: true, expectNoChanges: true });
        assert.deepStrictEqual(nonSame(clean.changeSummary), {});
    });

    it("the host reaches its own containers, containers reach each other, the other VM and the lab host reach each VM on its old address", async () => {
        onNode("vm1", "docker", "service", "create", "--detach", "--no-resolve-image", "--name", "onlan", "--mode", "global",
            "--network", "swarm-lan_net", "--endpoint-mode", "dnsrr", lab.image);
        const [a, b] = await waitFor("an onlan task on each VM", 300, () => tasks("onlan"));
        for (const [node, t] of [["vm1", a], ["vm2", b]] as const) {
            const ip = t.networks["swarm-lan_net"].v4;
            assert.ok(inRange(ip, plan.networks[0].nodes.find((n) => n.node === node)!.ipRange), `${node}: ${ip}`);
            assert.ok(reaches(node, ["ping", "-c", "1", "-W", "3", ip]), `${node} cannot reach its own container ${ip}`);
        }
        assert.ok(reaches("vm1", ["docker", "exec", a.id, "ping", "-c", "1", "-W", "3", b.networks["swarm-lan_net"].v4]), "container to container across VMs");
        assert.ok(reaches("vm1", ["docker", "exec", a.id, "ping", "-c", "1", "-W", "3", ADDRESS.vm2]), "vm1's container cannot reach vm2's host");
        assert.ok(reaches("vm2", ["ping", "-c", "1", "-W", "3", ADDRESS.vm1]), "vm2 cannot reach vm1 on its old address");
        assert.ok(reaches("vm1", ["ping", "-c", "1", "-W", "3", ADDRESS.vm2]), "vm1 cannot reach vm2 on its old address");
        // scripts/lab exec reaches each VM over a new SSH connection from the lab host, on the old address.
        assert.equal(onNode("vm2", "hostname"), "vm2");
    });

    it("after a reboot of both VMs at once (networkd's and NetworkManager's), without any pulumi up: the address, default route and pinned MAC are on shim-lan again, eth0 has none but keeps its IPv6; SSH and the swarm are back; preview shows no changes", async () => {
        // Both VMs at once. vm1 (systemd-networkd): Docker starts after network-online.target;
        // networkd keeps eth0 (no address, online at carrier), so systemd-networkd-wait-online
        // finds its link instead of failing after its 120 s.
        const mac1 = onNode("vm1", "cat", "/var/lib/swarm-macvlan/takeover-lan/mac");
        const mac = onNode("vm2", "cat", "/var/lib/swarm-macvlan/takeover-lan/mac");
        await reboot("vm1", "vm2");
        assert.deepStrictEqual(onNode("vm1", "systemctl", "show", "-p", "Result,ActiveState", "systemd-networkd-wait-online.service").split("\n").sort(),
            ["ActiveState=active", "Result=success"]);
        // networkd manages eth0 again, configured with no IPv4 address but its static IPv6 one (so routable).
        assert.equal(onNode("vm1", "networkctl", "list", "--no-legend", "eth0").trim().split(/\s+/).slice(3).join(" "), "routable configured");
        assert.deepStrictEqual([ipv4("vm1", "eth0"), ipv4("vm1", "shim-lan"), ipv6("vm1", "eth0")], ["", "10.213.0.21/24", `${ADDRESS6.vm1}/64`]);
        // networkd keeps eth0's IPv6 from the takeover's file (it matches eth0 before the lab's own).
        assert.match(onNode("vm1", "cat", "/etc/systemd/network/00-swarm-macvlan-lan-parent.network"), new RegExp(`\\nAddress=${ADDRESS6.vm1}/64(\\n|$)`));
        assert.equal(onNode("vm1", "ip", "-4", "route", "show", "default"), DEFAULT_ROUTE("vm1", "shim-lan"));
        assert.match(onNode("vm1", "ip", "-o", "link", "show", "dev", "shim-lan"), new RegExp(` link/ether ${mac1} `));
        await waitFor("vm1's onlan task after the reboot", 600, () => runningTask("vm1", "onlan"));

        // vm2 (NetworkManager): it leaves eth0 alone from the start (unmanaged); the boot unit puts
        // eth0's static IPv6 address and routes back as NetworkManager had made them.
        assert.deepStrictEqual(onNode("vm2", "systemctl", "show", "-p", "Result,ActiveState", "NetworkManager-wait-online.service").split("\n").sort(),
            ["ActiveState=active", "Result=success"]);
        assert.equal(nmState("vm2", "eth0"), "10 (unmanaged)");
        assert.deepStrictEqual([ipv4("vm2", "eth0"), ipv4("vm2", "shim-lan"), ipv6("vm2", "eth0")], ["", "10.213.0.22/24", `${ADDRESS6.vm2}/64`]);
        assert.match(onNode("vm2", "ip", "-6", "-o", "address", "show", "dev", "eth0", "scope", "global"), / noprefixroute/);
        assert.deepStrictEqual([onNode("vm2", "ip", "-6", "route", "show", "fd00:213::/64", "dev", "eth0"), onNode("vm2", "ip", "-6", "route", "show", "default", "dev", "eth0")],
            ["fd00:213::/64 proto kernel metric 100 pref medium", DEFAULT_ROUTE6]);
        assert.ok(reaches("vm1", ["ping", "-6", "-c", "1", "-W", "3", ADDRESS6.vm2]), "vm1 cannot reach vm2 over IPv6 after the reboot");
        assert.equal(onNode("vm2", "ip", "-4", "route", "show", "default"), DEFAULT_ROUTE("vm2", "shim-lan"));
        assert.match(onNode("vm2", "ip", "-o", "link", "show", "dev", "shim-lan"), new RegExp(` link/ether ${mac} `));
        const b = await waitFor("vm2's onlan task after the reboot", 600, () => runningTask("vm2", "onlan"));
        assert.ok(reaches("vm2", ["ping", "-c", "1", "-W", "3", b.networks["swarm-lan_net"].v4]), "vm2 cannot reach its container after the reboot");
        assert.ok(reaches("vm1", ["ping", "-c", "1", "-W", "3", ADDRESS.vm2]), "vm1 cannot reach vm2 after the reboot");
        await waitFor("vm2 Ready in the swarm", 300, () => (onNode("vm1", "docker", "node", "ls", "--format", "{{.Hostname}} {{.Status}}").includes("vm2 Ready") ? true : undefined));
        const preview = await stack.preview({ refresh: true, expectNoChanges: true });
        assert.deepStrictEqual(nonSame(preview.changeSummary), {});
    });

    it("destroy moves everything back: ip -j address and ip -j route as before the takeover", async () => {
        onNode("vm1", "docker", "service", "rm", "onlan");
        await waitFor("the onlan tasks to stop", 300, () => (VMS.every((n) => runningTask(n, "onlan") === undefined) ? true : undefined));
        const started = Date.now();
        await stack.destroy({ onOutput: log });
        log(`    destroy (move back): ${Math.round((Date.now() - started) / 1000)} s\n`);
        // Both rebooted since, so their Docker bridges are new (see withoutDockerBridges); vm2's
        // eth0 is NetworkManager's again (its addresses and routes as it had made them).
        assert.equal(withoutDockerBridges(snapshot("vm1")), withoutDockerBridges(original.vm1));
        await waitFor("NetworkManager to manage vm2's eth0 again", 60, () => (nmState("vm2", "eth0") === "100 (connected)" ? true : undefined));
        assert.equal(withoutDockerBridges(snapshot("vm2")), withoutDockerBridges(original.vm2));
        for (const node of VMS) {
            assert.equal(labExec(node, ["test", "-e", "/var/lib/swarm-macvlan/takeover-lan"]).status, 1, node);
        }
        assert.deepStrictEqual(onNode("vm1", "docker", "node", "ls", "--format", "{{.Hostname}} {{.Status}}").split("\n").sort(), ["vm1 Ready", "vm2 Ready"]);
    });

    it("a broken takeover (wrong gateway) is not confirmed, rolls back by itself within the bound, stops before the next VM, and the VM stays reachable", async () => {
        process.env.SWARM_MACVLAN_TEST_BREAK_GATEWAY = "10.213.0.254";
        let error = "";
        try {
            await stack.up({ onOutput: log });
        } catch (e) {
            error = String(e);
        } finally {
            delete process.env.SWARM_MACVLAN_TEST_BREAK_GATEWAY;
        }
        assert.match(error, /swarm-macvlan: takeover of eth0 by shim-lan on vm1 was not confirmed and rolled back by itself \(within 60 s\): default gateway 10\.213\.0\.254 does not answer on shim-lan; every address and route came back/);
        const armed = Number(onNode("vm1", "cat", "/run/swarm-macvlan/takeover-lan/armed")) / 1e9;
        const rolledBack = Number(onNode("vm1", "cat", "/run/swarm-macvlan/takeover-lan/rolled-back"));
        log(`    armed to rolled back: ${Math.round(rolledBack - armed)} s\n`);
        assert.ok(rolledBack - armed >= 59 && rolledBack - armed <= 75, `rolled back ${rolledBack - armed} s after arming`);
        assert.equal(addressesAndRoutes(withoutDockerBridges(snapshot("vm1"))), addressesAndRoutes(withoutDockerBridges(original.vm1)));
        // vm2 was never touched: its takeover waits for vm1's confirm (it rebooted earlier: see withoutDockerBridges).
        assert.equal(addressesAndRoutes(withoutDockerBridges(snapshot("vm2"))), addressesAndRoutes(withoutDockerBridges(original.vm2)));
        assert.equal(labExec("vm2", ["test", "-e", "/run/swarm-macvlan/takeover-lan"]).status, 1);
        assert.equal(onNode("vm1", "hostname"), "vm1");
        assert.equal(onNode("vm1", "docker", "info", "--format", "{{.Swarm.LocalNodeState}}"), "active");
    });
});
