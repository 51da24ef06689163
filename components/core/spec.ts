// The spec: what an operator writes, in stack config or as component args. Plain data only;
// see plan.ts for what each field turns into on a host.

/** A node's swarm role. */
export type NodeRole = "manager" | "worker";

/** A swarm node reached over SSH. */
export interface NodeSpec {
    /** Unique; names the node's resources and keys the per-node maps below. */
    readonly name: string;
    /** SSH address (IP or DNS name). */
    readonly host: string;
    /** SSH port. @default 22 */
    readonly port?: number;
    /** SSH user; must be able to run `ip` and `docker`. @default "root" */
    readonly user?: string;
    /** Swarm role; the swarm network is created on the first manager. */
    readonly role: NodeRole;
    /**
     * The node's SSH host key in authorized_keys form (`ssh-ed25519 AAAA...`; `swarm-macvlan
     * keyscan` prints them): every connection to the node must be offered exactly this key, or
     * nothing runs on it. @default none: any key is accepted, with a warning (see requireHostKeys)
     */
    readonly hostKey?: string;
}

/** A node with its defaults applied, as the plan carries it (its host key canonical: TYPE BASE64). */
export type PlannedNode = Required<Omit<NodeSpec, "hostKey">> & Pick<NodeSpec, "hostKey">;

/** The addressing of one family (IPv4 in NetworkSpec itself, IPv6 under `ipv6`). */
export interface FamilySpec {
    /** The shared subnet, e.g. 172.80.0.0/16 (canonical text only). */
    readonly subnet: string;
    /** The subnet's router, inside the subnet. */
    readonly gateway: string;
    /** Prefix length of each node's `--ip-range`, e.g. 24. */
    readonly ipRangePrefix: number;
    /** Pinned per-node ranges. @default each node gets the next free block, in node order */
    readonly ranges?: Readonly<Record<string, string>>;
    /** CIDRs inside the subnet that no range may overlap. @default nothing excluded */
    readonly exclude?: readonly string[];
    /** Per-node host addresses, reserved with `--aux-address` and given to the shim. @default the last-but-one free address of the node's range (reserved even without `shim`, so the shim can be turned on later without remaking any network) */
    readonly hostAddresses?: Readonly<Record<string, string>>;
    /**
     * Stable task addresses: per node, the one address a task on this network gets there (a
     * global service's task keeps it across restarts, updates, reboots and drains). The node's
     * config-only network is made with `--ip-range <address>/32` (`/128`), so Docker can hand out
     * that address and no other on the node; the node's range stays allocated (it holds the host
     * address and keeps other nodes out). It must lie in the node's own range and be none of its
     * reserved addresses. Nodes left out keep handing out addresses from their range: constrain a
     * service that needs stable addresses to pinned nodes. A pinned node runs one task of the
     * network at a time: a second one (a start-first update, a replica scaled up) waits for the
     * address. @default no pins: every node hands out any address of its range
     */
    readonly taskAddresses?: Readonly<Record<string, string>>;
}

/** One macvlan network spanning every node, e.g. the seeds' `vlan40`. */
export interface NetworkSpec extends FamilySpec {
    /** Names the network's resources and its default docker names. */
    readonly name: string;
    /** Parent interface on every node (the trunk when `vlanId` is set), e.g. `eth1`, `bond0`. */
    readonly parent: string;
    /** Per-node overrides of `parent`. @default `parent` on every node */
    readonly parents?: Readonly<Record<string, string>>;
    /** 802.1Q VLAN id: the macvlan parent becomes `<parent>.<vlanId>`, made by the library. @default no VLAN */
    readonly vlanId?: number;
    /** Give each host a macvlan shim so it can reach its own containers. @default false */
    readonly shim?: boolean;
    /**
     * Seed 004: move each host's own IPv4 addresses, their routes and its default route from
     * `parent` onto a bridge-mode macvlan (named `shimName`, with a MAC derived from the network's
     * and node's names), so the host reaches its containers without an extra address; the parent
     * keeps none. Runs under the lockout guard (rollback unless confirmed over a new SSH
     * connection), one node at a time; destroy moves everything back. Not with `shim` or
     * `vlanId`; the parent's address must be static (not DHCP). @default false
     */
    readonly takeover?: boolean;
    /** Name of the shim (or takeover) interface on every node. @default `shim-<name>` */
    readonly shimName?: string;
    /**
     * Reserve each node's range's first and last address with `--aux-address` (`range-first`,
     * `range-last`), so no container gets an address ending in .0 or .255 that ACLs and people
     * mistake for a network or broadcast address. @default true
     */
    readonly reserveRangeEnds?: boolean;
    /**
     * Take over docker networks of these names made by hand (as the seeds make them) when every
     * field matches the plan, instead of refusing them; services on them keep running. @default false
     */
    readonly adopt?: boolean;
    /**
     * Restore the host state (sub-interface, promiscuous mode, shim) at boot, before Docker
     * starts, with a systemd unit `swarm-macvlan-<name>.service`; hosts must run systemd.
     * Without it the state lasts until the next reboot. @default true
     */
    readonly persist?: boolean;
    /** Let standalone containers attach (`--attachable`). @default true */
    readonly attachable?: boolean;
    /** Dual stack: the IPv6 subnet, gateway and ranges. @default IPv4 only */
    readonly ipv6?: FamilySpec;
    /** Name of the per-node `--config-only` network. @default `<name>_net` */
    readonly configNetworkName?: string;
    /** Name of the swarm-scoped `--config-from` network. @default `swarm-<name>_net` */
    readonly swarmNetworkName?: string;
}

/** A whole spec, as stack config or a spec file holds it. */
export interface SwarmSpec {
    /** The swarm's nodes, in a stable order (a node's ranges depend on the nodes before it). */
    readonly nodes: readonly NodeSpec[];
    /** The macvlan networks to make on every node. */
    readonly networks: readonly NetworkSpec[];
    /**
     * Every node must have a hostKey: a node without one is an error, not a warning. Turn it on
     * for production stacks once `swarm-macvlan keyscan` has filled the keys in. @default false
     */
    readonly requireHostKeys?: boolean;
}
