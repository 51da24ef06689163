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
    *'network macvlan20_net not found'*|*'No such network: macvlan20_net'*) echo 'docker network macvlan20_net: missing'; exit 0 ;;
    *) fail 'cannot read docker network macvlan20_net on this host:' "$(printf '%s' "$actual" | tr -s '\n' ' ' | sed 's/^ //')" ;;
  esac
fi
hidden=no
if ! printf '%s\n' "$actual" | grep -q '^ipam0='; then
  hidden=yes
  actual=$(printf '%s\n' "$actual" | sed -n '/^recorded\./{s/^recorded\.\(ipam[0-9]*=..*\)$/\1/p;d;};p')
fi
[ "$hidden" = no ] || printf '%s\n' "$actual" | grep -q '^ipam0=' || echo 'docker network macvlan20_net: cannot check docker network macvlan20_net on this host: this Docker Engine does not show a config-only network'\''s subnet, gateway or range (IPAM.Config is null), and swarm-macvlan did not make it (no swarm-macvlan.ipam0 label); remove it (after any swarm network made from it) and run again, so that swarm-macvlan makes it and records them'
gateless=$(printf '%s\n' "$actual" | awk -F '[= ]' '/^ipam[0-9]+=/ && $2 != "" && $3 == "" { printf "%s%s", (n++ ? ", " : ""), $2 }')
[ -z "$gateless" ] || echo 'docker network macvlan20_net: has no gateway for subnet' "$gateless" '(made by hand without --gateway?): Docker 29 and later give its containers no default route (moby#50929); remove it (after any swarm network made from it) and run again, so that swarm-macvlan makes it with --gateway 10.0.20.1 and 2001:db8:babe:20::1'
diffs=''
expect() { got=$(printf '%s\n' "$actual" | sed -n "s/^$1=//p"); [ "$got" = "$2" ] || diffs="$diffs$1 is ${got:-(none)}, the plan says $2
"; }
joined() { printf '%s' "$diffs" | tr '\n' ';' | sed 's/;$//; s/;/; /g'; }
expect configOnly true
expect parent eth0.20
expect ipv6 true
expect ipam0 '10.0.20.0/24 10.0.20.1 10.0.20.16/28'
expect ipam1 '2001:db8:babe:20::/64 2001:db8:babe:20::1 2001:db8:babe:20:1::/80'
expect label macvlan20
printf '%s' "$diffs" | while IFS= read -r d; do printf '%s: %s\n' 'docker network macvlan20_net' "$d"; done
