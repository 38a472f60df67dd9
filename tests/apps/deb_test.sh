#!/usr/bin/env bash
# The Debian package on a fresh Debian 12: `cpack -G DEB` in the build folder,
# then in a clean bookworm chroot (debootstrap, minbase) `apt-get install
# ./amoc_*.deb` pulls in the runtime libraries, and `amoc run` runs the dummy
# scenario there. The pristine chroot is cached as a tarball (and the packages
# apt downloaded into it) under ~/.cache/amoc, so a rerun takes seconds.
# Needs root (chroot) and the Debian mirror this machine's apt uses; exits 77
# (skipped) without them.
#   deb_test.sh BUILD_DIR SOURCE_DIR
set -u
build=$(realpath "$1")
source_dir=$(realpath "$2")
source "$source_dir/tests/apps/checks.sh"
source "$source_dir/tests/apps/fresh_root.sh"
[[ $(id -u) -eq 0 ]] || skip "needs root for the chroot"

work=$(mktemp -d)
root=$work/root
cleanup() {
  fresh_root_cleanup
  rm -rf "$work"
}
trap cleanup EXIT

started=$SECONDS
check "cpack builds the package" ok "$work/cpack.log" \
  cpack -G DEB -B "$work/pkg" --config "$build/CPackConfig.cmake"
deb=$(ls "$work"/pkg/amoc_*.deb 2>/dev/null | head -1)
[[ -n $deb ]] || { checks_done; exit 1; }
dpkg-deb --info "$deb" >"$work/info.txt"
dpkg-deb --contents "$deb" >"$work/contents.txt"
check "depends on CAF's runtime packages" has "Depends: .*libcaf-core0.17.*libcaf-io0.17" "$work/info.txt"
for f in ./usr/bin/amoc ./usr/include/amoc/runtime.hpp ./usr/lib/cmake/amoc/amocConfig.cmake \
  ./usr/lib/pkgconfig/amoc.pc ./usr/share/amoc/sdk/amoc-sdk.cmake ./usr/share/man/man1/amoc.1; do
  check "package holds $f" has " $f\$" "$work/contents.txt"
done
check "package holds the libraries" has " ./usr/lib/libamoc_runtime.so.[0-9.]+$" "$work/contents.txt"

fresh_root_make "$root" "$work"
cp "$deb" "$root/tmp/"

check "apt-get update in the chroot" ok "$work/update.log" in_root apt-get update -qq
check "apt-get install ./amoc_*.deb on a fresh Debian 12" ok "$work/install.log" \
  in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "/tmp/$(basename "$deb")"
fresh_root_keep_archives
check "the runtime libraries came with it" ok "$work/libs.log" \
  in_root dpkg-query -W libcaf-core0.17 libcaf-io0.17 libpugixml1v5 libedit2
check "no compiler was needed" bash -c "! chroot '$root' sh -c 'command -v g++ c++' >/dev/null"

cat >"$root/tmp/dummy.json" <<'EOF'
{"scenario": "dummy", "users": [1, 20],
 "settings": {"interarrival": "1ms", "dummy_sleep": "20ms", "repeat_num": 2}}
EOF
in_root sh -c 'cd /tmp && amoc run /tmp/dummy.json --out /tmp/result.json' >"$work/run.log" 2>&1
check "amoc run on the dummy scenario in the chroot" test $? -eq 0
check "the run's result file" has '"state": *"finished"' "$root/tmp/result.json"
check "twenty users ended normally" has '"normal": *20' "$root/tmp/result.json"
check "the man page is installed" in_root test -s /usr/share/man/man1/amoc.1
in_root amoc scenarios list >"$work/list.log" 2>&1
check "the installed binary lists its scenarios" has "dummy" "$work/list.log"
echo "deb_test: $((SECONDS - started)) s"
checks_done
