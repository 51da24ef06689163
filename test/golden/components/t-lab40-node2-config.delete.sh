set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! actual=$(docker network inspect -f 'configOnly={{.ConfigOnly}}
parent={{with index .Options "parent"}}{{.}}{{end}}
ipv6={{.EnableIPv6}}
{{range $i, $c := .IPAM.Config}}ipam{{$i}}={{with index $c "Subnet"}}{{.}}{{end}} {{with index $c "Gateway"}}{{.}}{{end}} {{with index $c "IPRange"}}{{.}}{{end}}{{range $k, $v := index $c "AuxiliaryAddresses"}} {{$k}}={{$v}}{{end}}
{{end}}label={{with index .Labels "swarm-macvlan.network"}}{{.}}{{end}}
recorded.ipam0={{with index .Labels "swarm-macvlan.ipam0"}}{{.}}{{end}}
recorded.ipam1={{with index .Labels "swarm-macvlan.ipam1"}}{{.}}{{end}}' lab40_net 2>&1); then
  case "$actual" in
    *'network lab40_net not found'*|*'No such network: lab40_net'*) exit 0 ;;
    *) fail 'cannot read docker network lab40_net on node2:' "$(printf '%s' "$actual" | tr -s '\n' ' ' | sed 's/^ //')" ;;
  esac
fi
hidden=no
if ! printf '%s\n' "$actual" | grep -q '^ipam0='; then
  hidden=yes
  actual=$(printf '%s\n' "$actual" | sed -n '/^recorded\./{s/^recorded\.\(ipam[0-9]*=..*\)$/\1/p;d;};p')
fi
diffs=''
expect() { got=$(printf '%s\n' "$actual" | sed -n "s/^$1=//p"); [ "$got" = "$2" ] || diffs="$diffs$1 is ${got:-(none)}, the plan says $2
"; }
joined() { printf '%s' "$diffs" | tr '\n' ';' | sed 's/;$//; s/;/; /g'; }
expect configOnly true
expect parent eth1.40
expect ipv6 false
expect ipam0 '10.214.0.0/16 10.214.0.1 10.214.2.0/24 host=10.214.2.254 range-first=10.214.2.0 range-last=10.214.2.255'
printf '%s\n' "$actual" | grep -qxF label=lab40 || exit 0
deadline=$(( $(date +%s) + 90 ))
until out=$(docker network rm lab40_net 2>&1); do
  case "$out" in
    *'network lab40_net not found'*|*'No such network: lab40_net'*) exit 0 ;;
    *'in use'*) ;;
    *) fail 'cannot remove docker network lab40_net on node2:' "$out" ;;
  esac
  tasks='' others=''
  for n in $(docker network ls -q --filter driver=macvlan 2>/dev/null); do
    [ "$(docker network inspect -f '{{.ConfigFrom.Network}}' "$n" 2>/dev/null)" = lab40_net ] || continue
    on=$(docker network inspect -f '{{.Name}}' "$n")
    for c in $(docker ps --filter "network=$n" --format '{{.Names}}={{.Label "com.docker.swarm.task.id"}}'); do
      case "$c" in
        *=) others="$others${others:+, }$on: ${c%=}" ;;
        *) tasks="$tasks${tasks:+, }$on: ${c%%=*}" ;;
      esac
    done
  done
  [ -z "$others" ] || fail 'cannot remove docker network lab40_net on node2: containers that are not swarm tasks use a swarm network made from it ('"$others"'); stop them or disconnect them (docker network disconnect NETWORK CONTAINER), then run again'
  [ -z "$tasks" ] || [ "$(date +%s)" -lt "$deadline" ] || fail 'cannot remove docker network lab40_net on node2: swarm tasks on a swarm network made from it still run there after 90 s ('"$tasks"'): a service without the placement constraint node.labels.swarm-macvlan.lab40==true keeps its task on a node that loses the label; drain the node (docker node update --availability drain node2) or add the constraint, then run again'
  [ "$(date +%s)" -lt "$deadline" ] || fail "$out"'; a swarm network made --config-from it still exists (Docker removes its local copy a few seconds after the last container leaves node2)'
  sleep 2
done
