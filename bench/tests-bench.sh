#!/usr/bin/env bash
# Generated-tests benchmark: pgmig_add_tests on sets of N generated revisions, run with
# `ctest -j2` on the local and (when podman and the local image are there) container servers.
# Reports each test's time, the stairway's cost per revision, and its ratio to plain psql
# applying the same upgrades once (one transaction per revision), and how fast each server
# was ready.
#   bench/tests-bench.sh [N...]        (default: 100 500)
source "$(dirname "$0")/common.sh"
bench_setup 100 500 -- "$@"
work=$root/build/bench-tests

container=no
if command -v podman >/dev/null && CONTAINERS_CONF=/etc/containers/pgmig-containers.conf \
        podman image exists localhost/pgmig-postgres:15 2>/dev/null; then
    container=yes
    export CONTAINERS_CONF=/etc/containers/pgmig-containers.conf
fi

# Plain psql applying the revisions once, on a throw-away server of its own.
bench_server "$work/psql"

for n in "${sizes[@]}"; do
    dir=$work/n$n
    mkdir -p "$dir"
    "$root/bench/generate-revisions.sh" "$n" "$dir/migrations"
    {
        echo "cmake_minimum_required(VERSION 3.25)"
        echo "project(bench_tests LANGUAGES CXX)"
        echo "find_package(pgmig REQUIRED)"
        echo "enable_testing()"
        echo "pgmig_add_revisions(local_$n DIRECTORY migrations TARGET_PREFIX local_)"
        echo "pgmig_add_tests(local_$n SERVER local)"
        if [ $container = yes ]; then
            echo "pgmig_add_revisions(container_$n DIRECTORY migrations TARGET_PREFIX container_)"
            echo "pgmig_add_tests(container_$n SERVER container IMAGE localhost/pgmig-postgres:15 CONTAINER_CLI podman CONTAINER_NETWORK host)"
        fi
    } >"$dir/CMakeLists.txt"
    cmake -S "$dir" -B "$dir/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$stage" >/dev/null
    cmake --build "$dir/build" >/dev/null
    ctest --test-dir "$dir/build" >/dev/null 2>&1 || true # the first run caches the initdb template
    start=$(now)
    ctest --test-dir "$dir/build" -j2 -V >"$dir/ctest.log" 2>&1 || { cat "$dir/ctest.log"; exit 1; }
    total=$(elapsed "$start")

    psql -X -q -d "$url" -c "DROP DATABASE IF EXISTS once" -c "CREATE DATABASE once TEMPLATE template0" 2>/dev/null
    s=$(now)
    psql -X -q -v ON_ERROR_STOP=1 -d "$url dbname=once" -f "$dir/migrations.up-each.sql" >/dev/null
    once=$(elapsed "$s")

    echo "N=$n: ctest -j2 ran everything in ${total}s; psql applies the $n upgrades once in ${once}s"
    for kind in local container; do
        [ $kind = local ] || [ $container = yes ] || continue
        ready=$(grep -oE "PostgreSQL \($kind\) ready in [0-9]+ ms" "$dir/ctest.log" | head -1 | grep -oE "[0-9]+ ms")
        # ctest -V prefixes each test's output with its number.
        num=$(ctest --test-dir "$dir/build" -N | sed -nE "s/^ *Test +#([0-9]+): ${kind}_$n\.stairway\$/\1/p")
        stair=$(grep -oE "^$num: stairway passed: $n revisions up, down and up in [0-9.]+ s \([0-9.]+ ms per revision[^)]*\)" "$dir/ctest.log")
        secs=$(grep -oE "in [0-9.]+ s" <<<"$stair" | grep -oE "[0-9.]+")
        per=$(grep -oE "\([0-9.]+ ms" <<<"$stair" | grep -oE "[0-9.]+")
        printf '  %-9s server ready %6s; stairway %6.2fs (%5.1f ms/revision, %4.1fx psql once)\n' \
            "$kind" "$ready" "$secs" "$per" "$(awk -v a="$secs" -v b="$once" 'BEGIN { print a / b }')"
        echo "    where a revision's time goes (ms):$(grep -oE ': [0-9.]+ migrating.*the rest' <<<"$stair" | cut -c2-)"
        grep -E "^[0-9]+/[0-9]+ Test +#[0-9]+: ${kind}_$n\." "$dir/ctest.log" | sed 's/^/    /' || true
    done
done
