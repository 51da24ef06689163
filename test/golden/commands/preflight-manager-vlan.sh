set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
# swarm-macvlan preflight of manager1, plan 3bd692bb8c5f7667
if ! version=$(docker version -f '{{.Server.Version}} {{.Server.APIVersion}}' 2>&1); then
  echo 'cannot reach the Docker daemon:' "$version"
  exit 0
fi
api=${version##* } version=${version% *}
echo "engine $version $api"
case "$version" in 28.0.0|28.0.0[-+]*) echo 'runs Docker' "$version (API $api)"', which breaks --config-from networks (docker/cli#5857): upgrade to 28.0.1 or later' ;; esac
case "$api" in 1.[0-9]|1.[1-3][0-9]|1.40) echo 'runs Docker' "$version (API $api)"', older than the oldest engine swarm-macvlan supports, Docker 20.10 (API 1.41): upgrade it' ;; esac
swarm=$(docker info -f '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}' 2>&1 || true)
case "$swarm" in active*) ;; *) echo 'is not in an active swarm (docker info says:' "$swarm)" ;; esac
case "$swarm" in *' true') ;; *) echo 'is not a swarm manager, but the swarm network is created on it (the first node with role: manager)' ;; esac
[ -d /run/systemd/system ] || echo 'does not run systemd (no /run/systemd/system): host state is restored at boot by a systemd unit; set persist: false on its networks to manage runtime state only (lost at reboot)'
ip link show dev bond0 >/dev/null 2>&1 || echo 'has no interface bond0 (networks[0].parent)'
[ -d /sys/module/8021q ] || { command -v modprobe >/dev/null 2>&1 && modprobe -n -q 8021q 2>/dev/null; } || echo 'has no 802.1Q VLAN support: the kernel lacks the 8021q module (vlanId needs it)'
networks=$(docker network ls -q | while read -r id; do docker network inspect -f '{{.Name}} {{.Driver}} {{index .Options "parent"}}' "$id" 2>/dev/null || true; done)
printf '%s\n' "$networks" | awk -v parent=bond0.40 -v 'ours= vlan40_net swarm-vlan40_net ' '$3 == parent && ($2 == "macvlan" || $2 == "null") && index(ours, " " $1 " ") == 0 { print $1 }' | while read -r other; do echo 'has docker network' "$other" 'on parent bond0.40 already (Docker allows one macvlan network per parent interface): remove it, or if it is this network made by hand, use its name and set adopt: true'; done
