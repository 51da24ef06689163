// The per-node `--config-only` network.
import { Problems } from "../errors";
import { readAddress, readCidr, readInterface, readName, NAME } from "../fields";
import { Argv, fail, line, quote, script } from "../shell";
import { compareFields, createWhenMissing, readNetwork, removeNetwork } from "./network";
import { placementConstraint } from "./label";
import { CommandPair, IN_USE_RETRY_SECONDS, LABEL, THIS_HOST, reportDiffs, validateArgs } from "./shared";

/** The label Docker puts on every swarm task's container. */
const SWARM_TASK_LABEL = "com.docker.swarm.task.id";

/** One address family of a config-only network: docker's `--subnet`, `--gateway`, `--ip-range` and `--aux-address`es. */
export interface FamilyConfig {
    /** The shared subnet, e.g. `172.80.0.0/16`. */
    readonly subnet: string;
    /** The subnet's router. */
    readonly gateway: string;
    /** This node's range of the subnet, e.g. `172.80.1.0/24`. */
    readonly ipRange: string;
    /** Addresses docker must not hand out, by name (`host`, `range-first`, ...). */
    readonly auxAddresses: Readonly<Record<string, string>>;
}

export interface ConfigOnlyNetworkArgs extends FamilyConfig {
    /** The docker network name, the same on every node, e.g. `vlan40_net`. */
    readonly name: string;
    /** The swarm-macvlan network this serves; recorded in a docker label. */
    readonly network: string;
    /** The macvlan parent on this node. */
    readonly parent: string;
    /** The IPv6 family, for dual stack. @default IPv4 only */
    readonly ipv6?: FamilyConfig;
    /**
     * Take over a network of this name made by hand (without swarm-macvlan's label) when every
     * field matches; refuse it, naming each field that differs, otherwise. Once adopted it is
     * managed like any other: destroy removes it. @default false
     */
    readonly adopt?: boolean;
    /** The node's name, for messages. @default "this host" */
    readonly node?: string;
}

/** The plain `docker network create --config-only ...` that create runs and the plan CLI shows. */
export function configOnlyNetworkArgv(args: ConfigOnlyNetworkArgs): Argv {
    const family = (f: FamilyConfig) => [
        "--subnet", f.subnet, "--gateway", f.gateway, "--ip-range", f.ipRange,
        ...Object.entries(f.auxAddresses).flatMap(([k, v]) => ["--aux-address", `${k}=${v}`]),
    ];
    return [
        "docker", "network", "create", "--config-only", ...family(args),
        ...(args.ipv6 ? ["--ipv6", ...family(args.ipv6)] : []),
        "-o", `parent=${args.parent}`, "--label", `${LABEL}=${args.network}`,
        ...ipamFields(args).flatMap(([key, value]) => ["--label", `${RECORDED}${key}=${value}`]),
        args.name,
    ];
}

/**
 * The labels that record a config-only network's addresses as created, `swarm-macvlan.ipam0` (IPv4)
 * and `swarm-macvlan.ipam1` (IPv6), in TEMPLATE's `ipamN` form. Docker 29 (checked on 29.8.1-dev,
 * moby v2.0.0-beta.24) reports `IPAM.Config: null` for every config-only network, since its
 * inspect shows only IPAM configuration that was allocated and a config-only network allocates
 * none; 20.10 showed what was given. Where Docker shows nothing, the check reads these instead.
 */
const RECORDED = "swarm-macvlan.";

/** The `ipamN` fields of the plan, as TEMPLATE prints them: `SUBNET GATEWAY RANGE aux=...`. */
function ipamFields(args: ConfigOnlyNetworkArgs): [string, string][] {
    const ipam = (f: FamilyConfig) => [f.subnet, f.gateway, f.ipRange, ...Object.keys(f.auxAddresses).sort().map((k) => `${k}=${f.auxAddresses[k]}`)].join(" ");
    return [["ipam0", ipam(args)], ...(args.ipv6 ? [["ipam1", ipam(args.ipv6)] as [string, string]] : [])];
}

function checkFamily(p: Problems, path: string, f: FamilyConfig, family: 4 | 6): void {
    readCidr(p, `${path}subnet`, f.subnet, family);
    readAddress(p, `${path}gateway`, f.gateway, family);
    readCidr(p, `${path}ipRange`, f.ipRange, family);
    for (const [k, v] of Object.entries(f.auxAddresses)) {
        if (!NAME.test(k)) {
            p.add(`${path}auxAddresses`, k, "is not an allowed aux-address name: use letters, digits, _ . -");
        }
        readAddress(p, `${path}auxAddresses.${k}`, v, family);
    }
}

/** One `KEY=value` line per field Docker reports, as docker network inspect's template prints them. */
const TEMPLATE = [
    "configOnly={{.ConfigOnly}}",
    // `with index`: a key that is absent prints nothing, whether the CLI runs the template on its
    // types or falls back to the raw JSON (a map, where `index` alone prints "<no value>").
    "parent={{with index .Options \"parent\"}}{{.}}{{end}}",
    "ipv6={{.EnableIPv6}}",
    // Go templates range over a map in key order. `index $c` makes the CLI fall back to the raw
    // JSON, where a field Docker left out (20.10 omits an empty Gateway or IPRange) is no key:
    // $c.Gateway would fail the template there.
    "{{range $i, $c := .IPAM.Config}}ipam{{$i}}={{with index $c \"Subnet\"}}{{.}}{{end}} {{with index $c \"Gateway\"}}{{.}}{{end}} " +
        "{{with index $c \"IPRange\"}}{{.}}{{end}}{{range $k, $v := index $c \"AuxiliaryAddresses\"}} {{$k}}={{$v}}{{end}}",
    "{{end}}label={{with index .Labels \"" + LABEL + "\"}}{{.}}{{end}}",
    `recorded.ipam0={{with index .Labels "${RECORDED}ipam0"}}{{.}}{{end}}`,
    `recorded.ipam1={{with index .Labels "${RECORDED}ipam1"}}{{.}}{{end}}`,
].join("\n");

/** True when $actual has an `ipam0` line (Docker's, or a recorded label's). */
const SHOWS_IPAM = `printf '%s\\n' "$actual" | grep -q '^ipam0='`;

/**
 * Where Docker shows no `ipam0` (see RECORDED), the recorded labels stand in for the `ipamN`
 * lines of $actual and $hidden is `yes`; a network without them (made by hand) then has none.
 */
const READ_RECORDED = [
    "hidden=no",
    `if ! ${SHOWS_IPAM}; then`,
    "  hidden=yes",
    `  actual=$(printf '%s\\n' "$actual" | sed -n '/^recorded\\./{s/^recorded\\.\\(ipam[0-9]*=..*\\)$/\\1/p;d;};p')`,
    "fi",
];

/**
 * Lines that find the IPAM entries of $actual (TEMPLATE's `ipamN=SUBNET GATEWAY RANGE ...`) that
 * have no gateway and leave their subnets in $gateless. Docker 29 gives the containers of a
 * macvlan network made without `--gateway` no default route, and reserves no guessed gateway
 * address (moby#50929); 20.10 guessed the subnet's first address.
 */
const FIND_GATELESS = [
    `gateless=$(printf '%s\\n' "$actual" | ${line(["awk", "-F", "[= ]", '/^ipam[0-9]+=/ && $2 != "" && $3 == "" { printf "%s%s", (n++ ? ", " : ""), $2 }'])})`,
];

/** What to say about a network without a gateway: "has no gateway for subnet <...>: why; fix". */
function gatelessMessage(args: ConfigOnlyNetworkArgs): [string, string] {
    const gateways = [args.gateway, ...(args.ipv6 ? [args.ipv6.gateway] : [])].join(" and ");
    return ["has no gateway for subnet",
        `(made by hand without --gateway?): Docker 29 and later give its containers no default route (moby#50929); ` +
        `remove it (after any swarm network made from it) and run again, so that swarm-macvlan makes it with --gateway ${gateways}`];
}

/** The fields the plan gives the network, as TEMPLATE prints them; the label only when `label`. */
function plannedFields(args: ConfigOnlyNetworkArgs, label: boolean): [string, string][] {
    return [
        ["configOnly", "true"],
        ["parent", args.parent],
        ["ipv6", String(args.ipv6 !== undefined)],
        ...ipamFields(args),
        ...(label ? [["label", args.network] as [string, string]] : []),
    ];
}

/** What to say of a network whose addresses neither Docker shows nor a label records. */
function unseenMessage(object: string, node: string): string {
    return `cannot check ${object} on ${node}: this Docker Engine does not show a config-only network's subnet, gateway or range ` +
        "(IPAM.Config is null), and swarm-macvlan did not make it (no swarm-macvlan.ipam0 label); " +
        "remove it (after any swarm network made from it) and run again, so that swarm-macvlan makes it and records them";
}

/**
 * The per-node `--config-only` network: created when missing, checked when present (ours by
 * its label, or adopted when `adopt` and every field matches).
 */
export function configOnlyNetworkCommands(args: ConfigOnlyNetworkArgs): CommandPair {
    validateArgs((p) => {
        readName(p, "name", args.name);
        readName(p, "network", args.network);
        readInterface(p, "parent", args.parent);
        checkFamily(p, "", args, 4);
        if (args.ipv6) {
            checkFamily(p, "ipv6.", args.ipv6, 6);
            for (const name of Object.keys(args.ipv6.auxAddresses).filter((k) => k in args.auxAddresses)) {
                p.add(`ipv6.auxAddresses.${name}`, args.ipv6.auxAddresses[name], "has the name of an IPv4 aux address: Docker keeps one address per name across a network's subnets; rename one");
            }
        }
        args.node === undefined || readName(p, "node", args.node);
    });
    const node = args.node ?? THIS_HOST;
    const create = configOnlyNetworkArgv(args);
    const object = `docker network ${args.name}`;
    const ours = `printf '%s\\n' "$actual" | ${line(["grep", "-qxF", `label=${args.network}`])}`;
    // Ours (labelled), or, with adopt, one whose fields all match (checked above).
    const owned = args.adopt ? `{ ${ours} || [ -z "$diffs" ]; }` : ours;
    const inUse = [
        // A local copy of a swarm network made --config-from this one holds it while containers on
        // it run here. Swarm tasks leave by themselves once the node loses its placement label (the
        // label is removed first), so wait for them within the bound; anything else would never
        // leave by itself: name it at once.
        "tasks='' others=''",
        `for n in $(${line(["docker", "network", "ls", "-q", "--filter", "driver=macvlan"])} 2>/dev/null); do`,
        `  [ "$(${line(["docker", "network", "inspect", "-f", "{{.ConfigFrom.Network}}"])} "$n" 2>/dev/null)" = ${quote(args.name)} ] || continue`,
        `  on=$(${line(["docker", "network", "inspect", "-f", "{{.Name}}"])} "$n")`,
        `  for c in $(docker ps --filter "network=$n" --format ${quote(`{{.Names}}={{.Label "${SWARM_TASK_LABEL}"}}`)}); do`,
        '    case "$c" in',
        '      *=) others="$others${others:+, }$on: ${c%=}" ;;',
        '      *) tasks="$tasks${tasks:+, }$on: ${c%%=*}" ;;',
        "    esac",
        "  done",
        "done",
        `[ -z "$others" ] || fail ${quote(`cannot remove ${object} on ${node}: containers that are not swarm tasks use a swarm network made from it (`)}"$others"${quote(`); stop them or disconnect them (docker network disconnect NETWORK CONTAINER), then run again`)}`,
        `[ -z "$tasks" ] || [ "$(date +%s)" -lt "$deadline" ] || fail ${quote(`cannot remove ${object} on ${node}: swarm tasks on a swarm network made from it still run there after ${IN_USE_RETRY_SECONDS} s (`)}"$tasks"${quote(`): a service without the placement constraint ${placementConstraint(args.network)} keeps its task on a node that loses the label; drain the node (docker node update --availability drain ${node}) or add the constraint, then run again`)}`,
    ];
    return {
        steps: [create],
        create: script(
            ...createWhenMissing(args.name, node, TEMPLATE, create, plannedFields(args, false), READ_RECORDED),
            `[ "$hidden" = no ] || ${SHOWS_IPAM} || fail ${quote(unseenMessage(object, node))}`,
            ...FIND_GATELESS,
            `[ -z "$gateless" ] || fail ${quote(`${object} on ${node} ${gatelessMessage(args)[0]}`)} "$gateless" ${quote(gatelessMessage(args)[1])}`,
            `if ${ours}; then`,
            `  [ -z "$diffs" ] || fail ${quote(`${object} on ${node} differs from the plan:`)} "$(joined)" ${quote("remove it (after the swarm network made from it) and run again")}`,
            ...(args.adopt ? [
                "else",
                `  [ -z "$diffs" ] || fail ${quote(`cannot adopt ${object} on ${node}:`)} "$(joined)"`,
            ] : [
                "else",
                `  ${fail(`${object} exists on ${node} but was not made by swarm-macvlan; remove it, set configNetworkName, or set adopt: true if it is this network made by hand`)}`,
            ]),
            "fi",
        ),
        delete: script(
            ...readNetwork(args.name, node, TEMPLATE, "exit 0"),
            ...READ_RECORDED,
            ...compareFields(plannedFields(args, false)),
            `${owned} || exit 0`,
            ...removeNetwork(args.name, node, inUse,
                `a swarm network made --config-from it still exists (Docker removes its local copy a few seconds after the last container leaves ${node})`),
        ),
        check: script(
            ...readNetwork(args.name, node, TEMPLATE, `echo ${quote(`${object}: missing`)}; exit 0`),
            ...READ_RECORDED,
            `[ "$hidden" = no ] || ${SHOWS_IPAM} || echo ${quote(`${object}: ${unseenMessage(object, node)}`)}`,
            ...FIND_GATELESS,
            `[ -z "$gateless" ] || echo ${quote(`${object}: ${gatelessMessage(args)[0]}`)} "$gateless" ${quote(gatelessMessage(args)[1])}`,
            ...compareFields(plannedFields(args, !args.adopt)),
            reportDiffs(object),
        ),
    };
}
