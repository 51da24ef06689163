set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! label=$(docker node inspect -f '{{index .Spec.Labels "swarm-macvlan.vlan40"}}' x1bm7v2f3j9q0w8e5r4t6y2u1 2>&1); then
  case "$label" in
    *'node x1bm7v2f3j9q0w8e5r4t6y2u1 not found'*) exit 0 ;;
    *) fail 'cannot read the labels of node worker1 (x1bm7v2f3j9q0w8e5r4t6y2u1) on manager1:' "$label" ;;
  esac
fi
[ "$label" != '<no value>' ] || label=''
[ -n "$label" ] || exit 0
n=0
until out=$(docker node update --label-rm swarm-macvlan.vlan40 x1bm7v2f3j9q0w8e5r4t6y2u1 2>&1); do
  case "$out" in
    *'update out of sequence'*) n=$((n + 1)); [ "$n" -lt 10 ] || fail 'node label swarm-macvlan.vlan40 of worker1: the node kept changing under 10 updates:' "$out"; sleep 1 ;;
    *) fail 'cannot update node label swarm-macvlan.vlan40 of worker1 on manager1:' "$out" ;;
  esac
done
