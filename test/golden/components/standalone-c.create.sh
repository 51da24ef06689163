set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if docker network inspect storage_net >/dev/null 2>&1; then
  [ "$(docker network inspect -f '{{index .Labels "swarm-macvlan.network"}}' storage_net)" = storage ] || fail 'docker network storage_net exists but was not made by swarm-macvlan; remove it or set configNetworkName'
  ranges="$(docker network inspect -f '{{range .IPAM.Config}}{{.IPRange}} {{end}}' storage_net)"
  [ "$ranges" = '10.120.4.0/24 ' ] || fail 'docker network storage_net has ip-range' "$ranges" 'but the plan says 10.120.4.0/24; run pulumi up after removing it'
else
  docker network create --config-only --subnet 10.120.0.0/16 --gateway 10.120.0.1 --ip-range 10.120.4.0/24 --aux-address host=10.120.4.254 -o parent=bond0.120 --label swarm-macvlan.network=storage storage_net >/dev/null
fi
