set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if docker network inspect macvlanconf >/dev/null 2>&1; then
  [ "$(docker network inspect -f '{{index .Labels "swarm-macvlan.network"}}' macvlanconf)" = macvlan ] || fail 'docker network macvlanconf exists but was not made by swarm-macvlan; remove it or set configNetworkName'
  ranges="$(docker network inspect -f '{{range .IPAM.Config}}{{.IPRange}} {{end}}' macvlanconf)"
  [ "$ranges" = '192.168.17.0/24 ' ] || fail 'docker network macvlanconf has ip-range' "$ranges" 'but the plan says 192.168.17.0/24; run pulumi up after removing it'
else
  docker network create --config-only --subnet 192.168.16.0/20 --gateway 192.168.16.1 --ip-range 192.168.17.0/24 --aux-address host=192.168.17.1 -o parent=eth0 --label swarm-macvlan.network=macvlan macvlanconf >/dev/null
fi
