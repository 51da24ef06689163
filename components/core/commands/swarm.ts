// The swarm-scoped `--config-from` network, made once on a manager.
import { readName } from "../fields";
import { Argv, line, quote, script } from "../shell";
import { compareFields, createWhenMissing, readNetwork, removeNetwork } from "./network";
import { CommandPair, THIS_HOST, reportDiffs, validateArgs } from "./shared";

export interface SwarmNetworkArgs {
    /** The swarm-scoped network's name, e.g. `swarm-vlan40_net`. */
    readonly name: string;
    /** The per-node config-only network it is made from. */
    readonly configFrom: string;
    /** @default true */
    readonly attachable?: boolean;
    /** The manager's node name, for messages. @default "this host" */
    readonly node?: string;
}

/** The plain `docker network create -d macvlan --scope swarm --config-from ...`. */
export function swarmNetworkArgv(args: SwarmNetworkArgs): Argv {
    // Docker refuses any other option (ipv6, ipam, labels) next to --config-from (and 28.0.0
    // broke even some it had allowed, docker/cli#5857): the config network carries them.
    return [
        "docker", "network", "create", "-d", "macvlan", "--scope", "swarm", "--config-from", args.configFrom,
        ...(args.attachable ?? true ? ["--attachable"] : []), args.name,
    ];
}

const TEMPLATE = ["driver={{.Driver}}", "scope={{.Scope}}", "configFrom={{.ConfigFrom.Network}}", "attachable={{.Attachable}}"].join("\n");

/** The swarm network, run on one manager; delete names the service that blocks it. */
export function swarmNetworkCommands(args: SwarmNetworkArgs): CommandPair {
    validateArgs((p) => {
        readName(p, "name", args.name);
        readName(p, "configFrom", args.configFrom);
        args.node === undefined || readName(p, "node", args.node);
    });
    const node = args.node ?? THIS_HOST;
    const create = swarmNetworkArgv(args);
    const object = `docker network ${args.name}`;
    const fields: [string, string][] = [
        ["driver", "macvlan"], ["scope", "swarm"], ["configFrom", args.configFrom], ["attachable", String(args.attachable ?? true)],
    ];
    const hint = `remove the service(s) using ${args.name} (docker service rm, or docker service update --network-rm ${args.name}) and run again`;
    const blockedByService = [
        // Docker names the service by ID; the operator needs its name.
        `case "$out" in *'in use by service'*) sid=\${out##*in use by service }; sid=\${sid%%[!A-Za-z0-9]*}`,
        `  fail ${quote(`cannot remove ${args.name}: it is in use by service `)}"$(docker service inspect -f '{{.Spec.Name}}' "$sid" 2>/dev/null || echo "$sid")"${quote(`; ${hint}`)} ;; esac`,
    ];
    return {
        steps: [create],
        create: script(
            ...createWhenMissing(args.name, node, TEMPLATE, create, fields),
            // No label can go on a --config-from network: one of this name with these fields is
            // this network, whoever made it (so one made by hand is adopted as it is).
            `[ -z "$diffs" ] || fail ${quote(`${object} exists (seen from ${node}) but is not the swarm network the plan makes:`)} ` +
                `"$(joined)" ${quote("remove it or set swarmNetworkName")}`,
        ),
        delete: script(
            ...readNetwork(args.name, node, TEMPLATE, "exit 0"),
            ...compareFields(fields),
            `[ -z "$diffs" ] || exit 0`,
            ...removeNetwork(args.name, node, blockedByService, hint),
        ),
        check: script(
            ...readNetwork(args.name, node, TEMPLATE, `echo ${quote(`${object}: missing`)}; exit 0`),
            ...compareFields(fields),
            reportDiffs(object),
        ),
    };
}

/**
 * A script, run on a manager, that prints the names of the services attached to swarm network
 * `name`, sorted, one per line: what Docker would refuse to remove it for. It prints nothing
 * when the network does not exist, and fails (naming the node) when it cannot tell.
 */
export function swarmNetworkServicesScript(name: string, node: string = THIS_HOST): string {
    validateArgs((p) => {
        readName(p, "name", name);
        readName(p, "node", node === THIS_HOST ? "this-host" : node);
    });
    // A service names its networks by ID (Docker stores the ID of a name given at create).
    const template = "{{.Spec.Name}}{{range .Spec.TaskTemplate.Networks}} {{.Target}}{{end}}";
    return script(
        ...readNetwork(name, node, "{{.Id}}", "exit 0"),
        `services=$(docker service ls -q 2>&1) || fail ${quote(`cannot list the services on ${node}:`)} "$services"`,
        `[ -n "$services" ] || exit 0`,
        `found=$(${line(["docker", "service", "inspect", "-f", template])} $services 2>&1) || fail ${quote(`cannot read the services on ${node}:`)} "$found"`,
        `printf '%s\\n' "$found" | awk -v "id=$actual" -v ${quote(`name=${name}`)} '{ for (i = 2; i <= NF; i++) if ($i == id || $i == name) { print $1; break } }' | sort -u`,
    );
}

