set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if [ "$(ip -o link show dev shim-macvlan10 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:macvlan10 ]; then ip link delete dev shim-macvlan10; fi
