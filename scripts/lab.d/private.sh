# shellcheck shell=bash disable=SC2034
# Per-node private host paths: each node's sshd (so every ssh session, and `lab exec`)
# runs in its own mount namespace in which the paths below are bind mounts of the
# node's directories .lab/nI/root<path>. Writes there reach neither the host nor the
# other nodes. dockerd stays in the host's mount namespace (it does not see them).

# Paths the library (and its persistence feature) writes on a node.
PRIVATE_DIRS=(/var/lib/swarm-macvlan /etc/systemd/system /usr/local/lib/swarm-macvlan /etc/swarm-macvlan)

# Run by sh inside the node's new mount namespace: "SRC DST"... -- CMD...; bind-mounts
# each SRC over DST, then execs CMD in place (so the spawned PID stays CMD's).
# shellcheck disable=SC2016
PRIVATE_MOUNT_SH='while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
  mount --bind "$1" "$2" || { echo "lab: cannot bind $1 over $2" >&2; exit 1; }
  shift 2
done
[ "${1:-}" = -- ] || { echo "lab: no command after --" >&2; exit 1; }
shift
exec "$@"'

node_root() { echo "$(node_dir "$1")/root"; }

# The bind mounts need a directory on the host at each path. Those missing are made
# (each missing level separately), recorded as "mountpoint DIR MTIME0 MTIME1" (the
# parent's mtime before and after mkdir), and removed by down again with rmdir (so
# only while empty). Existing ones are used as they are.
mtime() { stat -c %.9Y "$1"; }
prepare_mountpoints() {
  local p d m0
  local -a missing
  for p in "${PRIVATE_DIRS[@]}"; do
    if [[ -L $p || (-e $p && ! -d $p) ]]; then
      die "$p exists on the host but is not a plain directory; cannot give nodes a private one"
    fi
    missing=()
    d=$p
    while [[ ! -e $d && $d == /?* ]]; do missing=("$d" "${missing[@]}"); d=$(dirname "$d"); done
    for d in "${missing[@]}"; do
      m0=$(mtime "$(dirname "$d")")
      mkdir -m 755 "$d"
      record mountpoint "$d" "$m0" "$(mtime "$(dirname "$d")")"
    done
  done
}

# private_bind_args I: "SRC DST" pairs for PRIVATE_MOUNT_SH; makes the node's dirs.
private_bind_args() {
  local i=$1 p root
  root=$(node_root "$i")
  PRIVATE_BIND_ARGS=()
  for p in "${PRIVATE_DIRS[@]}"; do
    mkdir -p "$root$p"
    chmod 755 "$root$p"
    PRIVATE_BIND_ARGS+=("$root$p" "$p")
  done
}

# private_check: the ssh command that prints device:inode of each private path as
# the node sees it; private_want I: what it must print (those of the node's dirs).
private_check() { printf 'stat -c %%d:%%i'; printf ' %q' "${PRIVATE_DIRS[@]}"; }
private_want() {
  local i=$1 p root
  root=$(node_root "$i")
  for p in "${PRIVATE_DIRS[@]}"; do stat -c %d:%i "$root$p"; done
}

# sshd_pid I: the recorded PID of node I's sshd, if that sshd is still running.
sshd_pid() {
  local marker pid m
  marker="$(node_dir "$1")/sshd_config"
  while read -r pid m; do
    [[ $m == "$marker" ]] && pid_has "$pid" "$marker" && { echo "$pid"; return 0; }
  done < <(state_lines pid)
  return 1
}

# Down: remove the mount points up made, innermost first, only if still empty; give
# the parent its old mtime back unless something else changed it in the meantime.
remove_mountpoints() {
  local d m0 m1 p ok parent
  while read -r d m0 m1; do
    ok=0                        # only PRIVATE_DIRS and their ancestors, never "/"
    for p in "${PRIVATE_DIRS[@]}"; do [[ $p == "$d" || $p == "$d"/* ]] && ok=1; done
    [[ $ok == 1 && $d == /?* && -d $d && ! -L $d ]] || continue
    parent=$(dirname "$d")
    p=$(mtime "$parent")
    rmdir "$d" 2>/dev/null || { log "down: $d is not empty (or busy); leaving it"; continue; }
    [[ -z $m0 || $p != "$m1" ]] || touch -m -d "@$m0" "$parent" || true
  done < <(state_lines mountpoint)
}
