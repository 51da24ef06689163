set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
address_record() { awk -v dev="${1:-}" '{ s = $4; for (i = 5; i < NF; i++) if ($i == "metric" || $i == "brd" || $i == "scope") s = s " " $i " " $(i + 1); for (i = 5; i <= NF; i++) if ($i == "noprefixroute" || $i == "nodad") s = s " " $i; print (dev == "" ? s : $2 " " s) }'; }
put_address() {
  d=$1; shift
  have=$(ip -o address show dev "$d" | awk -v a="$1" '$4 == a' | address_record)
  [ "$have" != "$*" ] || return 0
  [ -z "$have" ] || ip address del "$1" dev "$d"
  ip address add "$@" dev "$d"
}
mac_of() { ip -o link show dev "$1" | sed -n 's/.* link\/ether \([0-9a-f:]*\) .*/\1/p'; }
replay_routes() {
  { grep ' scope link' "$1" || true; grep -v ' scope link' "$1" || true; } | sed 's/ linkdown//; s/ dead//' | while read -r r; do ip route replace $r ${2:+dev "$2"}; done
}
if ! link=$(ip -d -o link show dev eth0 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) fail 'parent interface eth0 does not exist on node1' ;;
    *) fail 'cannot tell whether interface eth0 exists on node1:' "$link" ;;
  esac
fi
if ip link show dev shim-lan >/dev/null 2>&1; then
  [ "$(ip -o link show dev shim-lan 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:lan ] || fail 'interface shim-lan exists on node1 but was not made by swarm-macvlan; remove it or set shimName'
fi
if [ ! -s /var/lib/swarm-macvlan/takeover-lan/addresses ]; then
  now=$(ip -4 -o address show dev eth0 scope global)
  [ -n "$now" ] || fail 'eth0 on node1 has no IPv4 address to take over (and none is recorded in /var/lib/swarm-macvlan/takeover-lan)'
  case "$now" in *' dynamic '*) fail 'eth0 on node1 has an address from DHCP (dynamic): its DHCP client would put it back on eth0; give node1 a static address first' ;; esac
  mkdir -p /var/lib/swarm-macvlan/takeover-lan
  ip -4 route show table main dev eth0 | sed 's/ linkdown//; s/ dead//' > /var/lib/swarm-macvlan/takeover-lan/routes
  ip -6 -o address show dev eth0 scope global permanent | awk '{ print $4 }' > /var/lib/swarm-macvlan/takeover-lan/ipv6
  ip -6 route show default dev eth0 | awk '{ for (i = 1; i < NF; i++) if ($i == "via") { print $(i + 1); exit } }' > /var/lib/swarm-macvlan/takeover-lan/gateway6
  ip -6 -o address show dev eth0 scope global permanent | address_record > /var/lib/swarm-macvlan/takeover-lan/addresses6
  ip -6 route show table main dev eth0 | awk '$1 !~ /^(fe80|ff[0-9a-f][0-9a-f]):/ && !/ expires / && !/ proto ra /' | sed 's/ linkdown//; s/ dead//' > /var/lib/swarm-macvlan/takeover-lan/routes6
  printf '%s\n' "$now" | address_record > /var/lib/swarm-macvlan/takeover-lan/addresses.tmp
  mv -f /var/lib/swarm-macvlan/takeover-lan/addresses.tmp /var/lib/swarm-macvlan/takeover-lan/addresses
fi
printf '%s\n' 02:1e:8a:f8:9a:ba > /var/lib/swarm-macvlan/takeover-lan/mac
mac=$(cat /var/lib/swarm-macvlan/takeover-lan/mac)
case "$mac" in 02:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]) ;; *) fail 'the MAC recorded in /var/lib/swarm-macvlan/takeover-lan/mac on node1 is not a locally administered MAC:' "$mac" ;; esac
if ! ip link show dev shim-lan >/dev/null 2>&1; then
  ip link add shim-lan link eth0 address 02:1e:8a:f8:9a:ba type macvlan mode bridge
  ip link set dev shim-lan alias swarm-macvlan:lan
fi
ip link set dev shim-lan address 02:1e:8a:f8:9a:ba 2>/dev/null || { ip link set dev shim-lan down; ip link set dev shim-lan address 02:1e:8a:f8:9a:ba; }
ip link set dev eth0 up
ip link set dev shim-lan up
while read -r a rest; do put_address shim-lan "$a" $rest; done < /var/lib/swarm-macvlan/takeover-lan/addresses
while read -r a rest; do
  if ip -4 -o address show dev eth0 | grep -qF " $a "; then ip address del "$a" dev eth0; fi
done < /var/lib/swarm-macvlan/takeover-lan/addresses
replay_routes /var/lib/swarm-macvlan/takeover-lan/routes shim-lan
while read -r a rest; do
  if command -v arping >/dev/null 2>&1; then arping -U -c 2 -I shim-lan "${a%/*}" >/dev/null 2>&1 || true
  elif busybox arping -h 2>&1 | grep -q Unsolicited; then busybox arping -U -c 2 -I shim-lan "${a%/*}" >/dev/null 2>&1 || true
  else gw=$(ip -4 route show default dev shim-lan | awk '{ print $3; exit }'); [ -z "$gw" ] || ping -c 1 -W 1 -I shim-lan "$gw" >/dev/null 2>&1 || true
  fi
done < /var/lib/swarm-macvlan/takeover-lan/addresses
if [ -s /var/lib/swarm-macvlan/takeover-lan/addresses6 ]; then while read -r a rest; do put_address eth0 "$a" $rest; done < /var/lib/swarm-macvlan/takeover-lan/addresses6; fi
if [ -s /var/lib/swarm-macvlan/takeover-lan/routes6 ]; then { grep -v ' via ' /var/lib/swarm-macvlan/takeover-lan/routes6 || true; grep ' via ' /var/lib/swarm-macvlan/takeover-lan/routes6 || true; } | while read -r r; do ip -6 route replace $r dev eth0; done; fi
