# shellcheck shell=bash
# Debian packages the lab needs, installed without starting any host daemon.

LAB_PACKAGES=(docker.io containerd runc openssh-server openssh-client busybox-static
  iproute2 iptables util-linux procps tar)
# The VM lab (--vm): QEMU and the image build on the host; docker and sshd run in the guests.
VM_HOST_PACKAGES=(qemu-system-x86 qemu-utils debootstrap e2fsprogs openssh-client
  iproute2 iptables util-linux procps coreutils)
POLICY_RC=/usr/sbin/policy-rc.d
POLICY_MARK='# written by swarm-macvlan scripts/lab during apt-get install'

pkg_installed() {
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

# PIDs of host daemons a package postinst could start (dockerd, containerd, sshd).
daemon_pids() {
  local d comm
  for d in /proc/[0-9]*; do
    comm=$(cat "$d/comm" 2>/dev/null) || continue
    case $comm in dockerd | containerd | sshd) echo "${d#/proc/}" ;; esac
  done | sort
}

apt_get() {
  timeout 900 apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 -q -y "$@" \
    >>"$LAB_DIR/apt.log" 2>&1
}

# ensure_packages [PACKAGE...]: install those missing (default: the namespace lab's).
ensure_packages() {
  local p missing=()
  (($#)) || set -- "${LAB_PACKAGES[@]}"
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  if ((${#missing[@]} == 0)); then
    log "packages: all present"
    return 0
  fi
  [[ ${LAB_SKIP_APT:-} != 1 ]] || die "missing packages (LAB_SKIP_APT=1): ${missing[*]}"
  log "packages: installing ${missing[*]}"
  local before after
  before=$(daemon_pids)
  if [[ ! -e $POLICY_RC ]]; then
    printf '#!/bin/sh\n%s\nexit 101\n' "$POLICY_MARK" >"$POLICY_RC"
    chmod 755 "$POLICY_RC"
    record file "$POLICY_RC"
  fi
  local ok=0
  # Stale or missing package lists: install fails or has no candidate; update once then.
  if [[ $(apt-cache policy "${missing[0]}" 2>/dev/null) == *"Candidate: "[0-9]* ]] &&
    apt_get install --no-install-recommends "${missing[@]}"; then
    ok=1
  else
    log "packages: apt-get update"
    if apt_get update && apt_get install --no-install-recommends "${missing[@]}"; then ok=1; fi
  fi
  remove_policy_rc
  after=$(daemon_pids)
  stop_new_daemons "$before" "$after"
  ((ok)) || { tail -n 20 "$LAB_DIR/apt.log" >&2; die "apt-get install failed (log: $LAB_DIR/apt.log)"; }
  log "packages: installed"
}

# Remove policy-rc.d only if it is the one we wrote.
remove_policy_rc() {
  if [[ -f $POLICY_RC ]] && grep -qF "$POLICY_MARK" "$POLICY_RC"; then rm -f "$POLICY_RC"; fi
}

# A postinst that started a host daemon despite policy-rc.d: stop exactly that PID.
stop_new_daemons() {
  local pid
  for pid in $(comm -13 <(echo "$1") <(echo "$2")); do
    log "packages: stopping host daemon $(cat "/proc/$pid/comm" 2>/dev/null) (pid $pid) started by a postinst"
    kill -TERM "$pid" 2>/dev/null || true
    local end=$((SECONDS + 15))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < end)); do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
