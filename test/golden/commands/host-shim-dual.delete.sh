set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! link=$(ip -d -o link show dev shim-macvlan10 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) exit 0 ;;
    *) fail 'cannot tell whether interface shim-macvlan10 exists on this host:' "$link" ;;
  esac
fi
if [ "$(ip -o link show dev shim-macvlan10 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:macvlan10 ]; then ip link delete dev shim-macvlan10; fi
