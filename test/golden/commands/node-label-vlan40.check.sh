set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! label=$(docker node inspect -f '{{index .Spec.Labels "swarm-macvlan.vlan40"}}' x1bm7v2f3j9q0w8e5r4t6y2u1 2>&1); then
  case "$label" in
    *'node x1bm7v2f3j9q0w8e5r4t6y2u1 not found'*) echo 'node label swarm-macvlan.vlan40 of worker1: node x1bm7v2f3j9q0w8e5r4t6y2u1 is not in the swarm'; exit 0 ;;
    *) fail 'cannot read the labels of node worker1 (x1bm7v2f3j9q0w8e5r4t6y2u1) on manager1:' "$label" ;;
  esac
fi
[ "$label" != '<no value>' ] || label=''
[ "$label" = true ] || echo 'node label swarm-macvlan.vlan40 of worker1: is '"${label:-(none)}"', the plan says true'
