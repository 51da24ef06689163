set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! link=$(ip -d -o link show dev shim-storage 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) exit 0 ;;
    *) fail 'cannot tell whether interface shim-storage exists on this host:' "$link" ;;
  esac
fi
if [ "$(ip -o link show dev shim-storage 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:storage ]; then ip link delete dev shim-storage; fi
