set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if docker network inspect macvlanswarm >/dev/null 2>&1; then
  [ "$(docker network inspect -f '{{.Driver}} {{.Scope}} {{.ConfigFrom.Network}}' macvlanswarm)" = 'macvlan swarm macvlanconf' ] || fail 'docker network macvlanswarm exists but is not a swarm macvlan network made --config-from macvlanconf; remove it or set swarmNetworkName'
else
  docker network create -d macvlan --scope swarm --config-from macvlanconf macvlanswarm >/dev/null
fi
