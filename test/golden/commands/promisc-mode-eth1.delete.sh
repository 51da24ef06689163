set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if [ -e /var/lib/swarm-macvlan/promisc-eth1 ]; then
  if [ "$(cat /var/lib/swarm-macvlan/promisc-eth1)" = off ]; then ip link set dev eth1 promisc off 2>/dev/null || true; fi
  rm -f /var/lib/swarm-macvlan/promisc-eth1
fi
