# Sourced by the tests that need a pristine Debian 12 (deb_test.sh, fresh_test.sh):
# a debootstrap minbase bookworm root, made once and cached as a tarball (with
# the packages apt downloaded into it) under ~/.cache/amoc. Needs root and the
# Debian mirror this machine's apt uses; `skip` (exit 77) without them.
#   fresh_root_make ROOT WORK   # ROOT: a fresh copy (bound on itself), /proc, resolv.conf
#   in_root COMMAND...          # in ROOT, with a clean environment
#   fresh_root_keep_archives    # keeps what apt downloaded for the next run
#   fresh_root_cleanup          # unmounts what fresh_root_make and callers mounted
fresh_cache=${XDG_CACHE_HOME:-$HOME/.cache}/amoc
fresh_tarball=$fresh_cache/bookworm-minbase.tar.gz
fresh_archives=$fresh_cache/bookworm-archives
fresh_root=

skip() {
  echo "skipped: $1"
  exit 77
}

# The mirror this machine installs Debian packages from (deb822 or one-line sources).
fresh_mirror() {
  { grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}'
    grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}'; } |
    grep -v -- '-security' | head -1
}

fresh_root_make() {
  local root=$1 work=$2 source_dir
  source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  [[ $(id -u) -eq 0 ]] || skip "needs root for the chroot"
  if [[ ! -f $fresh_tarball ]]; then
    local url
    url=$(fresh_mirror)
    [[ -n $url ]] || skip "no Debian mirror in this machine's apt sources"
    "$source_dir/scripts/need-packages" debootstrap >"$work/need.log" 2>&1 ||
      skip "cannot install debootstrap"
    echo "fresh root: debootstrap bookworm from $url (once; cached in $fresh_tarball)"
    mkdir -p "$fresh_cache"
    debootstrap --variant=minbase bookworm "$work/pristine" "$url" >"$work/debootstrap.log" 2>&1 ||
      { tail -5 "$work/debootstrap.log"; skip "debootstrap cannot reach $url"; }
    tar -C "$work/pristine" -czf "$fresh_tarball.tmp" . && mv "$fresh_tarball.tmp" "$fresh_tarball"
    rm -rf "$work/pristine"
  fi
  fresh_root=$root
  mkdir -p "$root" "$fresh_archives"
  # A mount point of its own, so `ip netns exec` can make / a slave in it.
  mount --bind "$root" "$root"
  tar -C "$root" -xzf "$fresh_tarball"
  cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
  mount -t proc proc "$root/proc"
  # Packages downloaded by an earlier run: apt checks them and skips the download.
  cp "$fresh_archives"/*.deb "$root/var/cache/apt/archives/" 2>/dev/null
  return 0
}

in_root() { chroot "$fresh_root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }

fresh_root_keep_archives() {
  cp -n "$fresh_root"/var/cache/apt/archives/*.deb "$fresh_archives/" 2>/dev/null
  rm -f "$fresh_archives"/amoc_*.deb
}

fresh_root_cleanup() {
  [[ -n $fresh_root ]] || return 0
  local m round
  # Deepest first, in rounds: `ip netns` mounts /run/netns on itself, the
  # root may be bound on itself (fresh_test.sh), and callers mount below it.
  for round in 1 2 3 4; do
    for m in $(awk -v r="$fresh_root" '$2 == r || index($2, r "/") == 1 {print $2}' /proc/mounts |
      sort -r); do
      umount "$m" 2>/dev/null || umount -l "$m"
    done
  done
}
