// From untyped input to checked values. Every problem is collected with its field path; the
// planner (plan.ts) only ever sees fields that passed. Split as the tests are: nodes.ts,
// network.ts (names, interfaces, rules across networks), ranges.ts (one address family).
import { Problems } from "../errors";
import { checkKeys, readList, readObject } from "../fields";
import { MISSING_HOST_KEY_FIX } from "../hostKey";
import { CheckedNetwork, checkNetwork, checkNetworkSet } from "./network";
import { CheckedNode, checkNode, checkNodeSet, rawNodeNames } from "./nodes";

export { CheckedNetwork } from "./network";
export { CheckedNode } from "./nodes";
export { CheckedFamily } from "./ranges";

const SPEC_KEYS = ["nodes", "networks", "requireHostKeys"];


export function checkSpec(problems: Problems, raw: unknown): { nodes: CheckedNode[]; networks: CheckedNetwork[] } {
    const spec = readObject(problems, "spec", raw, "an object with nodes and networks");
    if (spec === undefined) {
        return { nodes: [], networks: [] };
    }
    checkKeys(problems, "spec", spec, SPEC_KEYS);
    const rawNodes = nonEmptyList(problems, "nodes", spec.nodes, "nodes");
    const nodes = readList(problems, "nodes", rawNodes, (path, value) => checkNode(problems, path, value));
    checkNodeSet(problems, nodes, rawNodes);
    if (spec.requireHostKeys !== undefined && typeof spec.requireHostKeys !== "boolean") {
        problems.add("requireHostKeys", spec.requireHostKeys, "must be true or false");
    }
    if (spec.requireHostKeys === true) {
        for (const node of nodes.filter((n) => n.hostKey === undefined)) {
            problems.add(`${node.path}.hostKey`, undefined, `is required (requireHostKeys: true): ${MISSING_HOST_KEY_FIX}`);
        }
    }
    const names = [...new Set(rawNodeNames(rawNodes).filter((n): n is string => n !== undefined))];
    const rawNetworks = nonEmptyList(problems, "networks", spec.networks, "networks");
    const networks = readList(problems, "networks", rawNetworks, (path, value) => checkNetwork(problems, path, value, names));
    checkNetworkSet(problems, networks, names);
    return { nodes, networks };
}

/** The list at `path`, or an empty one after reporting that it must be a non-empty list. */
function nonEmptyList(problems: Problems, path: string, value: unknown, what: string): readonly unknown[] {
    if (Array.isArray(value) && value.length > 0) {
        return value;
    }
    problems.add(path, value, `must be a non-empty list of ${what}`);
    return [];
}
