# shellcheck shell=bash
# The VM lab (scripts/lab up --vm N): one QEMU (TCG; this machine has no usable KVM) per
# VM, each booting Debian's real kernel from its own qcow2 overlay of the cached image
# (vm-image.sh), so that 802.1Q, systemd units and reboots can be tested for real.
#
#   vmI: eth0 = 10.213.0.(20+i)/24 on bridge smv-mgmt (host 10.213.0.1), via tap smv-vmI-m
#        eth1 = no address, on bridge smv-trunk (carries 802.1Q frames unchanged), tap smv-vmI-t
#   .lab/vmI/{disk.qcow2,console.log,qemu.log}; QEMU's PID recorded with the overlay's
#   path as its marker. Per-VM settings travel on the kernel command line (the guest's
#   smv-lab-guest.service reads them at every boot; see vm-build-image): QEMU keeps
#   -kernel/-initrd/-append across an in-guest reboot, so the same VM comes back.
#
# Everything else follows the namespace lab: record, spawn, pid_has, bounded waits,
# teardown from .lab/state (down.sh) plus a sweep of the lab's names.

VM_TRUNK_BR=smv-trunk
VM_MAX=4
VM_MEM=${LAB_VM_MEM:-1024}                   # MiB per VM
VM_BOOT_TIMEOUT=${LAB_VM_BOOT_TIMEOUT:-600}  # seconds until ssh answers (TCG is slow)
VM_VLAN_ID=40
declare -A VM_HOSTKEY=()                     # each VM's ssh host key (made at its first boot)

# vm_names: node names and addresses of the VM lab, in place of common.sh's.
vm_names() {
  node_name() { echo "vm$1"; }
  node_ip() { echo "10.213.0.$((20 + $1))"; }
}
vm_dir() { echo "$LAB_DIR/vm$1"; }
vm_disk() { echo "$(vm_dir "$1")/disk.qcow2"; }     # also the QEMU PID's marker
vm_tap() { echo "smv-vm$1-$2"; }                   # $2: m (management) or t (trunk)
vm_mac() { printf '52:54:00:d5:%02x:%02x\n' "$1" "$2"; }

# ssh takes the first value given for an option: this ConnectTimeout wins over the
# namespace lab's 5 s, which a busy TCG guest's sshd can take just to send its banner.
VM_SSH_OPTS=(-o ConnectTimeout=30 "${SSH_OPTS[@]}")

# vm_ssh SECONDS I CMD...: ssh to VM I as root with the lab key, bounded in time.
vm_ssh() {
  local t=$1 i=$2
  shift 2
  timeout "$t" ssh -i "$KEY" "${VM_SSH_OPTS[@]}" "root@$(node_ip "$i")" "$@"
}

vm_up() {
  local n=$1 i
  if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 1 || n > VM_MAX)); then die "--vm must be 1..$VM_MAX, got '$n'"; fi
  require_root
  lab_lock
  trap on_up_exit EXIT
  log "up: $n VM(s); lab dir $LAB_DIR"
  STACK_SALT=$(grep -m 1 '^encryptionsalt:' "$STACK_FILE" 2>/dev/null || true)
  teardown quiet            # leftovers of a previous lab of either kind
  LAB_KIND=vm
  vm_names
  mkdir -p "$LAB_DIR"
  chmod 700 "$LAB_DIR"
  : >"$STATE"
  ensure_packages "${VM_HOST_PACKAGES[@]}"
  vm_preflight
  vm_image_ensure
  write_env "$n" vm
  printf 'VM_BASE=%q\n' "$VM_BASE" >>"$ENV_FILE"
  preflight_network
  vm_setup_network "$n"
  setup_keys
  for ((i = 1; i <= n; i++)); do vm_start "$i"; done
  for ((i = 1; i <= n; i++)); do vm_wait "$i"; done
  vm_setup_swarm "$n"
  vm_write_outputs "$n"
  log "up: done in $(elapsed)s; engine $LAB_ENGINE: $ENGINE_VERSIONS"
  vm_print_status
}

vm_preflight() {
  command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing (package qemu-system-x86)"
  [[ -c /dev/net/tun ]] || die "/dev/net/tun is missing: the VMs' NICs are tap devices"
}

vm_setup_network() {
  local n=$1 i k br
  log "network: bridges $MGMT_BR ($HOST_CIDR) and $VM_TRUNK_BR, taps for $n VM(s)"
  add_bridge "$MGMT_BR"
  ip addr add "$HOST_CIDR" dev "$MGMT_BR"
  add_bridge "$VM_TRUNK_BR"
  for ((i = 1; i <= n; i++)); do
    for k in m t; do
      if [[ $k == m ]]; then br=$MGMT_BR; else br=$VM_TRUNK_BR; fi
      ip tuntap add dev "$(vm_tap "$i" "$k")" mode tap
      record link "$(vm_tap "$i" "$k")"
      ip link set "$(vm_tap "$i" "$k")" master "$br" up
    done
  done
  add_forward_rules "$MGMT_BR" "$VM_TRUNK_BR"
}

# vm_start I: a fresh overlay and one QEMU. No -no-reboot: a guest reboot resets the
# machine and boots the same kernel, command line and disk again.
vm_start() {
  local i=$1 dir disk cmdline
  dir=$(vm_dir "$i") disk=$(vm_disk "$i")
  mkdir -p "$dir"
  qemu-img create -q -f qcow2 -b "$VM_BASE/root.raw" -F raw "$disk"
  # net.ifnames=0: NICs are eth0/eth1 in PCI order (addr= below). mitigations=off: TCG
  # emulates no speculation, the mitigations only cost time. systemd.firstboot=off: an
  # empty machine-id means first boot, which must not prompt on the console. apparmor=0:
  # Debian's kernel enables AppArmor, and dockerd then refuses to start containers
  # unless apparmor_parser is installed (the lean image has no apparmor package).
  cmdline="root=/dev/vda rw console=ttyS0 net.ifnames=0 mitigations=off systemd.firstboot=off"
  cmdline+=" apparmor=0 smv.engine=$LAB_ENGINE"
  cmdline+=" systemd.hostname=$(node_name "$i") smv.ip=$(node_ip "$i")/24"
  cmdline+=" smv.key=$(base64 -w0 "$KEY.pub")"
  log "vm$i: starting QEMU (TCG, ${VM_MEM} MiB; console $dir/console.log)"
  # romfile= : no iPXE option ROM (the kernel is booted directly).
  spawn "$dir/qemu.log" qemu-system-x86_64 -name "smv-vm$i" \
    -machine pc,accel=tcg -m "$VM_MEM" -smp 1 \
    -nodefaults -no-user-config -display none -monitor none \
    -serial "file:$dir/console.log" \
    -kernel "$VM_BASE/vmlinuz" -initrd "$VM_BASE/initrd.img" -append "$cmdline" \
    -drive "file=$disk,if=none,id=disk0,format=qcow2" \
    -device virtio-blk-pci,drive=disk0,addr=0x5 \
    -netdev "tap,id=mgmt,ifname=$(vm_tap "$i" m),script=no,downscript=no" \
    -device "virtio-net-pci,netdev=mgmt,mac=$(vm_mac "$i" 1),addr=0x3,romfile=" \
    -netdev "tap,id=trunk,ifname=$(vm_tap "$i" t),script=no,downscript=no" \
    -device "virtio-net-pci,netdev=trunk,mac=$(vm_mac "$i" 2),addr=0x4,romfile=" \
    -device virtio-rng-pci,addr=0x6
  record pid "$SPAWNED_PID" "$disk"
}

# vm_pid I: the recorded PID of VM I's QEMU, if it is still running.
vm_pid() {
  local pid m
  while read -r pid m; do
    [[ $m == "$(vm_disk "$1")" ]] && pid_has "$pid" "$m" && { echo "$pid"; return 0; }
  done < <(state_lines pid)
  return 1
}

vm_fail() {
  local i=$1 what=$2 dir
  dir=$(vm_dir "$i")
  log "vm$i: last lines of $dir/console.log:"
  tail -n 30 "$dir/console.log" 2>/dev/null | tr -d '\r' >&2 || true
  [[ ! -s $dir/qemu.log ]] || { log "vm$i: $dir/qemu.log:"; tail -n 10 "$dir/qemu.log" >&2; }
  die "vm$i: $what"
}

# vm_wait I: ssh answers, the guest is the one we meant, docker is up, image imported.
vm_wait() {
  local i=$1 t0=$SECONDS end out
  end=$((SECONDS + VM_BOOT_TIMEOUT))
  until out=$(vm_ssh 40 "$i" hostname 2>&1); do
    vm_pid "$i" >/dev/null || vm_fail "$i" "QEMU exited"
    ((SECONDS < end)) || vm_fail "$i" "ssh did not answer within ${VM_BOOT_TIMEOUT}s (ssh said: $out)"
    sleep 2
  done
  [[ $out == "$(node_name "$i")" ]] || vm_fail "$i" "ssh reached a guest named '$out'"
  log "vm$i: ssh answers ($((SECONDS - t0))s after its turn came)"
  # One session for the rest (each ssh handshake costs about 2 s of emulated CPU).
  vm_pid "$i" >/dev/null || vm_fail "$i" "QEMU exited"
  out=$(vm_ssh 480 "$i" "$(vm_ready_script)" 2>&1) || vm_fail "$i" "${out//$'\n'/ }"
  [[ -n $ENGINE_VERSIONS ]] || ENGINE_VERSIONS=$out
  # The key the VM made at its first boot, read over the lab's own bridge: the lab pins it in the
  # stack it writes, so that every connection of the library to the VM is verified.
  VM_HOSTKEY[$i]=$(vm_ssh 40 "$i" cat /etc/ssh/ssh_host_ed25519_key.pub | cut -d' ' -f1,2) ||
    vm_fail "$i" "cannot read its ssh host key"
  log "vm$i: $out; networkd active, image $IMAGE loaded"
}

# Run in the guest (root's shell is bash): docker answers within 300 s, the promised
# guest facts hold (networkd active, eth1 without IPv4), the busybox image is imported
# and a container runs.
vm_ready_script() {
  # shellcheck disable=SC2016
  printf '%s\n' 'end=$((SECONDS + 300))' \
    'until docker info >/dev/null 2>&1; do' \
    '  if ((SECONDS >= end)); then echo "docker not ready 300s after ssh:"; systemctl status docker --no-pager -n 5; exit 1; fi' \
    '  sleep 1' \
    'done' \
    'systemctl is-active -q systemd-networkd || { echo "systemd-networkd is not active"; exit 1; }' \
    '[ -z "$(ip -o -4 addr show dev eth1)" ] || { echo "eth1 has an IPv4 address"; exit 1; }' \
    "docker import -c 'CMD [\"/bin/sleep\",\"3600\"]' /usr/local/share/smv-lab/busybox.tar $IMAGE >/dev/null || exit 1" \
    "out=\$(docker run --rm --network none $IMAGE echo run-ok 2>&1) || { echo \"docker run $IMAGE failed: \$out\"; exit 1; }" \
    "docker version --format '$ENGINE_VERSION_FORMAT'"
}

vm_swarm_state() { vm_ssh 45 "$1" docker info --format "'{{.Swarm.LocalNodeState}}'" 2>/dev/null; }
vm_swarm_not_pending() { [[ $(vm_swarm_state "$1") != pending ]]; }
vm_swarm_all_ready() {
  [[ $(vm_ssh 45 1 docker node ls --format "'{{.Status}}'" 2>/dev/null | grep -c '^Ready$') -eq $1 ]]
}

vm_setup_swarm() {
  local n=$1 i token
  log "swarm: init on vm1 ($(node_ip 1))"
  vm_ssh 150 1 docker swarm init --advertise-addr "$(node_ip 1)" >/dev/null ||
    die "swarm: init on vm1 failed"
  token=$(vm_ssh 30 1 docker swarm join-token -q worker) || die "swarm: no join token from vm1"
  for ((i = 2; i <= n; i++)); do vm_join_worker "$i" "$token"; done
  wait_until 300 "$n Ready node(s) in the swarm" vm_swarm_all_ready "$n" ||
    { vm_ssh 45 1 docker node ls >&2 || true; die "swarm: not all nodes Ready"; }
  # Entries left behind by a retried join show as Down under the same hostname.
  local stale
  stale=$(vm_ssh 45 1 docker node ls --format "'{{.ID}} {{.Status}}'" | awk '$2 != "Ready" { print $1 }' | tr '\n' ' ')
  [[ -z ${stale// /} ]] || vm_ssh 30 1 docker node rm --force "$stale" >/dev/null || true
  log "swarm: $n node(s) Ready"
}

# The first join can time out (DESIGN.md): leave --force and join again, within a bound.
vm_join_worker() {
  local i=$1 token=$2 end attempt=0 out
  end=$((SECONDS + 420))
  while :; do
    attempt=$((attempt + 1))
    if out=$(vm_ssh 150 "$i" docker swarm join --token "$token" \
      --advertise-addr "$(node_ip "$i")" "$(node_ip 1):2377" 2>&1); then
      log "swarm: vm$i joined"
      return 0
    fi
    wait_until 60 "vm$i to leave 'pending'" vm_swarm_not_pending "$i" || true
    if [[ $(vm_swarm_state "$i") == active ]]; then
      log "swarm: vm$i joined (after: ${out//$'\n'/ })"
      return 0
    fi
    log "swarm: vm$i join attempt $attempt failed: ${out//$'\n'/ }"
    ((SECONDS < end)) || die "swarm: vm$i could not join within 420s"
    vm_ssh 60 "$i" docker swarm leave --force >/dev/null 2>&1 || true
    sleep 2
  done
}

vm_write_outputs() {
  local n=$1 i
  {
    echo "{"
    echo "  \"kind\": \"vm\","
    echo "  \"nodes\": ["
    for ((i = 1; i <= n; i++)); do
      printf '    {"name": %s, "host": %s, "sshPort": 22, "role": %s, "console": %s, "hostKey": %s}%s\n' \
        "$(json_str "$(node_name "$i")")" "$(json_str "$(node_ip "$i")")" \
        "$(json_str "$(node_role "$i")")" "$(json_str "$(vm_dir "$i")/console.log")" \
        "$(json_str "${VM_HOSTKEY[$i]}")" "$([[ $i -lt $n ]] && echo ,)"
    done
    echo "  ],"
    echo "  \"sshUser\": \"root\","
    echo "  \"sshKey\": $(json_str "$KEY"),"
    echo "  \"hostAddress\": \"10.213.0.1\","
    echo "  \"bridges\": {\"management\": \"$MGMT_BR\", \"trunk\": \"$VM_TRUNK_BR\"},"
    echo "  \"parent\": \"eth1\","
    echo "  \"trunk\": \"eth1\","
    echo "  \"vlanId\": $VM_VLAN_ID,"
    echo "  \"image\": \"$IMAGE\","
    echo "  \"engine\": {\"name\": \"$LAB_ENGINE\", \"versions\": $(json_str "$ENGINE_VERSIONS")},"
    echo "  \"stackConfig\": $(json_str "$STACK_FILE")"
    echo "}"
  } >"$LAB_DIR/lab.json"
  node "$LAB_LIBDIR/stack-file.js" "$LAB_DIR/lab.json" "$STACK_FILE" \
    "{\"name\": \"lab40\", \"parent\": \"eth1\", \"vlanId\": $VM_VLAN_ID, \"subnet\": \"10.214.0.0/16\", \"gateway\": \"10.214.0.1\", \"ipRangePrefix\": 24, \"shim\": true}" \
    "${STACK_SALT#encryptionsalt: }"
  log "wrote $STACK_FILE and $LAB_DIR/lab.json"
}

# vm_print_status: one line per VM, to stdout.
vm_print_status() {
  vm_names
  local i qemu ssh docker swarm nodes out tmp
  local -a jobs=()
  # One ssh per VM, all at once (a handshake costs about 2 s of emulated CPU); the
  # manager's also lists the nodes. Wait for those jobs only: after `up`, this shell's
  # children include the QEMUs.
  tmp=$(mktemp -d)
  for ((i = 1; i <= LAB_NODES; i++)); do
    { vm_ssh 45 "$i" 'docker info --format "{{.Swarm.LocalNodeState}}" 2>/dev/null || echo "?"
      [ "$(hostname)" != vm1 ] || docker node ls --format "{{.Hostname}} {{.Status}}/{{.Availability}}" 2>/dev/null' \
      >"$tmp/$i" 2>/dev/null || echo ssh-failed >"$tmp/$i"; } &
    jobs+=($!)
  done
  wait "${jobs[@]}"
  nodes=$(tail -n +2 "$tmp/1")
  printf '%-5s %-12s %-8s %-6s %-5s %-7s %-8s %s\n' NODE HOST ROLE QEMU SSH DOCKER SWARM NODE-LS
  for ((i = 1; i <= LAB_NODES; i++)); do
    qemu=down ssh=down docker=- swarm=-
    if vm_pid "$i" >/dev/null; then qemu=up; fi
    out=$(head -n 1 "$tmp/$i")
    if [[ $out != ssh-failed ]]; then
      ssh=up
      if [[ $out == '?' ]]; then docker=down; else docker=up swarm=$out; fi
    fi
    printf '%-5s %-12s %-8s %-6s %-5s %-7s %-8s %s\n' "$(node_name "$i")" "$(node_ip "$i")" \
      "$(node_role "$i")" "$qemu" "$ssh" "$docker" "$swarm" \
      "$(awk -v h="$(node_name "$i")" '$1 == h { s = s (s ? "," : "") $2 } END { print (s ? s : "-") }' <<<"$nodes")"
  done
  rm -rf "$tmp"
}

# vm_exec NODE CMD...: CMD in VM NODE over ssh; its exit code, stdout, stderr and stdin
# are ssh's (255: ssh itself failed). Arguments are quoted for root's shell (bash).
vm_exec() {
  vm_names
  local i
  i=$(node_index "$1") || die "unknown node '$1' (lab has $LAB_NODES VMs)"
  shift
  exec ssh -i "$KEY" "${VM_SSH_OPTS[@]}" "root@$(node_ip "$i")" "$(printf '%q ' "$@")"
}

# QEMUs started from this lab directory that .lab/state does not know (state lost):
# "PID MARKER" lines for stop_pids. Used by down's sweep and verify_clean.
vm_leftover_qemu() {
  local d cmdline
  for d in /proc/[0-9]*; do
    [[ $(cat "$d/comm" 2>/dev/null) == qemu-system* ]] || continue
    cmdline=$(tr '\0' ' ' <"$d/cmdline" 2>/dev/null) || continue
    [[ $cmdline == *"$LAB_DIR/vm"* ]] && echo "${d#/proc/} $LAB_DIR/vm"
  done
}
