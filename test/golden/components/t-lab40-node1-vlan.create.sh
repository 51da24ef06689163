set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
ip link show dev eth1 >/dev/null 2>&1 || fail 'trunk interface eth1 does not exist on node1'
if ! link=$(ip -d -o link show dev eth1.40 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) link='' ;;
    *) fail 'cannot tell whether interface eth1.40 exists on node1:' "$link" ;;
  esac
fi
if [ -n "$link" ]; then
  { printf '%s\n' "$link" | grep -qF eth1.40@eth1: && printf '%s\n' "$link" | grep -qF ' vlan protocol 802.1Q id 40 '; } || fail 'eth1.40 exists on node1 but is not VLAN 40 on eth1; remove or rename it'
else
  ip link add link eth1 name eth1.40 type vlan id 40 || fail 'cannot create 802.1Q interface eth1.40 on node1: is the 8021q kernel module available? (modprobe 8021q)'
  ip link set dev eth1.40 alias swarm-macvlan:lab40
fi
ip link set dev eth1 up
ip link set dev eth1.40 promisc on
ip link set dev eth1.40 up
