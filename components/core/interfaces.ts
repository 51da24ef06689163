// Which interfaces a network uses on a node: one derivation, read by validation (names that
// would be too long, interfaces claimed twice) and by the planner.

/** The fields of a checked network that decide its interfaces. */
export interface InterfaceFields {
    readonly path: string;
    readonly parent: string;
    /** Per-node overrides of `parent` (the `parents` map). */
    readonly overrides: ReadonlyMap<string, string>;
    readonly vlanId?: number;
}

export interface NodeInterfaces {
    /** The macvlan parent: `eth1`, or `<trunk>.<vlanId>` with a VLAN. */
    readonly parent: string;
    /** With a VLAN: the interface the sub-interface rides on. */
    readonly trunk?: string;
    /** The spec field the parent comes from: `<path>.parent` or `<path>.parents.<node>`. */
    readonly field: string;
}

/**
 * @example nodeInterfaces({ path: "networks[0]", parent: "bond0", overrides: new Map(), vlanId: 40 }, "worker1")
 * // { parent: "bond0.40", trunk: "bond0", field: "networks[0].parent" }
 */
export function nodeInterfaces(net: InterfaceFields, node: string): NodeInterfaces {
    const own = net.overrides.get(node);
    const base = own ?? net.parent;
    const field = own === undefined ? `${net.path}.parent` : `${net.path}.parents.${node}`;
    return net.vlanId === undefined ? { parent: base, field } : { parent: `${base}.${net.vlanId}`, trunk: base, field };
}
