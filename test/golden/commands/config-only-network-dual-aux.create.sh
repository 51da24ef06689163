set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if docker network inspect macvlan10_net >/dev/null 2>&1; then
  [ "$(docker network inspect -f '{{index .Labels "swarm-macvlan.network"}}' macvlan10_net)" = macvlan10 ] || fail 'docker network macvlan10_net exists but was not made by swarm-macvlan; remove it or set configNetworkName'
  ranges="$(docker network inspect -f '{{range .IPAM.Config}}{{.IPRange}} {{end}}' macvlan10_net)"
  [ "$ranges" = '10.0.10.16/28 2001:db8:babe:10:1::/80 ' ] || fail 'docker network macvlan10_net has ip-range' "$ranges" 'but the plan says 10.0.10.16/28 2001:db8:babe:10:1::/80; run pulumi up after removing it'
else
  docker network create --config-only --subnet 10.0.10.0/24 --gateway 10.0.10.1 --ip-range 10.0.10.16/28 --aux-address host=10.0.10.30 --aux-address host-docker2=10.0.10.29 --ipv6 --subnet 2001:db8:babe:10::/64 --gateway 2001:db8:babe:10::1 --ip-range 2001:db8:babe:10:1::/80 --aux-address host=2001:db8:babe:10:1:ffff:ffff:fffe -o parent=eth0.10 --label swarm-macvlan.network=macvlan10 macvlan10_net >/dev/null
fi
