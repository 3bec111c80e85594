#!/usr/bin/env bash
# Installs what pgmig needs from Debian's packages, when something is missing.
#   scripts/install-deps.sh            building pgmig and projects that use it, the development
#                                      server (README's first command, scripts/example.sh)
#   scripts/install-deps.sh --tests    and what pgmig's own test suite needs (scripts/test.sh)
# Needs root (or sudo) only when it has something to install.
set -euo pipefail

packages=(
    # build
    g++ cmake ninja-build pkg-config
    libpq-dev libfmt-dev libcli11-dev libpg-query-dev nlohmann-json3-dev
    # PostgreSQL: the development server and the tests' servers, psql and pg_dump
    postgresql postgresql-client
)
case "${1:-}" in
    "") ;;
    --tests)
        # GoogleTest, clang with libFuzzer and the sanitizers, clang-format for CI's formatting
        # check, pgbouncer for the pooler test, podman for the container path, Alembic for the
        # conversion and takeover test (cmake.package.from_alembic)
        packages+=(libgtest-dev libgmock-dev clang libclang-rt-14-dev clang-format pgbouncer
                   podman runc busybox-static alembic python3-psycopg2)
        ;;
    *) echo "usage: scripts/install-deps.sh [--tests]" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
sudo=()
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
    sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
# Another apt (unattended-upgrades, a second terminal) may hold dpkg's lock: wait for it.
apt=(apt-get -o DPkg::Lock::Timeout=600)
if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    "${sudo[@]}" "${apt[@]}" update -qq
fi
if ! "${sudo[@]}" "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    "${sudo[@]}" "${apt[@]}" update -qq
    "${sudo[@]}" "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The postgresql package may start a cluster of its own; pgmig never uses it.
