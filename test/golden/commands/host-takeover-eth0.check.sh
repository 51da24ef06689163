set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! link=$(ip -d -o link show dev shim-lan 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) echo 'interface shim-lan: missing (takeover of eth0 by shim-lan)'; exit 0 ;;
    *) fail 'cannot tell whether interface shim-lan exists on node1:' "$link" ;;
  esac
fi
[ "$(ip -o link show dev shim-lan 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:lan ] || { echo 'interface shim-lan: exists but was not made by swarm-macvlan'; exit 0; }
printf '%s\n' "$link" | grep -qF shim-lan@eth0: || echo 'interface shim-lan: is not on eth0'
printf '%s\n' "$link" | grep -qF ' macvlan mode bridge ' || echo 'interface shim-lan: is not a bridge-mode macvlan'
printf '%s\n' "$link" | grep -q '[<,]UP[,>]' || echo 'interface shim-lan: is down'
[ -s /var/lib/swarm-macvlan/takeover-lan/addresses ] || { echo 'takeover of eth0 by shim-lan: nothing recorded in /var/lib/swarm-macvlan/takeover-lan'; exit 0; }
mac=02:1e:8a:f8:9a:ba
printf '%s\n' "$link" | grep -qF " link/ether $mac " || echo 'interface shim-lan: its MAC is not' "${mac:-(none recorded)}"
while read -r a rest; do ip -4 -o address show dev shim-lan | grep -qF " $a " || echo 'interface shim-lan: address' "$a" is missing; done < /var/lib/swarm-macvlan/takeover-lan/addresses
if [ -n "$(ip -4 -o address show dev eth0 scope global)" ]; then echo 'interface eth0: still has an IPv4 address (takeover of eth0 by shim-lan)'; fi
