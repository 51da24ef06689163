// What `swarm-macvlan status` says of the two issue-19 features: each task address (pinned with
// `taskAddresses`) and whether a task holds it; services attached to a plan network without its
// placement constraint, or updating start-first where addresses are pinned; nodes whose label and
// config-only network disagree. Pure: the CLI runs the scripts, these functions read the answers.
import { placementConstraint, placementLabel, PLACEMENT_VALUE } from "./commands/label";
import { Plan } from "./plan";
import { line, quote, script } from "./shell";
import type { Endpoint } from "./status";

/** What one node says of itself: its swarm ID and which of the plan's config-only networks it has. */
export interface NodeFacts {
    readonly node: string;
    /** Empty when the node is in no swarm. */
    readonly nodeId: string;
    readonly configNetworks: readonly string[];
}

/** A swarm service as a manager describes it. */
export interface ServiceFacts {
    readonly name: string;
    /** `start-first` or `stop-first` (Docker's default, also when empty). */
    readonly updateOrder: string;
    /** Its networks, by ID or name (Docker stores the ID of a name given at create). */
    readonly networks: readonly string[];
    readonly constraints: readonly string[];
}

/** What a manager says: each plan swarm network's ID, every node's labels, every service. */
export interface ManagerFacts {
    readonly networkIds: Readonly<Record<string, string>>;
    /** Per swarm node ID, its labels. */
    readonly labels: Readonly<Record<string, Readonly<Record<string, string>>>>;
    readonly services: readonly ServiceFacts[];
}

/** One pinned task address and the container holding it, if any. */
export interface PinStatus {
    readonly network: string;
    readonly node: string;
    readonly address: string;
    /** The container holding the address on the node; absent when no task holds it. */
    readonly heldBy?: string;
}

/** Run on every node: `id|<swarm node ID>` and `config|<name>` for each of the plan's config-only networks it has. */
export function nodeFactsScript(plan: Plan): string {
    return script(
        `printf 'id|%s\\n' "$(${line(["docker", "info", "-f", "{{.Swarm.NodeID}}"])} 2>/dev/null || true)"`,
        ...plan.networks.map((net) => `if ${line(["docker", "network", "inspect", net.configNetworkName])} >/dev/null 2>&1; then printf 'config|%s\\n' ${quote(net.configNetworkName)}; fi`),
    );
}

/** The facts in one node's nodeFactsScript output. */
export function parseNodeFacts(node: string, stdout: string): NodeFacts {
    const lines = stdout.split("\n");
    const nodeId = lines.find((l) => l.startsWith("id|"))?.slice(3) ?? "";
    return { node, nodeId, configNetworks: lines.filter((l) => l.startsWith("config|")).map((l) => l.slice(7)) };
}

/**
 * Run on a manager: `network|NAME|ID` per plan swarm network, `label|NODE_ID|KEY=VALUE` per node
 * label, `service|NAME|ORDER|NETWORK ...|CONSTRAINT;...` per service.
 */
export function managerFactsScript(plan: Plan): string {
    const service = "{{.Spec.Name}}|{{with .Spec.UpdateConfig}}{{.Order}}{{end}}|{{range .Spec.TaskTemplate.Networks}}{{.Target}} {{end}}|" +
        "{{with .Spec.TaskTemplate.Placement}}{{range .Constraints}}{{.}};{{end}}{{end}}";
    const labels = '{{$id := .ID}}{{range $k, $v := .Spec.Labels}}label|{{$id}}|{{$k}}={{$v}}{{"\\n"}}{{end}}';
    return script(
        ...plan.networks.map((net) => `if id=$(${line(["docker", "network", "inspect", "-f", "{{.Id}}", net.swarmNetworkName])} 2>/dev/null); then printf 'network|%s|%s\\n' ${quote(net.swarmNetworkName)} "$id"; fi`),
        `nodes=$(docker node ls -q 2>&1) || fail "cannot list the swarm's nodes:" "$nodes"`,
        `[ -z "$nodes" ] || ${line(["docker", "node", "inspect", "-f", labels])} $nodes`,
        `services=$(docker service ls -q 2>&1) || fail "cannot list the services:" "$services"`,
        `[ -z "$services" ] || ${line(["docker", "service", "inspect", "-f", `service|${service}`])} $services`,
    );
}

/** The facts in a manager's managerFactsScript output. */
export function parseManagerFacts(stdout: string): ManagerFacts {
    const networkIds: Record<string, string> = {};
    const labels: Record<string, Record<string, string>> = {};
    const services: ServiceFacts[] = [];
    for (const l of stdout.split("\n")) {
        const [kind, ...rest] = l.split("|");
        if (kind === "network") {
            networkIds[rest[0]] = rest[1];
        } else if (kind === "label") {
            const pair = rest.slice(1).join("|");
            const at = pair.indexOf("=");
            labels[rest[0]] = { ...labels[rest[0]], [pair.slice(0, at)]: pair.slice(at + 1) };
        } else if (kind === "service") {
            const [name, order, networks, constraints] = rest;
            services.push({ name, updateOrder: order || "stop-first", networks: words(networks, " "), constraints: words(constraints, ";") });
        }
    }
    return { networkIds, labels, services };
}

function words(text: string | undefined, separator: string): string[] {
    return (text ?? "").split(separator).filter((w) => w !== "");
}

/**
 * Each task address and its holder, and what is wrong with placement: a task on a pinned node
 * at another address; a service on a plan network without its constraint (warning) or updating
 * start-first where addresses are pinned (problem); a label without the network, the network
 * without the label (warning), a label on a node outside the plan.
 */
export function placementFindings(plan: Plan, endpoints: readonly Endpoint[], nodes: readonly NodeFacts[], manager?: ManagerFacts):
    { pins: PinStatus[]; warnings: string[]; problems: string[] } {
    const pins: PinStatus[] = [];
    const warnings: string[] = [];
    const problems: string[] = [];
    for (const net of plan.networks) {
        const mine = endpoints.filter((e) => e.network === net.swarmNetworkName);
        for (const n of net.nodes) {
            for (const [address, family] of [[n.taskAddress, "ipv4"], [n.ipv6?.taskAddress, "ipv6"]] as const) {
                if (address === undefined) {
                    continue;
                }
                const here = mine.filter((e) => e.node === n.node && e[family] !== undefined);
                const holder = here.find((e) => e[family] === address);
                pins.push({ network: net.name, node: n.node, address, ...(holder && { heldBy: holder.container }) });
                for (const e of here.filter((x) => x !== holder)) {
                    problems.push(`${n.node}: ${e[family]} (${e.container}, ${net.swarmNetworkName}) is not ${n.node}'s task address ${address}; ` +
                        `its config-only network should hand out no other: run swarm-macvlan check`);
                }
            }
        }
        const pinned = net.nodes.some((n) => n.taskAddress !== undefined || n.ipv6?.taskAddress !== undefined);
        const constraint = placementConstraint(net.name);
        const targets = [net.swarmNetworkName, manager?.networkIds[net.swarmNetworkName]].filter((t) => t !== undefined);
        for (const s of (manager?.services ?? []).filter((x) => x.networks.some((t) => targets.includes(t)))) {
            if (!s.constraints.some((c) => c.replace(/\s+/g, "") === constraint)) {
                warnings.push(`service ${s.name} is on ${net.swarmNetworkName} without --constraint ${constraint}: swarm may place its tasks where the network does not exist, and they fail`);
            }
            if (pinned && s.updateOrder === "start-first") {
                problems.push(`service ${s.name} updates start-first on ${net.swarmNetworkName}, whose nodes pin task addresses: the new task waits for the address ` +
                    `the old one holds and the update hangs; docker service update --update-order stop-first ${s.name}`);
            }
        }
        if (manager === undefined) {
            continue;
        }
        const key = placementLabel(net.name);
        for (const f of nodes.filter((x) => x.nodeId !== "")) {
            const labelled = manager.labels[f.nodeId]?.[key] === PLACEMENT_VALUE;
            const has = f.configNetworks.includes(net.configNetworkName);
            if (labelled && !has) {
                problems.push(`${f.node} carries ${key}=${PLACEMENT_VALUE} but has no docker network ${net.configNetworkName}: constrained tasks placed there fail; run pulumi up`);
            } else if (has && !labelled) {
                warnings.push(`${f.node} has ${net.configNetworkName} but not the label ${key}=${PLACEMENT_VALUE}: constrained services place no task there; run pulumi up`);
            }
        }
        const known = new Set(nodes.map((f) => f.nodeId));
        for (const [id, labels] of Object.entries(manager.labels)) {
            if (labels[key] !== undefined && !known.has(id)) {
                problems.push(`swarm node ${id} carries ${key}=${labels[key]} but is no node of the plan (or did not answer): remove it with docker node update --label-rm ${key} ${id}`);
            }
        }
    }
    return { pins, warnings, problems };
}
