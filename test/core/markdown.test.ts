import { strict as assert } from "node:assert";
import { MARKDOWN_LIMIT, Plan, markdown, planSpec } from "../../components/core";
import { Obj, plainNet } from "./helpers";

/** `count` nodes (node1 the manager) on `networks` plain /16 networks, /24 ranges, shims, dual stack when `v6`. */
function large(count: number, networks: number, v6 = false): Obj {
    const nodes = Array.from({ length: count }, (_, i) => ({ name: `node${i + 1}`, host: `10.200.${Math.floor(i / 200)}.${(i % 200) + 1}`, role: i === 0 ? "manager" : "worker" }));
    return {
        nodes,
        networks: Array.from({ length: networks }, (_, n) => plainNet(`net${n + 1}`, `eth${n + 1}`, n + 1, {
            shim: true,
            ...(v6 && { ipv6: { subnet: `2001:db8:${n + 1}::/64`, gateway: `2001:db8:${n + 1}::1`, ipRangePrefix: 80 } }),
        })),
    };
}

describe("markdown", () => {
    it("folds each node's commands in <details>, then shows the swarm network's once", () => {
        const text = markdown(planSpec(large(2, 1)));
        assert.equal(text, [
            "### net1: 10.1.0.0/16 via 10.1.0.1; swarm network swarm-net1_net on node1",
            "",
            "| node | parent | ip-range | task address | host address | shim |",
            "|---|---|---|---|---|---|",
            "| `node1` | `eth1` | `10.1.1.0/24` | `-` | `10.1.1.254` | `shim-net1` |",
            "| `node2` | `eth1` | `10.1.2.0/24` | `-` | `10.1.2.254` | `shim-net1` |",
            "",
            "Placement: every node with net1_net gets the node label swarm-macvlan.net1=true (set from node1); give services `--constraint node.labels.swarm-macvlan.net1==true`",
            "",
            "<details><summary>on <code>node1</code>: 9 commands</summary>",
            "",
            "```sh",
            "node1# ip link set dev eth1 promisc on",
            "node1# ip link set dev eth1 up",
            "node1# docker network create --config-only --subnet 10.1.0.0/16 --gateway 10.1.0.1 --ip-range 10.1.1.0/24 --aux-address host=10.1.1.254 " +
                "--aux-address range-first=10.1.1.0 --aux-address range-last=10.1.1.255 -o parent=eth1 --label swarm-macvlan.network=net1 " +
                "--label 'swarm-macvlan.ipam0=10.1.0.0/16 10.1.0.1 10.1.1.0/24 host=10.1.1.254 range-first=10.1.1.0 range-last=10.1.1.255' net1_net",
            "node1# ip link add shim-net1 link eth1 type macvlan mode bridge",
            "node1# ip link set dev shim-net1 alias swarm-macvlan:net1",
            "node1# ip address replace 10.1.1.254/32 dev shim-net1",
            "node1# ip link set dev shim-net1 up",
            "node1# ip route replace 10.1.1.0/24 dev shim-net1",
            "node1# systemctl enable swarm-macvlan-net1.service",
            "```",
            "",
            "</details>",
            "<details><summary>on <code>node2</code>: 9 commands</summary>",
            "",
            "```sh",
            "node2# ip link set dev eth1 promisc on",
            "node2# ip link set dev eth1 up",
            "node2# docker network create --config-only --subnet 10.1.0.0/16 --gateway 10.1.0.1 --ip-range 10.1.2.0/24 --aux-address host=10.1.2.254 " +
                "--aux-address range-first=10.1.2.0 --aux-address range-last=10.1.2.255 -o parent=eth1 --label swarm-macvlan.network=net1 " +
                "--label 'swarm-macvlan.ipam0=10.1.0.0/16 10.1.0.1 10.1.2.0/24 host=10.1.2.254 range-first=10.1.2.0 range-last=10.1.2.255' net1_net",
            "node2# ip link add shim-net1 link eth1 type macvlan mode bridge",
            "node2# ip link set dev shim-net1 alias swarm-macvlan:net1",
            "node2# ip address replace 10.1.2.254/32 dev shim-net1",
            "node2# ip link set dev shim-net1 up",
            "node2# ip route replace 10.1.2.0/24 dev shim-net1",
            "node2# systemctl enable swarm-macvlan-net1.service",
            "```",
            "",
            "</details>",
            "",
            "Then once, on `node1`:",
            "",
            "```sh",
            "node1# docker network create -d macvlan --scope swarm --config-from net1_net --attachable swarm-net1_net",
            "```",
            "",
        ].join("\n"));
    });

    it("leaves the per-node commands out past 60,000 characters, and says so at the top (250 nodes)", function () {
        this.timeout(20_000); // planning 250 nodes
        const text = markdown(planSpec(large(250, 1)));
        const lines = text.split("\n");
        assert.ok(text.length <= MARKDOWN_LIMIT, `${text.length} characters`);
        assert.equal(lines[0], "> The full plan is 241,489 characters, more than the 60,000 this view keeps to fit a pull-request comment: " +
            "the per-node commands are left out. `swarm-macvlan plan --format table` shows everything.");
        assert.equal(lines.filter((l) => l.startsWith("| `node")).length, 250);
        assert.deepStrictEqual(lines.slice(-10), [
            "| `node250` | `eth1` | `10.1.250.0/24` | `-` | `10.1.250.254` | `shim-net1` |", "",
            "Placement: every node with net1_net gets the node label swarm-macvlan.net1=true (set from node1); give services `--constraint node.labels.swarm-macvlan.net1==true`",
            "", "Once, on `node1`:", "", "```sh", "node1# docker network create -d macvlan --scope swarm --config-from net1_net --attachable swarm-net1_net", "```", "",
        ]);
        assert.ok(!text.includes("<details>"));
    });

    it("also stops each table when the tables alone are too long, and says where (3 dual-stack networks of 250 nodes)", function () {
        this.timeout(20_000); // planning 250 nodes
        // One network planned, rendered three times under other names: the view is under test.
        const one = planSpec(large(250, 1, true));
        const plan: Plan = { ...one, networks: [1, 2, 3].map((n) => ({ ...one.networks[0], name: `net${n}`, swarmNetworkName: `swarm-net${n}_net` })) };
        const text = markdown(plan);
        const lines = text.split("\n");
        assert.ok(text.length <= MARKDOWN_LIMIT && text.length > MARKDOWN_LIMIT - 1000, `${text.length} characters`);
        assert.equal(lines[0], "> The full plan is 1,209,386 characters, more than the 60,000 this view keeps to fit a pull-request comment: " +
            "the per-node commands are left out, and each table stops at 151 nodes. `swarm-macvlan plan --format table` shows everything.");
        assert.deepStrictEqual(lines.filter((l) => l.startsWith("_...")), ["_... and 99 more nodes._", "_... and 99 more nodes._", "_... and 99 more nodes._"]);
        assert.equal(lines.filter((l) => l.startsWith("| `node")).length, 3 * 151);
    });
});
