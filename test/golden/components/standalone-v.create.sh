set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
ip link show dev bond0 >/dev/null 2>&1 || fail 'trunk interface bond0 does not exist on this host'
if ! link=$(ip -d -o link show dev bond0.120 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) link='' ;;
    *) fail 'cannot tell whether interface bond0.120 exists on this host:' "$link" ;;
  esac
fi
if [ -n "$link" ]; then
  { printf '%s\n' "$link" | grep -qF bond0.120@bond0: && printf '%s\n' "$link" | grep -qF ' vlan protocol 802.1Q id 120 '; } || fail 'bond0.120 exists on this host but is not VLAN 120 on bond0; remove or rename it'
else
  ip link add link bond0 name bond0.120 type vlan id 120 || fail 'cannot create 802.1Q interface bond0.120 on this host: is the 8021q kernel module available? (modprobe 8021q)'
  ip link set dev bond0.120 alias swarm-macvlan:storage
fi
ip link set dev bond0 up
ip link set dev bond0.120 promisc on
ip link set dev bond0.120 up
