#!/usr/bin/env bash
# The suite on a pristine Debian 12 (issue 22): a debootstrap minbase root with
# only ca-certificates and git, a clone of this tree's committed HEAD, then
# scripts/setup, scripts/build and the tests, as a new machine would run them.
# What a developer's machine has from earlier work (zlib1g-dev, python3-apt)
# is missing there, so a test that needs it without installing it fails here.
# The host's ccache is lent to the root (a build from scratch takes 12+ min on
# 2 cores) and the machine's own CA certificates are installed in it, as an
# operator of this machine would (a TLS-inspecting proxy for apt and npm).
# Needs root and the Debian mirror; exits 77 (skipped) without them.
# The logs of setup, build and tests stay in LOG_DIR (fresh-*.log).
#   fresh_test.sh SOURCE_DIR LOG_DIR [CTEST_ARGS...]   (default: every test but deb and fresh)
set -u
source_dir=$(realpath "$1")
log_dir=$(realpath -m "$2")
shift 2
ctest_args=("$@")
((${#ctest_args[@]})) || ctest_args=(-LE "deb|fresh")
source "$source_dir/tests/apps/checks.sh"
source "$source_dir/tests/apps/fresh_root.sh"
[[ $(id -u) -eq 0 ]] || skip "needs root for the chroot"

work=$(mktemp -d)
root=$work/root
cleanup() {
  fresh_root_cleanup
  mkdir -p "$log_dir"
  for log in setup build ctest; do
    [[ -f $work/$log.log ]] && cp "$work/$log.log" "$log_dir/fresh-$log.log"
  done
  rm -rf "$work"
}
trap cleanup EXIT
started=$SECONDS
took() { echo "fresh_test: $1 at $((SECONDS - started)) s"; }

fresh_root_make "$root" "$work"
mkdir -p "$root/dev/shm" "$root/dev/pts" "$root/root/.cache/ccache" \
  "$root/usr/local/share/ca-certificates"
mount -t tmpfs tmpfs "$root/dev/shm"   # Chromium's shared memory
mount -t devpts devpts "$root/dev/pts" # the console tests' pseudo-terminals
mount -t sysfs sysfs "$root/sys"       # ip netns exec
ccache_dir=${CCACHE_DIR:-$HOME/.cache/ccache}
mkdir -p "$ccache_dir"
mount --bind "$ccache_dir" "$root/root/.cache/ccache"
cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null
in_fresh() {
  # Compiler by content, not mtime: the root's g++ is the host's, installed at another time.
  in_root env CI=true CCACHE_DIR=/root/.cache/ccache CCACHE_BASEDIR=/src CCACHE_NOHASHDIR=1 \
    CCACHE_COMPILERCHECK=content \
    AMOC_JOBS="${AMOC_JOBS:-$(nproc)}" bash -c "cd /src && $1"
}

check "apt-get install ca-certificates git" ok "$work/base.log" \
  in_root bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends ca-certificates git && update-ca-certificates'
fresh_root_keep_archives
check "a clone of HEAD" ok "$work/clone.log" \
  git clone -q --no-hardlinks "$source_dir" "$root/src"
git -C "$root/src" checkout -q "$(git -C "$source_dir" rev-parse HEAD)"
took "the root is ready"
check "scripts/setup on a pristine Debian 12" ok "$work/setup.log" in_fresh ./scripts/setup
fresh_root_keep_archives
took "setup done"
check "scripts/build" ok "$work/build.log" in_fresh ./scripts/build
took "built"
check "the tests" ok "$work/ctest.log" \
  in_fresh "ctest --test-dir build --output-on-failure --timeout 600 $(printf '%q ' "${ctest_args[@]}")"
grep -E "tests passed|^\s+[0-9]+ - " "$work/ctest.log"
echo "fresh_test: logs in $log_dir/fresh-{setup,build,ctest}.log"
fresh_root_keep_archives
took "tested"
checks_done
