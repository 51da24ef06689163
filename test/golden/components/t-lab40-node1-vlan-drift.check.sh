set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! link=$(ip -d -o link show dev eth1.40 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) echo 'interface eth1.40: missing (802.1Q VLAN 40 on eth1)'; exit 0 ;;
    *) fail 'cannot tell whether interface eth1.40 exists on node1:' "$link" ;;
  esac
fi
{ printf '%s\n' "$link" | grep -qF eth1.40@eth1: && printf '%s\n' "$link" | grep -qF ' vlan protocol 802.1Q id 40 '; } || echo 'interface eth1.40: is not VLAN 40 on eth1'
printf '%s\n' "$link" | grep -q '[<,]PROMISC[,>]' || echo 'interface eth1.40: promiscuous mode is off'
printf '%s\n' "$link" | grep -q '[<,]UP[,>]' || echo 'interface eth1.40: is down'
