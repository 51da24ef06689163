#!/usr/bin/env bash
# bench/by-hand.sh create|destroy INVENTORY_JSON: the seeds' recipe as an operator types it,
# as a plain script: one `ssh` per node, in turn, running the node's commands, then the swarm
# network on the manager (create); the reverse (destroy). The values come from the plan the
# benchmark writes into INVENTORY_JSON ({key, nodes: [{host, manager, create, destroy}], swarm}).
set -euo pipefail
action=$1 inventory=$2
ssh_opts=(-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR)
key=$(node -p 'require(process.argv[1]).key' "$inventory")
count=$(node -p 'require(process.argv[1]).nodes.length' "$inventory")
on() { ssh -i "$key" "${ssh_opts[@]}" "root@$1" "$2"; }
field() { node -p "require(process.argv[1]).$1" "$inventory"; }
manager=$(field 'nodes.find((n) => n.manager).host')
if [ "$action" = destroy ]; then on "$manager" "$(field 'swarm.destroy')"; fi
for ((i = 0; i < count; i++)); do
  on "$(field "nodes[$i].host")" "$(field "nodes[$i].$action")"
done
if [ "$action" = create ]; then on "$manager" "$(field 'swarm.create')"; fi
