#!/usr/bin/env bash
# copy-data benchmark: moving the rows of one database into another with the same schema,
# pgmig copy-data (-j 1 and -j 2) beside `pg_dump --data-only -Fc | pg_restore`, on one
# throw-away PostgreSQL server, in one run.
#   bench/copy-bench.sh [EVENT_ROWS]      (default: 1000000 rows in the big table)
source "$(dirname "$0")/common.sh"
bench_setup 1000000 -- "$@"
rows=${sizes[0]}
work=$root/build/bench-copy
bench_server "$work"

dir=$work/set
mkdir -p "$dir"
cat >"$dir/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(bench_copy LANGUAGES CXX)
find_package(pgmig REQUIRED)
pgmig_add_revisions(library DIRECTORY $root/tests/integration/sets/copy)
CMAKE
cmake -S "$dir" -B "$dir/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$stage" >/dev/null
cmake --build "$dir/build" >/dev/null
cli=$dir/build/library-migrate

db_url() { echo "$url dbname=$1"; }
fresh_db() {
    psql -X -q -d "$url" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 TEMPLATE template0" 2>/dev/null
    DATABASE_URL=$(db_url "$1") "$cli" -q upgrade >/dev/null
}
fresh_db source
psql -X -q -d "$(db_url source)" -v ON_ERROR_STOP=1 <<SQL
INSERT INTO authors (name) SELECT 'author ' || i FROM generate_series(1, 1000) i;
INSERT INTO books (author_id, pages) SELECT 1 + i % 1000, i % 900 FROM generate_series(1, 100000) i;
INSERT INTO awards SELECT 1 + i % 100000, 2000 + i % 20 FROM generate_series(1, 10000) i;
INSERT INTO events SELECT i, '2026-01-01'::timestamptz + i * interval '1 s', md5(i::text)
    FROM generate_series(1, $rows) i;
SQL
size=$(psql -X -A -t -d "$url" -c "SELECT pg_size_pretty(pg_database_size('source'))")

dump_restore() {
    pg_dump --data-only -Fc --exclude-table=pgmig_version --exclude-table=pgmig_history \
        -d "$(db_url source)" | pg_restore --data-only --single-transaction -d "$(db_url "$1")"
}
copy() { DATABASE_URL=$(db_url "$1") "$cli" copy-data --from "$(db_url source)" -j "$2"; }

fresh_db t_dump; t_dump=$(timed dump_restore t_dump)
fresh_db t_copy1; t_copy1=$(timed copy t_copy1 1)
fresh_db t_copy2; t_copy2=$(timed copy t_copy2 2)
for db in t_dump t_copy1 t_copy2; do
    n=$(psql -X -A -t -d "$(db_url $db)" -c "SELECT count(*) FROM events")
    [ "$n" = "$rows" ] || { echo "bench: $db has $n events, not $rows" >&2; exit 1; }
done

printf 'source: %s rows in events plus 111000 in three tables with foreign keys (%s), %s cores\n' \
    "$rows" "$size" "$(nproc)"
printf '%-44s %8s %8s\n' measurement seconds ratio
printf '%-44s %8.2f %8s\n' "pg_dump --data-only -Fc | pg_restore" "$t_dump" 1.00
for j in 1 2; do
    t=t_copy$j
    printf '%-44s %8.2f %8.2f\n' "copy-data -j $j" "${!t}" "$(awk -v a="${!t}" -v b="$t_dump" 'BEGIN { print a / b }')"
done
