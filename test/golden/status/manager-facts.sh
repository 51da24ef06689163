set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if id=$(docker network inspect -f '{{.Id}}' swarm-v40_net 2>/dev/null); then printf 'network|%s|%s\n' swarm-v40_net "$id"; fi
nodes=$(docker node ls -q 2>&1) || fail "cannot list the swarm's nodes:" "$nodes"
[ -z "$nodes" ] || docker node inspect -f '{{$id := .ID}}{{range $k, $v := .Spec.Labels}}label|{{$id}}|{{$k}}={{$v}}{{"\n"}}{{end}}' $nodes
services=$(docker service ls -q 2>&1) || fail "cannot list the services:" "$services"
[ -z "$services" ] || docker service inspect -f 'service|{{.Spec.Name}}|{{with .Spec.UpdateConfig}}{{.Order}}{{end}}|{{range .Spec.TaskTemplate.Networks}}{{.Target}} {{end}}|{{with .Spec.TaskTemplate.Placement}}{{range .Constraints}}{{.}};{{end}}{{end}}' $services
