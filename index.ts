// The root program: builds the networks that this stack's config describes (one stack per
// environment, Pulumi.<env>.yaml). See README.md, "Configuration".
//
// Its keys live in the project's own config namespace, Pulumi's default: `swarm-macvlan:nodes`
// with this repository's Pulumi.yaml, `<name>:nodes` in a copy whose Pulumi.yaml says
// `name: <name>` (and `pulumi config set nodes ...` needs no prefix either way). The plan CLI
// finds the same namespace in the Pulumi.yaml beside a stack file.
// First, before the SDKs load: Node's on-disk compile cache (Node 22.1+, in the OS temporary
// directory), so that each run does not compile @pulumi/pulumi's JavaScript again. Losing it only
// loses the speed-up.
import { enableCompileCache } from "module";
enableCompileCache?.();
// Then, before this program imports @pulumi/pulumi (the run script loads only SDK modules that
// do not need it): the SDK's npm tooling for computeCodePaths loads when first used, not at
// start-up (program/deferTooling.ts).
import { deferSdkTooling } from "./program/deferTooling";
deferSdkTooling();
// Then the SDK's per-resource stack probes without source maps (program/stackProbes.ts).
import { unmappedStackProbes } from "./program/stackProbes";
unmappedStackProbes();
import * as fs from "fs";
import { resolve } from "path";
import * as pulumi from "@pulumi/pulumi";
import { MacvlanSwarmNetwork, SpecError } from "./components";

const config = new pulumi.Config();
const namespace = config.name;

/** The key from the stack's config, or none for the ssh-agent at $SSH_AUTH_SOCK (no key in Pulumi at all). */
function sshPrivateKey(): { sshPrivateKey?: pulumi.Output<string> } {
    const secret = config.getSecret("sshPrivateKey");
    const path = config.get("sshPrivateKeyPath");
    if (secret !== undefined) {
        return { sshPrivateKey: secret };
    }
    if (path === undefined) {
        if (process.env.SSH_AUTH_SOCK) {
            return {};
        }
        throw new pulumi.RunError(`${namespace}:sshPrivateKey is not set and there is no ssh-agent ($SSH_AUTH_SOCK is empty): ` +
            `run \`pulumi config set --secret ${namespace}:sshPrivateKey < KEYFILE\`, set ${namespace}:sshPrivateKeyPath to a key file, ` +
            "or run pulumi with an ssh-agent that holds the key (it keeps the key out of Pulumi's state and logs)");
    }
    // Relative to Pulumi.yaml's directory: the compiled program runs with dist/ as its working directory.
    return { sshPrivateKey: pulumi.secret(fs.readFileSync(resolve(pulumi.runtime.getRootDirectory() || process.cwd(), path), "utf8")) };
}

function build(): MacvlanSwarmNetwork {
    try {
        return new MacvlanSwarmNetwork("swarm-macvlan", {
            nodes: config.requireObject("nodes"),
            networks: config.requireObject("networks"),
            ...sshPrivateKey(),
            ...(config.getObject<boolean>("requireHostKeys") !== undefined && { requireHostKeys: config.getObject<boolean>("requireHostKeys") }),
        });
    } catch (e) {
        // A spec problem is the operator's to fix: show the list, not a stack trace.
        throw e instanceof SpecError ? new pulumi.RunError(e.message) : e;
    }
}

const network = build();
export const plan = network.plan;
