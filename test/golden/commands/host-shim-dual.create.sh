set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
client=${SSH_CLIENT:-}; client=${client%% *}; client=${client#::ffff:}
case "$client" in
  *.*.*.*) n=$(printf '%s\n' "$client" | awk -F. '{ printf "%.0f", $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
    if [ "$n" -ge 167774736 ] && [ "$n" -le 167774751 ]; then
      fail 'route 10.0.10.16/28 through shim shim-macvlan10 on this host would capture the address this SSH session comes from,' "$client;" 'refused before anything changed: pin this host a range that does not hold it, or exclude it'
    fi ;;
esac
if ip link show dev shim-macvlan10 >/dev/null 2>&1; then
  [ "$(ip -o link show dev shim-macvlan10 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:macvlan10 ] || fail 'interface shim-macvlan10 exists on this host but was not made by swarm-macvlan; remove it or set shimName'
else
  ip link add shim-macvlan10 link eth0.10 type macvlan mode bridge
  ip link set dev shim-macvlan10 alias swarm-macvlan:macvlan10
fi
ip address replace 10.0.10.30/32 dev shim-macvlan10
ip -6 address replace 2001:db8:babe:10:1:ffff:ffff:fffe/128 dev shim-macvlan10 nodad
ip link set dev shim-macvlan10 up
ip route replace 10.0.10.16/28 dev shim-macvlan10
ip -6 route replace 2001:db8:babe:10:1::/80 dev shim-macvlan10
