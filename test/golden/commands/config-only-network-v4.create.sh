set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if docker network inspect vlan40_net >/dev/null 2>&1; then
  [ "$(docker network inspect -f '{{index .Labels "swarm-macvlan.network"}}' vlan40_net)" = vlan40 ] || fail 'docker network vlan40_net exists but was not made by swarm-macvlan; remove it or set configNetworkName'
  ranges="$(docker network inspect -f '{{range .IPAM.Config}}{{.IPRange}} {{end}}' vlan40_net)"
  [ "$ranges" = '172.80.1.0/24 ' ] || fail 'docker network vlan40_net has ip-range' "$ranges" 'but the plan says 172.80.1.0/24; run pulumi up after removing it'
else
  docker network create --config-only --subnet 172.80.0.0/16 --gateway 172.80.0.1 --ip-range 172.80.1.0/24 -o parent=bond0.40 --label swarm-macvlan.network=vlan40 vlan40_net >/dev/null
fi
