import * as pulumi from "@pulumi/pulumi";
import * as core from "./core";
import { Barrier } from "./Barrier";
import { BootUnit } from "./BootUnit";
import { ConfigOnlyNetwork } from "./ConfigOnlyNetwork";
import { DriftCheck } from "./DriftCheck";
import { HostShim } from "./HostShim";
import { HostTakeover } from "./HostTakeover";
import { NodeLabel } from "./NodeLabel";
import { NodePreflight } from "./NodePreflight";
import { PromiscMode } from "./PromiscMode";
import { ReplacementGuard } from "./ReplacementGuard";
import { Connection, SharedDrift, Step, secretConnection } from "./remoteStep";
import { SwarmNetwork } from "./SwarmNetwork";
import { VlanSubinterface } from "./VlanSubinterface";

/**
 * A swarm node as MacvlanSwarmNetwork takes it: core's NodeSpec whose SSH connection fields may
 * be outputs of other resources (a VM's address, an inventory's port). `name` and `role` are
 * plain: the planner reads them before any resource exists.
 *
 * @example { name: "worker3", host: vm.ipAddress, role: "worker" }
 */
export interface MacvlanSwarmNodeArgs {
    /** Unique; names the node's resources and keys the per-node maps of the networks. */
    readonly name: string;
    /** SSH address (IP or DNS name); validated when plain, used as it resolves otherwise. */
    readonly host: pulumi.Input<string>;
    /** SSH port. @default 22 */
    readonly port?: pulumi.Input<number>;
    /** SSH user; must be able to run `ip` and `docker`. @default "root" */
    readonly user?: pulumi.Input<string>;
    /** Swarm role; the swarm network is created on the first manager. */
    readonly role: core.NodeRole;
    /**
     * The node's SSH host key (`ssh-ed25519 AAAA...`, as `swarm-macvlan keyscan` prints it): every
     * connection, the commands' and swarm-macvlan's own, must be offered exactly this key.
     * @default none: any key is accepted, with a warning per node (see requireHostKeys)
     */
    readonly hostKey?: string;
}

/** The spec (the same shape as stack config `<namespace>:nodes` / `:networks`) and a key. */
export interface MacvlanSwarmNetworkArgs {
    /** The swarm's nodes, in a stable order (a node's ranges depend on the nodes before it). */
    readonly nodes: readonly MacvlanSwarmNodeArgs[];
    /** The macvlan networks to make on every node. */
    readonly networks: readonly core.NetworkSpec[];
    /**
     * The SSH private key (PEM/OpenSSH text) for every node; it is stored as a secret, and
     * Pulumi's own automatic log holds it as plain text inside that log's encryption (README,
     * "Security").
     * @default none: the ssh-agent at `$SSH_AUTH_SOCK` of the `pulumi` process signs for every
     * connection (the commands' and swarm-macvlan's own), and no key is in the state or any log.
     * With neither, the constructor throws a SpecError.
     */
    readonly sshPrivateKey?: pulumi.Input<string>;
    /** Every node must have a hostKey (an error instead of a warning). @default false */
    readonly requireHostKeys?: boolean;
}

/**
 * Every network of a spec on every node of a swarm: per node a preflight, the parent interface
 * (a VlanSubinterface with `vlanId`, else PromiscMode), the config-only network, with `shim` a
 * HostShim, with `takeover` a HostTakeover (under the lockout guard, one node at a time), and with `persist` (the default) a BootUnit that restores them at boot; once, on the first manager, the swarm network made `--config-from` them
 * all; and per node a NodeLabel, `swarm-macvlan.<network>=true` set from the manager once the node's config-only network
 * exists (and removed before it is deleted), for services to use as a placement constraint. The spec is validated and planned before any child exists; a bad spec throws a SpecError
 * listing every problem. Nothing on any host changes until every node's preflight has passed, nor
 * while services block a change that replaces a swarm network (ReplacementGuard).
 *
 * Child names are `<name>-<node>-preflight`, `<name>-barrier` (what every host step waits for: every preflight and guard), `<name>-<network>-<node>-{vlan,promisc,config,shim,takeover,boot,label}`,
 * `<name>-<network>-<node>-guard`, `<name>-<network>-<node>-drift` (one DriftCheck per node and network that checks all of
 * the node's objects of the network in one SSH command, keyed `vlan`, `promisc`, `config`, `shim`, `takeover`, `boot`), and
 * `<name>-<network>-swarm` with its own `<name>-<network>-swarm-drift` on the manager: renaming a node or network replaces its objects.
 *
 * @example
 * const net = new MacvlanSwarmNetwork("prod", {
 *   nodes: [{ name: "manager1", host: "10.0.0.11", role: "manager" }, ...],
 *   networks: [{ name: "vlan40", parent: "bond0", vlanId: 40, subnet: "172.80.0.0/16",
 *                gateway: "172.80.0.1", ipRangePrefix: 24, shim: true }],
 *   sshPrivateKey: config.requireSecret("sshPrivateKey"),
 * });
 * // net.plan.networks[0].nodes[0].ipRange === "172.80.1.0/24"
 */
export class MacvlanSwarmNetwork extends pulumi.ComponentResource {
    /**
     * The full plan: ranges, aux addresses, interface and network names per node. A node whose
     * host or port is an Output or Promise is planned with the placeholder host
     * `unresolved-<index>.invalid` (and such a port or user with its default): the plan is made
     * before outputs resolve; the commands connect to, and their triggers hold, the real values.
     */
    readonly plan: core.Plan;
    /** Each network's swarm-scoped network, by network name: a `dependsOn` target for services. */
    readonly swarmNetworks: Readonly<Record<string, SwarmNetwork>>;
    /**
     * Each network's placement labels, by network name, one per node: with the swarm network, a
     * `dependsOn` target for services constrained to `node.labels.swarm-macvlan.<network>==true`
     * (core.placementConstraint), so they are created once every node that has the network says so.
     */
    readonly nodeLabels: Readonly<Record<string, readonly NodeLabel[]>>;

    constructor(name: string, args: MacvlanSwarmNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        const nodes: readonly unknown[] = Array.isArray(args.nodes) ? args.nodes : [];
        const plan = core.planSpec({ nodes: Array.isArray(args.nodes) ? nodes.map(plannerNode) : args.nodes, networks: args.networks,
            ...(args.requireHostKeys !== undefined && { requireHostKeys: args.requireHostKeys }) });
        if (args.sshPrivateKey === undefined && !process.env.SSH_AUTH_SOCK) {
            throw new core.SpecError([NO_KEY_PROBLEM]);
        }
        super("swarm-macvlan:index:MacvlanSwarmNetwork", name, {}, opts);
        this.plan = plan;
        for (const n of plan.nodes.filter((node) => node.hostKey === undefined)) {
            pulumi.log.warn(`node ${n.name} has no hostKey: any machine that answers at ${n.host}:${n.port} is taken for it, and gets its commands; ` +
                `${core.MISSING_HOST_KEY_FIX}; requireHostKeys: true makes this an error`, this);
        }
        const key = args.sshPrivateKey === undefined ? undefined : pulumi.secret(args.sshPrivateKey);
        const connections = new Map(plan.nodes.map((n, i) => [n.name, connectionOf(n, nodes[i] as MacvlanSwarmNodeArgs, key)]));
        const preflights = plan.nodes.map((n) => new NodePreflight(`${name}-${n.name}-preflight`, {
            connection: connections.get(n.name)!, node: n.name, script: core.preflightScript(core.preflightArgs(plan, n.name)),
        }, { parent: this }));
        // Every step waits for every preflight and every network's replacement guard, through one
        // Barrier: a node that is not ready, or a change that services block, stops the run before
        // any host changes.
        const guards = plan.networks.flatMap((net) => net.nodes.map((node) => this.guard(`${name}-${net.name}-${node.node}`, net, node, connections)));
        const barrier: pulumi.Resource[] = [new Barrier(`${name}-barrier`, { parent: this, dependsOn: [...preflights, ...guards] })];
        const swarmNetworks: Record<string, SwarmNetwork> = {};
        const nodeLabels: Record<string, NodeLabel[]> = {};
        for (const net of plan.networks) {
            nodeLabels[net.name] = [];
            // Takeovers go one node at a time: each after the previous node's was confirmed.
            let previous: pulumi.Resource | undefined;
            const configs = net.nodes.map((node) => {
                const made = this.node(`${name}-${net.name}-${node.node}`, net, node, connections.get(node.node)!, barrier, previous);
                // After the node's config-only network, removed before it and around its replacement.
                nodeLabels[net.name].push(new NodeLabel(`${name}-${net.name}-${node.node}-label`, {
                    network: net.name, node: node.node, nodeConnection: connections.get(node.node)!, manager: net.manager, connection: connections.get(net.manager)!,
                }, { parent: this, dependsOn: [...barrier, made.config.command], replaceWith: [made.config.command], deleteBeforeReplace: true }));
                previous = made.takeover?.confirm ?? previous;
                return made.config;
            });
            swarmNetworks[net.name] = new SwarmNetwork(`${name}-${net.name}-swarm`, {
                connection: connections.get(net.manager)!,
                ...core.swarmArgs(net),
                sources: configs,
            }, { parent: this, dependsOn: barrier });
        }
        this.swarmNetworks = swarmNetworks;
        this.nodeLabels = nodeLabels;
        this.registerOutputs({ plan });
    }

    /**
     * The ReplacementGuard of one node's part of `net`: it asks the manager which services block
     * a change that replaces the swarm network. The manager's guard also watches the swarm
     * network's own identity. One per node, so that appending or removing a node only creates
     * or deletes its own.
     */
    private guard(base: string, net: core.NetworkPlan, node: core.NodePlan, connections: Map<string, Connection>): ReplacementGuard {
        const c = connections.get(node.node)!;
        return new ReplacementGuard(`${base}-guard`, {
            connection: connections.get(net.manager)!, node: net.manager, network: net.name, swarmName: net.swarmNetworkName,
            script: core.swarmNetworkServicesScript(net.swarmNetworkName, net.manager),
            ...(node.node === net.manager && { self: core.swarmNetworkIdentity(core.swarmArgs(net)) }),
            sources: { [node.node]: pulumi.all([c.host, c.port ?? 22]).apply(([host, port]) => core.swarmSourceIdentity(net, node, host, port)) },
        }, { parent: this });
    }

    /**
     * One node's parent interface, config-only network, shim or takeover and boot unit, each after
     * the barrier (every preflight and replacement guard); a takeover also after `previous` (the
     * previous node's confirmed takeover). All watched by the one DriftCheck `<base>-drift`.
     */
    private node(
        base: string, net: core.NetworkPlan, node: core.NodePlan, connection: Connection, barrier: pulumi.Resource[], previous?: pulumi.Resource,
    ): { config: Step; takeover?: HostTakeover } {
        const opts = { parent: this, dependsOn: barrier };
        // One drift check for all of the node's objects of this network (core.networkObjects, the
        // list check and render use; the swarm network has its own on the manager), made before
        // the commands whose updates carry its epochs. Each component checks that it watches its
        // own check script under its key.
        const checks = Object.fromEntries(core.networkObjects(net, node.node).filter((o) => o.kind !== "swarm").map((o) => [o.kind, o.commands.check]));
        const watch = new DriftCheck(`${base}-drift`, { connection: secretConnection(connection), node: node.node, checks }, { parent: this });
        const drift = (key: core.HostObject["kind"]): SharedDrift => ({ check: watch, key });
        const step = core.parentArgs(net, node);
        const parent = step.kind === "vlan"
            ? new VlanSubinterface(`${base}-vlan`, { connection, ...step.args, drift: drift("vlan") }, opts)
            : new PromiscMode(`${base}-promisc`, { connection, ...step.args, drift: drift("promisc") }, opts);
        const shimArgs = core.shimArgs(net, node);
        const shim = shimArgs && new HostShim(`${base}-shim`, { connection, ...shimArgs, parentInterface: parent, drift: drift("shim") }, opts);
        const takeoverArgs = core.takeoverArgs(net, node);
        const takeover = takeoverArgs && new HostTakeover(`${base}-takeover`, { connection, ...takeoverArgs, parentInterface: parent, drift: drift("takeover") },
            { ...opts, dependsOn: [...barrier, ...(previous ? [previous] : [])] });
        if (net.persist) {
            // After a takeover was confirmed: only a change that works is restored at boot.
            new BootUnit(`${base}-boot`, { connection, ...core.bootUnitArgs(net, node), drift: drift("boot") },
                { parent: this, dependsOn: [...barrier, parent, ...(shim ? [shim] : []), ...(takeover ? [takeover, takeover.confirm] : [])] });
        }
        const config = new ConfigOnlyNetwork(`${base}-config`, { connection, ...core.configOnlyArgs(net, node), parentInterface: parent, drift: drift("config") }, opts);
        return { config, ...(takeover && { takeover }) };
    }
}

/** True for an Input that is not a plain value yet (an Output or a Promise). */
function pending(value: unknown): boolean {
    return pulumi.Output.isInstance(value) || value instanceof Promise;
}

/**
 * What the planner sees of a node (STYLE.md point 2: it reads plain values only). Plain fields
 * go as they are, so they are validated as ever. A host or port that is still pending makes
 * the SSH endpoint unknown: the planner gets the placeholder host `unresolved-<index>.invalid`
 * (valid, unique, and in the `.invalid` domain that never resolves, RFC 6761), so neither the
 * host check nor the one-endpoint-per-node check can misfire; a pending port or user is left
 * out. Anything that is not a node object goes as it is, for the planner to reject.
 */
function plannerNode(node: unknown, index: number): unknown {
    if (typeof node !== "object" || node === null) {
        return node;
    }
    const { host, port, user, ...rest } = node as Record<string, unknown>;
    return {
        ...rest,
        host: pending(host) || pending(port) ? `unresolved-${index}.invalid` : host,
        ...(port !== undefined && !pending(port) && { port }),
        ...(user !== undefined && !pending(user) && { user }),
    };
}

/** What a spec without sshPrivateKey, run with no ssh-agent, is told. */
export const NO_KEY_PROBLEM = "sshPrivateKey is not set and there is no ssh-agent ($SSH_AUTH_SOCK is empty): pass the key as a secret, " +
    "or run pulumi with an agent that holds it (eval \"$(ssh-agent)\"; ssh-add KEYFILE), which keeps it out of Pulumi's state and logs";

/**
 * The SSH connection to a node: its own host, port and user (plain or pending), else the plan's
 * defaults; with no private key, none (the agent at $SSH_AUTH_SOCK signs).
 */
function connectionOf(planned: core.PlannedNode, node: MacvlanSwarmNodeArgs, privateKey: pulumi.Output<string> | undefined): Connection {
    // Two short dial retries: a node that drops every packet fails its step within about 35 s
    // (three attempts of 10 s), like the preflight's own connection.
    return {
        host: node.host, port: node.port ?? planned.port, user: node.user ?? planned.user, dialErrorLimit: 2, perDialTimeout: 10,
        ...(privateKey !== undefined && { privateKey }),
        ...(planned.hostKey !== undefined && { hostKey: planned.hostKey }),
    };
}
