set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
[ "$(docker network inspect -f '{{.Driver}} {{.Scope}} {{.ConfigFrom.Network}}' swarm-lab40_net 2>/dev/null)" = 'macvlan swarm lab40_net' ] || exit 0
deadline=$(( $(date +%s) + 90 ))
until out=$(docker network rm swarm-lab40_net 2>&1); do
  case "$out" in
    *'No such network'*|*'not found'*) exit 0 ;;
    *'in use by service'*) sid=${out##*in use by service }; sid=${sid%%[!A-Za-z0-9]*}
      fail 'cannot remove swarm-lab40_net: it is in use by service '"$(docker service inspect -f '{{.Spec.Name}}' "$sid" 2>/dev/null || echo "$sid")"'; remove the service(s) using swarm-lab40_net (docker service rm, or docker service update --network-rm swarm-lab40_net) and run again' ;;
    *'in use'*) ;;
    *) echo "$out" >&2; exit 1 ;;
  esac
  [ "$(date +%s)" -lt "$deadline" ] || fail "$out"'; remove the service(s) using swarm-lab40_net (docker service rm, or docker service update --network-rm swarm-lab40_net) and run again'
  sleep 2
done
