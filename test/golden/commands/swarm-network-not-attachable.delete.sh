set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! actual=$(docker network inspect -f 'driver={{.Driver}}
scope={{.Scope}}
configFrom={{.ConfigFrom.Network}}
attachable={{.Attachable}}' macvlanswarm 2>&1); then
  case "$actual" in
    *'network macvlanswarm not found'*|*'No such network: macvlanswarm'*) exit 0 ;;
    *) fail 'cannot read docker network macvlanswarm on this host:' "$(printf '%s' "$actual" | tr -s '\n' ' ' | sed 's/^ //')" ;;
  esac
fi
diffs=''
expect() { got=$(printf '%s\n' "$actual" | sed -n "s/^$1=//p"); [ "$got" = "$2" ] || diffs="$diffs$1 is ${got:-(none)}, the plan says $2
"; }
joined() { printf '%s' "$diffs" | tr '\n' ';' | sed 's/;$//; s/;/; /g'; }
expect driver macvlan
expect scope swarm
expect configFrom macvlanconf
expect attachable false
[ -z "$diffs" ] || exit 0
deadline=$(( $(date +%s) + 90 ))
until out=$(docker network rm macvlanswarm 2>&1); do
  case "$out" in
    *'network macvlanswarm not found'*|*'No such network: macvlanswarm'*) exit 0 ;;
    *'in use'*) ;;
    *) fail 'cannot remove docker network macvlanswarm on this host:' "$out" ;;
  esac
  case "$out" in *'in use by service'*) sid=${out##*in use by service }; sid=${sid%%[!A-Za-z0-9]*}
    fail 'cannot remove macvlanswarm: it is in use by service '"$(docker service inspect -f '{{.Spec.Name}}' "$sid" 2>/dev/null || echo "$sid")"'; remove the service(s) using macvlanswarm (docker service rm, or docker service update --network-rm macvlanswarm) and run again' ;; esac
  [ "$(date +%s)" -lt "$deadline" ] || fail "$out"'; remove the service(s) using macvlanswarm (docker service rm, or docker service update --network-rm macvlanswarm) and run again'
  sleep 2
done
