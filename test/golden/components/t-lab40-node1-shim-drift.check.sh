set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! link=$(ip -d -o link show dev shim-lab40 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) echo 'interface shim-lab40: missing'; exit 0 ;;
    *) fail 'cannot tell whether interface shim-lab40 exists on node1:' "$link" ;;
  esac
fi
[ "$(ip -o link show dev shim-lab40 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:lab40 ] || { echo 'interface shim-lab40: exists but was not made by swarm-macvlan'; exit 0; }
printf '%s\n' "$link" | grep -qF shim-lab40@eth1.40: || echo 'interface shim-lab40: is not on eth1.40'
printf '%s\n' "$link" | grep -qF ' macvlan mode bridge ' || echo 'interface shim-lab40: is not a bridge-mode macvlan'
printf '%s\n' "$link" | grep -q '[<,]UP[,>]' || echo 'interface shim-lab40: is down'
ip -o -4 address show dev shim-lab40 | grep -qF ' 10.214.1.254/32 ' || echo 'interface shim-lab40: address 10.214.1.254/32 is missing'
[ -n "$(ip -4 route show exact 10.214.1.0/24 dev shim-lab40)" ] || echo 'interface shim-lab40: route 10.214.1.0/24 is missing'
