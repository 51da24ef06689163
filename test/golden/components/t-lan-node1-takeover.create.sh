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
command -v systemd-run >/dev/null 2>&1 && [ -d /run/systemd/system ] || fail 'node1 does not run systemd: the lockout guard of takeover of eth0 by shim-lan needs systemd-run'
if systemctl is-active --quiet swarm-macvlan-rollback-takeover-lan.timer; then fail 'an earlier takeover of eth0 by shim-lan on node1 is still armed and not confirmed; it rolls back by itself within 60 s: run again after that'; fi
systemctl stop swarm-macvlan-rollback-takeover-lan.timer swarm-macvlan-rollback-takeover-lan.service 2>/dev/null || true
systemctl reset-failed swarm-macvlan-rollback-takeover-lan.service swarm-macvlan-rollback-takeover-lan.timer swarm-macvlan-apply-takeover-lan.service 2>/dev/null || true
rm -rf /run/swarm-macvlan/takeover-lan
mkdir -p /run/swarm-macvlan/takeover-lan
ip -j address > /run/swarm-macvlan/takeover-lan/before-address.json
ip -j route > /run/swarm-macvlan/takeover-lan/before-route.json
ip -4 -o address show scope global > /run/swarm-macvlan/takeover-lan/addresses
ip -4 route show table main > /run/swarm-macvlan/takeover-lan/routes
ip -4 -o address show scope global | address_record with-device > /run/swarm-macvlan/takeover-lan/snapshot
if [ -d /var/lib/swarm-macvlan/takeover-lan ]; then cp -a /var/lib/swarm-macvlan/takeover-lan /run/swarm-macvlan/takeover-lan/state; fi
printf '%s' 'set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
address_record() { awk -v dev="${1:-}" '\''{ s = $4; for (i = 5; i < NF; i++) if ($i == "metric" || $i == "brd" || $i == "scope") s = s " " $i " " $(i + 1); for (i = 5; i <= NF; i++) if ($i == "noprefixroute" || $i == "nodad") s = s " " $i; print (dev == "" ? s : $2 " " s) }'\''; }
put_address() {
  d=$1; shift
  have=$(ip -o address show dev "$d" | awk -v a="$1" '\''$4 == a'\'' | address_record)
  [ "$have" != "$*" ] || return 0
  [ -z "$have" ] || ip address del "$1" dev "$d"
  ip address add "$@" dev "$d"
}
mac_of() { ip -o link show dev "$1" | sed -n '\''s/.* link\/ether \([0-9a-f:]*\) .*/\1/p'\''; }
replay_routes() {
  { grep '\'' scope link'\'' "$1" || true; grep -v '\'' scope link'\'' "$1" || true; } | sed '\''s/ linkdown//; s/ dead//'\'' | while read -r r; do ip route replace $r ${2:+dev "$2"}; done
}
if ! link=$(ip -d -o link show dev eth0 2>&1); then
  case "$link" in
    *'\''does not exist'\''*|*'\''Cannot find device'\''*) fail '\''parent interface eth0 does not exist on node1'\'' ;;
    *) fail '\''cannot tell whether interface eth0 exists on node1:'\'' "$link" ;;
  esac
fi
if ip link show dev shim-lan >/dev/null 2>&1; then
  [ "$(ip -o link show dev shim-lan 2>/dev/null | sed -n '\''s/.*\\ *alias \([^\\]*\).*/\1/p'\'')" = swarm-macvlan:lan ] || fail '\''interface shim-lan exists on node1 but was not made by swarm-macvlan; remove it or set shimName'\''
fi
if [ ! -s /var/lib/swarm-macvlan/takeover-lan/addresses ]; then
  now=$(ip -4 -o address show dev eth0 scope global)
  [ -n "$now" ] || fail '\''eth0 on node1 has no IPv4 address to take over (and none is recorded in /var/lib/swarm-macvlan/takeover-lan)'\''
  case "$now" in *'\'' dynamic '\''*) fail '\''eth0 on node1 has an address from DHCP (dynamic): its DHCP client would put it back on eth0; give node1 a static address first'\'' ;; esac
  mkdir -p /var/lib/swarm-macvlan/takeover-lan
  ip -4 route show table main dev eth0 | sed '\''s/ linkdown//; s/ dead//'\'' > /var/lib/swarm-macvlan/takeover-lan/routes
  ip -6 -o address show dev eth0 scope global permanent | awk '\''{ print $4 }'\'' > /var/lib/swarm-macvlan/takeover-lan/ipv6
  ip -6 route show default dev eth0 | awk '\''{ for (i = 1; i < NF; i++) if ($i == "via") { print $(i + 1); exit } }'\'' > /var/lib/swarm-macvlan/takeover-lan/gateway6
  ip -6 -o address show dev eth0 scope global permanent | address_record > /var/lib/swarm-macvlan/takeover-lan/addresses6
  ip -6 route show table main dev eth0 | awk '\''$1 !~ /^(fe80|ff[0-9a-f][0-9a-f]):/ && !/ expires / && !/ proto ra /'\'' | sed '\''s/ linkdown//; s/ dead//'\'' > /var/lib/swarm-macvlan/takeover-lan/routes6
  printf '\''%s\n'\'' "$now" | address_record > /var/lib/swarm-macvlan/takeover-lan/addresses.tmp
  mv -f /var/lib/swarm-macvlan/takeover-lan/addresses.tmp /var/lib/swarm-macvlan/takeover-lan/addresses
fi
if [ ! -s /var/lib/swarm-macvlan/takeover-lan/mac ]; then
  if ip link show dev shim-lan >/dev/null 2>&1; then mac_of shim-lan; else printf '\''swarm-macvlan takeover\n%s\n%s\n%s\n'\'' lan node1 "$(cat /etc/machine-id 2>/dev/null || true) $(mac_of eth0)" | sha256sum | cut -c1-10 | sed '\''s/../:&/g; s/^/02/'\''; fi > /var/lib/swarm-macvlan/takeover-lan/mac.tmp
  mv -f /var/lib/swarm-macvlan/takeover-lan/mac.tmp /var/lib/swarm-macvlan/takeover-lan/mac
fi
mac=$(cat /var/lib/swarm-macvlan/takeover-lan/mac)
case "$mac" in 02:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]) ;; *) fail '\''the MAC recorded in /var/lib/swarm-macvlan/takeover-lan/mac on node1 is not a locally administered MAC:'\'' "$mac" ;; esac
if ! ip link show dev shim-lan >/dev/null 2>&1; then
  ip link add shim-lan link eth0 address "$mac" type macvlan mode bridge
  ip link set dev shim-lan alias swarm-macvlan:lan
fi
ip link set dev shim-lan address "$mac" 2>/dev/null || { ip link set dev shim-lan down; ip link set dev shim-lan address "$mac"; }
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
  else gw=$(ip -4 route show default dev shim-lan | awk '\''{ print $3; exit }'\''); [ -z "$gw" ] || ping -c 1 -W 1 -I shim-lan "$gw" >/dev/null 2>&1 || true
  fi
done < /var/lib/swarm-macvlan/takeover-lan/addresses
if [ -s /var/lib/swarm-macvlan/takeover-lan/addresses6 ]; then while read -r a rest; do put_address eth0 "$a" $rest; done < /var/lib/swarm-macvlan/takeover-lan/addresses6; fi
if [ -s /var/lib/swarm-macvlan/takeover-lan/routes6 ]; then { grep -v '\'' via '\'' /var/lib/swarm-macvlan/takeover-lan/routes6 || true; grep '\'' via '\'' /var/lib/swarm-macvlan/takeover-lan/routes6 || true; } | while read -r r; do ip -6 route replace $r dev eth0; done; fi
' > /run/swarm-macvlan/takeover-lan/apply.sh
printf '%s' 'set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
address_record() { awk -v dev="${1:-}" '\''{ s = $4; for (i = 5; i < NF; i++) if ($i == "metric" || $i == "brd" || $i == "scope") s = s " " $i " " $(i + 1); for (i = 5; i <= NF; i++) if ($i == "noprefixroute" || $i == "nodad") s = s " " $i; print (dev == "" ? s : $2 " " s) }'\''; }
put_address() {
  d=$1; shift
  have=$(ip -o address show dev "$d" | awk -v a="$1" '\''$4 == a'\'' | address_record)
  [ "$have" != "$*" ] || return 0
  [ -z "$have" ] || ip address del "$1" dev "$d"
  ip address add "$@" dev "$d"
}
mac_of() { ip -o link show dev "$1" | sed -n '\''s/.* link\/ether \([0-9a-f:]*\) .*/\1/p'\''; }
replay_routes() {
  { grep '\'' scope link'\'' "$1" || true; grep -v '\'' scope link'\'' "$1" || true; } | sed '\''s/ linkdown//; s/ dead//'\'' | while read -r r; do ip route replace $r ${2:+dev "$2"}; done
}
g=${1:?the guard directory}
if [ -s "$g/state/addresses" ]; then
  mkdir -p /var/lib/swarm-macvlan/takeover-lan
  if [ -s "$g/state/mac" ]; then cp -f "$g/state/mac" /var/lib/swarm-macvlan/takeover-lan/mac; fi
  mac=$(cat /var/lib/swarm-macvlan/takeover-lan/mac)
  case "$mac" in 02:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]) ;; *) fail '\''the MAC recorded in /var/lib/swarm-macvlan/takeover-lan/mac on node1 is not a locally administered MAC:'\'' "$mac" ;; esac
  if ! ip link show dev shim-lan >/dev/null 2>&1; then
    ip link add shim-lan link eth0 address "$mac" type macvlan mode bridge
    ip link set dev shim-lan alias swarm-macvlan:lan
  fi
  ip link set dev shim-lan address "$mac" 2>/dev/null || { ip link set dev shim-lan down; ip link set dev shim-lan address "$mac"; }
  ip link set dev shim-lan up
  exit 0
fi
if [ ! -s /var/lib/swarm-macvlan/takeover-lan/addresses ] && ip link show dev shim-lan >/dev/null 2>&1 && [ "$(ip -o link show dev shim-lan 2>/dev/null | sed -n '\''s/.*\\ *alias \([^\\]*\).*/\1/p'\'')" = swarm-macvlan:lan ] && [ -n "$(ip -4 -o address show dev shim-lan scope global)" ]; then
  fail '\''shim-lan on node1 holds the host'\''\'\'''\''s IPv4 address and nothing is recorded in /var/lib/swarm-macvlan/takeover-lan to say where it belongs; refused, nothing changed: move the address to eth0 by hand (ip address add ... dev eth0), then run again'\''
fi
if [ -s /var/lib/swarm-macvlan/takeover-lan/addresses ]; then
  if ! link=$(ip -d -o link show dev eth0 2>&1); then
    case "$link" in
      *'\''does not exist'\''*|*'\''Cannot find device'\''*) fail '\''cannot move the host'\''\'\'''\''s address back: eth0 does not exist on node1'\'' ;;
      *) fail '\''cannot tell whether interface eth0 exists on node1:'\'' "$link" ;;
    esac
  fi
  ip link set dev eth0 up
  while read -r a rest; do put_address eth0 "$a" $rest; done < /var/lib/swarm-macvlan/takeover-lan/addresses
fi
if ! link=$(ip -d -o link show dev shim-lan 2>&1); then
  case "$link" in
    *'\''does not exist'\''*|*'\''Cannot find device'\''*) : ;;
    *) fail '\''cannot tell whether interface shim-lan exists on node1:'\'' "$link" ;;
  esac
fi
if ip link show dev shim-lan >/dev/null 2>&1 && [ "$(ip -o link show dev shim-lan 2>/dev/null | sed -n '\''s/.*\\ *alias \([^\\]*\).*/\1/p'\'')" = swarm-macvlan:lan ]; then ip link delete dev shim-lan; fi
if [ -s /var/lib/swarm-macvlan/takeover-lan/addresses ]; then
  replay_routes /var/lib/swarm-macvlan/takeover-lan/routes eth0
  while read -r a rest; do
    if command -v arping >/dev/null 2>&1; then arping -U -c 2 -I eth0 "${a%/*}" >/dev/null 2>&1 || true
    elif busybox arping -h 2>&1 | grep -q Unsolicited; then busybox arping -U -c 2 -I eth0 "${a%/*}" >/dev/null 2>&1 || true
    else gw=$(ip -4 route show default dev eth0 | awk '\''{ print $3; exit }'\''); [ -z "$gw" ] || ping -c 1 -W 1 -I eth0 "$gw" >/dev/null 2>&1 || true
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
' > /run/swarm-macvlan/takeover-lan/undo.sh
printf '%s' 'set -u
address_record() { awk -v dev="${1:-}" '\''{ s = $4; for (i = 5; i < NF; i++) if ($i == "metric" || $i == "brd" || $i == "scope") s = s " " $i " " $(i + 1); for (i = 5; i <= NF; i++) if ($i == "noprefixroute" || $i == "nodad") s = s " " $i; print (dev == "" ? s : $2 " " s) }'\''; }
put_address() {
  d=$1; shift
  have=$(ip -o address show dev "$d" | awk -v a="$1" '\''$4 == a'\'' | address_record)
  [ "$have" != "$*" ] || return 0
  [ -z "$have" ] || ip address del "$1" dev "$d"
  ip address add "$@" dev "$d"
}
mac_of() { ip -o link show dev "$1" | sed -n '\''s/.* link\/ether \([0-9a-f:]*\) .*/\1/p'\''; }
replay_routes() {
  { grep '\'' scope link'\'' "$1" || true; grep -v '\'' scope link'\'' "$1" || true; } | sed '\''s/ linkdown//; s/ dead//'\'' | while read -r r; do ip route replace $r ${2:+dev "$2"}; done
}
mkdir /run/swarm-macvlan/takeover-lan/decided 2>/dev/null || exit 0
sh /run/swarm-macvlan/takeover-lan/undo.sh /run/swarm-macvlan/takeover-lan || true
rm -rf /var/lib/swarm-macvlan/takeover-lan
if [ -d /run/swarm-macvlan/takeover-lan/state ]; then cp -a /run/swarm-macvlan/takeover-lan/state /var/lib/swarm-macvlan/takeover-lan; fi
while read -r d a rest; do put_address "$d" "$a" $rest 2>/dev/null || true; done < /run/swarm-macvlan/takeover-lan/snapshot
replay_routes /run/swarm-macvlan/takeover-lan/routes 2>/dev/null
date +%s > /run/swarm-macvlan/takeover-lan/rolled-back
' > /run/swarm-macvlan/takeover-lan/rollback.sh
systemd-run --quiet --unit=swarm-macvlan-rollback-takeover-lan --on-active=60 --timer-property=AccuracySec=1s --timer-property=RemainAfterElapse=no /bin/sh /run/swarm-macvlan/takeover-lan/rollback.sh
date +%s%N > /run/swarm-macvlan/takeover-lan/armed
if systemd-run --quiet --wait --collect --unit=swarm-macvlan-apply-takeover-lan --property=StandardOutput=file:/run/swarm-macvlan/takeover-lan/apply.log /bin/sh /run/swarm-macvlan/takeover-lan/apply.sh; then
  cat /run/swarm-macvlan/takeover-lan/apply.log
  echo "swarm-macvlan: armed $(cat /run/swarm-macvlan/takeover-lan/armed): confirm takeover of eth0 by shim-lan over a new SSH connection within 60 s"
else
  cat /run/swarm-macvlan/takeover-lan/apply.log >&2
  systemctl stop swarm-macvlan-rollback-takeover-lan.timer 2>/dev/null || true
  sh /run/swarm-macvlan/takeover-lan/rollback.sh
  ip -4 -o address show scope global | awk '{ print $2, $4 }' > /run/swarm-macvlan/takeover-lan/after-addresses
  ip -4 route show table main | sed 's/ linkdown//; s/ dead//' > /run/swarm-macvlan/takeover-lan/after-routes
  missing=$(awk '{ print $2, $4 }' /run/swarm-macvlan/takeover-lan/addresses | grep -vxF -f /run/swarm-macvlan/takeover-lan/after-addresses | sed 's/^/address /' | tr '\n' ';' || true)
  missing="$missing$(sed 's/ linkdown//; s/ dead//' /run/swarm-macvlan/takeover-lan/routes | grep -vxF -f /run/swarm-macvlan/takeover-lan/after-routes | sed 's/^/route /' | tr '\n' ';' || true)"
  if [ -z "$missing" ]; then came='every address and route came back'; else came="did not come back: $missing"; fi
  fail 'takeover of eth0 by shim-lan on node1 failed and was rolled back;' "$came"
fi
