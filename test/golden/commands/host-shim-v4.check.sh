set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! link=$(ip -d -o link show dev shim-vlan40 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) echo 'interface shim-vlan40: missing'; exit 0 ;;
    *) fail 'cannot tell whether interface shim-vlan40 exists on this host:' "$link" ;;
  esac
fi
[ "$(ip -o link show dev shim-vlan40 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:vlan40 ] || { echo 'interface shim-vlan40: exists but was not made by swarm-macvlan'; exit 0; }
printf '%s\n' "$link" | grep -qF shim-vlan40@bond0.40: || echo 'interface shim-vlan40: is not on bond0.40'
printf '%s\n' "$link" | grep -qF ' macvlan mode bridge ' || echo 'interface shim-vlan40: is not a bridge-mode macvlan'
printf '%s\n' "$link" | grep -q '[<,]UP[,>]' || echo 'interface shim-vlan40: is down'
ip -o -4 address show dev shim-vlan40 | grep -qF ' 172.80.1.254/32 ' || echo 'interface shim-vlan40: address 172.80.1.254/32 is missing'
[ -n "$(ip -4 route show exact 172.80.1.0/24 dev shim-vlan40)" ] || echo 'interface shim-vlan40: route 172.80.1.0/24 is missing'
