#!/usr/bin/env bash
# `amoc scenarios build` and the plugin loader, end to end: a good plugin
# builds, lists and runs; a compile error, a plugin without scenario, one
# built for another amoc, one with a missing symbol, one that is no plugin and
# duplicate names each give a clear error naming the file, and the others
# still load.
set -u
source "$(dirname "$0")/plugin_checks.sh"
cp -r "$here/scenarios" good
cp -r "$here/broken" broken

# One build of every plugin: the build itself succeeds, then loading what it
# built reports each bad plugin (so the command fails) and lists the good ones.
"$amoc" scenarios build good >build.out 2>&1
code=$?
check "build with bad plugins fails" exits "$code" 1
check "good plugin built and loaded" has "^  plugin_good  \(.*/plugins/good.so\)" build.out
check "no scenario registered" has "no_scenario.so: no scenario registered" build.out
check "missing symbol named" has "missing_symbol.so: undefined symbol: amoc_test_not_defined_anywhere\(\)" build.out
check "not a plugin" has "not_a_plugin.so: no amoc_plugin_abi symbol" build.out
check "duplicate name names both" \
  has "twin_b.so: scenario 'twin' is already registered by .*/twin_a.so \(twin_a.cpp\)" build.out
check "built-in name names the built-in" \
  has "clash_builtin.so: scenario 'dummy' is already registered by built-in \(dummy.cpp\)" build.out

# A plugin built against another amoc: the same plugin with another version in its tag.
tag=$("$amoc" version | sed -E 's/.*plugin ABI: (.*)\)$/\1/')
python3 - "$tag" plugins/good.so plugins/other_version.so <<'PY'
import re, sys
tag, src, dst = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(src, "rb").read()
version = tag.split()[1]
other = tag.replace(version, re.sub(r"\d", "9", version), 1)
assert tag.encode() in data, "the tag is not in the plugin"
open(dst, "wb").write(data.replace(tag.encode(), other.encode()))
PY
"$amoc" scenarios list >list.out 2>&1
code=$?
check "list succeeds despite bad plugins" exits "$code" 0
check "other version refused" has "other_version.so: built against \"amoc 9" list.out
check "list shows the plugin's scenario and origin" has "^plugin_good  \(.*/plugins/good.so\)" list.out
check "list shows the description" has "^  Counts to plugin_good_count" list.out
check "list shows variables with default and rule" \
  has "plugin_good_count +integer +default 3 +how far to count \(a positive number\)" list.out
check "list keeps the built-ins" has "^dummy  \(built-in\)" list.out
check "first twin loaded" has "^twin  \(.*/twin_a.so\)" list.out

# Without AMOC_PLUGIN_DIR, plugins live in the user's data folder, not in a
# build or install tree: $XDG_DATA_HOME/amoc/plugins, else ~/.local/share/amoc/plugins.
mkdir -p xdg/amoc/plugins home/.local/share/amoc/plugins
cp plugins/good.so xdg/amoc/plugins/
cp plugins/good.so home/.local/share/amoc/plugins/
env -u AMOC_PLUGIN_DIR XDG_DATA_HOME="$work/xdg" "$amoc" scenarios list >xdg.out 2>&1
check "default folder under XDG_DATA_HOME" has "^plugin_good  \($work/xdg/amoc/plugins/good.so\)" xdg.out
env -u AMOC_PLUGIN_DIR -u XDG_DATA_HOME HOME="$work/home" "$amoc" scenarios list >home.out 2>&1
check "default folder under ~/.local/share" \
  has "^plugin_good  \($work/home/.local/share/amoc/plugins/good.so\)" home.out

# The good plugin runs; its metric shows up in the result.
cat >run.json <<'JSON'
{"scenario": "plugin_good", "users": [1, 3],
 "settings": {"interarrival": 0, "repeat_num": 1, "plugin_good_count": 4}}
JSON
"$amoc" run run.json --out result.json >run.out 2>&1
code=$?
check "plugin scenario runs" exits "$code" 0
check "its users end normally" has "normal 3" run.out
check "its metric is counted" python3 -c '
import json
r = json.load(open("result.json"))
assert r["metrics"]["counters"]["plugin_good.counted"]["total"] == 12, r["metrics"]["counters"]'
# A plugin's metrics are not known to `amoc check`: only a threshold's syntax is.
cat >plugin_check.json <<'JSON'
{"scenario": "plugin_good", "users": [1, 3],
 "thresholds": {"plugin_good.counted": ["count == 12"], "plugin_good.other": ["count == 0"]}}
JSON
"$amoc" check plugin_check.json >plugin_check.out 2>&1
code=$?
check "a plugin's own metrics pass amoc check" exits "$code" 0

# A compile error: the compiler's message names file and line; nothing is built or loaded.
rm -rf plugins
"$amoc" scenarios build broken >broken.out 2>&1
code=$?
check "compile error fails the build" exits "$code" 1
check "compile error names file and line" has "typo.cpp:[0-9]+:[0-9]+: error: " broken.out
check "compile error output is not ninja noise" bash -c '! grep -q "^FAILED: " broken.out'
check "compile error loads nothing" bash -c '! ls plugins/*.so 2>/dev/null | grep -q typo'

# A copy of a built-in scenario's source replaces it (rebuild without relinking amoc).
mkdir own && cp "$here/../../scenarios/dummy.cpp" own/
"$amoc" scenarios build own --out own-plugins >own.out 2>&1
code=$?
check "copy of a built-in builds" exits "$code" 0
check "copy of a built-in replaces it" has "^  dummy  \(.*/own-plugins/dummy.so\)" own.out
# ... and then what it records is no longer known: a threshold the built-in
# dummy never records passes amoc check.
echo '{"scenario": "dummy", "users": [1, 2], "thresholds": {"xmpp.ttd": ["p99 < 1s"]}}' >own.json
AMOC_PLUGIN_DIR=$work/own-plugins "$amoc" check own.json >own_check.out 2>&1
code=$?
check "a replaced built-in's metrics are not known" exits "$code" 0
"$amoc" check own.json >builtin_check.out 2>&1
code=$?
check "... while the built-in's are" exits "$code" 2

"$amoc" scenarios build nowhere >nowhere.out 2>&1
# Libraries from the folder: dependencies.cmake links zlib; a JSON list naming
# a package that does not exist fails with pkg-config's message.
cp -r "$here/with_deps" with_deps
"$amoc" scenarios build with_deps --out deps-plugins >deps.out 2>&1
code=$?
check "dependencies.cmake links its library" exits "$code" 0
check "scenario using a dependency loads" has "^  zlib_user  " deps.out
mkdir missing_deps && cp with_deps/zlib_user.cpp missing_deps/
echo '["zlib", "amoc-no-such-package"]' >missing_deps/dependencies.json
"$amoc" scenarios build missing_deps --out missing-plugins >missing.out 2>&1
code=$?
check "missing package fails the build" exits "$code" 1
check "missing package named" has "amoc-no-such-package" missing.out

# Code the scenarios share, in common/: linked into each plugin, not a plugin itself.
cp -r "$here/with_common" with_common
"$amoc" scenarios build with_common --out common-plugins >common.out 2>&1
code=$?
check "a folder with common/ builds" exits "$code" 0
check "both of its scenarios load" has "^  steps_b  " common.out
check "common/ is no plugin" bash -c '! ls common-plugins | grep -qv "^steps_[ab].so$"'
echo '{"scenario": "steps_a", "users": [1, 3], "settings": {"interarrival": 0, "repeat_num": 1}}' \
  >steps.json
AMOC_PLUGIN_DIR=$work/common-plugins "$amoc" run steps.json --out steps-result.json >steps.out 2>&1
code=$?
check "a scenario using common/ runs" exits "$code" 0
check "... with the shared code's answer" python3 -c '
import json
r = json.load(open("steps-result.json"))
assert r["metrics"]["counters"]["steps_a.counted"]["total"] == 15, r["metrics"]["counters"]'

check "missing folder named" has "nowhere: no such directory" nowhere.out
"$amoc" scenarios frob >frob.out 2>&1
code=$?
check "unknown subcommand" exits "$code" 2

checks_done
