# shellcheck shell=bash
# Namespaces, bridges, veths and (only if the host needs them) FORWARD accept rules.

IPT_COMMENT=smv-lab

# Refuse to run if the lab's names or addresses are already taken by something else.
preflight_network() {
  local taken
  taken=$(ip -o link show | awk -F': ' '$2 ~ /^smv-/ { print $2 }' | cut -d@ -f1 | tr '\n' ' ')
  [[ -z $taken ]] || die "links named smv-* exist and were not created by this lab: $taken"
  if ip netns list 2>/dev/null | grep -q '^smv-'; then
    die "network namespaces named smv-* exist and were not created by this lab"
  fi
  if ip -o addr show | grep -qE ' inet 10\.213\.0\.'; then
    die "an address in 10.213.0.0/24 is already configured on this host"
  fi
  if [[ -n $(ip route show 10.213.0.0/24) || -n $(ip route show 10.214.0.0/16) ]]; then
    die "a route for 10.213.0.0/24 or 10.214.0.0/16 already exists on this host"
  fi
}

setup_network() {
  local n=$1 i
  log "network: bridges $MGMT_BR ($HOST_CIDR), $VLAN_BR and $VLAN2_BR, $n namespace(s)"
  # `ip netns add` turns /run/netns into a shared bind mount; remember whether it was one.
  if ! mountpoint -q /run/netns 2>/dev/null; then
    if [[ -d /run/netns ]]; then record netnsdir mount; else record netnsdir mkdir; fi
  fi
  add_bridge "$MGMT_BR"
  ip addr add "$HOST_CIDR" dev "$MGMT_BR"
  add_bridge "$VLAN_BR"
  add_bridge "$VLAN2_BR"
  for ((i = 1; i <= n; i++)); do add_node_net "$i"; done
  add_forward_rules
}

add_bridge() {
  ip link add "$1" type bridge stp_state 0
  record link "$1"
  ip link set "$1" up
}

add_node_net() {
  local i=$1 ns
  ns=$(ns_name "$i")
  ip netns add "$ns"
  record netns "$ns"
  ip link add "$ns-m" type veth peer name eth0 netns "$ns"
  record link "$ns-m"
  ip link set "$ns-m" master "$MGMT_BR" up
  ip link add "$ns-v" type veth peer name eth1 netns "$ns"
  record link "$ns-v"
  ip link set "$ns-v" master "$VLAN_BR" up
  ip link add "$ns-w" type veth peer name eth2 netns "$ns"
  record link "$ns-w"
  ip link set "$ns-w" master "$VLAN2_BR" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$(node_ip "$i")/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set eth1 up
  ip -n "$ns" link set eth2 up
}

# Bridged frames go through the host's FORWARD chain when br_netfilter is on. Add
# accept rules only when that chain could drop them (policy not ACCEPT, or any rule),
# so that a host without firewall tables keeps having none.
forward_may_drop() {
  local save=$1
  command -v "$save" >/dev/null || return 1
  "$save" -t filter 2>/dev/null |
    awk '/^:FORWARD / && $2 != "ACCEPT" { d = 1 } /^-A FORWARD / { d = 1 } END { exit !d }'
}

# add_forward_rules [BRIDGE...]: default the namespace lab's two bridges.
add_forward_rules() {
  local nf=/proc/sys/net/bridge/bridge-nf-call-iptables ipt br
  local -a bridges=("$@")
  ((${#bridges[@]})) || bridges=("$MGMT_BR" "$VLAN_BR" "$VLAN2_BR")
  local -a tools=()
  if [[ ${LAB_FORCE_IPTABLES:-} == 1 ]]; then
    tools=(iptables)
  elif [[ -r $nf && $(cat "$nf") == 1 ]]; then
    forward_may_drop iptables-save && tools+=(iptables)
    # Reading a legacy table instantiates it in the kernel (for good, in the host's
    # netns): look at the legacy side only if its filter table already exists.
    if [[ $(readlink -f "$(command -v iptables)") != *legacy* ]] &&
      grep -qx filter /proc/net/ip_tables_names 2>/dev/null &&
      forward_may_drop iptables-legacy-save; then tools+=(iptables-legacy); fi
  fi
  if ((${#tools[@]} == 0)); then
    log "network: host FORWARD chain cannot drop bridged traffic; no iptables rules needed"
    return 0
  fi
  for ipt in "${tools[@]}"; do
    for br in "${bridges[@]}"; do
      local spec="FORWARD -i $br -o $br -m comment --comment $IPT_COMMENT -j ACCEPT"
      # shellcheck disable=SC2086
      $ipt -w 10 -I $spec
      record iptables "$ipt" "$spec"
      log "network: $ipt -I $spec"
    done
  done
}
