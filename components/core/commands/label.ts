// The placement label (moby#33437): on a manager, a node label per network on every node that
// has the network's config-only network, so services can be constrained to where it exists.
import { readName } from "../fields";
import { Argv, line, quote, script } from "../shell";
import { CommandPair, THIS_HOST, validateArgs } from "./shared";

/** The label's value: constraints compare it (`node.labels.<key>==true`). */
export const PLACEMENT_VALUE = "true";

/**
 * The node label swarm-macvlan keeps for network `network` (the spec's name), e.g.
 * `swarm-macvlan.vlan40`. The library owns every key of this form and no other.
 *
 * @example placementLabel("vlan40") // "swarm-macvlan.vlan40"
 */
export function placementLabel(network: string): string {
    return `swarm-macvlan.${network}`;
}

/**
 * The constraint a service gives to run only where network `network` exists.
 *
 * @example placementConstraint("vlan40") // "node.labels.swarm-macvlan.vlan40==true"
 */
export function placementConstraint(network: string): string {
    return `node.labels.${placementLabel(network)}==${PLACEMENT_VALUE}`;
}

/** How many times a label's update is tried while other updates of the node race it. */
export const UPDATE_ATTEMPTS = 10;

/** A swarm node ID as Docker prints it (swarmkit's are 25 lowercase base-36 characters). */
const NODE_ID = /^[a-z0-9]{1,64}$/;

export interface NodeLabelArgs {
    /** The spec network's name, e.g. `vlan40`: the label is `swarm-macvlan.<network>`. */
    readonly network: string;
    /** The labelled node's swarm ID (`docker info -f '{{.Swarm.NodeID}}'` on it; swarmNodeIdScript). */
    readonly nodeId: string;
    /** The labelled node's name, for messages. */
    readonly node: string;
    /** The manager the commands run on, for messages. @default "this host" */
    readonly manager?: string;
}

/** `docker node update --label-add swarm-macvlan.<network>=true <id>`: only this key changes. */
export function nodeLabelArgv(args: NodeLabelArgs): Argv {
    return ["docker", "node", "update", "--label-add", `${placementLabel(args.network)}=${PLACEMENT_VALUE}`, args.nodeId];
}

/**
 * The placement label of one node, run on a manager (node labels are swarm state; only a manager
 * changes them). Nodes are named by swarm ID, never hostname: two machines may share a hostname,
 * and an ID names one node for as long as it stays in the swarm. `create` adds the label when it
 * is not there already; `delete` removes it (a node gone from the swarm, or the label gone, is
 * fine); `check` reports a missing or changed label. Only `swarm-macvlan.<network>` is ever
 * written: `--label-add` and `--label-rm` leave every other label of the node as it is.
 */
export function nodeLabelCommands(args: NodeLabelArgs): CommandPair {
    validateArgs((p) => {
        readName(p, "network", args.network);
        readName(p, "node", args.node);
        args.manager === undefined || readName(p, "manager", args.manager);
        if (!NODE_ID.test(args.nodeId)) {
            p.add("nodeId", args.nodeId, "is not a swarm node ID: lowercase letters and digits, as docker info -f '{{.Swarm.NodeID}}' prints it");
        }
    });
    const manager = args.manager ?? THIS_HOST;
    const key = placementLabel(args.network);
    const object = `node label ${key} of ${args.node}`;
    const add = nodeLabelArgv(args);
    // `index` of a missing key prints nothing; "<no value>" only when there are no labels at all.
    const read = (whenMissing: string) => [
        `if ! label=$(${line(["docker", "node", "inspect", "-f", `{{index .Spec.Labels ${JSON.stringify(key)}}}`, args.nodeId])} 2>&1); then`,
        '  case "$label" in',
        `    *${quote(`node ${args.nodeId} not found`)}*) ${whenMissing} ;;`,
        `    *) fail ${quote(`cannot read the labels of node ${args.node} (${args.nodeId}) on ${manager}:`)} "$label" ;;`,
        "  esac",
        "fi",
        `[ "$label" != '<no value>' ] || label=''`,
    ];
    // Node updates are versioned: two at once on one node (its labels for two networks) make one
    // fail with "update out of sequence". That one reads the node again and retries, bounded.
    const update = (argv: Argv) => [
        "n=0",
        `until out=$(${line(argv)} 2>&1); do`,
        '  case "$out" in',
        `    *'update out of sequence'*) n=$((n + 1)); [ "$n" -lt ${UPDATE_ATTEMPTS} ] || fail ${quote(`${object}: the node kept changing under ${UPDATE_ATTEMPTS} updates:`)} "$out"; sleep 1 ;;`,
        `    *) fail ${quote(`cannot update ${object} on ${manager}:`)} "$out" ;;`,
        "  esac",
        "done",
    ];
    return {
        steps: [add],
        create: script(
            ...read(`fail ${quote(`node ${args.node} (${args.nodeId}) is not in the swarm ${manager} manages; join it to that swarm`)}`),
            `[ "$label" != ${PLACEMENT_VALUE} ] || exit 0`,
            ...update(add),
        ),
        delete: script(
            ...read("exit 0"),
            `[ -n "$label" ] || exit 0`,
            ...update(["docker", "node", "update", "--label-rm", key, args.nodeId]),
        ),
        check: script(
            ...read(`echo ${quote(`${object}: node ${args.nodeId} is not in the swarm`)}; exit 0`),
            `[ "$label" = ${PLACEMENT_VALUE} ] || echo ${quote(`${object}: is `)}"\${label:-(none)}"${quote(`, the plan says ${PLACEMENT_VALUE}`)}`,
        ),
    };
}

/**
 * Run on a node: prints its swarm node ID, the name its placement label is kept under on the
 * manager; fails (naming the node) when it is not an active swarm member.
 */
export function swarmNodeIdScript(node: string = THIS_HOST): string {
    validateArgs((p) => readName(p, "node", node === THIS_HOST ? "this-host" : node));
    return script(
        `state=$(${line(["docker", "info", "-f", "{{.Swarm.LocalNodeState}} {{.Swarm.NodeID}}"])} 2>&1) || fail ${quote(`cannot read the swarm state of ${node}:`)} "$state"`,
        `case "$state" in`,
        `  'active '?*) printf '%s\\n' "\${state#active }" ;;`,
        `  *) fail ${quote(`${node} is not an active swarm node (docker info says`)} "$state);" ${quote("join it to the swarm first")} ;;`,
        "esac",
    );
}
