# shellcheck shell=bash
# The Docker Engine the lab's nodes run (scripts/lab up --engine current|debian):
#   current  dockerd, containerd, runc built from Go modules by scripts/docker-engine (cached
#            outside the repository); the default everywhere.
#   debian   Debian 12's docker.io (Engine 20.10, API 1.41): the oldest engine supported.
# The client is the `docker` first on PATH in both cases (README, "Supported Docker versions").

ENGINE_BIN=""   # the directory whose dockerd (and containerd, runc) the nodes run

# ensure_engine: set ENGINE_BIN for LAB_ENGINE, building the current engine if it is not cached.
ensure_engine() {
  case $LAB_ENGINE in
    current)
      log "engine: current (scripts/docker-engine; the first build takes about 20 min)"
      ENGINE_BIN=$("$REPO/scripts/docker-engine") || die "engine: scripts/docker-engine failed"
      ;;
    debian)
      local d
      # The whole list, then the first match (grep -m 1 would end dpkg early: SIGPIPE, pipefail).
      d=$(dpkg -L docker.io 2>/dev/null | grep '/dockerd$' || true)
      [[ -n $d ]] || die "engine: docker.io has no dockerd"
      ENGINE_BIN=$(dirname "${d%%$'\n'*}")
      ;;
  esac
  [[ -x $ENGINE_BIN/dockerd ]] || die "engine: no dockerd in $ENGINE_BIN"
  log "engine: $LAB_ENGINE, $("$ENGINE_BIN/dockerd" --version)"
}

# engine_env: the environment a node's dockerd starts with (it finds containerd, the shim and
# runc on PATH).
engine_env() {
  if [[ $LAB_ENGINE == current ]]; then echo "PATH=$ENGINE_BIN:$PATH"; else echo "PATH=$PATH"; fi
}

# What `docker version` says on a node: set into ENGINE_VERSIONS, kept in lab.json, printed by
# every end-to-end suite at its start.
ENGINE_VERSION_FORMAT='client {{.Client.Version}} (API {{.Client.APIVersion}}), server {{.Server.Version}} (API {{.Server.APIVersion}}, minimum {{.Server.MinAPIVersion}})'
