# What every benchmark starts with; sourced, not run. Sets root, stage, sizes (the script's
# arguments, or the defaults given to bench_setup), and builds pgmig in release mode and
# installs it into build/stage, as a user's project would find it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
stage=$root/build/stage
server=$root/build/default/tools/pgmig-server

# bench_setup <default size>... -- "$@"
bench_setup() {
    local defaults=()
    while [ "$1" != "--" ]; do defaults+=("$1"); shift; done
    shift
    sizes=("$@")
    [ "${#sizes[@]}" -gt 0 ] || sizes=("${defaults[@]}")
    cmake --preset default -DPGMIG_BUILD_TESTING=OFF >/dev/null
    cmake --build --preset default >/dev/null
    cmake --install "$root/build/default" --prefix "$stage" >/dev/null
}
