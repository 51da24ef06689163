// Running a script on a host over SSH from Node.js (ssh2): the drift checks and preflights of the
// components, and the `check` CLI. One connection per host for the life of the process, shared
// by every script run on that host.
//
// Pulumi serializes these functions into the dynamic providers that use them (closure
// serialization): they reach modules only through `require` inside their bodies and keep
// their one piece of state, the pool, on globalThis.

/** How to reach a host: the fields of remote.Command's `connection` this uses. */
export interface SshTarget {
    /** The host's address or DNS name. */
    readonly host: string;
    /** @default 22 */
    readonly port?: number;
    /** @default "root" */
    readonly user?: string;
    /** A private key (PEM/OpenSSH text). @default none: the password or the agent */
    readonly privateKey?: string;
    /** A password. @default none */
    readonly password?: string;
    /** An ssh-agent's socket. @default $SSH_AUTH_SOCK */
    readonly agentSocketPath?: string;
    /**
     * The host key the host must offer, in authorized_keys form (`ssh-ed25519 AAAA...`): any
     * other key ends the connection before anything runs. @default none: any key is accepted
     */
    readonly hostKey?: string;
}

/** How a script ended on a host. */
export interface ScriptResult {
    /** Its exit status (255 when the connection gave none). */
    readonly code: number;
    /** What it printed on standard output. */
    readonly stdout: string;
    /** What it printed on standard error. */
    readonly stderr: string;
}

/**
 * Runs `script` (interpreted by the user's login shell, as remote.Command does) on `target`.
 * `node` names the host in errors. Connecting is bounded: 3 attempts of 10 s each, 2 s apart
 * (about 35 s for a host that drops every packet); the script itself gets `timeoutSeconds`.
 * Rejects with an Error naming the node when the host cannot be reached or the script runs out
 * of time; a script that exits non-zero resolves with its code.
 *
 * With `fresh`, the script runs on a connection of its own, dialed for it and closed after it
 * (never the pooled one), with `attempts` tries to connect: what the lockout guard's confirm
 * needs, since the point is that a NEW connection still gets in.
 *
 * @example await runOnHost({ host: "10.0.0.11", privateKey }, "docker version", "manager1", 60)
 */
export async function runOnHost(
    target: SshTarget, script: string, node: string, timeoutSeconds: number, options?: { readonly fresh?: boolean; readonly attempts?: number },
): Promise<ScriptResult> {
    const where = `${node} (${target.user ?? "root"}@${target.host}:${target.port ?? 22})`;
    // Sessions per connection: sshd's MaxSessions defaults to 10.
    const MAX_SESSIONS = 8;
    const state = globalThis as { __swarmMacvlanSsh?: Map<string, Promise<{ client: any; busy: number; waiting: (() => void)[] }>> };
    const pool = state.__swarmMacvlanSsh ?? (state.__swarmMacvlanSsh = new Map());
    const key = `${target.user ?? "root"}@${target.host}:${target.port ?? 22}`;

    // The pinned host key: its type (which alone is asked of the server) and its blob.
    const [pinnedType, pinnedData] = (target.hostKey ?? "").trim().split(/\s+/);
    const pinned = target.hostKey ? Buffer.from(pinnedData ?? "", "base64") : undefined;
    const fingerprintOf = (blob: Buffer) => `SHA256:${require("crypto").createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
    const typeOf = (blob: Buffer) => (blob.length >= 4 ? blob.subarray(4, 4 + blob.readUInt32BE(0)).toString("latin1") : "?");
    const connect = async () => {
        const { Client } = require("ssh2");
        const attempts = options?.attempts ?? 3;
        let last: unknown;
        for (let attempt = 1; attempt <= attempts; attempt++) {
            let offered: Buffer | undefined;
            try {
                return await new Promise<any>((resolve, reject) => {
                    const client = new Client();
                    client.once("ready", () => resolve(client));
                    client.once("error", reject);
                    client.connect({
                        host: target.host, port: target.port ?? 22, username: target.user ?? "root",
                        privateKey: target.privateKey, password: target.password, agent: target.agentSocketPath ?? process.env.SSH_AUTH_SOCK,
                        readyTimeout: 10_000, keepaliveInterval: 15_000,
                        ...(pinned && {
                            // Checked before authentication: an impostor never sees a password or a signature.
                            hostVerifier: (key: Buffer) => { offered = key; return key.equals(pinned); },
                            algorithms: { serverHostKey: pinnedType === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [pinnedType] },
                        }),
                    });
                });
            } catch (e) {
                if (pinned && offered !== undefined && !offered.equals(pinned)) {
                    throw new Error(`${where} offered the host key ${typeOf(offered)} ${fingerprintOf(offered)}, not its hostKey ${pinnedType} ${fingerprintOf(pinned)}: ` +
                        "nothing was run on it. If the node was reinstalled or its keys changed, check the new key on the node " +
                        "(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and update its hostKey; otherwise something else answers at that address");
                }
                last = e;
                if (attempt < attempts) {
                    await new Promise((r) => setTimeout(r, 2_000));
                }
            }
        }
        throw new Error(`cannot connect to ${where} after ${attempts} attempts: ${(last as Error)?.message ?? last}`);
    };

    let entry = options?.fresh ? connect().then((client) => ({ client, busy: 0, waiting: [] as (() => void)[] })) : pool.get(key);
    if (entry === undefined) {
        entry = connect().then((client) => {
            const conn = { client, busy: 0, waiting: [] as (() => void)[] };
            // A dropped connection leaves the pool; the next script connects again.
            client.once("close", () => pool.delete(key));
            client.once("error", () => pool.delete(key));
            return conn;
        });
        entry.catch(() => pool.delete(key));
        pool.set(key, entry);
    }
    const conn = await entry;
    while (conn.busy >= MAX_SESSIONS) {
        await new Promise<void>((r) => conn.waiting.push(r));
    }
    conn.busy++;
    try {
        return await new Promise<ScriptResult>((resolve, reject) => {
            conn.client.exec(script, (err: Error | undefined, stream: any) => {
                if (err) {
                    reject(new Error(`cannot run a script on ${where}: ${err.message}`));
                    return;
                }
                let stdout = "";
                let stderr = "";
                const timer = setTimeout(() => {
                    stream.close();
                    reject(new Error(`a script on ${where} did not finish within ${timeoutSeconds} s`));
                }, timeoutSeconds * 1000);
                stream.on("data", (d: Buffer) => { stdout += d.toString("utf8"); });
                stream.stderr.on("data", (d: Buffer) => { stderr += d.toString("utf8"); });
                stream.on("close", (code: number | null) => {
                    clearTimeout(timer);
                    resolve({ code: code ?? 255, stdout, stderr });
                });
            });
        });
    } finally {
        conn.busy--;
        conn.waiting.shift()?.();
        if (options?.fresh) {
            conn.client.end();
        }
    }
}

/** Closes every pooled connection (for programs that must exit, such as the CLI). */
export function closeConnections(): void {
    const state = globalThis as { __swarmMacvlanSsh?: Map<string, Promise<{ client: any }>> };
    for (const entry of state.__swarmMacvlanSsh?.values() ?? []) {
        entry.then((c) => c.client.end(), () => undefined);
    }
    state.__swarmMacvlanSsh?.clear();
}
