#!/usr/bin/env bash
# Runtime benchmark: pgmig beside plain psql running the same SQL with the same transaction
# structure, on one throw-away PostgreSQL server (fsync off), in one run.
#   bench/runtime-bench.sh [N...]        (default: 100 1000 10000)
# Prints seconds and the ratio pgmig/psql for:
#   upgrade and downgrade, one transaction per revision   vs  psql -f  (BEGIN/COMMIT per revision)
#   the same with --single-transaction                    vs  psql -1 -f
#   a no-op `upgrade head` on an up-to-date database      vs  psql -c 'select 1'
#   the start-up check inside an already connected app   (milliseconds)
source "$(dirname "$0")/common.sh"
bench_setup 100 1000 10000 -- "$@"
work=$root/build/bench-runtime
bench_server "$work"

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
fresh_db() {
    psql -X -q -d "$url" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 TEMPLATE template0" 2>/dev/null
}

printf '%-7s %-34s %10s %10s %8s\n' N measurement psql pgmig ratio
for n in "${sizes[@]}"; do
    dir=$work/n$n
    mkdir -p "$dir"
    "$root/bench/generate-revisions.sh" "$n" "$dir/migrations"
    cat >"$dir/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(bench_runtime LANGUAGES CXX)
find_package(pgmig REQUIRED)
pgmig_add_revisions(bench_$n DIRECTORY migrations)
add_executable(startup_check $root/bench/startup_check.cpp)
target_compile_definitions(startup_check PRIVATE
    "PGMIG_BENCH_HEADER=<pgmig/sets/bench_$n.hpp>" PGMIG_BENCH_SET=pgmig::sets::bench_$n)
target_link_libraries(startup_check PRIVATE bench_$n)
CMAKE
    cmake -S "$dir" -B "$dir/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$stage" >/dev/null
    cmake --build "$dir/build" >/dev/null
    cli=$dir/build/bench_$n-migrate
    reps=5 # medians of five: a 2-core machine running client and server is noisy
    ((n <= 1000)) || reps=1
    declare -A t=()
    for ((r = 0; r < reps; r++)); do
        for mode in each all; do
            psql_flags=(-X -q -v ON_ERROR_STOP=1)
            pgmig_flags=()
            if [ $mode = all ]; then psql_flags+=(-1); pgmig_flags=(--single-transaction); fi
            fresh_db bench_psql; fresh_db bench_pgmig
            # Alternate which tool goes first, so that neither always runs in the other's wake.
            order=$( ((r % 2)) && echo "pgmig psql" || echo "psql pgmig")
            for direction in up down; do
                verb=(upgrade heads)
                [ $direction = up ] || verb=(downgrade base)
                for tool in $order; do
                    if [ $tool = psql ]; then
                        t[psql_${direction}_$mode]+="$(timed psql "${psql_flags[@]}" -d "$url dbname=bench_psql" -f "$dir/migrations.$direction-$mode.sql") "
                    else
                        t[pgmig_${direction}_$mode]+="$(timed "$cli" -q --url "$url dbname=bench_pgmig" "${verb[@]}" "${pgmig_flags[@]}") "
                    fi
                done
                order="${order#* } ${order% *}" # the other one first on the way down
            done
        done
    done
    row() {
        local p g
        p=$(tr ' ' '\n' <<<"${t[$2]}" | grep . | median)
        g=$(tr ' ' '\n' <<<"${t[$3]}" | grep . | median)
        printf '%-7s %-34s %9.3fs %9.3fs %7.2fx\n' "$n" "$1" "$p" "$g" "$(awk -v p="$p" -v g="$g" 'BEGIN { print g / p }')"
    }
    row "upgrade, transaction per revision" psql_up_each pgmig_up_each
    row "downgrade, transaction per revision" psql_down_each pgmig_down_each
    row "upgrade, single transaction" psql_up_all pgmig_up_all
    row "downgrade, single transaction" psql_down_all pgmig_down_all

    # A no-op upgrade and the start-up check on an up-to-date database.
    fresh_db bench_pgmig
    "$cli" -q --url "$url dbname=bench_pgmig" upgrade heads >/dev/null
    noop_psql=$(for i in $(seq 21); do timed psql -X -q -d "$url dbname=bench_pgmig" -c 'select 1'; done | median)
    noop_pgmig=$(for i in $(seq 21); do timed "$cli" -q --url "$url dbname=bench_pgmig" upgrade head; done | median)
    printf '%-7s %-34s %9.4fs %9.4fs %7.2fx\n' "$n" "no-op upgrade head / select 1" "$noop_psql" "$noop_pgmig" \
        "$(awk -v p="$noop_psql" -v g="$noop_pgmig" 'BEGIN { print g / p }')"
    check=$("$dir/build/startup_check" "$url dbname=bench_pgmig" 200)
    printf '%-7s %-34s %10s %9.3fms\n' "$n" "start-up check (connected app)" "" "$check"
done
