set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! link=$(ip -d -o link show dev eth1 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) echo 'interface eth1: missing'; exit 0 ;;
    *) fail 'cannot tell whether interface eth1 exists on this host:' "$link" ;;
  esac
fi
printf '%s\n' "$link" | grep -q '[<,]PROMISC[,>]' || echo 'interface eth1: promiscuous mode is off'
printf '%s\n' "$link" | grep -q '[<,]UP[,>]' || echo 'interface eth1: is down'
