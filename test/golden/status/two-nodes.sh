set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if out=$(docker network inspect -f '{{range $id, $c := .Containers}}{{$c.Name}}|{{$c.IPv4Address}}|{{$c.IPv6Address}}{{"\n"}}{{end}}' swarm-v40_net 2>&1); then
  printf '%s\n' "$out" | while IFS='|' read -r name v4 v6; do
    [ -n "$name" ] || continue
    svc=$(docker inspect -f '{{index .Config.Labels "com.docker.swarm.service.name"}}' "$name" 2>/dev/null || true)
    printf '%s|%s|%s|%s|%s\n' swarm-v40_net "$name" "$svc" "$v4" "$v6"
  done
else
  case "$out" in *'No such network'*|*'not found'*) ;; *) fail 'cannot read docker network swarm-v40_net:' "$out" ;; esac
fi
