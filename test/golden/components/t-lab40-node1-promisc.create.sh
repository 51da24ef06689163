set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
ip link show dev eth1 >/dev/null 2>&1 || fail 'parent interface eth1 does not exist on this host'
if [ ! -e /var/lib/swarm-macvlan/promisc-eth1 ]; then
  mkdir -p /var/lib/swarm-macvlan
  if ip -o link show dev eth1 | grep -q '[<,]PROMISC[,>]'; then echo on; else echo off; fi > /var/lib/swarm-macvlan/promisc-eth1
fi
ip link set dev eth1 promisc on
ip link set dev eth1 up
