import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as core from "./core";
import { DriftCheck } from "./DriftCheck";
import { Connection, Step, checked, dependsOnList, remoteStep, secretConnection } from "./remoteStep";

/** The `-swarm-id` command's delete: it only read the node's ID. */
export const NOTHING_TO_DELETE = core.script("# swarm-macvlan: reading the swarm node ID made nothing to remove");

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
    /**
     * The node's ConfigOnlyNetwork: the label is set after it exists, removed before it is
     * deleted, and removed and set again around its replacement. @default none
     */
    readonly configNetwork?: Step;
}

/**
 * The placement label of one node for one network (moby#33437): `swarm-macvlan.<network>=true`,
 * set on a manager once the node's config-only network exists, so a service constrained with
 * `node.labels.swarm-macvlan.<network>==true` only gets tasks where the network can be joined.
 * The node is named by its swarm ID, read on the node by a `<name>-swarm-id` command first.
 * Only this key of the node's labels is ever written.
 *
 * @example
 * new NodeLabel("vlan40-node2-label", { network: "vlan40", node: "node2", nodeConnection: node2,
 *   manager: "node1", connection: node1, configNetwork: node2Config });
 */
export class NodeLabel extends pulumi.ComponentResource implements Step {
    /** The label's key, e.g. `swarm-macvlan.vlan40`. */
    readonly label: string;
    /** The node's swarm ID, as the node printed it. */
    readonly nodeId: pulumi.Output<string>;
    readonly command: command.remote.Command;
    readonly drift: DriftCheck;

    constructor(name: string, args: NodeLabelArgs, opts?: pulumi.ComponentResourceOptions) {
        const { network, node, manager } = args;
        const idScript = checked("NodeLabel", name, () => {
            // The names are checked now, before any child exists; the ID is only known later.
            core.nodeLabelCommands({ network, node, manager, nodeId: "0" });
            return core.swarmNodeIdScript(node);
        });
        super("swarm-macvlan:index:NodeLabel", name, {}, opts);
        this.label = core.placementLabel(network);
        const nodeConnection = secretConnection(args.nodeConnection);
        // Reads only: its delete removes nothing. The node's SSH endpoint is what it reads, so it is
        // the identity. Scripts on stdin, as every step's (core.stepStdin).
        const id = new command.remote.Command(`${name}-swarm-id`, {
            connection: nodeConnection, create: core.STEP_COMMANDS.create, delete: core.STEP_COMMANDS.delete,
            stdin: core.stepStdin({ create: idScript, delete: NOTHING_TO_DELETE }), triggers: [nodeConnection.host, nodeConnection.port ?? 22],
            addPreviousOutputInEnv: false, logging: "stderr",
        }, { parent: this, dependsOn: dependsOnList(opts) });
        this.nodeId = id.stdout.apply((out) => out.trim());
        const commands = this.nodeId.apply((nodeId) => checked("NodeLabel", name, () => core.nodeLabelCommands({ network, node, manager, nodeId })));
        ({ command: this.command, drift: this.drift } = remoteStep(name, {
            parent: this, connection: args.connection, node: manager, commands,
            identity: core.identity({ label: this.label, node }), hostBound: false,
            upstream: args.configNetwork ? [args.configNetwork] : [], dependsOn: [...dependsOnList(opts), id],
        }));
        this.registerOutputs({ label: this.label, nodeId: this.nodeId });
    }
}
