# Sourced by the plugin tests with amoc's path as $1: a scratch folder (also
# the plugin folder's parent) that is removed on exit, and the checks.
amoc=$(realpath "$1")
here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
source "$here/../apps/checks.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export AMOC_PLUGIN_DIR=$work/plugins

# `has PATTERN FILE` comes from checks.sh.
# exits CODE WANT: an exit code is the one wanted.
exits() { [[ $1 -eq $2 ]] || { echo "--- exit $1, want $2"; false; }; }
