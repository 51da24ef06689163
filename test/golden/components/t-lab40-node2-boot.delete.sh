set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if [ -d /run/systemd/system ] && [ -e /etc/systemd/system/swarm-macvlan-lab40.service ]; then systemctl disable swarm-macvlan-lab40.service; fi
rm -f /usr/local/lib/swarm-macvlan/lab40/10-vlan.sh /usr/local/lib/swarm-macvlan/lab40/20-shim.sh /etc/systemd/system/swarm-macvlan-lab40.service /etc/systemd/network/00-swarm-macvlan-lab40.network /etc/NetworkManager/conf.d/swarm-macvlan-lab40.conf /etc/systemd/network/00-swarm-macvlan-lab40-parent.network /etc/NetworkManager/conf.d/swarm-macvlan-lab40-parent.conf
if [ -d /usr/local/lib/swarm-macvlan/lab40 ]; then rmdir /usr/local/lib/swarm-macvlan/lab40; fi
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  if [ ! -s /var/lib/swarm-macvlan/takeover-lab40/addresses ]; then
    if [ -d /etc/systemd/network ] && systemctl is-active --quiet systemd-networkd; then networkctl reload; fi
    if [ -d /etc/NetworkManager/conf.d ] && systemctl is-active --quiet NetworkManager; then nmcli general reload conf; fi
  else
    : > /var/lib/swarm-macvlan/takeover-lab40/reload-managers
  fi
fi
