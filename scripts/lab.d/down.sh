# shellcheck shell=bash
# Teardown: undo what .lab/state recorded, then sweep the lab's own names (smv-*) in
# case the state file is missing. Idempotent; tolerates every missing piece.

LAB_NS_RE='^smv-n[0-9]+$'
LAB_LINK_RE='^smv-(mgmt|v4[01]|n[0-9]+-[mvw]|trunk|vm[0-9]+-[mt])$'   # vm: VM lab's bridge, taps

lab_netns() { ip netns list 2>/dev/null | awk '{ print $1 }' | grep -E "$LAB_NS_RE" || true; }
lab_links() {
  ip -o link show 2>/dev/null | awk -F': ' '{ print $2 }' | cut -d@ -f1 | grep -E "$LAB_LINK_RE" || true
}

# Mount points at or under the lab's directories, newest first (a safe umount order).
lab_mounts() {
  local m p
  awk '{ print $5 }' /proc/self/mountinfo | tac | while read -r m; do
    m=$(printf '%b' "$m")             # mountinfo escapes blanks as \040 etc.
    for p in "$LAB_DIR" "$RUN_BASE" "$SHORT_RUN"; do
      if [[ $m == "$p" || $m == "$p"/* ]]; then echo "$m"; break; fi
    done
  done
}

# stop_pids SECONDS "PID MARKER"...: TERM each live lab PID, wait, then KILL.
stop_pids() {
  local limit=$1 line pid marker end left
  shift
  local -a live=()
  for line in "$@"; do
    read -r pid marker <<<"$line"
    if pid_has "$pid" "$marker"; then
      kill -TERM "$pid" 2>/dev/null || true
      live+=("$line")
    fi
  done
  end=$((SECONDS + limit))
  while :; do
    left=()
    for line in "${live[@]}"; do
      read -r pid marker <<<"$line"
      pid_has "$pid" "$marker" && left+=("$line")
    done
    ((${#left[@]} > 0 && SECONDS < end)) || break
    sleep 0.3
  done
  ((${#left[@]} > 0)) || return 0
  for line in "${left[@]}"; do
    read -r pid marker <<<"$line"
    log "down: pid $pid ($(cat "/proc/$pid/comm" 2>/dev/null)) did not stop after ${limit}s, sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
  done
  end=$((SECONDS + 10))
  for line in "${left[@]}"; do
    read -r pid marker <<<"$line"
    while pid_has "$pid" "$marker" && ((SECONDS < end)); do sleep 0.2; done
  done
}

# netns_leftovers [COMM]: processes still inside a lab namespace (daemons whose PIDs
# were not recorded, containerd shims, ssh sessions, lab exec); they exist only
# because the lab does. Printed as "PID " (marker "" = any command line).
netns_leftovers() {
  local ns pid
  for ns in $(lab_netns); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
      [[ -z ${1:-} || $(cat "/proc/$pid/comm" 2>/dev/null) == "$1" ]] && echo "$pid "
    done
  done
}

# Daemons anywhere on the host that run from the lab's directories (for verify_clean).
lab_daemon_pids() {
  local d comm cmdline
  for d in /proc/[0-9]*; do
    comm=$(cat "$d/comm" 2>/dev/null) || continue
    case $comm in dockerd | containerd | containerd-shim* | sshd | docker-proxy | qemu-system*) ;; *) continue ;; esac
    cmdline=$(tr '\0' ' ' <"$d/cmdline" 2>/dev/null) || continue
    if [[ $cmdline == *"$LAB_DIR/"* || $cmdline == *"$RUN_BASE/"* || $cmdline == *"$SHORT_RUN/"* ]]; then
      echo "${d#/proc/}"
    fi
  done
}

remove_iptables_rules() {
  local line ipt spec tries save
  while read -r ipt spec; do
    [[ -n $ipt ]] || continue
    command -v "$ipt" >/dev/null || continue
    tries=0
    # shellcheck disable=SC2086
    while ((tries++ < 10)) && $ipt -w 10 -C $spec 2>/dev/null; do
      $ipt -w 10 -D $spec && log "down: $ipt -D $spec"
    done
  done < <(state_lines iptables)
  # Sweep: any FORWARD rule carrying the lab's comment.
  for save in iptables-save iptables-legacy-save; do
    command -v "$save" >/dev/null || continue
    # (reading a legacy table creates it: only if the legacy filter table exists)
    [[ $save != iptables-legacy-save ]] || grep -qx filter /proc/net/ip_tables_names 2>/dev/null || continue
    ipt=${save%-save}
    while read -r line; do
      # shellcheck disable=SC2086
      $ipt -w 10 -D ${line#-A } && log "down: $ipt -D ${line#-A }"
    done < <("$save" -t filter 2>/dev/null | grep -E "^-A FORWARD .*--comment \"?$IPT_COMMENT\"? " || true)
  done
}

restore_netns_dir() {
  local how
  how=$(state_lines netnsdir | tail -n 1)
  [[ -n $how ]] || return 0
  if [[ -d /run/netns && -z $(ls -A /run/netns 2>/dev/null) ]]; then
    local tries=0
    while mountpoint -q /run/netns && ((tries++ < 5)); do umount /run/netns || umount -l /run/netns; done
    [[ $how != mkdir ]] || rmdir /run/netns 2>/dev/null || true
  fi
}

# Best effort, bounded: remove swarm services and SIGKILL running containers, so that
# the dockerds need not wait out each task's 10s stop grace period on shutdown.
# shellcheck disable=SC2016
kill_containers() {
  local i
  [[ $LAB_NODES =~ ^[0-9]+$ ]] || return 0
  if [[ -S $(sock_path 1) ]]; then
    DOCKER_HOST="unix://$(sock_path 1)" timeout 15 sh -c 'ids=$(docker service ls -q) &&
      if [ -n "$ids" ]; then docker service rm $ids; fi' >/dev/null 2>&1 || true
  fi
  for ((i = 1; i <= LAB_NODES; i++)); do
    [[ -S $(sock_path "$i") ]] || continue
    DOCKER_HOST="unix://$(sock_path "$i")" timeout 15 sh -c 'ids=$(docker ps -q) &&
      if [ -n "$ids" ]; then docker kill $ids; fi' >/dev/null 2>&1 &
  done
  wait || true
}

teardown() {
  local quiet=${1:-} p
  load_env || true
  local -a pids=()
  mapfile -t pids < <(state_lines pid)
  if [[ $quiet == quiet && ! -e $LAB_DIR && ! -e $SHORT_RUN && -z $(lab_netns)$(lab_links) ]]; then
    return 0
  fi
  log "down: tearing down the lab"
  kill_containers
  ((${#pids[@]} == 0)) || stop_pids 60 "${pids[@]}"
  # Unrecorded dockerds first (they stop their own containerd), then everything else.
  local -a rest=()
  mapfile -t rest < <(netns_leftovers dockerd)
  ((${#rest[@]} == 0)) || { log "down: stopping ${#rest[@]} unrecorded dockerd(s)"; stop_pids 45 "${rest[@]}"; }
  mapfile -t rest < <(netns_leftovers)
  ((${#rest[@]} == 0)) || { log "down: stopping ${#rest[@]} leftover process(es) in lab namespaces"; stop_pids 15 "${rest[@]}"; }
  mapfile -t rest < <(vm_leftover_qemu)
  ((${#rest[@]} == 0)) || { log "down: stopping ${#rest[@]} unrecorded QEMU(s)"; stop_pids 15 "${rest[@]}"; }
  local m tries=0
  while [[ -n $(lab_mounts) ]] && ((tries++ < 5)); do
    while read -r m; do
      [[ -n $m ]] || continue
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "down: cannot unmount $m"
    done < <(lab_mounts)
  done
  remove_iptables_rules
  for p in $( (state_lines netns; lab_netns) | sort -u); do
    ip netns del "$p" 2>/dev/null || true
  done
  for p in $( (state_lines link; lab_links) | sort -u); do
    ip link del "$p" 2>/dev/null || true
  done
  restore_netns_dir
  remove_mountpoints
  [[ ! -f $POLICY_RC ]] || ! grep -qF "$POLICY_MARK" "$POLICY_RC" || rm -f "$POLICY_RC"
  if [[ -z $(lab_mounts) ]]; then
    while read -r p; do
      case " ${HOST_SIDE_DIRS[*]} " in *" $p "*) ;; *) continue ;; esac
      [[ ! -d $p ]] || find "$p" -depth -type d -empty -delete 2>/dev/null || true
    done < <(state_lines hostdir)
    rm -rf --one-file-system "$SHORT_RUN" "$LAB_DIR"
    rm -f "$STACK_FILE"
  else
    log "down: mounts remain under the lab's directories; not deleting them"
  fi
  verify_clean "${pids[@]}"
}

# verify_clean "PID MARKER"...: print what is left of the lab (nothing, we hope).
verify_clean() {
  local problems=() line pid marker x
  x=$(lab_links | tr '\n' ' ')
  [[ -z $x ]] || problems+=("links: $x")
  x=$(lab_netns | tr '\n' ' ')
  [[ -z $x ]] || problems+=("netns: $x")
  x=""
  for line in "$@"; do
    read -r pid marker <<<"$line"
    pid_has "$pid" "$marker" && x+="$pid "
  done
  x+=$(lab_daemon_pids | tr '\n' ' ')
  [[ -z $x ]] || problems+=("processes: $x")
  x=$(lab_mounts | tr '\n' ' ')
  [[ -z $x ]] || problems+=("mounts: $x")
  if command -v iptables-save >/dev/null; then
    x=$(iptables-save -t filter 2>/dev/null | grep -c -- "--comment \"\?$IPT_COMMENT" || true)
    [[ $x == 0 ]] || problems+=("iptables rules: $x")
  fi
  x=$(ip -o addr show | grep -c ' inet 10\.213\.0\.' || true)
  [[ $x == 0 ]] || problems+=("host addresses in 10.213.0.0/24: $x")
  if ((${#problems[@]})); then
    for x in "${problems[@]}"; do log "down: LEFT BEHIND: $x"; done
    return 1
  fi
  log "down: verified: no smv-* link (bridge, veth, tap) or netns, no lab process (QEMU included), mount, rule or address left"
}
