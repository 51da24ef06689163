// When a change replaces a swarm network that services use, saying so before anything changes.
// Docker changes neither a config-only network nor a swarm network in place, and refuses to
// remove a network a service is attached to: such a change can only be applied after the
// services are gone. The dynamic provider that asks the manager (ReplacementGuard) serializes
// these functions, so this module imports nothing.

/**
 * What replaces a swarm network, as identity texts: its own identity (`self`) and, per node,
 * the identity of what its config-only network stands on (the node's SSH endpoint, parent
 * interface and config-only network). A node added or removed replaces nothing.
 */
export interface SwarmReplacementKeys {
    /** Compared only when both sides have it. */
    readonly self?: string;
    readonly sources: Readonly<Record<string, string>>;
}

/**
 * The changes from `olds` to `news` that replace the swarm network, one phrase per node (and one
 * for the swarm network itself) naming each changed field; empty when nothing replaces it.
 *
 * @example
 * replacingChanges({ self: "{}", sources: { node2: '{"config":{"ipRange":"10.0.2.0/24"}}' } },
 *                  { self: "{}", sources: { node2: '{"config":{"ipRange":"10.0.9.0/24"}}' } })
 * // ["node2's ipRange from 10.0.2.0/24 to 10.0.9.0/24"]
 */
export function replacingChanges(olds: SwarmReplacementKeys, news: SwarmReplacementKeys): string[] {
    // Leaves of a parsed identity as [path, text]; the top-level grouping (config, parent) is
    // left out of the path: the field names say enough.
    const leaves = (text: string): Map<string, string> => {
        const out = new Map<string, string>();
        const walk = (value: unknown, path: string[]): void => {
            if (value !== null && typeof value === "object" && !Array.isArray(value)) {
                for (const [k, v] of Object.entries(value)) {
                    walk(v, [...path, k]);
                }
            } else {
                const shown = path.length > 1 && (path[0] === "config" || path[0] === "parent") ? path.slice(1) : path;
                out.set(shown.join("."), typeof value === "string" ? value : JSON.stringify(value));
            }
        };
        try {
            walk(JSON.parse(text), []);
        } catch {
            out.set("configuration", text);
        }
        return out;
    };
    // One phrase per owner: "node2's a from 1 to 2, b from 3 to 4" (the same change once).
    const phrases = (owner: string, before: string, after: string): string[] => {
        const [a, b] = [leaves(before), leaves(after)];
        const keys = [...new Set([...a.keys(), ...b.keys()])];
        const found = keys.filter((k) => a.get(k) !== b.get(k)).map((k) => `${k} from ${a.get(k) ?? "(none)"} to ${b.get(k) ?? "(none)"}`);
        return found.length === 0 ? [] : [`${owner} ${[...new Set(found)].join(", ")}`];
    };
    const nodes = Object.keys(news.sources).filter((n) => n in olds.sources && olds.sources[n] !== news.sources[n]);
    return [
        ...(olds.self !== undefined && news.self !== undefined && olds.self !== news.self ? phrases("the swarm network's", olds.self, news.self) : []),
        ...nodes.flatMap((n) => phrases(`${n}'s`, olds.sources[n], news.sources[n])),
    ];
}

/**
 * The error for a change that replaces swarm network `swarmName` of network `network` while
 * `services` use it: what changes, who blocks it, and the two ways forward.
 */
export function blockedReplacementMessage(network: string, swarmName: string, changes: readonly string[], services: readonly string[]): string {
    const who = services.length === 1 ? `service ${services[0]} uses it` : `services ${services.join(", ")} use it`;
    return `cannot apply the change to ${network}: ${changes.join("; ")} replaces ${swarmName} ` +
        `(Docker changes neither a config-only network nor a swarm network in place), and ${who}, ` +
        `which Docker refuses to remove while in use; remove ${services.length === 1 ? "it" : "them"} ` +
        `(docker service rm, or docker service update --network-rm ${swarmName}) and run again, or undo the change; ` +
        "nothing was changed on any node";
}
