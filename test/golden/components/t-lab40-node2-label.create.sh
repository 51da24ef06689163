set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! label=$(docker node inspect -f '{{index .Spec.Labels "swarm-macvlan.lab40"}}' idlab40node2 2>&1); then
  case "$label" in
    *'node idlab40node2 not found'*) fail 'node node2 (idlab40node2) is not in the swarm node1 manages; join it (a node that left and joined again has a new ID: pulumi up --replace its -swarm-id resource)' ;;
    *) fail 'cannot read the labels of node node2 (idlab40node2) on node1:' "$label" ;;
  esac
fi
[ "$label" != '<no value>' ] || label=''
[ "$label" = true ] || docker node update --label-add swarm-macvlan.lab40=true idlab40node2 >/dev/null
