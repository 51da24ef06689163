set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
api=$(docker version -f '{{.Server.APIVersion}}' 2>/dev/null || true)
newapi=$(printf '%s\n' "$api" | awk -F. '{ print ($1 > 1 || ($1 == 1 && $2 >= 52)) ? "yes" : "no" }')
if [ "$newapi" = yes ] && id=$(docker network inspect -f '{{.Id}}' swarm-v40_net 2>/dev/null); then
  st=$(DOCKER_API_VERSION=1.52 docker network inspect -f '{{json .Status}}' "$id" 2>/dev/null) && printf 'ipam|%s|%s\n' swarm-v40_net "$st" || true
fi
if out=$(docker network inspect -f '{{range $id, $c := .Containers}}{{$c.Name}}|{{$c.IPv4Address}}|{{$c.IPv6Address}}{{"\n"}}{{end}}' swarm-v40_net 2>&1); then
  printf '%s\n' "$out" | while IFS='|' read -r name v4 v6; do
    [ -n "$name" ] || continue
    svc=$(docker inspect -f '{{index .Config.Labels "com.docker.swarm.service.name"}}' "$name" 2>/dev/null || true)
    printf '%s|%s|%s|%s|%s\n' swarm-v40_net "$name" "$svc" "$v4" "$v6"
  done
else
  case "$out" in *'network swarm-v40_net not found'*|*'No such network: swarm-v40_net'*) ;; *) fail 'cannot read docker network swarm-v40_net:' "$out" ;; esac
fi
