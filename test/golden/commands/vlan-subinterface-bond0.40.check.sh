set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! link=$(ip -d -o link show dev bond0.40 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) echo 'interface bond0.40: missing (802.1Q VLAN 40 on bond0)'; exit 0 ;;
    *) fail 'cannot tell whether interface bond0.40 exists on this host:' "$link" ;;
  esac
fi
{ printf '%s\n' "$link" | grep -qF bond0.40@bond0: && printf '%s\n' "$link" | grep -qF ' vlan protocol 802.1Q id 40 '; } || echo 'interface bond0.40: is not VLAN 40 on bond0'
printf '%s\n' "$link" | grep -q '[<,]PROMISC[,>]' || echo 'interface bond0.40: promiscuous mode is off'
printf '%s\n' "$link" | grep -q '[<,]UP[,>]' || echo 'interface bond0.40: is down'
