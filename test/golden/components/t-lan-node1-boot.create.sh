set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
[ -d /run/systemd/system ] || fail 'node1 does not run systemd: the unit that restores network lan'\''s host state at boot needs it (set persist: false to manage runtime state only)'
mkdir -p /usr/local/lib/swarm-macvlan/lan
printf '%s' 'set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! link=$(ip -d -o link show dev eth0 2>&1); then
  case "$link" in
    *'\''does not exist'\''*|*'\''Cannot find device'\''*) fail '\''parent interface eth0 does not exist on node1'\'' ;;
    *) fail '\''cannot tell whether interface eth0 exists on node1:'\'' "$link" ;;
  esac
fi
if [ ! -e /var/lib/swarm-macvlan/promisc-eth0 ]; then
  mkdir -p /var/lib/swarm-macvlan
  if printf '\''%s\n'\'' "$link" | grep -q '\''[<,]PROMISC[,>]'\''; then echo on; else echo off; fi > /var/lib/swarm-macvlan/promisc-eth0
fi
ip link set dev eth0 promisc on
ip link set dev eth0 up
' > /usr/local/lib/swarm-macvlan/lan/10-promisc.sh.tmp
mv -f /usr/local/lib/swarm-macvlan/lan/10-promisc.sh.tmp /usr/local/lib/swarm-macvlan/lan/10-promisc.sh
printf '%s' 'set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
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
  ip -4 route show table main dev eth0 | { grep -v '\'' proto kernel '\'' || true; } | sed '\''s/ linkdown//; s/ dead//'\'' > /var/lib/swarm-macvlan/takeover-lan/routes
  printf '\''%s\n'\'' "$now" | awk '\''{ s = $4; for (i = 5; i <= NF; i++) { if ($i == "brd" || $i == "scope") s = s " " $i " " $(i + 1); if ($i == "noprefixroute") s = s " noprefixroute" } print s }'\'' > /var/lib/swarm-macvlan/takeover-lan/addresses.tmp
  mv -f /var/lib/swarm-macvlan/takeover-lan/addresses.tmp /var/lib/swarm-macvlan/takeover-lan/addresses
fi
if ! ip link show dev shim-lan >/dev/null 2>&1; then
  ip link add shim-lan link eth0 address 02:1e:8a:f8:9a:ba type macvlan mode bridge
  ip link set dev shim-lan alias swarm-macvlan:lan
fi
ip link set dev shim-lan address 02:1e:8a:f8:9a:ba 2>/dev/null || { ip link set dev shim-lan down; ip link set dev shim-lan address 02:1e:8a:f8:9a:ba; }
ip link set dev eth0 up
ip link set dev shim-lan up
while read -r a rest; do ip address replace "$a" $rest dev shim-lan; done < /var/lib/swarm-macvlan/takeover-lan/addresses
while read -r a rest; do
  if ip -4 -o address show dev eth0 | grep -qF " $a "; then ip address del "$a" dev eth0; fi
done < /var/lib/swarm-macvlan/takeover-lan/addresses
while read -r r; do
  ip route replace $r dev shim-lan
done < /var/lib/swarm-macvlan/takeover-lan/routes
while read -r a rest; do
  if command -v arping >/dev/null 2>&1; then arping -U -c 2 -I shim-lan "${a%/*}" >/dev/null 2>&1 || true
  elif busybox arping -h 2>&1 | grep -q Unsolicited; then busybox arping -U -c 2 -I shim-lan "${a%/*}" >/dev/null 2>&1 || true
  else gw=$(ip -4 route show default dev shim-lan | awk '\''{ print $3; exit }'\''); [ -z "$gw" ] || ping -c 1 -W 1 -I shim-lan "$gw" >/dev/null 2>&1 || true
  fi
done < /var/lib/swarm-macvlan/takeover-lan/addresses
' > /usr/local/lib/swarm-macvlan/lan/20-takeover.sh.tmp
mv -f /usr/local/lib/swarm-macvlan/lan/20-takeover.sh.tmp /usr/local/lib/swarm-macvlan/lan/20-takeover.sh
printf '%s' '# Made by swarm-macvlan for network lan; it removes this file when the network goes.
[Unit]
Description=swarm-macvlan: host state of network lan (shim-lan)
Before=docker.service
BindsTo=sys-subsystem-net-devices-eth0.device
After=sys-subsystem-net-devices-eth0.device

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh /usr/local/lib/swarm-macvlan/lan/10-promisc.sh
ExecStart=/bin/sh /usr/local/lib/swarm-macvlan/lan/20-takeover.sh

[Install]
WantedBy=multi-user.target
' > /etc/systemd/system/swarm-macvlan-lan.service.tmp
mv -f /etc/systemd/system/swarm-macvlan-lan.service.tmp /etc/systemd/system/swarm-macvlan-lan.service
if [ -d /etc/systemd/network ]; then
  printf '%s' '# Made by swarm-macvlan for network lan; it removes this file when the network goes.
[Match]
Name=shim-lan

[Link]
Unmanaged=yes
' > /etc/systemd/network/00-swarm-macvlan-lan.network.tmp
  mv -f /etc/systemd/network/00-swarm-macvlan-lan.network.tmp /etc/systemd/network/00-swarm-macvlan-lan.network
fi
if [ -d /etc/systemd/network ]; then
  printf '%s' '# Made by swarm-macvlan for network lan; it removes this file when the network goes.
[Match]
Name=eth0

[Link]
RequiredForOnline=carrier

[Network]
# No address: the host'\''s moved to the takeover interface on eth0.
' > /etc/systemd/network/00-swarm-macvlan-lan-parent.network.tmp
  mv -f /etc/systemd/network/00-swarm-macvlan-lan-parent.network.tmp /etc/systemd/network/00-swarm-macvlan-lan-parent.network
fi
if [ -d /etc/NetworkManager/conf.d ]; then
  printf '%s' '# Made by swarm-macvlan for network lan; it removes this file when the network goes.
[keyfile]
unmanaged-devices+=interface-name:shim-lan;interface-name:eth0
' > /etc/NetworkManager/conf.d/swarm-macvlan-lan.conf.tmp
  mv -f /etc/NetworkManager/conf.d/swarm-macvlan-lan.conf.tmp /etc/NetworkManager/conf.d/swarm-macvlan-lan.conf
fi
systemctl daemon-reload
if [ -d /etc/systemd/network ]; then networkctl reload 2>/dev/null || true; fi
if [ -d /etc/NetworkManager/conf.d ]; then nmcli general reload conf 2>/dev/null || true; fi
systemctl enable swarm-macvlan-lan.service 2>/dev/null
systemctl restart swarm-macvlan-lan.service
