import { strict as assert } from "node:assert";
import { parseStatus, parseSubnetUse, planSpec, renderStatus, statusReport, statusScript } from "../../components/core";
import { assertGolden } from "./helpers";

// Two nodes, /28 ranges (16 addresses; range ends and the host address reserved: 13 usable).
const plan = planSpec({
    nodes: [{ name: "n1", host: "192.0.2.1", role: "manager" }, { name: "n2", host: "192.0.2.2", role: "worker" }],
    networks: [{ name: "v40", parent: "eth1", subnet: "10.40.0.0/24", gateway: "10.40.0.1", ipRangePrefix: 28 }],
});

describe("status", () => {
    it("asks a node for every endpoint on the plan's swarm networks (golden script)", () => {
        assertGolden("status/two-nodes.sh", statusScript(plan));
    });

    it("parses a node's answer, dropping the prefix lengths", () => {
        assert.deepStrictEqual(parseStatus("n1", "swarm-v40_net|web.1.abc|web|10.40.0.17/24|\nswarm-v40_net|lb-swarm-v40_net||10.40.0.18/24|fd00::5/64\n"), [
            { node: "n1", network: "swarm-v40_net", container: "web.1.abc", service: "web", ipv4: "10.40.0.17" },
            { node: "n1", network: "swarm-v40_net", container: "lb-swarm-v40_net", service: "", ipv4: "10.40.0.18", ipv6: "fd00::5" },
        ]);
    });

    it("parses the subnets' use a node's Docker reports (API 1.52 and later), and nothing from older engines", () => {
        const out = 'swarm-v40_net|web.1.abc|web|10.40.0.17/24|\n' +
            'ipam|swarm-v40_net|{"IPAM":{"Subnets":{"10.40.0.0/24":{"IPsInUse":6,"DynamicIPsAvailable":12},"fd00::/64":{"IPsInUse":3,"DynamicIPsAvailable":18446744073709551615}}}}\n';
        assert.deepStrictEqual(parseSubnetUse("n1", out), [
            { node: "n1", network: "swarm-v40_net", subnet: "10.40.0.0/24", ipsInUse: 6, dynamicIPsAvailable: 12 },
            { node: "n1", network: "swarm-v40_net", subnet: "fd00::/64", ipsInUse: 3, dynamicIPsAvailable: 18446744073709552000 },
        ]);
        assert.deepStrictEqual(parseStatus("n1", out), [{ node: "n1", network: "swarm-v40_net", container: "web.1.abc", service: "web", ipv4: "10.40.0.17" }]);
        assert.deepStrictEqual(parseSubnetUse("n1", "swarm-v40_net|web.1.abc|web|10.40.0.17/24|\nipam|swarm-v40_net|null\n"), []);
    });

    it("counts a range's use from the node's Docker where it reports it, from the containers elsewhere", () => {
        const report = statusReport(plan, [{ node: "n1", network: "swarm-v40_net", container: "web.1", service: "web", ipv4: "10.40.0.17" }], [],
            [{ node: "n2", network: "swarm-v40_net", subnet: "10.40.0.0/24", ipsInUse: 7, dynamicIPsAvailable: 2 }]);
        assert.deepStrictEqual(report.networks[0].ranges, [
            { node: "n1", ipRange: "10.40.0.16/28", used: 1, usable: 13, countedBy: "containers" },
            { node: "n2", ipRange: "10.40.0.32/28", used: 11, usable: 13, countedBy: "docker" },
        ]);
        assert.deepStrictEqual(report.warnings, ["v40 on n2: 11 of 13 addresses of 10.40.0.32/28 are used"]);
    });

    it("counts each range's use, warns at 80 %, and names addresses outside their range and held on two nodes", () => {
        const busy = Array.from({ length: 11 }, (_, i) => ({ node: "n1", network: "swarm-v40_net", container: `web.${i}`, service: "web", ipv4: `10.40.0.${17 + i}` }));
        const report = statusReport(plan, [
            ...busy,
            { node: "n2", network: "swarm-v40_net", container: "db.1", service: "db", ipv4: "10.40.0.33" },
            { node: "n2", network: "swarm-v40_net", container: "stray", service: "", ipv4: "10.40.0.17" },
        ], [{ node: "n3", error: "cannot connect to n3" }]);
        assert.deepStrictEqual(report.networks, [{ name: "v40", swarmNetwork: "swarm-v40_net", subnet: "10.40.0.0/24", ranges: [
            { node: "n1", ipRange: "10.40.0.16/28", used: 11, usable: 13, countedBy: "containers" },
            { node: "n2", ipRange: "10.40.0.32/28", used: 2, usable: 13, countedBy: "containers" },
        ] }]);
        assert.deepStrictEqual(report.warnings, ["v40 on n1: 11 of 13 addresses of 10.40.0.16/28 are used"]);
        assert.deepStrictEqual(report.problems, [
            "n2: 10.40.0.17 (stray, swarm-v40_net) is outside n2's planned range 10.40.0.32/28",
            "10.40.0.17 on swarm-v40_net is held on 2 nodes: n1 (web.0), n2 (stray)",
        ]);
        assert.deepStrictEqual(report.unreachable, [{ node: "n3", error: "cannot connect to n3" }]);
        assert.equal(renderStatus({ ...report, endpoints: report.endpoints.slice(10) }, "table"), [
            "v40: 10.40.0.0/24 (swarm-v40_net)",
            "node  ip-range       used   counted by",
            "n1    10.40.0.16/28  11/13  containers",
            "n2    10.40.0.32/28  2/13   containers",
            "",
            "node  container  service  addresses",
            "n1    web.10     web      10.40.0.27",
            "n2    db.1       db       10.40.0.33",
            "n2    stray      -        10.40.0.17",
            "",
            "warning: v40 on n1: 11 of 13 addresses of 10.40.0.16/28 are used",
            "problem: n2: 10.40.0.17 (stray, swarm-v40_net) is outside n2's planned range 10.40.0.32/28",
            "problem: 10.40.0.17 on swarm-v40_net is held on 2 nodes: n1 (web.0), n2 (stray)",
            "not asked: cannot connect to n3",
            "2 problems, 1 warning",
            "",
        ].join("\n"));
        assert.deepStrictEqual(JSON.parse(renderStatus(report, "json")), JSON.parse(JSON.stringify(report)));
    });

    it("says so when all is well, in markdown too", () => {
        const report = statusReport(plan, [{ node: "n1", network: "swarm-v40_net", container: "web.1", service: "web", ipv4: "10.40.0.17" }]);
        assert.equal(renderStatus(report, "markdown"), [
            "### v40: 10.40.0.0/24 (swarm-v40_net)",
            "| node | ip-range | used | counted by |", "|---|---|---|---|", "| n1 | 10.40.0.16/28 | 1/13 | containers |", "| n2 | 10.40.0.32/28 | 0/13 | containers |",
            "",
            "| node | container | service | addresses |", "|---|---|---|---|", "| n1 | web.1 | web | 10.40.0.17 |",
            "",
            "no problems",
            "",
        ].join("\n"));
    });
});
