#!/usr/bin/env bash
# Differential run of pgmig's revision graph against Alembic's (docs/design.md, "Graph
# decisions"): random graphs and commands through both, differences printed.
#   scripts/alembic-differential/run.sh [COUNT] [FIRST_SEED]   (needs the build in build/ci
#   and Alembic: apt install alembic)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
build="${BUILD_DIR:-$root/build/ci}"
python="$(head -1 "$(command -v alembic)" | sed 's/^#! *//')"
driver="$build/alembic-differential-driver"
g++ -std=c++20 -O1 -I"$root/runtime/include" "$here/pgmig_driver.cpp" \
    "$build/runtime/libpgmig.a" -lfmt -lpq -o "$driver"
exec python3 "$here/compare.py" "${2:-1}" "${1:-100}" "$python" "$driver"
