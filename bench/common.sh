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

now() { date +%s.%N; }
# elapsed START: seconds since START (a `now`), to four places.
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.4f\n", e - s }'; }

# timed COMMAND...: seconds the command takes, its output dropped. A checkpoint of the bench
# server ($url) first, so that no measurement pays for the writes the one before it left.
timed() {
    local s
    psql -X -q -d "$url" -c CHECKPOINT >/dev/null
    s=$(now)
    "$@" >/dev/null 2>&1
    elapsed "$s"
}

# bench_server DIR: starts a throw-away server (tmpfs, cached template) kept under DIR, stopped
# when the script exits; sets url.
bench_server() {
    mkdir -p "$1"
    "$server" start --state "$1/server.state" --home "$1/server" --throwaway --tmpfs \
        --template "$work/template" >/dev/null
    trap '"$server" stop --state "'"$1"'/server.state" >/dev/null' EXIT
    url=$("$server" url --state "$1/server.state")
}
