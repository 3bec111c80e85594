#!/usr/bin/env bash
# Schema benchmark: the schema model and autogenerate beside plain psql and pg_dump, on one
# throw-away PostgreSQL server (fsync off), in one run.
#   bench/schema-bench.sh [TABLES_READ] [TABLES_DESIRED]     (defaults: 1000 200)
# Prints seconds and ratios for:
#   reading the model of a database of TABLES_READ tables    vs  pg_dump --schema-only of it
#   revision --autogenerate to a desired schema of TABLES_DESIRED tables (the head has all but
#   ten of them)                                               vs  psql applying that schema once
# Goals (issue 11): the read under 1 s at 1,000 tables; autogenerate under 2 s at 200.
source "$(dirname "$0")/common.sh"
bench_setup 1000 200 -- "$@"
read_n=${sizes[0]}
desired_n=${sizes[1]:-200}
work=$root/build/bench-schema
bench_server "$work"

# schema_sql N FIRST: tables FIRST..N, each with a key, a foreign key to the one before, an
# index, a check and a comment, as a schema of that size would have.
schema_sql() {
    local i
    for ((i = $2; i <= $1; i++)); do
        echo "CREATE TABLE t$i (id bigint PRIMARY KEY, name text NOT NULL, qty int CHECK (qty >= 0), at timestamptz DEFAULT now()$( ((i > 1)) && echo ", prev_id bigint REFERENCES t$((i - 1))"));"
        echo "CREATE INDEX t${i}_name_idx ON t$i (name);"
        echo "COMMENT ON TABLE t$i IS 'table $i';"
    done
}
fresh_db() {
    psql -X -q -d "$url" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 TEMPLATE template0" 2>/dev/null
}

project=$work/project
rm -rf "$project" && mkdir -p "$project/migrations" "$project/schema"
{
    echo "-- pgmig:revision 0000000000a1"
    echo "-- pgmig:message The first tables"
    echo "-- pgmig:upgrade"
    schema_sql $((desired_n - 10)) 1
    echo "-- pgmig:downgrade"
    for ((i = desired_n - 10; i >= 1; i--)); do echo "DROP TABLE t$i;"; done
} >"$project/migrations/0001_tables.sql"
schema_sql "$desired_n" 1 >"$project/schema/tables.sql"
cat >"$project/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(bench_schema LANGUAGES CXX)
find_package(pgmig REQUIRED)
pgmig_add_revisions(schema_bench DIRECTORY migrations SCHEMA_SOURCES schema)
add_executable(schema_read $root/bench/schema_read.cpp)
target_link_libraries(schema_read PRIVATE pgmig::schema)
CMAKE
cmake -S "$project" -B "$project/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$stage" >/dev/null
cmake --build "$project/build" >/dev/null

printf '%-48s %10s %10s %8s\n' measurement reference pgmig ratio
row() { printf '%-48s %9.3fs %9.3fs %7.2fx\n' "$1" "$2" "$3" "$(awk -v p="$2" -v g="$3" 'BEGIN { print g / p }')"; }

fresh_db bench_read
schema_sql "$read_n" 1 | psql -X -q -v ON_ERROR_STOP=1 -d "$url dbname=bench_read" >/dev/null
read -r read_s tables < <("$project/build/schema_read" "$url dbname=bench_read" 5)
s=$(now); pg_dump --schema-only -d "$url dbname=bench_read" >/dev/null; dump_s=$(elapsed "$s")
row "model of $tables tables (vs pg_dump --schema-only)" "$dump_s" "$read_s"

fresh_db bench_psql
s=$(now); psql -X -q -v ON_ERROR_STOP=1 -d "$url dbname=bench_psql" -f "$project/schema/tables.sql" >/dev/null; psql_s=$(elapsed "$s")
rm -rf "$project/out"
s=$(now)
"$project/build/schema_bench-migrate" --url "$url" revision --autogenerate -m "Ten more" \
    --schema-sources "$project/schema" --directory "$project/out" >/dev/null
auto_s=$(elapsed "$s")
grep -q "CREATE TABLE public.t$desired_n " "$project/out"/*.sql || { echo "autogenerate wrote no t$desired_n"; exit 1; }
row "autogenerate, $desired_n desired tables (vs psql once)" "$psql_s" "$auto_s"
