set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
[ -f /run/swarm-macvlan/takeover-lan/armed ] || fail 'nothing is armed for takeover of eth0 by shim-lan on node1: its apply step did not leave it armed'
if [ -f /run/swarm-macvlan/takeover-lan/rolled-back ]; then
  ip -4 -o address show scope global | awk '{ print $2, $4 }' > /run/swarm-macvlan/takeover-lan/after-addresses
  ip -4 route show table main | sed 's/ linkdown//; s/ dead//' > /run/swarm-macvlan/takeover-lan/after-routes
  missing=$(awk '{ print $2, $4 }' /run/swarm-macvlan/takeover-lan/addresses | grep -vxF -f /run/swarm-macvlan/takeover-lan/after-addresses | sed 's/^/address /' | tr '\n' ';' || true)
  missing="$missing$(sed 's/ linkdown//; s/ dead//' /run/swarm-macvlan/takeover-lan/routes | grep -vxF -f /run/swarm-macvlan/takeover-lan/after-routes | sed 's/^/route /' | tr '\n' ';' || true)"
  if [ -z "$missing" ]; then came='every address and route came back'; else came="did not come back: $missing"; fi
  fail 'takeover of eth0 by shim-lan on node1 was rolled back before it was confirmed;' "$came"
fi
problems=''
state=$(docker info --format '{{.Swarm.LocalNodeState}}' 2>&1) || state="unknown (docker info: $state)"
[ "$state" = active ] || problems="${problems}swarm membership is $state; "
if [ "$(docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null)" = true ]; then
  ready=$(docker node inspect self --format '{{.Status.State}}' 2>&1) || ready="unknown (docker node inspect: $ready)"
  [ "$ready" = ready ] || problems="${problems}the swarm sees this node as $ready; "
fi
gw=$(ip -4 route show default dev shim-lan | awk '{ print $3; exit }')
if [ -n "$gw" ] && ! ping -c 3 -W 2 -I shim-lan "$gw" >/dev/null 2>&1 && ! ip neigh show "$gw" dev shim-lan | grep -qE 'REACHABLE|STALE|DELAY|PERMANENT'; then
  problems="${problems}default gateway $gw does not answer on "shim-lan"; "
fi
if [ -z "$problems" ]; then
  if mkdir /run/swarm-macvlan/takeover-lan/decided 2>/dev/null; then
    systemctl stop swarm-macvlan-rollback-takeover-lan.timer
    rm -rf /run/swarm-macvlan/takeover-lan
    echo 'swarm-macvlan: takeover of eth0 by shim-lan on node1 confirmed over a new SSH connection; rollback disarmed'
    exit 0
  fi
  problems='its rollback started before it could be disarmed; '
fi
echo 'swarm-macvlan: takeover of eth0 by shim-lan on node1 is not confirmed:' "${problems}waiting for its rollback" >&2
i=0
while [ ! -f /run/swarm-macvlan/takeover-lan/rolled-back ] && [ "$i" -lt 90 ]; do sleep 1; i=$((i + 1)); done
[ -f /run/swarm-macvlan/takeover-lan/rolled-back ] || fail 'takeover of eth0 by shim-lan on node1 is not confirmed and its rollback did not run within 90 s:' "${problems%; }"
ip -4 -o address show scope global | awk '{ print $2, $4 }' > /run/swarm-macvlan/takeover-lan/after-addresses
ip -4 route show table main | sed 's/ linkdown//; s/ dead//' > /run/swarm-macvlan/takeover-lan/after-routes
missing=$(awk '{ print $2, $4 }' /run/swarm-macvlan/takeover-lan/addresses | grep -vxF -f /run/swarm-macvlan/takeover-lan/after-addresses | sed 's/^/address /' | tr '\n' ';' || true)
missing="$missing$(sed 's/ linkdown//; s/ dead//' /run/swarm-macvlan/takeover-lan/routes | grep -vxF -f /run/swarm-macvlan/takeover-lan/after-routes | sed 's/^/route /' | tr '\n' ';' || true)"
if [ -z "$missing" ]; then came='every address and route came back'; else came="did not come back: $missing"; fi
fail 'takeover of eth0 by shim-lan on node1 was not confirmed and rolled back by itself (within 60 s):' "$problems$came"
