// Host keys from an OpenSSH known_hosts file, for the nodes whose spec has no hostKey: what
// `check` and `status` pin when the operator's own ssh already trusts a key for the node.
import { createHmac } from "node:crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { HOST_KEY_TYPES, parseHostKey } from "../components/core";
import { CliError, EXIT } from "./io";

/** The name known_hosts files give `host` at `port`: `host`, or `[host]:port` off port 22. */
function hostName(host: string, port: number): string {
    return port === 22 ? host : `[${host}]:${port}`;
}

/** One host pattern of a known_hosts line: hashed (`|1|salt|hash`), or a name with * and ? wildcards. */
function patternMatches(pattern: string, name: string): boolean {
    const hashed = /^\|1\|([^|]+)\|(.+)$/.exec(pattern);
    if (hashed) {
        return createHmac("sha1", Buffer.from(hashed[1], "base64")).update(name).digest("base64") === hashed[2];
    }
    const glob = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
    return glob.test(name);
}

/**
 * The keys `text` (a known_hosts file) holds for `host` at `port`, canonical (`TYPE BASE64`), best
 * type first (ed25519, then ECDSA, then RSA); revoked keys and certificate authorities left out.
 *
 * @example knownHostKeys("10.0.0.11 ssh-ed25519 AAAA...\n", "10.0.0.11", 22) // ["ssh-ed25519 AAAA..."]
 */
export function knownHostKeys(text: string, host: string, port: number): string[] {
    const name = hostName(host, port);
    const found: string[] = [];
    const revoked = new Set<string>();
    for (const raw of text.split("\n")) {
        const line = raw.trim();
        if (line === "" || line.startsWith("#")) {
            continue;
        }
        const fields = line.split(/\s+/);
        const marker = fields[0].startsWith("@") ? fields.shift() : undefined;
        const [patterns, ...key] = fields;
        const parsed = parseHostKey(key.join(" "));
        if (!parsed.ok || marker === "@cert-authority") {
            continue;
        }
        const list = patterns.split(",");
        const negated = list.filter((p) => p.startsWith("!")).some((p) => patternMatches(p.slice(1), name));
        if (negated || !list.filter((p) => !p.startsWith("!")).some((p) => patternMatches(p, name))) {
            continue;
        }
        (marker === "@revoked" ? revoked : { add: (k: string) => found.push(k) }).add(parsed.value);
    }
    const rank = (key: string) => HOST_KEY_TYPES.indexOf(key.split(" ")[0] as (typeof HOST_KEY_TYPES)[number]);
    return [...new Set(found)].filter((k) => !revoked.has(k)).sort((a, b) => rank(a) - rank(b));
}

/** The known_hosts file to read: --known-hosts, else ~/.ssh/known_hosts when it exists. */
export function knownHostsText(file: string | undefined): string {
    const chosen = file ?? path.join(os.homedir(), ".ssh", "known_hosts");
    if (file === undefined && !fs.existsSync(chosen)) {
        return "";
    }
    try {
        return fs.readFileSync(chosen, "utf8");
    } catch (e) {
        throw new CliError(`swarm-macvlan: cannot read the known_hosts file ${chosen}: ${(e as Error).message}`, EXIT.usage);
    }
}
