set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
client=${SSH_CLIENT:-}; client=${client%% *}; client=${client#::ffff:}
case "$client" in
  *.*.*.*) n=$(printf '%s\n' "$client" | awk -F. '{ printf "%.0f", $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
    if [ "$n" -ge 181797120 ] && [ "$n" -le 181797375 ]; then
      fail 'route 10.214.1.0/24 through shim shim-lab40 on node1 would capture the address this SSH session comes from,' "$client;" 'refused before anything changed: pin node1 a range that does not hold it, or exclude it'
    fi ;;
esac
if ip link show dev shim-lab40 >/dev/null 2>&1; then
  [ "$(ip -o link show dev shim-lab40 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:lab40 ] || fail 'interface shim-lab40 exists on node1 but was not made by swarm-macvlan; remove it or set shimName'
else
  ip link add shim-lab40 link eth1.40 type macvlan mode bridge
  ip link set dev shim-lab40 alias swarm-macvlan:lab40
fi
ip address replace 10.214.1.254/32 dev shim-lab40
ip link set dev shim-lab40 up
ip route replace 10.214.1.0/24 dev shim-lab40
