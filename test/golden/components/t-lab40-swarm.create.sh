set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if docker network inspect swarm-lab40_net >/dev/null 2>&1; then
  [ "$(docker network inspect -f '{{.Driver}} {{.Scope}} {{.ConfigFrom.Network}}' swarm-lab40_net)" = 'macvlan swarm lab40_net' ] || fail 'docker network swarm-lab40_net exists but is not a swarm macvlan network made --config-from lab40_net; remove it or set swarmNetworkName'
else
  docker network create -d macvlan --scope swarm --config-from lab40_net --attachable swarm-lab40_net >/dev/null
fi
