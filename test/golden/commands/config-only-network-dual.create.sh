set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if docker network inspect macvlan20_net >/dev/null 2>&1; then
  [ "$(docker network inspect -f '{{index .Labels "swarm-macvlan.network"}}' macvlan20_net)" = macvlan20 ] || fail 'docker network macvlan20_net exists but was not made by swarm-macvlan; remove it or set configNetworkName'
  ranges="$(docker network inspect -f '{{range .IPAM.Config}}{{.IPRange}} {{end}}' macvlan20_net)"
  [ "$ranges" = '10.0.20.16/28 2001:db8:babe:20:1::/80 ' ] || fail 'docker network macvlan20_net has ip-range' "$ranges" 'but the plan says 10.0.20.16/28 2001:db8:babe:20:1::/80; run pulumi up after removing it'
else
  docker network create --config-only --subnet 10.0.20.0/24 --gateway 10.0.20.1 --ip-range 10.0.20.16/28 --ipv6 --subnet 2001:db8:babe:20::/64 --gateway 2001:db8:babe:20::1 --ip-range 2001:db8:babe:20:1::/80 -o parent=eth0.20 --label swarm-macvlan.network=macvlan20 macvlan20_net >/dev/null
fi
