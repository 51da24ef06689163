// Stack config and spec files share one shape. A `Pulumi.<env>.yaml` holds it under
// `config:` with namespaced keys (`<namespace>:nodes`, `<namespace>:networks`); a spec file
// holds `{nodes, networks}` directly.
import { isObject } from "./fields";

/**
 * The default config namespace: the root program's project name in its Pulumi.yaml. The root
 * program reads the keys of its own project's namespace, so a copy under another project name
 * reads `<that name>:nodes`.
 */
export const NAMESPACE = "swarm-macvlan";

/**
 * The `{nodes, networks}` spec inside a parsed spec file or stack file; any other document
 * unchanged, for the planner to reject.
 *
 * @param namespace the stack file's config namespace
 * @example specFromDocument({ config: { "swarm-macvlan:nodes": [], "swarm-macvlan:networks": [] } }) // { nodes: [], networks: [] }
 */
export function specFromDocument(doc: unknown, namespace: string = NAMESPACE): unknown {
    if (!isObject(doc) || !isObject(doc.config)) {
        return doc;
    }
    const config = doc.config;
    const require = config[`${namespace}:requireHostKeys`];
    return { nodes: config[`${namespace}:nodes`], networks: config[`${namespace}:networks`], ...(require !== undefined && { requireHostKeys: require }) };
}

/**
 * True for a Pulumi project file (`Pulumi.yaml`: a `name` and a `runtime`), which people pass
 * where a stack file (`Pulumi.<env>.yaml`) belongs.
 *
 * @example isProjectFile({ name: "swarm-macvlan", runtime: "nodejs" }) // true
 */
export function isProjectFile(doc: unknown): boolean {
    return isObject(doc) && typeof doc.name === "string" && doc.runtime !== undefined;
}
