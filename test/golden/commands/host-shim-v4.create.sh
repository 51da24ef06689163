set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ip link show dev shim-vlan40 >/dev/null 2>&1; then
  [ "$(ip -o link show dev shim-vlan40 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:vlan40 ] || fail 'interface shim-vlan40 exists on this host but was not made by swarm-macvlan; remove it or set shimName'
else
  ip link add shim-vlan40 link bond0.40 type macvlan mode bridge
  ip link set dev shim-vlan40 alias swarm-macvlan:vlan40
fi
ip address replace 172.80.1.254/32 dev shim-vlan40
ip link set dev shim-vlan40 up
ip route replace 172.80.1.0/24 dev shim-vlan40
