#!/usr/bin/env bash
# README's second command (and CI's): installs what is missing, builds everything and runs
# the whole test suite: unit, integration against real PostgreSQL servers, CMake consumer
# projects, generated tests, the example project and a bounded fuzzing run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests

cmake --preset ci
cmake --build --preset ci
ctest --preset ci
