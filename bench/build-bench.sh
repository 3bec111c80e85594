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

# One big revision: a data load of 10,000 statements of 1 KB (10 MB), checked by pgmig-compile
# alone (build time must grow with the file's size, not its square).
big=$work/big
mkdir -p "$big"
row=$(printf 'x%.0s' $(seq 1000))
{
    echo "-- pgmig:revision big000000001"
    echo "-- pgmig:upgrade"
    echo "CREATE TABLE big (id int PRIMARY KEY, v text);"
    for ((i = 1; i <= 10000; i++)); do printf "INSERT INTO big VALUES (%d, '%s');\n" "$i" "$row"; done
    echo "-- pgmig:downgrade"
    echo "DROP TABLE big;"
} >"$big/big.sql"
compile=$(seconds "$stage/bin/pgmig-compile" revision "$big/big.sql" --symbol big \
    --output-cpp "$big/big.cpp" --output-meta "$big/big.json")
printf 'one revision of %s MB (10,001 statements): pgmig-compile %.2fs\n' \
    "$(du -m "$big/big.sql" | cut -f1)" "$compile"
