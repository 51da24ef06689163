// Stack config and spec files share one shape. A `Pulumi.<env>.yaml` holds it under
// `config:` with namespaced keys; a spec file holds `{nodes, networks}` directly.
import { isObject } from "./fields";

export const NAMESPACE = "swarm-macvlan";

/** The `{nodes, networks}` spec inside a parsed spec file or stack file. */
export function specFromDocument(doc: unknown): unknown {
    if (!isObject(doc) || !isObject(doc.config)) {
        return doc;
    }
    const config = doc.config;
    return { nodes: config[`${NAMESPACE}:nodes`], networks: config[`${NAMESPACE}:networks`] };
}
