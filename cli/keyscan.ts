// `swarm-macvlan keyscan`: the host key each node offers now, as spec lines to paste after
// checking each fingerprint on its node. It never writes them anywhere itself: trusting a key on
// first use is the operator's decision, made once, not something `up` does silently.
import { stringify } from "yaml";
import { Plan, fingerprint } from "../components/core";
import { EXIT, Io, loadPlan } from "./io";

export interface KeyscanOptions {
    readonly config: string;
    readonly timeout: number;
    readonly namespace?: string;
}

/** Host key algorithms asked for, best first (ssh-keyscan's order of preference). */
const ALGORITHMS = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256"];

/** The host key `host:port` offers, as `TYPE BASE64`; no authentication is attempted. */
export function scanHostKey(host: string, port: number, seconds: number): Promise<string> {
    const { Client } = require("ssh2");
    return new Promise((resolve, reject) => {
        let offered: Buffer | undefined;
        const client = new Client();
        const done = () => {
            client.end();
            if (offered === undefined) {
                reject(new Error(`${host}:${port} offered no host key within ${seconds} s`));
                return;
            }
            const type = offered.subarray(4, 4 + offered.readUInt32BE(0)).toString("latin1");
            resolve(`${type} ${offered.toString("base64")}`);
        };
        client.once("error", (e: Error) => (offered === undefined ? reject(new Error(`${host}:${port}: ${e.message}`)) : done()));
        client.connect({
            host, port, username: "swarm-macvlan-keyscan", readyTimeout: seconds * 1000,
            algorithms: { serverHostKey: ALGORITHMS },
            // Refusing the key ends the handshake before authentication: nothing is sent but the scan.
            hostVerifier: (key: Buffer) => { offered = key; return false; },
        });
    });
}

/** Prints each node with the hostKey it offers now, and its fingerprint; exit 1 when a node did not answer. */
export async function keyscan(options: KeyscanOptions, io: Io): Promise<number> {
    const { plan } = loadPlan(options.config, io, options.namespace);
    const scanned = await Promise.allSettled(plan.nodes.map((n) => scanHostKey(n.host, n.port, options.timeout)));
    io.out(renderKeys(plan, scanned.map((r) => (r.status === "fulfilled" ? r.value : undefined))));
    scanned.forEach((r, i) => r.status === "rejected" && io.err(`swarm-macvlan: ${plan.nodes[i].name}: ${(r.reason as Error).message}\n`));
    return scanned.every((r) => r.status === "fulfilled") ? EXIT.ok : EXIT.unreachable;
}

/** The nodes as spec text with the keys found (`undefined`: none), each fingerprint in a comment above. */
export function renderKeys(plan: Plan, keys: readonly (string | undefined)[]): string {
    const notes = plan.nodes.map((n, i) => {
        const key = keys[i];
        const changed = key !== undefined && n.hostKey !== undefined && n.hostKey !== key ? " (NOT the hostKey the spec has now)" : "";
        return `# ${n.name} ${n.host}:${n.port}: ${key === undefined ? "no answer" : `${key.split(" ")[0]} ${fingerprint(key)}${changed}`}`;
    });
    const nodes = plan.nodes.map((n, i) => ({
        name: n.name, host: n.host, ...(n.port !== 22 && { port: n.port }), ...(n.user !== "root" && { user: n.user }), role: n.role,
        ...(keys[i] !== undefined && { hostKey: keys[i] }),
    }));
    return [
        "# The host keys the nodes offer now. Check each fingerprint on its node before you paste",
        "# (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub, on its console or over a path you trust):",
        ...notes,
        stringify({ nodes }, { lineWidth: 0 }).trimEnd(),
        "",
    ].join("\n");
}
