#!/usr/bin/env bash
# README's first command: installs what is missing, builds and installs pgmig into
# build/stage, builds the example project against that installed package, and runs its
# db_upgrade against the development server, then db_current and db_history.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

cmake --preset default -DPGMIG_BUILD_TESTING=OFF
cmake --build --preset default
cmake --install build/default --prefix build/stage >/dev/null

cmake -S example-project -B build/example -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_PREFIX_PATH="$PWD/build/stage"
cmake --build build/example
cmake --build build/example --target db_upgrade
cmake --build build/example --target db_current
cmake --build build/example --target db_history
echo
echo "The example's development server keeps running for you:"
cmake --build build/example --target db_server_status
echo "Stop it with: cmake --build build/example --target db_server_stop"
