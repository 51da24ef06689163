set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! link=$(ip -d -o link show dev shim-lab40 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) exit 0 ;;
    *) fail 'cannot tell whether interface shim-lab40 exists on node1:' "$link" ;;
  esac
fi
if [ "$(ip -o link show dev shim-lab40 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:lab40 ]; then ip link delete dev shim-lab40; fi
