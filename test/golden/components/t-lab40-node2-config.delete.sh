set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
docker network inspect lab40_net >/dev/null 2>&1 || exit 0
[ "$(docker network inspect -f '{{index .Labels "swarm-macvlan.network"}}' lab40_net)" = lab40 ] || exit 0
deadline=$(( $(date +%s) + 90 ))
until out=$(docker network rm lab40_net 2>&1); do
  case "$out" in
    *'No such network'*|*'not found'*) exit 0 ;;
    *'in use'*) ;;
    *) echo "$out" >&2; exit 1 ;;
  esac
  [ "$(date +%s)" -lt "$deadline" ] || fail "$out"'; a swarm network made --config-from it still exists'
  sleep 2
done
