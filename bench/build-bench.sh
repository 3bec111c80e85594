#!/usr/bin/env bash
# Build-time benchmark: configure, full build, no-op rebuild and one edited revision rebuilt,
# for sets of N generated revisions, with pgmig installed into build/stage.
#   bench/build-bench.sh [N...]        (default: 1000 10000)
source "$(dirname "$0")/common.sh"
bench_setup 1000 10000 -- "$@"
work=$root/build/bench-build

seconds() { local s; s=$(now); "$@" >/dev/null; elapsed "$s"; }

printf '%-8s %12s %12s %12s %14s\n' revisions configure full-build no-op-build one-edit-build
for n in "${sizes[@]}"; do
    dir=$work/n$n
    rm -rf "$dir" && mkdir -p "$dir"
    "$root/bench/generate-revisions.sh" "$n" "$dir/migrations"
    cat >"$dir/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(bench_build LANGUAGES CXX)
find_package(pgmig REQUIRED)
pgmig_add_revisions(bench_db DIRECTORY migrations)
CMAKE
    configure=$(seconds cmake -S "$dir" -B "$dir/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_PREFIX_PATH="$stage")
    full=$(seconds cmake --build "$dir/build")
    noop=$(seconds cmake --build "$dir/build")
    echo "-- edited" >>"$dir/migrations/$(printf '%06d' $((n / 2)))_generated.sql"
    edit=$(seconds cmake --build "$dir/build")
    printf '%-8s %11.2fs %11.2fs %11.2fs %13.2fs\n' "$n" "$configure" "$full" "$noop" "$edit"
done
