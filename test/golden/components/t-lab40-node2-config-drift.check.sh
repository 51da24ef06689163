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
    *'network lab40_net not found'*|*'No such network: lab40_net'*) echo 'docker network lab40_net: missing'; exit 0 ;;
    *) fail 'cannot read docker network lab40_net on node2:' "$(printf '%s' "$actual" | tr -s '\n' ' ' | sed 's/^ //')" ;;
  esac
fi
hidden=no
if ! printf '%s\n' "$actual" | grep -q '^ipam0='; then
  hidden=yes
  actual=$(printf '%s\n' "$actual" | sed -n '/^recorded\./{s/^recorded\.\(ipam[0-9]*=..*\)$/\1/p;d;};p')
fi
[ "$hidden" = no ] || printf '%s\n' "$actual" | grep -q '^ipam0=' || echo 'docker network lab40_net: cannot check docker network lab40_net on node2: this Docker Engine does not show a config-only network'\''s subnet, gateway or range (IPAM.Config is null), and swarm-macvlan did not make it (no swarm-macvlan.ipam0 label); remove it (after any swarm network made from it) and run again, so that swarm-macvlan makes it and records them'
gateless=$(printf '%s\n' "$actual" | awk -F '[= ]' '/^ipam[0-9]+=/ && $2 != "" && $3 == "" { printf "%s%s", (n++ ? ", " : ""), $2 }')
[ -z "$gateless" ] || echo 'docker network lab40_net: has no gateway for subnet' "$gateless" '(made by hand without --gateway?): Docker 29 and later give its containers no default route (moby#50929); remove it (after any swarm network made from it) and run again, so that swarm-macvlan makes it with --gateway 10.214.0.1'
diffs=''
expect() { got=$(printf '%s\n' "$actual" | sed -n "s/^$1=//p"); [ "$got" = "$2" ] || diffs="$diffs$1 is ${got:-(none)}, the plan says $2
"; }
joined() { printf '%s' "$diffs" | tr '\n' ';' | sed 's/;$//; s/;/; /g'; }
expect configOnly true
expect parent eth1.40
expect ipv6 false
expect ipam0 '10.214.0.0/16 10.214.0.1 10.214.2.0/24 host=10.214.2.254 range-first=10.214.2.0 range-last=10.214.2.255'
expect label lab40
printf '%s' "$diffs" | while IFS= read -r d; do printf '%s: %s\n' 'docker network lab40_net' "$d"; done
