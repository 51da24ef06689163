set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if [ -d /run/systemd/system ]; then systemctl disable swarm-macvlan-lab40.service 2>/dev/null || true; fi
rm -f /usr/local/lib/swarm-macvlan/lab40/10-vlan.sh /usr/local/lib/swarm-macvlan/lab40/20-shim.sh /etc/systemd/system/swarm-macvlan-lab40.service /etc/systemd/network/00-swarm-macvlan-lab40.network /etc/NetworkManager/conf.d/swarm-macvlan-lab40.conf
rmdir /usr/local/lib/swarm-macvlan/lab40 2>/dev/null || true
if [ -d /run/systemd/system ]; then systemctl daemon-reload; if [ -d /etc/systemd/network ]; then networkctl reload 2>/dev/null || true; fi; if [ -d /etc/NetworkManager/conf.d ]; then nmcli general reload conf 2>/dev/null || true; fi; fi
