set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! actual=$(docker network inspect -f 'driver={{.Driver}}
scope={{.Scope}}
configFrom={{.ConfigFrom.Network}}
attachable={{.Attachable}}' macvlanswarm 2>&1); then
  case "$actual" in
    *'network macvlanswarm not found'*|*'No such network: macvlanswarm'*) echo 'docker network macvlanswarm: missing'; exit 0 ;;
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
printf '%s' "$diffs" | while IFS= read -r d; do printf '%s: %s\n' 'docker network macvlanswarm' "$d"; done
