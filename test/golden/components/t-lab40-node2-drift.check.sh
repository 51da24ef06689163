printf '\n%s\n' '--- swarm-macvlan check boot ---'; printf '\n%s\n' '--- swarm-macvlan check boot ---' >&2
(
set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
echo '13947616a678a66c2d84262c32226ec6055bd4460f5709104793ae76711173cb  /usr/local/lib/swarm-macvlan/lab40/10-vlan.sh' | sha256sum -c --status 2>/dev/null || echo 'file /usr/local/lib/swarm-macvlan/lab40/10-vlan.sh: '"$([ -e /usr/local/lib/swarm-macvlan/lab40/10-vlan.sh ] && echo 'differs from the plan' || echo missing)"
echo 'cf8930109298f7ecf015c30d5d075ac281dae9dbced4a3dedf25aaef100a5753  /usr/local/lib/swarm-macvlan/lab40/20-shim.sh' | sha256sum -c --status 2>/dev/null || echo 'file /usr/local/lib/swarm-macvlan/lab40/20-shim.sh: '"$([ -e /usr/local/lib/swarm-macvlan/lab40/20-shim.sh ] && echo 'differs from the plan' || echo missing)"
echo '66171bc7ca971a90f7931111f261e4e7f867ea266776b1c0be9ce09dd5f3fb30  /etc/systemd/system/swarm-macvlan-lab40.service' | sha256sum -c --status 2>/dev/null || echo 'file /etc/systemd/system/swarm-macvlan-lab40.service: '"$([ -e /etc/systemd/system/swarm-macvlan-lab40.service ] && echo 'differs from the plan' || echo missing)"
[ ! -d /etc/systemd/network ] || { echo 'df8ee079b9c22fd7d72a58cce65e34e0d6bbef6e79019ef76e720f5436730bf4  /etc/systemd/network/00-swarm-macvlan-lab40.network' | sha256sum -c --status 2>/dev/null || echo 'file /etc/systemd/network/00-swarm-macvlan-lab40.network: '"$([ -e /etc/systemd/network/00-swarm-macvlan-lab40.network ] && echo 'differs from the plan' || echo missing)"; }
[ ! -d /etc/NetworkManager/conf.d ] || { echo '782e0291a8df73fd4a4b8f3764ae6376f563f72400eecb22d28e91092c370c67  /etc/NetworkManager/conf.d/swarm-macvlan-lab40.conf' | sha256sum -c --status 2>/dev/null || echo 'file /etc/NetworkManager/conf.d/swarm-macvlan-lab40.conf: '"$([ -e /etc/NetworkManager/conf.d/swarm-macvlan-lab40.conf ] && echo 'differs from the plan' || echo missing)"; }
[ "$(systemctl is-enabled swarm-macvlan-lab40.service 2>/dev/null)" = enabled ] || echo 'systemd unit swarm-macvlan-lab40.service: is not enabled'
)
printf '\n%s\n' "--- swarm-macvlan check boot exit $? ---"
printf '\n%s\n' '--- swarm-macvlan check config ---'; printf '\n%s\n' '--- swarm-macvlan check config ---' >&2
(
set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! actual=$(docker network inspect -f 'configOnly={{.ConfigOnly}}
parent={{with index .Options "parent"}}{{.}}{{end}}
ipv6={{.EnableIPv6}}
{{range $i, $c := .IPAM.Config}}ipam{{$i}}={{with index $c "Subnet"}}{{.}}{{end}} {{with index $c "Gateway"}}{{.}}{{end}} {{with index $c "IPRange"}}{{.}}{{end}}{{range $k, $v := index $c "AuxiliaryAddresses"}} {{$k}}={{$v}}{{end}}
{{end}}label={{with index .Labels "swarm-macvlan.network"}}{{.}}{{end}}
recorded.ipam0={{with index .Labels "swarm-macvlan.ipam0"}}{{.}}{{end}}
recorded.ipam1={{with index .Labels "swarm-macvlan.ipam1"}}{{.}}{{end}}' lab40_net 2>&1); then
  case "$actual" in
    *'network lab40_net not found'*|*'No such network: lab40_net'*) echo 'docker network lab40_net: missing'; exit 0 ;;
    *) fail 'cannot read docker network lab40_net on node2:' "$(printf '%s' "$actual" | tr -s '\n' ' ' | sed 's/^ //')" ;;
  esac
fi
hidden=no
if ! printf '%s\n' "$actual" | grep -q '^ipam0='; then
  hidden=yes
  actual=$(printf '%s\n' "$actual" | sed -n '/^recorded\./{s/^recorded\.\(ipam[0-9]*=..*\)$/\1/p;d;};p')
fi
[ "$hidden" = no ] || printf '%s\n' "$actual" | grep -q '^ipam0=' || echo 'docker network lab40_net: cannot check docker network lab40_net on node2: this Docker Engine does not show a config-only network'\''s subnet, gateway or range (IPAM.Config is null), and swarm-macvlan did not make it (no swarm-macvlan.ipam0 label); remove it (after any swarm network made from it) and run again, so that swarm-macvlan makes it and records them'
gateless=$(printf '%s\n' "$actual" | awk -F '[= ]' '/^ipam[0-9]+=/ && $2 != "" && $3 == "" { printf "%s%s", (n++ ? ", " : ""), $2 }')
[ -z "$gateless" ] || echo 'docker network lab40_net: has no gateway for subnet' "$gateless" '(made by hand without --gateway?): Docker 29 and later give its containers no default route (moby#50929); remove it (after any swarm network made from it) and run again, so that swarm-macvlan makes it with --gateway 10.214.0.1'
diffs=''
expect() { got=$(printf '%s\n' "$actual" | sed -n "s/^$1=//p"); [ "$got" = "$2" ] || diffs="$diffs$1 is ${got:-(none)}, the plan says $2
"; }
joined() { printf '%s' "$diffs" | tr '\n' ';' | sed 's/;$//; s/;/; /g'; }
expect configOnly true
expect parent eth1.40
expect ipv6 false
expect ipam0 '10.214.0.0/16 10.214.0.1 10.214.2.0/24 host=10.214.2.254 range-first=10.214.2.0 range-last=10.214.2.255'
expect label lab40
printf '%s' "$diffs" | while IFS= read -r d; do printf '%s: %s\n' 'docker network lab40_net' "$d"; done
)
printf '\n%s\n' "--- swarm-macvlan check config exit $? ---"
printf '\n%s\n' '--- swarm-macvlan check shim ---'; printf '\n%s\n' '--- swarm-macvlan check shim ---' >&2
(
set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! link=$(ip -d -o link show dev shim-lab40 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) echo 'interface shim-lab40: missing'; exit 0 ;;
    *) fail 'cannot tell whether interface shim-lab40 exists on node2:' "$link" ;;
  esac
fi
[ "$(ip -o link show dev shim-lab40 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:lab40 ] || { echo 'interface shim-lab40: exists but was not made by swarm-macvlan'; exit 0; }
printf '%s\n' "$link" | grep -qF shim-lab40@eth1.40: || echo 'interface shim-lab40: is not on eth1.40'
printf '%s\n' "$link" | grep -qF ' macvlan mode bridge ' || echo 'interface shim-lab40: is not a bridge-mode macvlan'
printf '%s\n' "$link" | grep -q '[<,]UP[,>]' || echo 'interface shim-lab40: is down'
ip -o -4 address show dev shim-lab40 | grep -qF ' 10.214.2.254/32 ' || echo 'interface shim-lab40: address 10.214.2.254/32 is missing'
[ -n "$(ip -4 route show exact 10.214.2.0/24 dev shim-lab40)" ] || echo 'interface shim-lab40: route 10.214.2.0/24 is missing'
)
printf '\n%s\n' "--- swarm-macvlan check shim exit $? ---"
printf '\n%s\n' '--- swarm-macvlan check vlan ---'; printf '\n%s\n' '--- swarm-macvlan check vlan ---' >&2
(
set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if ! link=$(ip -d -o link show dev eth1.40 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) echo 'interface eth1.40: missing (802.1Q VLAN 40 on eth1)'; exit 0 ;;
    *) fail 'cannot tell whether interface eth1.40 exists on node2:' "$link" ;;
  esac
fi
{ printf '%s\n' "$link" | grep -qF eth1.40@eth1: && printf '%s\n' "$link" | grep -qF ' vlan protocol 802.1Q id 40 '; } || echo 'interface eth1.40: is not VLAN 40 on eth1'
printf '%s\n' "$link" | grep -q '[<,]PROMISC[,>]' || echo 'interface eth1.40: promiscuous mode is off'
printf '%s\n' "$link" | grep -q '[<,]UP[,>]' || echo 'interface eth1.40: is down'
)
printf '\n%s\n' "--- swarm-macvlan check vlan exit $? ---"
