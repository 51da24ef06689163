// The root program: builds the networks that this stack's config describes (one stack per
// environment, Pulumi.<env>.yaml). See README.md, "Configuration".
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { MacvlanSwarmNetwork, SpecError } from "./components";

const config = new pulumi.Config("swarm-macvlan");

function sshPrivateKey(): pulumi.Output<string> {
    const secret = config.getSecret("sshPrivateKey");
    const path = config.get("sshPrivateKeyPath");
    if (secret !== undefined) {
        return secret;
    }
    if (path === undefined) {
        throw new pulumi.RunError("swarm-macvlan:sshPrivateKey is not set: run `pulumi config set --secret swarm-macvlan:sshPrivateKey < KEYFILE`, or set swarm-macvlan:sshPrivateKeyPath to a key file");
    }
    return pulumi.secret(fs.readFileSync(path, "utf8"));
}

function build(): MacvlanSwarmNetwork {
    try {
        return new MacvlanSwarmNetwork("swarm-macvlan", {
            nodes: config.requireObject("nodes"),
            networks: config.requireObject("networks"),
            sshPrivateKey: sshPrivateKey(),
        });
    } catch (e) {
        // A spec problem is the operator's to fix: show the list, not a stack trace.
        throw e instanceof SpecError ? new pulumi.RunError(e.message) : e;
    }
}

const network = build();
export const plan = network.plan;
