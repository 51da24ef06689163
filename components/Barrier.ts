// One resource that stands for "every node is ready": what MacvlanSwarmNetwork's host steps wait for.
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource, namedProvider } from "./providerCode";

/**
 * The dynamic provider: it touches no host and never changes. It exists for its dependencies
 * only; a new version of this code is no change either.
 */
const provider = namedProvider("Barrier", {
    async create() {
        return { id: "barrier", outs: {} };
    },
    async diff() {
        return { changes: false };
    },
});

/**
 * Registered once its `dependsOn` (every node's preflight and every replacement guard) has
 * succeeded, so that a step which depends on it waits for all of them, and a failing one
 * stops the run before any host changes. One barrier instead of every step depending on every
 * preflight and guard: the state records one dependency per step instead of 2 per node and
 * network (at 12 nodes, 24 per step and 12% of the state, rewritten after every step).
 *
 * @example new Barrier("prod-barrier", { parent: net, dependsOn: [...preflights, ...guards] });
 */
export class Barrier extends DynamicResource {
    constructor(name: string, opts: pulumi.CustomResourceOptions) {
        super(provider, name, {}, opts);
    }
}
