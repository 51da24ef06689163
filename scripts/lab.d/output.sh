# shellcheck shell=bash
# Generated stack config (Pulumi.lab.yaml), .lab/lab.json and the status table.

STACK_FILE=$REPO/Pulumi.lab.yaml
STACK_SALT=""   # the previous stack file's encryptionsalt line, kept across labs

json_str() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

write_outputs() {
  local n=$1 i
  {
    echo "{"
    echo "  \"kind\": \"netns\","
    echo "  \"nodes\": ["
    for ((i = 1; i <= n; i++)); do
      printf '    {"name": %s, "namespace": %s, "host": %s, "sshPort": 22, "dockerSocket": %s, "role": %s, "hostKey": %s}%s\n' \
        "$(json_str "$(node_name "$i")")" "$(json_str "$(ns_name "$i")")" \
        "$(json_str "$(node_ip "$i")")" "$(json_str "$(sock_path "$i")")" \
        "$(json_str "$(node_role "$i")")" "$(json_str "$(cut -d' ' -f1,2 "$(node_dir "$i")/ssh_host_ed25519_key.pub")")" \
        "$([[ $i -lt $n ]] && echo ,)"
    done
    echo "  ],"
    echo "  \"sshUser\": \"root\","
    echo "  \"sshKey\": $(json_str "$KEY"),"
    echo "  \"hostAddress\": \"10.213.0.1\","
    echo "  \"bridges\": {\"management\": \"$MGMT_BR\", \"vlan\": \"$VLAN_BR\", \"vlan2\": \"$VLAN2_BR\"},"
    echo "  \"parent\": \"eth1\","
    echo "  \"image\": \"$IMAGE\","
    echo "  \"engine\": {\"name\": \"$LAB_ENGINE\", \"versions\": $(json_str "$ENGINE_VERSIONS")},"
    echo "  \"stackConfig\": $(json_str "$STACK_FILE")"
    echo "}"
  } >"$LAB_DIR/lab.json"
  # No systemd on the nodes here: host state lasts as long as the lab (persist: false).
  node "$LAB_LIBDIR/stack-file.js" "$LAB_DIR/lab.json" "$STACK_FILE" \
    '{"name": "lab40", "parent": "eth1", "subnet": "10.214.0.0/16", "gateway": "10.214.0.1", "ipRangePrefix": 24, "shim": true, "persist": false}' \
    "${STACK_SALT#encryptionsalt: }"
  log "wrote $STACK_FILE and $LAB_DIR/lab.json"
}

# print_status: one line per node, to stdout.
print_status() {
  local i ns dir dockerd sshd swarm nodes
  nodes=$(timeout 10 docker -H "unix://$(sock_path 1)" node ls \
    --format '{{.Hostname}} {{.Status}}/{{.Availability}}' 2>/dev/null || true)
  printf '%-7s %-8s %-12s %-8s %-8s %-6s %-8s %s\n' NODE NETNS HOST ROLE DOCKERD SSHD SWARM NODE-LS
  for ((i = 1; i <= LAB_NODES; i++)); do
    ns=$(ns_name "$i") dir=$(node_dir "$i")
    dockerd=down sshd=down swarm=-
    if timeout 10 docker -H "unix://$(sock_path "$i")" version >/dev/null 2>&1; then
      dockerd=up
      swarm=$(timeout 10 docker -H "unix://$(sock_path "$i")" info \
        --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || echo '?')
    fi
    local pid
    pid=$(cat "$dir/sshd.pid" 2>/dev/null || true)
    if pid_has "$pid" "$dir/sshd_config"; then sshd=up; fi
    ip netns list 2>/dev/null | grep -q "^$ns\( \|$\)" || ns="($ns?)"
    printf '%-7s %-8s %-12s %-8s %-8s %-6s %-8s %s\n' "$(node_name "$i")" "$ns" "$(node_ip "$i")" \
      "$(node_role "$i")" "$dockerd" "$sshd" "$swarm" \
      "$(awk -v h="$(node_name "$i")" '$1 == h { s = s (s ? "," : "") $2 } END { print (s ? s : "-") }' <<<"$nodes")"
  done
}
