# shellcheck shell=bash
# The VM lab's guest image: built once by vm-build-image into a cache outside the
# repository, keyed by a hash of the recipe, so that editing the recipe rebuilds it and
# every checkout with the same recipe shares one build. `down` never removes it.
#
#   ${XDG_CACHE_HOME:-$HOME/.cache}/swarm-macvlan/vm/<key>/{vmlinuz,initrd.img,root.raw,...}

VM_BUILDER=$LAB_LIBDIR/vm-build-image
VM_CACHE_ROOT=${XDG_CACHE_HOME:-$HOME/.cache}/swarm-macvlan/vm
VM_BUILD_TIMEOUT=1800           # seconds for the whole build (about 2-3 min here)
VM_BASE=""                      # set by vm_image_ensure / load_env

# The key: the package list, the builder's own text (which contains everything else), the
# current engine's pins and the docker client the guests get (the host's, VM_DOCKER_CLIENT).
VM_ENGINE_BIN=""
VM_DOCKER_CLIENT=""
vm_image_key() {
  {
    echo "packages:"
    "$VM_BUILDER" --print-packages
    echo "builder:"
    cat "$VM_BUILDER"
    echo "engine:"
    "$REPO/scripts/docker-engine" --key
    echo "client:"
    sha256sum <"$VM_DOCKER_CLIENT"
  } | sha256sum | cut -c1-16
}

# vm_engine_ensure: the current engine built (the image carries it beside Debian's) and the
# docker client the guests get: the one first on this machine's PATH, which the namespace
# lab's nodes use too.
vm_engine_ensure() {
  log "engine: current (scripts/docker-engine; the first build takes about 20 min)"
  VM_ENGINE_BIN=$("$REPO/scripts/docker-engine") || die "engine: scripts/docker-engine failed"
  VM_DOCKER_CLIENT=$(command -v docker) || die "engine: no docker client on PATH"
  VM_DOCKER_CLIENT=$(readlink -f "$VM_DOCKER_CLIENT")
  export VM_ENGINE_BIN VM_DOCKER_CLIENT
}

vm_image_complete() {
  local d=$1 f
  for f in vmlinuz initrd.img root.raw busybox.tar; do [[ -s $d/$f ]] || return 1; done
}

# vm_image_ensure: set VM_BASE to a complete image for the current recipe, building it
# if the cache has none. One build at a time per cache (flock on the cache directory);
# the build goes to a temporary directory renamed into place only when complete.
vm_image_ensure() {
  local key dir tmp blog t0
  vm_engine_ensure
  key=$(vm_image_key)
  dir=$VM_CACHE_ROOT/$key
  if vm_image_complete "$dir"; then
    VM_BASE=$dir
    log "image: cached $dir"
    return 0
  fi
  mkdir -p "$VM_CACHE_ROOT"
  exec 8<"$VM_CACHE_ROOT"
  log "image: none cached for this recipe ($key); taking the cache lock"
  flock -w "$VM_BUILD_TIMEOUT" 8 || die "image: another build held $VM_CACHE_ROOT for ${VM_BUILD_TIMEOUT}s"
  if vm_image_complete "$dir"; then            # built by whoever held the lock
    exec 8<&-
    VM_BASE=$dir
    log "image: cached $dir"
    return 0
  fi
  # Under the lock no build is running: anything temporary is a dead build's.
  rm -rf --one-file-system "$VM_CACHE_ROOT"/.tmp-* "$dir"
  tmp=$VM_CACHE_ROOT/.tmp-$key-$$
  blog=$tmp.log                 # kept after a failure (until the next build) to read
  mkdir -p "$tmp"
  t0=$SECONDS
  log "image: building $key (debootstrap from ${VM_MIRROR:-http://deb.debian.org/debian}; log $blog)"
  # Own mount namespace: debootstrap's /proc and /sys mounts in the chroot vanish with
  # it. timeout signals the builder's whole process group.
  if ! timeout "$VM_BUILD_TIMEOUT" unshare --mount --propagation private -- \
    "$VM_BUILDER" "$tmp" >"$blog" 2>&1 </dev/null; then
    tail -n 25 "$blog" >&2
    rm -rf --one-file-system "$tmp"
    exec 8<&-
    die "image: build failed or took over ${VM_BUILD_TIMEOUT}s (log: $blog)"
  fi
  mv "$blog" "$tmp/build.log"
  vm_image_complete "$tmp" || { exec 8<&-; die "image: the build left an incomplete image in $tmp"; }
  mv -T "$tmp" "$dir"
  exec 8<&-
  VM_BASE=$dir
  log "image: built in $((SECONDS - t0))s: $dir ($(du -sh "$dir" | cut -f1) on disk)"
  local other
  for other in "$VM_CACHE_ROOT"/*/; do
    other=${other%/}
    [[ $other == "$dir" || ! -d $other ]] ||
      log "image: older image $other ($(du -sh "$other" | cut -f1)) can be removed by hand"
  done
}
