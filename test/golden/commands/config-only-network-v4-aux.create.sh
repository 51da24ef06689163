set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! actual=$(docker network inspect -f 'configOnly={{.ConfigOnly}}
parent={{with index .Options "parent"}}{{.}}{{end}}
ipv6={{.EnableIPv6}}
{{range $i, $c := .IPAM.Config}}ipam{{$i}}={{with index $c "Subnet"}}{{.}}{{end}} {{with index $c "Gateway"}}{{.}}{{end}} {{with index $c "IPRange"}}{{.}}{{end}}{{range $k, $v := index $c "AuxiliaryAddresses"}} {{$k}}={{$v}}{{end}}
{{end}}label={{with index .Labels "swarm-macvlan.network"}}{{.}}{{end}}
recorded.ipam0={{with index .Labels "swarm-macvlan.ipam0"}}{{.}}{{end}}
recorded.ipam1={{with index .Labels "swarm-macvlan.ipam1"}}{{.}}{{end}}' macvlanconf 2>&1); then
  case "$actual" in
    *'network macvlanconf not found'*|*'No such network: macvlanconf'*) actual='' ;;
    *) fail 'cannot read docker network macvlanconf on this host:' "$(printf '%s' "$actual" | tr -s '\n' ' ' | sed 's/^ //')" ;;
  esac
fi
if [ -z "$actual" ]; then
  docker network create --config-only --subnet 192.168.16.0/20 --gateway 192.168.16.1 --ip-range 192.168.17.0/24 --aux-address host=192.168.17.1 -o parent=eth0 --label swarm-macvlan.network=macvlan --label 'swarm-macvlan.ipam0=192.168.16.0/20 192.168.16.1 192.168.17.0/24 host=192.168.17.1' macvlanconf >/dev/null
  exit 0
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
expect parent eth0
expect ipv6 false
expect ipam0 '192.168.16.0/20 192.168.16.1 192.168.17.0/24 host=192.168.17.1'
[ "$hidden" = no ] || printf '%s\n' "$actual" | grep -q '^ipam0=' || fail 'cannot check docker network macvlanconf on this host: this Docker Engine does not show a config-only network'\''s subnet, gateway or range (IPAM.Config is null), and swarm-macvlan did not make it (no swarm-macvlan.ipam0 label); remove it (after any swarm network made from it) and run again, so that swarm-macvlan makes it and records them'
gateless=$(printf '%s\n' "$actual" | awk -F '[= ]' '/^ipam[0-9]+=/ && $2 != "" && $3 == "" { printf "%s%s", (n++ ? ", " : ""), $2 }')
[ -z "$gateless" ] || fail 'docker network macvlanconf on this host has no gateway for subnet' "$gateless" '(made by hand without --gateway?): Docker 29 and later give its containers no default route (moby#50929); remove it (after any swarm network made from it) and run again, so that swarm-macvlan makes it with --gateway 192.168.16.1'
if printf '%s\n' "$actual" | grep -qxF label=macvlan; then
  [ -z "$diffs" ] || fail 'docker network macvlanconf on this host differs from the plan:' "$(joined)" 'remove it (after the swarm network made from it) and run again'
else
  fail 'docker network macvlanconf exists on this host but was not made by swarm-macvlan; remove it, set configNetworkName, or set adopt: true if it is this network made by hand'
fi
