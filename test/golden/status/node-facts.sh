set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
printf 'id|%s\n' "$(docker info -f '{{.Swarm.NodeID}}' 2>/dev/null || true)"
if docker network inspect v40_net >/dev/null 2>&1; then printf 'config|%s\n' v40_net; fi
