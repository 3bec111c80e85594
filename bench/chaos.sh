#!/usr/bin/env bash
# Chaos run: 8 migrators at a time run upgrade, downgrade and stamp against two databases and
# are killed with SIGKILL at random moments; after every round a calm upgrade settles each
# database, and the run checks that it is consistent and that no revision ever ran twice.
#   bench/chaos.sh [SECONDS]        (default: 1800, the bounded half hour)
#
# The set mixes transactional SQL revisions, `transaction off` revisions (CREATE INDEX
# CONCURRENTLY and a logged statement) and a C++ revision. Every upgrade and downgrade writes a
# row into chaos_log, a table outside the set, in the same transaction as its work, so the log
# is the truth about what ran: for each revision its entries must alternate up, down, up, ...
# (an `up` twice in a row is a revision applied twice), and after a settling upgrade the last
# entry of every revision is `up`, the version table is at the head, and no index is invalid.
source "$(dirname "$0")/common.sh"
duration=${1:-1800}
bench_setup 1 -- 1
work=$root/build/bench-chaos
rm -rf "$work/project" && mkdir -p "$work/project/migrations"
bench_server "$work"

log() { printf "INSERT INTO chaos_log (rev, dir) VALUES ('%s', '%s');\n" "$1" "$2"; }
m=$work/project/migrations
{
    echo "-- pgmig:revision c00001"
    echo "-- pgmig:message Accounts"
    echo "-- pgmig:upgrade"
    echo "CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);"
    echo "INSERT INTO accounts SELECT g, 'n' || g FROM generate_series(1, 20000) g;"
    log c00001 up
    echo "-- pgmig:downgrade"
    echo "DROP TABLE accounts;"
    log c00001 down
} >"$m/0001_accounts.sql"
{
    echo "-- pgmig:revision c00002"
    echo "-- pgmig:revises c00001"
    echo "-- pgmig:message Index accounts without blocking writes"
    echo "-- pgmig:transaction off"
    echo "-- pgmig:upgrade"
    echo "CREATE INDEX CONCURRENTLY accounts_name_idx ON accounts (name);"
    log c00002 up
    echo "SELECT pg_sleep(0.2);"
    echo "-- pgmig:downgrade"
    echo "DROP INDEX CONCURRENTLY IF EXISTS accounts_name_idx;"
    log c00002 down
} >"$m/0002_index.sql"
cat >"$m/0003_email.cpp" <<'CPP'
// pgmig:revision c00003
// pgmig:revises c00002
// pgmig:message E-mail column, in C++
#include <pgmig/cpp_revision.hpp>

struct add_email {
    void upgrade(pgmig::operations& op) {
        op.add_column("accounts", pgmig::column("email", "text"));
        op.execute("INSERT INTO chaos_log (rev, dir) VALUES ($1, $2)", {"c00003", "up"});
    }
    void downgrade(pgmig::operations& op) {
        op.drop_column("accounts", "email");
        op.execute("INSERT INTO chaos_log (rev, dir) VALUES ($1, $2)", {"c00003", "down"});
    }
};
PGMIG_REVISION(add_email)
CPP
{
    echo "-- pgmig:revision c00004"
    echo "-- pgmig:revises c00003"
    echo "-- pgmig:message A slow backfill"
    echo "-- pgmig:upgrade"
    echo "UPDATE accounts SET email = name || '@example.com';"
    echo "SELECT pg_sleep(0.3);"
    log c00004 up
    echo "-- pgmig:downgrade"
    echo "UPDATE accounts SET email = NULL;"
    log c00004 down
} >"$m/0004_backfill.sql"
cat >"$work/project/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(chaos LANGUAGES CXX)
find_package(pgmig REQUIRED)
pgmig_add_revisions(chaos_db DIRECTORY migrations)
CMAKE
cmake -S "$work/project" -B "$work/project/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$stage" >/dev/null
cmake --build "$work/project/build" >/dev/null
cli=$work/project/build/chaos_db-migrate
heads=c00004

databases=(chaos_a chaos_b)
for db in "${databases[@]}"; do
    psql -X -q -d "$url" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    psql -X -q -d "$url dbname=$db" -c \
        "CREATE TABLE chaos_log (id bigserial PRIMARY KEY, rev text NOT NULL, dir text NOT NULL)"
done

# One migrator: a random command (upgrade, downgrade; or, in a round where every migrator of
# the database stamps, a stamp of the head it is at), killed with SIGKILL after a random
# moment half the time. Stamping asserts the state by hand, so it never races the others.
migrator() {
    local db=$1 mode=$2 command
    case $mode:$((RANDOM % 5)) in
    stamp:*) command=(stamp $heads) ;;
    *:0 | *:1 | *:2) command=(upgrade heads) ;;
    *:3) command=(downgrade "-$((RANDOM % 3 + 1))") ;;
    *:4) command=(downgrade base) ;;
    esac
    "$cli" -q --url "$url dbname=$db" --lock-timeout 30 "${command[@]}" \
        >>"$work/out.log" 2>&1 &
    local pid=$!
    if ((RANDOM % 2)); then
        sleep "0.$((RANDOM % 1000))"
        kill -9 "$pid" 2>/dev/null || true
    fi
    local rc=0
    wait "$pid" 2>/dev/null || rc=$?
    echo "exit $rc ${command[0]}" >>"$work/events"
}

# A calm upgrade to the head. A downgrade killed half way is finished first, as its message
# says (`downgrade X-1`): an upgrade may not skip over a half-undone revision.
settle() {
    local db=$1 out resume attempt
    for attempt in 1 2 3; do
        out=$("$cli" -q --url "$url dbname=$db" --lock-timeout 120 upgrade heads 2>&1) && return 0
        echo "$out" >>"$work/out.log"
        resume=$(grep -oE 'run `downgrade [^`]+` to resume' <<<"$out" | cut -d' ' -f3 | tr -d '`')
        [ -n "$resume" ] || break
        echo "resumed downgrade $resume" >>"$work/events"
        "$cli" -q --url "$url dbname=$db" --lock-timeout 120 downgrade "$resume" \
            >>"$work/out.log" 2>&1 || break
    done
    echo "settle failed on $db"
    tail -5 "$work/out.log"
    return 1
}

# After settling: at the head, nothing interrupted or invalid, and the log says every
# revision is applied once, having alternated up and down before.
verify() {
    local db=$1 bad
    settle "$db" || return 1
    "$cli" --url "$url dbname=$db" check >/dev/null 2>&1 ||
        { echo "check failed on $db: $("$cli" --url "$url dbname=$db" check 2>&1)"; return 1; }
    bad=$(psql -X -qAt -d "$url dbname=$db" -c "
        WITH l AS (SELECT rev, dir, lag(dir) OVER (PARTITION BY rev ORDER BY id) AS prev,
                          row_number() OVER (PARTITION BY rev ORDER BY id DESC) AS last
                   FROM chaos_log)
        SELECT string_agg(DISTINCT rev || ':' || dir || ' after ' || coalesce(prev, 'nothing'), ', ')
        FROM l WHERE dir = prev OR (prev IS NULL AND dir <> 'up') OR (last = 1 AND dir <> 'up')")
    if [ -n "$bad" ]; then
        echo "$db: revisions ran out of turn: $bad"
        return 1
    fi
    [ "$(psql -X -qAt -d "$url dbname=$db" -c "SELECT string_agg(version_num, ',') FROM pgmig_version")" = $heads ] ||
        { echo "$db: not at $heads"; return 1; }
}

: >"$work/events"
: >"$work/out.log"
start=$(now)
rounds=0
while (($(awk -v s="$start" -v e="$(now)" -v d="$duration" 'BEGIN { print (e - s < d) }'))); do
    modes=()
    for db in "${databases[@]}"; do
        modes+=("$( ((RANDOM % 4 == 0)) && echo stamp || echo move)")
    done
    for i in 1 2 3 4 5 6 7 8; do
        migrator "${databases[$((i % 2))]}" "${modes[$((i % 2))]}" &
    done
    wait
    for db in "${databases[@]}"; do
        verify "$db" || { echo "chaos: inconsistent after round $((rounds + 1))"; exit 1; }
    done
    rounds=$((rounds + 1))
done

count() { grep -c "$1" "$work/events" || true; }
runs=$(count '^exit')
killed=$(count '^exit 137')
clean=$(count '^exit 0 ')
entries=$(for db in "${databases[@]}"; do psql -X -qAt -d "$url dbname=$db" -c "SELECT count(*) FROM chaos_log"; done | awk '{ s += $1 } END { print s }')
printf 'chaos: %d rounds in %.0f s: %d migrator runs (%d upgrade, %d downgrade, %d stamp), %d killed with SIGKILL, %d exited 0, %d failed otherwise\n' \
    "$rounds" "$(elapsed "$start")" "$runs" "$(count ' upgrade$')" \
    "$(count ' downgrade$')" "$(count ' stamp$')" \
    "$killed" "$clean" "$((runs - killed - clean))"
printf 'chaos: %d half-done downgrades finished before settling\n' "$(count '^resumed downgrade')"
printf 'chaos: %d logged upgrade/downgrade steps; after every round both databases were at %s, ' "$entries" "$heads"
echo "with no interrupted step, no invalid index, and no revision run twice"
grep -oE 'error: [^:]*' "$work/out.log" | sort | uniq -c | sort -rn | head -8 |
    sed 's/^/  failures: /' || true
