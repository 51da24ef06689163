set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
ip link show dev bond0 >/dev/null 2>&1 || fail 'trunk interface bond0 does not exist on this host'
if ip link show dev bond0.120 >/dev/null 2>&1; then
  ip -d -o link show dev bond0.120 | grep -qF bond0.120@bond0: && ip -d -o link show dev bond0.120 | grep -qF ' vlan protocol 802.1Q id 120 ' || fail 'bond0.120 exists but is not VLAN 120 on bond0; remove or rename it'
else
  ip link add link bond0 name bond0.120 type vlan id 120 || fail 'cannot create 802.1Q interface bond0.120: is the 8021q kernel module available? (modprobe 8021q)'
  ip link set dev bond0.120 alias swarm-macvlan:storage
fi
ip link set dev bond0 up
ip link set dev bond0.120 promisc on
ip link set dev bond0.120 up
