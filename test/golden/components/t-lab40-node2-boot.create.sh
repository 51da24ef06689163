set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
[ -d /run/systemd/system ] || fail 'node2 does not run systemd: the unit that restores network lab40'\''s host state at boot needs it (set persist: false to manage runtime state only)'
mkdir -p /usr/local/lib/swarm-macvlan/lab40
printf '%s' 'set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
ip link show dev eth1 >/dev/null 2>&1 || fail '\''trunk interface eth1 does not exist on node2'\''
if ! link=$(ip -d -o link show dev eth1.40 2>&1); then
  case "$link" in
    *'\''does not exist'\''*|*'\''Cannot find device'\''*) link='\'''\'' ;;
    *) fail '\''cannot tell whether interface eth1.40 exists on node2:'\'' "$link" ;;
  esac
fi
if [ -n "$link" ]; then
  { printf '\''%s\n'\'' "$link" | grep -qF eth1.40@eth1: && printf '\''%s\n'\'' "$link" | grep -qF '\'' vlan protocol 802.1Q id 40 '\''; } || fail '\''eth1.40 exists on node2 but is not VLAN 40 on eth1; remove or rename it'\''
else
  ip link add link eth1 name eth1.40 type vlan id 40 || fail '\''cannot create 802.1Q interface eth1.40 on node2: is the 8021q kernel module available? (modprobe 8021q)'\''
  ip link set dev eth1.40 alias swarm-macvlan:lab40
fi
ip link set dev eth1 up
ip link set dev eth1.40 promisc on
ip link set dev eth1.40 up
' > /usr/local/lib/swarm-macvlan/lab40/10-vlan.sh.tmp
mv -f /usr/local/lib/swarm-macvlan/lab40/10-vlan.sh.tmp /usr/local/lib/swarm-macvlan/lab40/10-vlan.sh
printf '%s' 'set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
client=${SSH_CLIENT:-}; client=${client%% *}; client=${client#::ffff:}
case "$client" in
  *.*.*.*) n=$(printf '\''%s\n'\'' "$client" | awk -F. '\''{ printf "%.0f", $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }'\'')
    if [ "$n" -ge 181797376 ] && [ "$n" -le 181797631 ]; then
      fail '\''route 10.214.2.0/24 through shim shim-lab40 on node2 would capture the address this SSH session comes from,'\'' "$client;" '\''refused before anything changed: pin node2 a range that does not hold it, or exclude it'\''
    fi ;;
esac
if ip link show dev shim-lab40 >/dev/null 2>&1; then
  [ "$(ip -o link show dev shim-lab40 2>/dev/null | sed -n '\''s/.*\\ *alias \([^\\]*\).*/\1/p'\'')" = swarm-macvlan:lab40 ] || fail '\''interface shim-lab40 exists on node2 but was not made by swarm-macvlan; remove it or set shimName'\''
else
  ip link add shim-lab40 link eth1.40 type macvlan mode bridge
  ip link set dev shim-lab40 alias swarm-macvlan:lab40
fi
ip address replace 10.214.2.254/32 dev shim-lab40
ip link set dev shim-lab40 up
ip route replace 10.214.2.0/24 dev shim-lab40
' > /usr/local/lib/swarm-macvlan/lab40/20-shim.sh.tmp
mv -f /usr/local/lib/swarm-macvlan/lab40/20-shim.sh.tmp /usr/local/lib/swarm-macvlan/lab40/20-shim.sh
printf '%s' '# Made by swarm-macvlan for network lab40; it removes this file when the network goes.
[Unit]
Description=swarm-macvlan: host state of network lab40 (eth1.40, shim-lab40)
Before=docker.service
BindsTo=sys-subsystem-net-devices-eth1.device
After=sys-subsystem-net-devices-eth1.device

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh /usr/local/lib/swarm-macvlan/lab40/10-vlan.sh
ExecStart=/bin/sh /usr/local/lib/swarm-macvlan/lab40/20-shim.sh

[Install]
WantedBy=multi-user.target
' > /etc/systemd/system/swarm-macvlan-lab40.service.tmp
mv -f /etc/systemd/system/swarm-macvlan-lab40.service.tmp /etc/systemd/system/swarm-macvlan-lab40.service
if [ -d /etc/systemd/network ]; then
  printf '%s' '# Made by swarm-macvlan for network lab40; it removes this file when the network goes.
[Match]
Name=eth1.40 shim-lab40

[Link]
Unmanaged=yes
' > /etc/systemd/network/00-swarm-macvlan-lab40.network.tmp
  mv -f /etc/systemd/network/00-swarm-macvlan-lab40.network.tmp /etc/systemd/network/00-swarm-macvlan-lab40.network
fi
if [ -d /etc/NetworkManager/conf.d ]; then
  printf '%s' '# Made by swarm-macvlan for network lab40; it removes this file when the network goes.
[keyfile]
unmanaged-devices+=interface-name:eth1.40;interface-name:shim-lab40
' > /etc/NetworkManager/conf.d/swarm-macvlan-lab40.conf.tmp
  mv -f /etc/NetworkManager/conf.d/swarm-macvlan-lab40.conf.tmp /etc/NetworkManager/conf.d/swarm-macvlan-lab40.conf
fi
rm -f /etc/systemd/network/00-swarm-macvlan-lab40-parent.network /etc/NetworkManager/conf.d/swarm-macvlan-lab40-parent.conf
systemctl daemon-reload
if [ ! -s /var/lib/swarm-macvlan/takeover-lab40/addresses ]; then
  if [ -d /etc/systemd/network ] && systemctl is-active --quiet systemd-networkd; then networkctl reload; fi
  if [ -d /etc/NetworkManager/conf.d ] && systemctl is-active --quiet NetworkManager; then nmcli general reload conf; fi
else
  : > /var/lib/swarm-macvlan/takeover-lab40/reload-managers
fi
systemctl enable swarm-macvlan-lab40.service 2>/dev/null
systemctl restart swarm-macvlan-lab40.service
