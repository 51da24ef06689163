set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
state=$(docker info -f '{{.Swarm.LocalNodeState}} {{.Swarm.NodeID}}' 2>&1) || fail 'cannot read the swarm state of worker1:' "$state"
case "$state" in
  'active '?*) printf '%s\n' "${state#active }" ;;
  *) fail 'worker1 is not an active swarm node (docker info says' "$state);" 'join it to the swarm first' ;;
esac
