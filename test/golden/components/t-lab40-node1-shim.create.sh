set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ip link show dev shim-lab40 >/dev/null 2>&1; then
  [ "$(ip -o link show dev shim-lab40 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:lab40 ] || fail 'interface shim-lab40 exists on node1 but was not made by swarm-macvlan; remove it or set shimName'
else
  ip link add shim-lab40 link eth1.40 type macvlan mode bridge
  ip link set dev shim-lab40 alias swarm-macvlan:lab40
fi
ip address replace 10.214.1.254/32 dev shim-lab40
ip link set dev shim-lab40 up
ip route replace 10.214.1.0/24 dev shim-lab40
