set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if [ -e /var/lib/swarm-macvlan/promisc-eth1 ]; then
  if [ "$(cat /var/lib/swarm-macvlan/promisc-eth1)" = off ]; then
    if ! link=$(ip -d -o link show dev eth1 2>&1); then
      case "$link" in
        *'does not exist'*|*'Cannot find device'*) rm -f /var/lib/swarm-macvlan/promisc-eth1; exit 0 ;;
        *) fail 'cannot tell whether interface eth1 exists on this host:' "$link" ;;
      esac
    fi
    ip link set dev eth1 promisc off
  fi
  rm -f /var/lib/swarm-macvlan/promisc-eth1
fi
