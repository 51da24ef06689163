set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if docker network inspect lab40_net >/dev/null 2>&1; then
  [ "$(docker network inspect -f '{{index .Labels "swarm-macvlan.network"}}' lab40_net)" = lab40 ] || fail 'docker network lab40_net exists but was not made by swarm-macvlan; remove it or set configNetworkName'
  ranges="$(docker network inspect -f '{{range .IPAM.Config}}{{.IPRange}} {{end}}' lab40_net)"
  [ "$ranges" = '10.214.2.0/24 ' ] || fail 'docker network lab40_net has ip-range' "$ranges" 'but the plan says 10.214.2.0/24; run pulumi up after removing it'
else
  docker network create --config-only --subnet 10.214.0.0/16 --gateway 10.214.0.1 --ip-range 10.214.2.0/24 --aux-address host=10.214.2.254 -o parent=eth1.40 --label swarm-macvlan.network=lab40 lab40_net >/dev/null
fi
