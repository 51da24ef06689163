set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! actual=$(docker network inspect -f '{{.Id}}' swarm-vlan40_net 2>&1); then
  case "$actual" in
    *'network swarm-vlan40_net not found'*|*'No such network: swarm-vlan40_net'*) exit 0 ;;
    *) fail 'cannot read docker network swarm-vlan40_net on manager1:' "$(printf '%s' "$actual" | tr -s '\n' ' ' | sed 's/^ //')" ;;
  esac
fi
services=$(docker service ls -q 2>&1) || fail 'cannot list the services on manager1:' "$services"
[ -n "$services" ] || exit 0
found=$(docker service inspect -f '{{.Spec.Name}}{{range .Spec.TaskTemplate.Networks}} {{.Target}}{{end}}' $services 2>&1) || fail 'cannot read the services on manager1:' "$found"
printf '%s\n' "$found" | awk -v "id=$actual" -v name=swarm-vlan40_net '{ for (i = 2; i <= NF; i++) if ($i == id || $i == name) { print $1; break } }' | sort -u
