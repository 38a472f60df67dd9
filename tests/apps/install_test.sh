#!/usr/bin/env bash
# amoc as an installed library: `cmake --install` into a temporary prefix, then,
# using nothing but that prefix,
#   - examples/harness configured with find_package(amoc), built and run;
#   - every installed public header compiled in one program against the
#     package's targets (the installed set is complete, its dependencies found);
#   - the harness compiled again with `pkg-config --cflags --libs amoc`;
#   - bin/amoc runs from the prefix with its libraries, and `amoc scenarios
#     build` compiles a scenario against the installed SDK and headers.
#   install_test.sh BUILD_DIR SOURCE_DIR
set -u
build=$(realpath "$1")
source_dir=$(realpath "$2")
source "$source_dir/tests/apps/checks.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

check "install" ok "$work/install.log" cmake --install "$build" --prefix "$prefix"
for f in bin/amoc include/amoc/amoc.hpp include/amoc/runtime.hpp include/amoc/xmpp/client.hpp \
  include/amoc/http/client.hpp lib/cmake/amoc/amocConfig.cmake \
  lib/cmake/amoc/amocConfigVersion.cmake lib/cmake/amoc/FindCAF.cmake \
  lib/pkgconfig/amoc.pc share/amoc/sdk/amoc-sdk.cmake share/amoc/sdk/project/CMakeLists.txt \
  share/man/man1/amoc.1; do
  check "installed $f" test -e "$prefix/$f"
done
check "the installed man page is the binary's" cmp "$prefix/share/man/man1/amoc.1" \
  <("$build/bin/amoc" help --man)
check "nothing points back into the build tree" \
  bash -c "! grep -rl '$build\|$source_dir' '$prefix/lib/cmake' '$prefix/lib/pkgconfig' '$prefix/share'"

# The example harness, from a copy (nothing of the source tree next to it).
cp -r "$source_dir/examples/harness" "$work/harness-src"
check "harness configures with find_package(amoc)" ok "$work/harness-configure.log" \
  cmake -S "$work/harness-src" -B "$work/harness" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  "${launcher[@]}"
check "harness builds" ok "$work/harness-build.log" cmake --build "$work/harness"
"$work/harness/harness" 30 >"$work/harness.out" 2>&1
check "harness succeeds" test $? -eq 0
check "harness reports its users" has "^run finished: 30 of 30 users ended normally" "$work/harness.out"
check "harness prints its counter" has "counter +harness.iterations +90$" "$work/harness.out"
check "harness prints progress" has "^progress: " "$work/harness.out"
check "harness uses the installed libraries" \
  bash -c "ldd '$work/harness/harness' | grep -qE 'libamoc_core.so.* => $prefix/(bin/\.\./)?lib/'"

# Every installed header in one translation unit, against the package's targets.
mkdir -p "$work/headers-src"
(cd "$prefix/include" && find amoc -name '*.hpp' | sort | sed 's/.*/#include "&"/') \
  >"$work/headers-src/all_headers.cpp"
echo 'int main() {}' >>"$work/headers-src/all_headers.cpp"
cat >"$work/headers-src/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.25)
project(all_headers LANGUAGES CXX)
find_package(amoc 0.2 REQUIRED)
add_executable(all_headers all_headers.cpp)
target_link_libraries(all_headers PRIVATE amoc::core amoc::actors amoc::runtime amoc::http
                                          amoc::xmpp amoc::plugins)
EOF
check "every installed header compiles against the package" ok "$work/headers.log" bash -c \
  "cmake -S '$work/headers-src' -B '$work/headers' -G Ninja -DCMAKE_PREFIX_PATH='$prefix' \
     ${launcher[*]} && cmake --build '$work/headers'"
sed 's/find_package(amoc 0.2 REQUIRED)/find_package(amoc 1.0 REQUIRED)/' \
  "$work/headers-src/CMakeLists.txt" >"$work/version-src.txt"
mkdir -p "$work/version-src" && mv "$work/version-src.txt" "$work/version-src/CMakeLists.txt"
cp "$work/headers-src/all_headers.cpp" "$work/version-src/"
check "another minor version is refused" bash -c "! cmake -S '$work/version-src' \
  -B '$work/version' -G Ninja -DCMAKE_PREFIX_PATH='$prefix' >'$work/version.log' 2>&1"
check "refusal names the version" has "amocConfig.cmake, version: 0.2.0" "$work/version.log"

# pkg-config: the same harness with flags from amoc.pc.
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
check "pkg-config knows amoc" ok "$work/pc.log" pkg-config --exists --print-errors amoc
check "harness builds with pkg-config" ok "$work/pc-build.log" bash -c \
  "g++ '$work/harness-src/main.cpp' -o '$work/harness-pc' \$(pkg-config --cflags --libs amoc)"
"$work/harness-pc" 5 >"$work/harness-pc.out" 2>&1
check "pkg-config harness runs" has "^run finished: 5 of 5 users ended normally" \
  "$work/harness-pc.out"
unset PKG_CONFIG_PATH

# The installed binary: its own libraries, the installed SDK for plugins.
amoc=$prefix/bin/amoc
check "amoc uses the installed libraries" \
  bash -c "ldd '$amoc' | grep -qE 'libamoc_core.so.* => $prefix/(bin/\.\./)?lib/'"
export AMOC_PLUGIN_DIR=$work/plugins
unset AMOC_SDK_DIR
check "scenario template written" ok "$work/new.log" "$amoc" scenarios new probe "$work/scenarios"
check "scenarios build from the prefix" ok "$work/build-plugins.log" \
  "$amoc" scenarios build "$work/scenarios"
check "plugin built against the installed SDK" \
  bash -c "grep -rqs 'AMOC_SDK_DIR:.*=$prefix/share/amoc/sdk' '$work'/plugins/.cmake/*/CMakeCache.txt"
check "plugin compiled with the installed headers" \
  bash -c "grep -rqsE -- '-I$prefix/(share/amoc/sdk/\.\./\.\./\.\./)?include' '$work'/plugins/.cmake/*/build.ninja"
check "plugin compiled without the source tree's headers" \
  bash -c "! grep -rqs -- '-I$source_dir' '$work'/plugins/.cmake/*/build.ninja"
cat >"$work/probe.json" <<'EOF'
{"scenario": "probe", "users": [1, 3], "settings": {"interarrival": "0", "repeat_num": 1}, "duration": "60s"}
EOF
(cd "$work" && "$amoc" run "$work/probe.json" >"$work/probe.out" 2>&1)
check "the plugin's scenario runs from the prefix" test $? -eq 0
cat >"$work/dummy.json" <<'EOF'
{"scenario": "dummy", "users": [1, 10], "duration": "60s",
 "settings": {"interarrival": "0", "dummy_sleep": "10ms", "repeat_num": 2}}
EOF
(cd "$work" && "$amoc" run "$work/dummy.json" >"$work/dummy.out" 2>&1)
check "dummy runs from the prefix" test $? -eq 0
checks_done
