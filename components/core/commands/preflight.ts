// What a node must offer before anything on it changes. The script prints the node's Docker
// Engine on its first line, then one problem per line (none when the node is ready), and
// changes nothing.
import { createHash } from "node:crypto";
import { readInterface, readName } from "../fields";
import { identity } from "../identity";
import { line, quote, script } from "../shell";
import { validateArgs } from "./shared";

/** The preflight's first line starts with this, then the engine's version and API version. */
export const ENGINE_LINE = "engine";
/** The oldest Docker Engine swarm-macvlan supports (and its suites run): Debian 12's docker.io. */
export const OLDEST_ENGINE = "Docker 20.10 (API 1.41)";

/** What a preflight printed: the node's engine (when Docker answered) and every problem. */
export interface PreflightResult {
    /** e.g. `Docker 29.8.1-dev (API 1.56)`. */
    readonly engine?: string;
    readonly problems: readonly string[];
}

/**
 * Reads preflightScript's output.
 *
 * @example parsePreflight("engine 20.10.24 1.41\n") // { engine: "Docker 20.10.24 (API 1.41)", problems: [] }
 */
export function parsePreflight(stdout: string): PreflightResult {
    const lines = stdout.split("\n").filter((l) => l !== "");
    const first = lines[0]?.split(" ");
    if (first?.length === 3 && first[0] === ENGINE_LINE) {
        return { engine: `Docker ${first[1]} (API ${first[2]})`, problems: lines.slice(1) };
    }
    return { problems: lines };
}

export interface PreflightArgs {
    /** The node's name (messages name it). */
    readonly node: string;
    /** Interfaces that must exist already, with the spec field that names each. */
    readonly interfaces: readonly { readonly name: string; readonly field: string }[];
    /** The node gets 802.1Q sub-interfaces: the kernel needs 8021q. */
    readonly vlans: boolean;
    /** Swarm networks are created on this node: it must be a manager. */
    readonly manager: boolean;
    /** Host state is made to persist with systemd units: the node must run systemd. */
    readonly systemd: boolean;
    /**
     * Each macvlan parent the node's networks use, with the docker networks allowed on it (ours):
     * Docker allows one macvlan network per parent, and a second one makes every task fail.
     */
    readonly parents: readonly { readonly parent: string; readonly networks: readonly string[] }[];
    /** What the node is to be given (any JSON): a change runs the preflight again. */
    readonly plan: unknown;
}

/**
 * The preflight script of one node.
 *
 * @example preflightScript({ node: "worker1", interfaces: [{ name: "bond0", field: "networks[0].parent" }],
 *   vlans: true, manager: false, parents: [{ parent: "bond0.40", networks: ["vlan40_net", "swarm-vlan40_net"] }], plan: {} })
 */
export function preflightScript(args: PreflightArgs): string {
    validateArgs((p) => {
        readName(p, "node", args.node);
        args.interfaces.forEach((i, n) => readInterface(p, `interfaces[${n}].name`, i.name));
        args.parents.forEach((x, n) => {
            readInterface(p, `parents[${n}].parent`, x.parent);
            x.networks.forEach((name, m) => readName(p, `parents[${n}].networks[${m}]`, name));
        });
    });
    const say = (problem: string) => `echo ${quote(problem)}`;
    const fingerprint = createHash("sha256").update(identity(args.plan)).digest("hex").slice(0, 16);
    return script(
        `# swarm-macvlan preflight of ${args.node}, plan ${fingerprint}`,
        `if ! version=$(${line(["docker", "version", "-f", "{{.Server.Version}} {{.Server.APIVersion}}"])} 2>&1); then`,
        `  echo ${quote("cannot reach the Docker daemon:")} "$version"`,
        "  exit 0",
        "fi",
        // The first line names the engine (NodePreflight keeps it as its `engine` output).
        `api=\${version##* } version=\${version% *}`,
        `echo "${ENGINE_LINE} $version $api"`,
        // docker/cli#5857: 28.0.0 refuses --config-from networks; 28.0.1 fixed it.
        `case "$version" in 28.0.0|28.0.0[-+]*) echo ${quote("runs Docker")} "$version (API $api)"${quote(", which breaks --config-from networks (docker/cli#5857): upgrade to 28.0.1 or later")} ;; esac`,
        // The floor: Docker 20.10 (API 1.41) is the oldest engine the suites run.
        `case "$api" in 1.[0-9]|1.[1-3][0-9]|1.40) echo ${quote("runs Docker")} "$version (API $api)"${quote(`, older than the oldest engine swarm-macvlan supports, ${OLDEST_ENGINE}: upgrade it`)} ;; esac`,
        `swarm=$(${line(["docker", "info", "-f", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}"])} 2>&1 || true)`,
        `case "$swarm" in active*) ;; *) echo ${quote("is not in an active swarm (docker info says:")} "$swarm)" ;; esac`,
        ...(args.manager ? [`case "$swarm" in *' true') ;; *) ${say("is not a swarm manager, but the swarm network is created on it (the first node with role: manager)")} ;; esac`] : []),
        ...(args.systemd ? [`[ -d /run/systemd/system ] || ${say("does not run systemd (no /run/systemd/system): host state is restored at boot by a systemd unit; set persist: false on its networks to manage runtime state only (lost at reboot)")}`] : []),
        ...args.interfaces.map((i) => `${line(["ip", "link", "show", "dev", i.name])} >/dev/null 2>&1 || ${say(`has no interface ${i.name} (${i.field})`)}`),
        ...(args.vlans ? [
            `[ -d /sys/module/8021q ] || { command -v modprobe >/dev/null 2>&1 && modprobe -n -q 8021q 2>/dev/null; } || ` +
                say("has no 802.1Q VLAN support: the kernel lacks the 8021q module (vlanId needs it)"),
        ] : []),
        ...(args.parents.length === 0 ? [] : [
            // NAME DRIVER PARENT of every docker network (config-only ones have driver null).
            `networks=$(docker network ls -q | while read -r id; do ${line(["docker", "network", "inspect", "-f", '{{.Name}} {{.Driver}} {{index .Options "parent"}}'])} "$id" 2>/dev/null || true; done)`,
            ...args.parents.map((x) =>
                `printf '%s\\n' "$networks" | ${line(["awk", "-v", `parent=${x.parent}`, "-v", `ours= ${x.networks.join(" ")} `,
                    '$3 == parent && ($2 == "macvlan" || $2 == "null") && index(ours, " " $1 " ") == 0 { print $1 }'])} | while read -r other; do ` +
                `echo ${quote("has docker network")} "$other" ${quote(`on parent ${x.parent} already (Docker allows one macvlan network per parent interface): remove it, or if it is this network made by hand, use its name and set adopt: true`)}; done`),
        ]),
    );
}
