set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if [ "$(ip -o link show dev eth1.40 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:lab40 ]; then ip link delete dev eth1.40; fi
