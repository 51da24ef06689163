set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! link=$(ip -d -o link show dev eth1 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) fail 'parent interface eth1 does not exist on node1' ;;
    *) fail 'cannot tell whether interface eth1 exists on node1:' "$link" ;;
  esac
fi
if [ ! -e /var/lib/swarm-macvlan/promisc-eth1 ]; then
  mkdir -p /var/lib/swarm-macvlan
  if printf '%s\n' "$link" | grep -q '[<,]PROMISC[,>]'; then echo on; else echo off; fi > /var/lib/swarm-macvlan/promisc-eth1
fi
ip link set dev eth1 promisc on
ip link set dev eth1 up
