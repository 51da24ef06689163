set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! link=$(ip -d -o link show dev shim-macvlan10 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) echo 'interface shim-macvlan10: missing'; exit 0 ;;
    *) fail 'cannot tell whether interface shim-macvlan10 exists on this host:' "$link" ;;
  esac
fi
[ "$(ip -o link show dev shim-macvlan10 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:macvlan10 ] || { echo 'interface shim-macvlan10: exists but was not made by swarm-macvlan'; exit 0; }
printf '%s\n' "$link" | grep -qF shim-macvlan10@eth0.10: || echo 'interface shim-macvlan10: is not on eth0.10'
printf '%s\n' "$link" | grep -qF ' macvlan mode bridge ' || echo 'interface shim-macvlan10: is not a bridge-mode macvlan'
printf '%s\n' "$link" | grep -q '[<,]UP[,>]' || echo 'interface shim-macvlan10: is down'
ip -o -4 address show dev shim-macvlan10 | grep -qF ' 10.0.10.30/32 ' || echo 'interface shim-macvlan10: address 10.0.10.30/32 is missing'
ip -o -6 address show dev shim-macvlan10 | grep -qF ' 2001:db8:babe:10:1:ffff:ffff:fffe/128 ' || echo 'interface shim-macvlan10: address 2001:db8:babe:10:1:ffff:ffff:fffe/128 is missing'
[ -n "$(ip -4 route show exact 10.0.10.16/28 dev shim-macvlan10)" ] || echo 'interface shim-macvlan10: route 10.0.10.16/28 is missing'
[ -n "$(ip -6 route show exact 2001:db8:babe:10:1::/80 dev shim-macvlan10)" ] || echo 'interface shim-macvlan10: route 2001:db8:babe:10:1::/80 is missing'
