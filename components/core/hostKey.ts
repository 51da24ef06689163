// A node's SSH host key, pinned in the spec: what every connection to the node must be offered.
// Written as in authorized_keys (`ssh-ed25519 AAAA... [comment]`), which is also what
// @pulumi/command's `connection.hostKey` takes.
import { createHash } from "node:crypto";
import { Problems } from "./errors";

/** How to fill in a node's missing hostKey (messages end with it). */
export const MISSING_HOST_KEY_FIX = "run swarm-macvlan keyscan --config FILE, check each fingerprint it shows on its node " +
    "(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), and paste the hostKey lines it prints";

/** The host key types accepted, as sshd offers them. */
export const HOST_KEY_TYPES = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"] as const;

/**
 * A host key's canonical text (`TYPE BASE64`, the comment dropped), or why it is not one.
 *
 * @example parseHostKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO... root@node1") // { ok: true, value: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO..." }
 */
export function parseHostKey(text: string): { ok: true; value: string } | { ok: false; why: string } {
    const [type, data] = text.trim().split(/\s+/);
    if (!(HOST_KEY_TYPES as readonly string[]).includes(type)) {
        return { ok: false, why: `is not a host key in authorized_keys form (TYPE BASE64 [comment], TYPE one of ${HOST_KEY_TYPES.join(", ")}), e.g. the line of /etc/ssh/ssh_host_ed25519_key.pub; swarm-macvlan keyscan prints them` };
    }
    const blob = data !== undefined && /^[A-Za-z0-9+/]+={0,2}$/.test(data) ? Buffer.from(data, "base64") : Buffer.alloc(0);
    // The key blob starts with its own type, as an SSH string (uint32 length, then the bytes).
    const named = blob.length >= 4 && blob.readUInt32BE(0) === type.length ? blob.subarray(4, 4 + type.length).toString("latin1") : "";
    if (named !== type) {
        return { ok: false, why: `is not a valid ${type} key: its base64 part does not hold a ${type} key; copy the whole line of the node's ssh_host_*_key.pub` };
    }
    return { ok: true, value: `${type} ${data}` };
}

/** Reads an optional host key field into its canonical text; records a problem when it is not one. */
export function readHostKey(problems: Problems, path: string, value: unknown): string | undefined {
    if (typeof value !== "string") {
        problems.add(path, value, "must be a host key in authorized_keys form, e.g. ssh-ed25519 AAAA...");
        return undefined;
    }
    const parsed = parseHostKey(value);
    if (!parsed.ok) {
        problems.add(path, value, parsed.why);
        return undefined;
    }
    return parsed.value;
}

/**
 * The key's SHA-256 fingerprint as ssh-keygen -l prints it.
 *
 * @example fingerprint("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO...") // "SHA256:..."
 */
export function fingerprint(hostKey: string): string {
    const data = hostKey.trim().split(/\s+/)[1] ?? "";
    return `SHA256:${createHash("sha256").update(Buffer.from(data, "base64")).digest("base64").replace(/=+$/, "")}`;
}
