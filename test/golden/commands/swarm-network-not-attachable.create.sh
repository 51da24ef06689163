set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! actual=$(docker network inspect -f 'driver={{.Driver}}
scope={{.Scope}}
configFrom={{.ConfigFrom.Network}}
attachable={{.Attachable}}' macvlanswarm 2>&1); then
  case "$actual" in
    *'network macvlanswarm not found'*|*'No such network: macvlanswarm'*) actual='' ;;
    *) fail 'cannot read docker network macvlanswarm on this host:' "$(printf '%s' "$actual" | tr -s '\n' ' ' | sed 's/^ //')" ;;
  esac
fi
if [ -z "$actual" ]; then
  docker network create -d macvlan --scope swarm --config-from macvlanconf macvlanswarm >/dev/null
  exit 0
fi
diffs=''
expect() { got=$(printf '%s\n' "$actual" | sed -n "s/^$1=//p"); [ "$got" = "$2" ] || diffs="$diffs$1 is ${got:-(none)}, the plan says $2
"; }
joined() { printf '%s' "$diffs" | tr '\n' ';' | sed 's/;$//; s/;/; /g'; }
expect driver macvlan
expect scope swarm
expect configFrom macvlanconf
expect attachable false
[ -z "$diffs" ] || fail 'docker network macvlanswarm exists (seen from this host) but is not the swarm network the plan makes:' "$(joined)" 'remove it or set swarmNetworkName'
