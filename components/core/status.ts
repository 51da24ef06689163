// The swarm-wide address inventory of `swarm-macvlan status`: what each node's containers hold
// on the plan's networks, set against the plan. Pure: the CLI runs `statusScript` on every node
// and hands the parsed lines to `statusReport`.
import { Address, Cidr, contains, formatCidr, parseAddress, parseCidr, sizeOf } from "./cidr";
import { ManagerFacts, NodeFacts, PinStatus, placementFindings } from "./placement";
import { Plan } from "./plan";
import { noSuchNetwork } from "./commands/network";
import { line, quote, script } from "./shell";

/** One container's endpoint on one swarm network, as a node reports it. */
export interface Endpoint {
    readonly node: string;
    /** The swarm network's docker name. */
    readonly network: string;
    readonly container: string;
    /** The swarm service it belongs to; empty for a standalone container. */
    readonly service: string;
    readonly ipv4?: string;
    readonly ipv6?: string;
}

/**
 * What a node's Docker says of one subnet of a network it has a local copy of (API 1.52 and
 * later, moby#50917): `docker network inspect`'s `Status.IPAM.Subnets`.
 */
export interface SubnetUse {
    readonly node: string;
    /** The swarm network's docker name. */
    readonly network: string;
    readonly subnet: string;
    /** Addresses of the subnet allocated or reserved (gateway and aux addresses included). */
    readonly ipsInUse: number;
    /** Addresses of the node's `--ip-range` still free for containers. */
    readonly dynamicIPsAvailable: number;
}

/** A node's share of a network: how much of its IPv4 range is used. */
export interface RangeUse {
    readonly node: string;
    readonly ipRange: string;
    readonly used: number;
    /** Addresses containers can get: the range less its reserved aux addresses. */
    readonly usable: number;
    /**
     * Who counted `used`: `docker`, the node's own IPAM (usable less DynamicIPsAvailable, API
     * 1.52 and later), or `containers`, the endpoints listed (older engines, or no local copy).
     */
    readonly countedBy: "docker" | "containers";
}

export interface StatusReport {
    readonly networks: readonly { readonly name: string; readonly swarmNetwork: string; readonly subnet: string; readonly ranges: readonly RangeUse[] }[];
    readonly endpoints: readonly Endpoint[];
    /** Ranges used 80 % or more. */
    readonly warnings: readonly string[];
    /** Addresses outside their node's range, and the same address on two nodes (moby#49921). */
    readonly problems: readonly string[];
    /** Nodes that could not be asked, with why. */
    readonly unreachable: readonly { readonly node: string; readonly error: string }[];
    /** Each pinned task address (`taskAddresses`) and its holder; present when placement facts were given. */
    readonly pins?: readonly PinStatus[];
}

/** What the placement part of the report reads (placement.ts): every answering node's facts and the manager's. */
export interface PlacementFacts {
    readonly nodes: readonly NodeFacts[];
    /** Undefined when the manager did not answer. */
    readonly manager?: ManagerFacts;
}

/** Use at or above this share of a range is worth a warning. */
export const RANGE_WARNING = 0.8;

/**
 * Prints one line per endpoint on the plan's swarm networks on this node:
 * `NETWORK|CONTAINER|SERVICE|IPv4/len|IPv6/len`, and where the engine speaks API 1.52 or later,
 * the node's own count of each network's subnets: `ipam|NETWORK|{"IPAM":{"Subnets":{...}}}`. A
 * swarm network with no task on the node has no local copy there, which is no error.
 */
export function statusScript(plan: Plan): string {
    const template = '{{range $id, $c := .Containers}}{{$c.Name}}|{{$c.IPv4Address}}|{{$c.IPv6Address}}{{"\\n"}}{{end}}';
    return script(
        // API 1.52 added Status to network inspect; older clients negotiate below it, so ask for
        // it by version. By name a manager answers with the swarm allocator's status (empty for a
        // node-local driver such as macvlan); by ID, with the local copy's (moby's network routes).
        `api=$(${line(["docker", "version", "-f", "{{.Server.APIVersion}}"])} 2>/dev/null || true)`,
        `newapi=$(printf '%s\\n' "$api" | ${line(["awk", "-F.", '{ print ($1 > 1 || ($1 == 1 && $2 >= 52)) ? "yes" : "no" }'])})`,
        ...plan.networks.map((net) => net.swarmNetworkName).flatMap((net) => [
            `if [ "$newapi" = yes ] && id=$(${line(["docker", "network", "inspect", "-f", "{{.Id}}", net])} 2>/dev/null); then`,
            `  st=$(DOCKER_API_VERSION=1.52 ${line(["docker", "network", "inspect", "-f", "{{json .Status}}"])} "$id" 2>/dev/null) && printf 'ipam|%s|%s\\n' ${quote(net)} "$st" || true`,
            "fi",
            `if out=$(${line(["docker", "network", "inspect", "-f", template, net])} 2>&1); then`,
            `  printf '%s\\n' "$out" | while IFS='|' read -r name v4 v6; do`,
            '    [ -n "$name" ] || continue',
            `    svc=$(${line(["docker", "inspect", "-f", '{{index .Config.Labels "com.docker.swarm.service.name"}}'])} "$name" 2>/dev/null || true)`,
            `    printf '%s|%s|%s|%s|%s\\n' ${quote(net)} "$name" "$svc" "$v4" "$v6"`,
            "  done",
            "else",
            `  case "$out" in ${noSuchNetwork(net)}) ;; *) fail ${quote(`cannot read docker network ${net}:`)} "$out" ;; esac`,
            "fi",
        ]),
    );
}

/** The endpoints in one node's statusScript output. */
export function parseStatus(node: string, stdout: string): Endpoint[] {
    return stdout.split("\n").filter((l) => l !== "" && !l.startsWith("ipam|")).map((l) => {
        const [network, container, service, v4, v6] = l.split("|");
        const bare = (a: string | undefined) => (a ? a.replace(/\/\d+$/, "") : undefined);
        return { node, network, container, service, ...(bare(v4) && { ipv4: bare(v4) }), ...(bare(v6) && { ipv6: bare(v6) }) };
    });
}

/** The subnets' use in one node's statusScript output (none from engines before API 1.52). */
export function parseSubnetUse(node: string, stdout: string): SubnetUse[] {
    return stdout.split("\n").filter((l) => l.startsWith("ipam|")).flatMap((l) => {
        const [, network, json] = l.split("|");
        let status: { IPAM?: { Subnets?: Record<string, { IPsInUse?: number; DynamicIPsAvailable?: number }> } } | null;
        try {
            status = JSON.parse(json);
        } catch {
            return [];
        }
        return Object.entries(status?.IPAM?.Subnets ?? {}).map(([subnet, use]) => ({
            node, network, subnet, ipsInUse: use.IPsInUse ?? 0, dynamicIPsAvailable: use.DynamicIPsAvailable ?? 0,
        }));
    });
}

function parsed<T>(result: { ok: true; value: T } | { ok: false }): T | undefined {
    return result.ok ? result.value : undefined;
}

/**
 * Sets the endpoints against the plan: each node's range use (IPv4), warnings at 80 %, and the
 * problems no Docker tool shows across a swarm: an address outside its node's planned range,
 * and one address held on two nodes. With `placement`, also each task address and whether it is
 * held, and the services and labels placementFindings judges. A node with a task address has
 * one usable address (its config-only network hands out no other) and no 80 % warning.
 */
export function statusReport(plan: Plan, endpoints: readonly Endpoint[], unreachable: StatusReport["unreachable"] = [], subnets: readonly SubnetUse[] = [],
    placement?: PlacementFacts): StatusReport {
    const warnings: string[] = [];
    const problems: string[] = [];
    const networks = plan.networks.map((net) => {
        const mine = endpoints.filter((e) => e.network === net.swarmNetworkName);
        const ranges = net.nodes.map((n) => {
            const range = parsed(parseCidr(n.ipRange, 4)) as Cidr;
            const reserved = Object.values(n.auxAddresses).filter((a) => {
                const address = parsed(parseAddress(a, 4));
                return address !== undefined && contains(range, address);
            }).length;
            const usable = n.taskAddress !== undefined ? 1 : Number(sizeOf(range)) - reserved;
            const docker = subnets.find((u) => u.node === n.node && u.network === net.swarmNetworkName && u.subnet === net.subnet);
            const use: RangeUse = docker
                ? { node: n.node, ipRange: n.ipRange, used: Math.max(0, usable - docker.dynamicIPsAvailable), usable, countedBy: "docker" }
                : { node: n.node, ipRange: n.ipRange, used: mine.filter((e) => e.node === n.node && e.ipv4 !== undefined).length, usable, countedBy: "containers" };
            if (n.taskAddress === undefined && use.usable > 0 && use.used / use.usable >= RANGE_WARNING) {
                warnings.push(`${net.name} on ${n.node}: ${use.used} of ${use.usable} addresses of ${n.ipRange} are used`);
            }
            return use;
        });
        for (const e of mine) {
            const own = net.nodes.find((n) => n.node === e.node);
            for (const [address, planned, family] of [[e.ipv4, own?.ipRange, 4], [e.ipv6, own?.ipv6?.ipRange, 6]] as const) {
                if (address === undefined) {
                    continue;
                }
                const at = parsed(parseAddress(address, family)) as Address | undefined;
                const range = planned === undefined ? undefined : parsed(parseCidr(planned, family));
                if (at === undefined || range === undefined || !contains(range, at)) {
                    problems.push(`${e.node}: ${address} (${e.container}, ${e.network}) is outside ${e.node}'s planned range ${planned === undefined ? "(none)" : formatCidr(range!)}`);
                }
            }
        }
        return { name: net.name, swarmNetwork: net.swarmNetworkName, subnet: net.subnet, ranges };
    });
    const holders = new Map<string, Endpoint[]>();
    for (const e of endpoints) {
        for (const address of [e.ipv4, e.ipv6]) {
            if (address !== undefined) {
                holders.set(`${e.network} ${address}`, [...(holders.get(`${e.network} ${address}`) ?? []), e]);
            }
        }
    }
    for (const [key, held] of holders) {
        if (new Set(held.map((e) => e.node)).size > 1) {
            const [network, address] = key.split(" ");
            problems.push(`${address} on ${network} is held on ${held.length} nodes: ${held.map((e) => `${e.node} (${e.container})`).join(", ")}`);
        }
    }
    if (placement === undefined) {
        return { networks, endpoints, warnings, problems, unreachable };
    }
    const found = placementFindings(plan, endpoints, placement.nodes, placement.manager);
    return { networks, endpoints, warnings: [...warnings, ...found.warnings], problems: [...problems, ...found.problems], unreachable, pins: found.pins };
}

export const STATUS_FORMATS = ["table", "json", "markdown"] as const;

/** The report as a table, markdown (a pull-request comment) or JSON. */
export function renderStatus(report: StatusReport, format: (typeof STATUS_FORMATS)[number]): string {
    if (format === "json") {
        return JSON.stringify(report, null, 2) + "\n";
    }
    const md = format === "markdown";
    const table = (head: string[], rows: string[][]) => {
        if (md) {
            return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
        }
        const all = [head, ...rows];
        const width = (c: number) => Math.max(...all.map((r) => r[c].length));
        return all.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(width(c)))).join("  "));
    };
    const notes = [
        ...report.warnings.map((w) => `warning: ${w}`),
        ...report.problems.map((p) => `problem: ${p}`),
        ...report.unreachable.map((u) => `not asked: ${u.error}`),
    ];
    return [
        ...report.networks.flatMap((net) => [
            md ? `### ${net.name}: ${net.subnet} (${net.swarmNetwork})` : `${net.name}: ${net.subnet} (${net.swarmNetwork})`,
            ...table(["node", "ip-range", "used", "counted by"], net.ranges.map((r) => [r.node, r.ipRange, `${r.used}/${r.usable}`, r.countedBy])),
            "",
            ...table(["node", "container", "service", "addresses"], report.endpoints.filter((e) => e.network === net.swarmNetwork)
                .map((e) => [e.node, e.container, e.service || "-", [e.ipv4, e.ipv6].filter(Boolean).join(" ")])),
            "",
        ]),
        ...(report.pins === undefined || report.pins.length === 0 ? [] : [
            ...table(["network", "node", "task address", "held by"], report.pins.map((p) => [p.network, p.node, p.address, p.heldBy ?? "(no task)"])),
            "",
        ]),
        ...(md ? notes.map((n) => `- ${n}`) : notes),
        notes.length === 0 ? "no problems" : `${report.problems.length} problem${report.problems.length === 1 ? "" : "s"}, ${report.warnings.length} warning${report.warnings.length === 1 ? "" : "s"}`,
        "",
    ].join("\n");
}
