set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! actual=$(docker network inspect -f 'driver={{.Driver}}
scope={{.Scope}}
configFrom={{.ConfigFrom.Network}}
attachable={{.Attachable}}' swarm-lab40_net 2>&1); then
  case "$actual" in
    *'network swarm-lab40_net not found'*|*'No such network: swarm-lab40_net'*) actual='' ;;
    *) fail 'cannot read docker network swarm-lab40_net on node1:' "$(printf '%s' "$actual" | tr -s '\n' ' ' | sed 's/^ //')" ;;
  esac
fi
if [ -z "$actual" ]; then
  docker network create -d macvlan --scope swarm --config-from lab40_net --attachable swarm-lab40_net >/dev/null
  exit 0
fi
diffs=''
expect() { got=$(printf '%s\n' "$actual" | sed -n "s/^$1=//p"); [ "$got" = "$2" ] || diffs="$diffs$1 is ${got:-(none)}, the plan says $2
"; }
joined() { printf '%s' "$diffs" | tr '\n' ';' | sed 's/;$//; s/;/; /g'; }
expect driver macvlan
expect scope swarm
expect configFrom lab40_net
expect attachable true
[ -z "$diffs" ] || fail 'docker network swarm-lab40_net exists (seen from node1) but is not the swarm network the plan makes:' "$(joined)" 'remove it or set swarmNetworkName'
