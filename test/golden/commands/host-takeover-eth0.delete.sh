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
if [ ! -s /var/lib/swarm-macvlan/takeover-lan/addresses ] && ip link show dev shim-lan >/dev/null 2>&1 && [ "$(ip -o link show dev shim-lan 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:lan ] && [ -n "$(ip -4 -o address show dev shim-lan scope global)" ]; then
  fail 'shim-lan on node1 holds the host'\''s IPv4 address and nothing is recorded in /var/lib/swarm-macvlan/takeover-lan to say where it belongs; refused, nothing changed: move the address to eth0 by hand (ip address add ... dev eth0), then run again'
fi
if [ -s /var/lib/swarm-macvlan/takeover-lan/addresses ]; then
  if ! link=$(ip -d -o link show dev eth0 2>&1); then
    case "$link" in
      *'does not exist'*|*'Cannot find device'*) fail 'cannot move the host'\''s address back: eth0 does not exist on node1' ;;
      *) fail 'cannot tell whether interface eth0 exists on node1:' "$link" ;;
    esac
  fi
  ip link set dev eth0 up
  while read -r a rest; do put_address eth0 "$a" $rest; done < /var/lib/swarm-macvlan/takeover-lan/addresses
fi
if ! link=$(ip -d -o link show dev shim-lan 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) : ;;
    *) fail 'cannot tell whether interface shim-lan exists on node1:' "$link" ;;
  esac
fi
if ip link show dev shim-lan >/dev/null 2>&1 && [ "$(ip -o link show dev shim-lan 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:lan ]; then ip link delete dev shim-lan; fi
if [ -s /var/lib/swarm-macvlan/takeover-lan/addresses ]; then
  replay_routes /var/lib/swarm-macvlan/takeover-lan/routes eth0
  while read -r a rest; do
    if command -v arping >/dev/null 2>&1; then arping -U -c 2 -I eth0 "${a%/*}" >/dev/null 2>&1 || true
    elif busybox arping -h 2>&1 | grep -q Unsolicited; then busybox arping -U -c 2 -I eth0 "${a%/*}" >/dev/null 2>&1 || true
    else gw=$(ip -4 route show default dev eth0 | awk '{ print $3; exit }'); [ -z "$gw" ] || ping -c 1 -W 1 -I eth0 "$gw" >/dev/null 2>&1 || true
    fi
  done < /var/lib/swarm-macvlan/takeover-lan/addresses
fi
reload=no; for f in /etc/systemd/network/00-swarm-macvlan-lan-parent.network /etc/NetworkManager/conf.d/swarm-macvlan-lan-parent.conf /var/lib/swarm-macvlan/takeover-lan/reload-managers; do [ ! -e "$f" ] || reload=yes; done
rm -rf /var/lib/swarm-macvlan/takeover-lan
rm -f /etc/systemd/network/00-swarm-macvlan-lan-parent.network /etc/NetworkManager/conf.d/swarm-macvlan-lan-parent.conf
if [ "$reload" = yes ]; then
  if [ -d /etc/systemd/network ] && systemctl is-active --quiet systemd-networkd; then networkctl reload; fi
  if [ -d /etc/NetworkManager/conf.d ] && systemctl is-active --quiet NetworkManager; then nmcli general reload conf; fi
fi
