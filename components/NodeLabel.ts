// The placement label of one node for one network, as one dynamic resource that runs its scripts
// over the library's own SSH connections (components/ssh.ts: one per host for the whole run), so
// that labelling N nodes from the manager adds no login there: N remote.Commands would each open
// one, all at once, and a stock sshd (MaxStartups 10:30:100) drops logins from the 10th on.
import * as pulumi from "@pulumi/pulumi";
import * as core from "./core";
import { Connection, checked, secretConnection } from "./remoteStep";
import { DriftState, NODE_ID_PLACEHOLDER, afterCheck, failureText, needsUpdate, readNodeId, withNodeId } from "./core/dynamic";
import { SshTarget, runOnHost } from "./ssh";
import { DynamicResource, namedProvider } from "./providerCode";

/** NodeLabel's arguments: which network's label, on which node, from which manager. */
export interface NodeLabelArgs {
    /** The spec network's name: the label is `swarm-macvlan.<network>=true`. */
    readonly network: string;
    /** The labelled node's name, for messages. */
    readonly node: string;
    /** SSH connection to the labelled node (its swarm ID is read there); the key should be a secret. */
    readonly nodeConnection: Connection;
    /** The manager's name, for messages. */
    readonly manager: string;
    /** SSH connection to a swarm manager, where the label is set; the key should be a secret. */
    readonly connection: Connection;
}

export { NODE_ID_PLACEHOLDER };

/** How long one script may run on a host. */
const SCRIPT_SECONDS = 120;

/** The provider's inputs, resolved. */
interface LabelInputs {
    readonly connection: SshTarget;
    readonly nodeConnection: SshTarget;
    readonly node: string;
    readonly manager: string;
    /** Prints the node's swarm ID (core.swarmNodeIdScript), run on the node. */
    readonly idScript: string;
    /** core.nodeLabelCommands with NODE_ID_PLACEHOLDER for the ID, run on the manager. */
    readonly create: string;
    readonly delete: string;
    readonly check: string;
}

/** Runs `script` on `target` (`who` names it in errors); its standard output, or an error with its message. */
async function run(target: SshTarget, who: string, script: string): Promise<string> {
    const answer = await runOnHost(target, script, who, SCRIPT_SECONDS);
    if (answer.code !== 0) {
        throw new Error(failureText(answer, who));
    }
    return answer.stdout;
}

/** Reads the node's swarm ID on the node, then sets the label on the manager (only where it is missing). */
async function setLabel(inputs: LabelInputs): Promise<{ id: string; outs: LabelInputs & { nodeId: string; drift: string[] } }> {
    const nodeId = readNodeId(await runOnHost(inputs.nodeConnection, inputs.idScript, inputs.node, SCRIPT_SECONDS), inputs.node);
    await run(inputs.connection, inputs.manager, withNodeId(inputs.create, nodeId));
    return { id: `${inputs.node}-${nodeId}`, outs: { ...inputs, nodeId, drift: [] } };
}

/**
 * The dynamic provider. `create` reads the node's swarm ID on the node, then sets the label on
 * the manager; `delete` removes it (the label only); `read` (refresh) runs the check and keeps
 * what differs in `drift`, so that `diff` asks for an update, which sets the label again. Its
 * functions reach modules only through `require` and the imported runOnHost (see ssh.ts).
 */
const provider = namedProvider("NodeLabel", {
    async create(inputs: LabelInputs) {
        return setLabel(inputs);
    },
    async diff(_id: string, olds: LabelInputs & DriftState, news: LabelInputs) {
        return { changes: needsUpdate({ ...olds }, { ...news }, ["node", "manager", "idScript", "create", "delete", "check", "connection", "nodeConnection"]) };
    },
    async update(_id: string, _olds: LabelInputs, news: LabelInputs) {
        // As create: idempotent, it adds the label only where it is missing.
        return { outs: (await setLabel(news)).outs };
    },
    async delete(_id: string, props: LabelInputs & { nodeId: string }) {
        await run(props.connection, props.manager, withNodeId(props.delete, props.nodeId));
    },
    async read(id: string, props: LabelInputs & DriftState & { nodeId: string }) {
        const answer = await runOnHost(props.connection, withNodeId(props.check, props.nodeId), props.manager, SCRIPT_SECONDS);
        return { id, props: afterCheck(props, answer, props.manager) };
    },
});

/**
 * The placement label of one node for one network (moby#33437): `swarm-macvlan.<network>=true`,
 * set on a manager once the node's config-only network exists (give that network's command as
 * `dependsOn` and `replaceWith`, with deleteBeforeReplace, as MacvlanSwarmNetwork does: the label
 * is then removed before the network is deleted, and around its replacement), so a service
 * constrained with `node.labels.swarm-macvlan.<network>==true` only gets tasks where the network
 * can be joined. The node is named by its swarm ID, read on the node when the label is set. Only
 * this key of the node's labels is ever written.
 *
 * @example
 * new NodeLabel("vlan40-node2-label", { network: "vlan40", node: "node2", nodeConnection: node2,
 *   manager: "node1", connection: node1 }, { dependsOn: [node2Config.command], replaceWith: [node2Config.command], deleteBeforeReplace: true });
 */
export class NodeLabel extends DynamicResource {
    /** The node's swarm ID, as the node printed it. */
    declare readonly nodeId: pulumi.Output<string>;
    /** What the last refresh found different (emptied by the update that repairs it). */
    declare readonly drift: pulumi.Output<string[]>;

    constructor(name: string, args: NodeLabelArgs, opts?: pulumi.CustomResourceOptions) {
        const { network, node, manager } = args;
        const scripts = checked("NodeLabel", name, () => ({
            idScript: core.swarmNodeIdScript(node),
            ...core.nodeLabelCommands({ network, node, manager, nodeId: NODE_ID_PLACEHOLDER }),
        }));
        const inputs = {
            connection: secretConnection(args.connection), nodeConnection: secretConnection(args.nodeConnection), node, manager,
            idScript: scripts.idScript, create: scripts.create, delete: scripts.delete, check: scripts.check,
        };
        super(provider, name, { ...inputs, nodeId: undefined, drift: undefined }, opts);
    }
}
