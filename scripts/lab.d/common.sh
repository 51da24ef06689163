# shellcheck shell=bash disable=SC2034
# Shared names, logging, state recording and bounded waits for scripts/lab.

LAB_DIR=$REPO/.lab
STATE=$LAB_DIR/state            # one line per thing created: "KIND ARGS..."
ENV_FILE=$LAB_DIR/env           # shell variables for status/exec/down
SHORT_RUN=/run/smv-lab          # runtime dir used when $LAB_DIR is too long for sockets
MGMT_BR=smv-mgmt
VLAN_BR=smv-v40
VLAN2_BR=smv-v41               # a second untagged network: eth2 on every node
HOST_CIDR=10.213.0.1/24
IMAGE=smv-busybox:lab
KEY=$LAB_DIR/id_ed25519
RUN_BASE=$LAB_DIR               # replaced by choose_run_base / load_env
LAB_NODES=0
LAB_KIND=netns                  # or vm (scripts/lab up --vm); kept in $ENV_FILE
LAB_ENGINE=${LAB_ENGINE:-current}  # or debian (scripts/lab up --engine); kept in $ENV_FILE
ENGINE_VERSIONS=""              # "client X (API a), server Y (API b)", set once the nodes run
T_START=$SECONDS

export LC_ALL=C
export DEBIAN_FRONTEND=noninteractive

log() { printf '%s [lab +%ss] %s\n' "$(date +%H:%M:%S)" "$((SECONDS - T_START))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
elapsed() { echo "$((SECONDS - T_START))"; }

require_root() { [[ $(id -u) -eq 0 ]] || die "must run as root"; }

# One lab command at a time: lock the script file itself (leaves nothing behind).
lab_lock() {
  exec 9<"$LAB_SCRIPT"
  flock -w 900 9 || die "another scripts/lab is still running after 900s"
}

# record KIND ARGS...: append to the state file right after creating something.
record() { printf '%s\n' "$*" >>"$STATE"; }

# state_lines KIND: print the ARGS of every recorded KIND line, newest first.
state_lines() {
  [[ -f $STATE ]] || return 0
  tac "$STATE" | awk -v k="$1" '$1 == k { sub(/^[^ ]+ /, ""); print }'
}

ns_name() { echo "smv-n$1"; }
node_name() { echo "node$1"; }
node_ip() { echo "10.213.0.$((10 + $1))"; }
node_dir() { echo "$LAB_DIR/n$1"; }          # data-root, logs, sshd config, pidfiles
node_run() { echo "$RUN_BASE/n$1"; }         # exec-root, docker socket, uts namespace
sock_path() { echo "$(node_run "$1")/docker.sock"; }
uts_file() { echo "$(node_run "$1")/uts"; }
node_role() { if [[ $1 -eq 1 ]]; then echo manager; else echo worker; fi; }

# Unix sockets are limited to 108 bytes; containerd's socket under the exec-root is
# the longest path dockerd makes (<exec-root>/containerd/containerd.sock plus margin).
choose_run_base() {
  if (( ${#LAB_DIR} > 50 )); then
    RUN_BASE=$SHORT_RUN
    mkdir -p "$RUN_BASE"
    record dir "$RUN_BASE"
  else
    RUN_BASE=$LAB_DIR
  fi
}

# write_env N [KIND]: KIND is netns (default) or vm.
write_env() {
  LAB_NODES=$1 LAB_KIND=${2:-netns}
  printf 'LAB_NODES=%q\nRUN_BASE=%q\nLAB_KIND=%q\nLAB_ENGINE=%q\n' "$LAB_NODES" "$RUN_BASE" "$LAB_KIND" "$LAB_ENGINE" >"$ENV_FILE"
}

load_env() {
  [[ -f $ENV_FILE ]] || return 1
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  [[ $RUN_BASE == "$LAB_DIR" || $RUN_BASE == "$SHORT_RUN" ]] || die "bad RUN_BASE in $ENV_FILE"
}

# node_index NAME -> i, for "1", "n1", "node1", "smv-n1" (and "vm1", "smv-vm1").
node_index() {
  local i=$1
  i=${i#smv-}; i=${i#node}; i=${i#vm}; i=${i#n}
  [[ $i =~ ^[0-9]+$ ]] && ((i >= 1 && i <= LAB_NODES)) || return 1
  echo "$i"
}

# wait_until SECONDS WHAT CMD...: run CMD every 0.5s until it succeeds; fail after SECONDS.
wait_until() {
  local limit=$1 what=$2 end
  shift 2
  end=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= end)); then
      log "timed out after ${limit}s waiting for $what"
      return 1
    fi
    sleep 0.5
  done
}

# pid_has PID MARKER: PID is alive (not a zombie) and its command line contains MARKER.
# Guards every kill against PID reuse.
pid_has() {
  local pid=$1 marker=$2 cmdline state
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  state=$(awk '/^State:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]] || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *"$marker"* ]]
}

# spawn LOG CMD...: start CMD in a new session with none of our fds (a CI runner waits
# for its pipes to close; fd 9 holds our flock); stdout+stderr to LOG. setsid execs in
# place (the subshell leads no process group), so SPAWNED_PID is CMD's own PID.
spawn() {
  local logf=$1 fd
  shift
  (
    for fd in /proc/"$BASHPID"/fd/*; do
      fd=${fd##*/}
      if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid "$@" >"$logf" 2>&1 </dev/null
  ) &
  SPAWNED_PID=$!
}

SSH_OPTS=(-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes
  -o ConnectTimeout=5 -o LogLevel=ERROR)
lab_ssh() { local i=$1; shift; ssh -i "$KEY" "${SSH_OPTS[@]}" "root@$(node_ip "$i")" "$@"; }

# ndocker I ARGS...: the docker CLI against node I's daemon.
ndocker() { local i=$1; shift; docker -H "unix://$(sock_path "$i")" "$@"; }
