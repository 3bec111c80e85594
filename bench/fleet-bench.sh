#!/usr/bin/env bash
# Fleet benchmark: one upgrade run against many databases, `-j 1` against `-j 8`, beside psql
# applying the same SQL to each database (one after another, and eight at a time), on one
# throw-away PostgreSQL server, in one run.
#   bench/fleet-bench.sh [DATABASES] [REVISIONS]     (default: 100 databases, 10 revisions)
source "$(dirname "$0")/common.sh"
bench_setup 100 10 -- "$@"
databases=${sizes[0]}
revisions=${sizes[1]:-10}
work=$root/build/bench-fleet
bench_server "$work"

dir=$work/set
mkdir -p "$dir"
"$root/bench/generate-revisions.sh" "$revisions" "$dir/migrations"
cat >"$dir/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(bench_fleet LANGUAGES CXX)
find_package(pgmig REQUIRED)
pgmig_add_revisions(fleet DIRECTORY migrations)
CMAKE
cmake -S "$dir" -B "$dir/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$stage" >/dev/null
cmake --build "$dir/build" >/dev/null
cli=$dir/build/fleet-migrate

# fresh_fleet PREFIX: DATABASES empty databases, and the file listing them.
fresh_fleet() {
    : >"$work/$1.targets"
    for ((i = 0; i < databases; i++)); do
        psql -X -q -d "$url" -c "DROP DATABASE IF EXISTS $1_$i" -c "CREATE DATABASE $1_$i TEMPLATE template0" 2>/dev/null
        echo "$url dbname=$1_$i" >>"$work/$1.targets"
    done
}
psql_fleet() { # JOBS: psql -f the same revisions into every database, JOBS at a time
    xargs -P "$1" -I{} psql -X -q -v ON_ERROR_STOP=1 -d {} -f "$dir/migrations.up-each.sql" <"$work/psql_$1.targets"
}

fresh_fleet psql_1; t_psql_1=$(timed psql_fleet 1)
fresh_fleet pgmig_1; t_pgmig_1=$(timed "$cli" upgrade --targets "$work/pgmig_1.targets" -j 1)
fresh_fleet psql_8; t_psql_8=$(timed psql_fleet 8)
fresh_fleet pgmig_8; t_pgmig_8=$(timed "$cli" upgrade --targets "$work/pgmig_8.targets" -j 8)
for t in pgmig_1 pgmig_8; do # every database migrated, or the figures mean nothing
    while read -r target; do
        [ "$(psql -X -A -t -d "$target" -c 'SELECT count(*) FROM pgmig_version')" = 1 ] ||
            { echo "bench: $target was not migrated" >&2; exit 1; }
    done <"$work/$t.targets"
done

printf '%s databases, %s revisions each, %s cores\n' "$databases" "$revisions" "$(nproc)"
printf '%-6s %10s %10s %8s\n' jobs psql pgmig ratio
for j in 1 8; do
    p=t_psql_$j; g=t_pgmig_$j
    printf '%-6s %10.2f %10.2f %8.2f\n' "$j" "${!p}" "${!g}" "$(awk -v a="${!g}" -v b="${!p}" 'BEGIN { print a / b }')"
done
printf 'pgmig -j 8 against -j 1: %.2fx faster\n' "$(awk -v a="$t_pgmig_1" -v b="$t_pgmig_8" 'BEGIN { print a / b }')"
