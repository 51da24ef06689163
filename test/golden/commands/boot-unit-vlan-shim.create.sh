set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
[ -d /run/systemd/system ] || fail 'manager1 does not run systemd: the unit that restores network vlan40'\''s host state at boot needs it (set persist: false to manage runtime state only)'
mkdir -p /usr/local/lib/swarm-macvlan/vlan40
printf '%s' 'set -eu
echo vlan
' > /usr/local/lib/swarm-macvlan/vlan40/10-vlan.sh.tmp
mv -f /usr/local/lib/swarm-macvlan/vlan40/10-vlan.sh.tmp /usr/local/lib/swarm-macvlan/vlan40/10-vlan.sh
printf '%s' 'set -eu
echo '\''shim'\''
' > /usr/local/lib/swarm-macvlan/vlan40/20-shim.sh.tmp
mv -f /usr/local/lib/swarm-macvlan/vlan40/20-shim.sh.tmp /usr/local/lib/swarm-macvlan/vlan40/20-shim.sh
printf '%s' '# Made by swarm-macvlan for network vlan40; it removes this file when the network goes.
[Unit]
Description=swarm-macvlan: host state of network vlan40 (bond0.40, shim-vlan40)
Before=docker.service
BindsTo=sys-subsystem-net-devices-bond0.device
After=sys-subsystem-net-devices-bond0.device

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh /usr/local/lib/swarm-macvlan/vlan40/10-vlan.sh
ExecStart=/bin/sh /usr/local/lib/swarm-macvlan/vlan40/20-shim.sh

[Install]
WantedBy=multi-user.target
' > /etc/systemd/system/swarm-macvlan-vlan40.service.tmp
mv -f /etc/systemd/system/swarm-macvlan-vlan40.service.tmp /etc/systemd/system/swarm-macvlan-vlan40.service
if [ -d /etc/systemd/network ]; then
  printf '%s' '# Made by swarm-macvlan for network vlan40; it removes this file when the network goes.
[Match]
Name=bond0.40 shim-vlan40

[Link]
Unmanaged=yes
' > /etc/systemd/network/00-swarm-macvlan-vlan40.network.tmp
  mv -f /etc/systemd/network/00-swarm-macvlan-vlan40.network.tmp /etc/systemd/network/00-swarm-macvlan-vlan40.network
fi
if [ -d /etc/NetworkManager/conf.d ]; then
  printf '%s' '# Made by swarm-macvlan for network vlan40; it removes this file when the network goes.
[keyfile]
unmanaged-devices+=interface-name:bond0.40;interface-name:shim-vlan40
' > /etc/NetworkManager/conf.d/swarm-macvlan-vlan40.conf.tmp
  mv -f /etc/NetworkManager/conf.d/swarm-macvlan-vlan40.conf.tmp /etc/NetworkManager/conf.d/swarm-macvlan-vlan40.conf
fi
rm -f /etc/systemd/network/00-swarm-macvlan-vlan40-parent.network /etc/NetworkManager/conf.d/swarm-macvlan-vlan40-parent.conf
systemctl daemon-reload
if [ ! -s /var/lib/swarm-macvlan/takeover-vlan40/addresses ]; then
  if [ -d /etc/systemd/network ] && systemctl is-active --quiet systemd-networkd; then networkctl reload; fi
  if [ -d /etc/NetworkManager/conf.d ] && systemctl is-active --quiet NetworkManager; then nmcli general reload conf; fi
else
  : > /var/lib/swarm-macvlan/takeover-vlan40/reload-managers
fi
systemctl enable swarm-macvlan-vlan40.service 2>/dev/null
systemctl restart swarm-macvlan-vlan40.service
