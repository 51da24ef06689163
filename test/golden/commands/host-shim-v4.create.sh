set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
client=${SSH_CLIENT:-}; client=${client%% *}; client=${client#::ffff:}
case "$client" in
  *.*.*.*) n=$(printf '%s\n' "$client" | awk -F. '{ printf "%.0f", $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
    if [ "$n" -ge 2890924288 ] && [ "$n" -le 2890924543 ]; then
      fail 'route 172.80.1.0/24 through shim shim-vlan40 on this host would capture the address this SSH session comes from,' "$client;" 'refused before anything changed: pin this host a range that does not hold it, or exclude it'
    fi ;;
esac
if ip link show dev shim-vlan40 >/dev/null 2>&1; then
  [ "$(ip -o link show dev shim-vlan40 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:vlan40 ] || fail 'interface shim-vlan40 exists on this host but was not made by swarm-macvlan; remove it or set shimName'
else
  ip link add shim-vlan40 link bond0.40 type macvlan mode bridge
  ip link set dev shim-vlan40 alias swarm-macvlan:vlan40
fi
ip address replace 172.80.1.254/32 dev shim-vlan40
ip link set dev shim-vlan40 up
ip route replace 172.80.1.0/24 dev shim-vlan40
