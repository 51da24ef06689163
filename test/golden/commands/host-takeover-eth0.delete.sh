set -eu
fail() { echo "swarm-macvlan: $*" >&2; exit 1; }
if [ -s /var/lib/swarm-macvlan/takeover-lan/addresses ]; then
  if ! link=$(ip -d -o link show dev eth0 2>&1); then
    case "$link" in
      *'does not exist'*|*'Cannot find device'*) fail 'cannot move the host'\''s address back: eth0 does not exist on node1' ;;
      *) fail 'cannot tell whether interface eth0 exists on node1:' "$link" ;;
    esac
  fi
  ip link set dev eth0 up
  while read -r a rest; do ip address replace "$a" $rest dev eth0; done < /var/lib/swarm-macvlan/takeover-lan/addresses
fi
if ! link=$(ip -d -o link show dev shim-lan 2>&1); then
  case "$link" in
    *'does not exist'*|*'Cannot find device'*) : ;;
    *) fail 'cannot tell whether interface shim-lan exists on node1:' "$link" ;;
  esac
fi
if ip link show dev shim-lan >/dev/null 2>&1 && [ "$(ip -o link show dev shim-lan 2>/dev/null | sed -n 's/.*\\ *alias \([^\\]*\).*/\1/p')" = swarm-macvlan:lan ]; then ip link delete dev shim-lan; fi
if [ -s /var/lib/swarm-macvlan/takeover-lan/addresses ]; then
  while read -r r; do
    ip route replace $r dev eth0
  done < /var/lib/swarm-macvlan/takeover-lan/routes
  while read -r a rest; do
    if command -v arping >/dev/null 2>&1; then arping -U -c 2 -I eth0 "${a%/*}" >/dev/null 2>&1 || true
    elif busybox arping -h 2>&1 | grep -q Unsolicited; then busybox arping -U -c 2 -I eth0 "${a%/*}" >/dev/null 2>&1 || true
    else gw=$(ip -4 route show default dev eth0 | awk '{ print $3; exit }'); [ -z "$gw" ] || ping -c 1 -W 1 -I eth0 "$gw" >/dev/null 2>&1 || true
    fi
  done < /var/lib/swarm-macvlan/takeover-lan/addresses
fi
rm -rf /var/lib/swarm-macvlan/takeover-lan
