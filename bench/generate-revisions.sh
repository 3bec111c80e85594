#!/usr/bin/env bash
# Writes N chained revisions into DIR: revision i creates table t<i> with an index, and its
# downgrade drops it. Also writes the same SQL as plain psql scripts next to DIR, for the
# runtime benchmark's side-by-side runs:
#   DIR.up-each.sql    (BEGIN/COMMIT around each revision)   DIR.up-all.sql   (for psql -1)
#   DIR.down-each.sql                                         DIR.down-all.sql
#   generate-revisions.sh N DIR
set -euo pipefail
n=$1
dir=$2
rm -rf "$dir" && mkdir -p "$dir"
: >"$dir.up-each.sql"; : >"$dir.up-all.sql"; : >"$dir.down-each.sql"; : >"$dir.down-all.sql"
up() { printf 'CREATE TABLE t%d (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\nCREATE INDEX t%d_name_idx ON t%d (name);\n' "$1" "$1" "$1"; }
down() { printf 'DROP TABLE t%d;\n' "$1"; }
for ((i = 1; i <= n; i++)); do
    {
        printf -- '-- pgmig:revision r%06d\n' "$i"
        ((i > 1)) && printf -- '-- pgmig:revises r%06d\n' "$((i - 1))"
        printf -- '-- pgmig:message Generated revision %d\n\n-- pgmig:upgrade\n' "$i"
        up "$i"
        printf -- '\n-- pgmig:downgrade\n'
        down "$i"
    } >"$dir/$(printf '%06d' "$i")_generated.sql"
    { echo "BEGIN;"; up "$i"; echo "COMMIT;"; } >>"$dir.up-each.sql"
    up "$i" >>"$dir.up-all.sql"
done
for ((i = n; i >= 1; i--)); do
    { echo "BEGIN;"; down "$i"; echo "COMMIT;"; } >>"$dir.down-each.sql"
    down "$i" >>"$dir.down-all.sql"
done
