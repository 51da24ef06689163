set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if [ -d /run/systemd/system ] && [ -e /etc/systemd/system/swarm-macvlan-vlan40.service ]; then systemctl disable swarm-macvlan-vlan40.service; fi
rm -f /usr/local/lib/swarm-macvlan/vlan40/10-vlan.sh /usr/local/lib/swarm-macvlan/vlan40/20-shim.sh /etc/systemd/system/swarm-macvlan-vlan40.service /etc/systemd/network/00-swarm-macvlan-vlan40.network /etc/NetworkManager/conf.d/swarm-macvlan-vlan40.conf /etc/systemd/network/00-swarm-macvlan-vlan40-parent.network /etc/NetworkManager/conf.d/swarm-macvlan-vlan40-parent.conf
if [ -d /usr/local/lib/swarm-macvlan/vlan40 ]; then rmdir /usr/local/lib/swarm-macvlan/vlan40; fi
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  if [ ! -s /var/lib/swarm-macvlan/takeover-vlan40/addresses ]; then
    if [ -d /etc/systemd/network ] && systemctl is-active --quiet systemd-networkd; then networkctl reload; fi
    if [ -d /etc/NetworkManager/conf.d ] && systemctl is-active --quiet NetworkManager; then nmcli general reload conf; fi
  else
    : > /var/lib/swarm-macvlan/takeover-vlan40/reload-managers
  fi
fi
