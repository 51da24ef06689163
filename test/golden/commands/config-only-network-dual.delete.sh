set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! actual=$(docker network inspect -f 'configOnly={{.ConfigOnly}}
parent={{with index .Options "parent"}}{{.}}{{end}}
ipv6={{.EnableIPv6}}
{{range $i, $c := .IPAM.Config}}ipam{{$i}}={{with index $c "Subnet"}}{{.}}{{end}} {{with index $c "Gateway"}}{{.}}{{end}} {{with index $c "IPRange"}}{{.}}{{end}}{{range $k, $v := index $c "AuxiliaryAddresses"}} {{$k}}={{$v}}{{end}}
{{end}}label={{with index .Labels "swarm-macvlan.network"}}{{.}}{{end}}
recorded.ipam0={{with index .Labels "swarm-macvlan.ipam0"}}{{.}}{{end}}
recorded.ipam1={{with index .Labels "swarm-macvlan.ipam1"}}{{.}}{{end}}' macvlan20_net 2>&1); then
  case "$actual" in
    *'network macvlan20_net not found'*|*'No such network: macvlan20_net'*) exit 0 ;;
    *) fail 'cannot read docker network macvlan20_net on this host:' "$(printf '%s' "$actual" | tr -s '\n' ' ' | sed 's/^ //')" ;;
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
expect parent eth0.20
expect ipv6 true
expect ipam0 '10.0.20.0/24 10.0.20.1 10.0.20.16/28'
expect ipam1 '2001:db8:babe:20::/64 2001:db8:babe:20::1 2001:db8:babe:20:1::/80'
printf '%s\n' "$actual" | grep -qxF label=macvlan20 || exit 0
deadline=$(( $(date +%s) + 90 ))
until out=$(docker network rm macvlan20_net 2>&1); do
  case "$out" in
    *'network macvlan20_net not found'*|*'No such network: macvlan20_net'*) exit 0 ;;
    *'in use'*) ;;
    *) fail 'cannot remove docker network macvlan20_net on this host:' "$out" ;;
  esac
  tasks='' others=''
  for n in $(docker network ls -q --filter driver=macvlan 2>/dev/null); do
    [ "$(docker network inspect -f '{{.ConfigFrom.Network}}' "$n" 2>/dev/null)" = macvlan20_net ] || continue
    on=$(docker network inspect -f '{{.Name}}' "$n")
    for c in $(docker ps --filter "network=$n" --format '{{.Names}}={{.Label "com.docker.swarm.task.id"}}'); do
      case "$c" in
        *=) others="$others${others:+, }$on: ${c%=}" ;;
        *) tasks="$tasks${tasks:+, }$on: ${c%%=*}" ;;
      esac
    done
  done
  [ -z "$others" ] || fail 'cannot remove docker network macvlan20_net on this host: containers that are not swarm tasks use a swarm network made from it ('"$others"'); stop them or disconnect them (docker network disconnect NETWORK CONTAINER), then run again'
  [ -z "$tasks" ] || [ "$(date +%s)" -lt "$deadline" ] || fail 'cannot remove docker network macvlan20_net on this host: swarm tasks on a swarm network made from it still run there after 90 s ('"$tasks"'): a service without the placement constraint node.labels.swarm-macvlan.macvlan20==true keeps its task on a node that loses the label; drain the node (docker node update --availability drain this host) or add the constraint, then run again'
  [ "$(date +%s)" -lt "$deadline" ] || fail "$out"'; a swarm network made --config-from it still exists (Docker removes its local copy a few seconds after the last container leaves this host)'
  sleep 2
done
