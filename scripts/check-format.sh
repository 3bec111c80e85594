#!/usr/bin/env bash
# Checks that every tracked C++ file is formatted by the committed .clang-format; with --fix,
# formats them. CI runs the check, so formatting never shows up in a review.
set -euo pipefail
cd "$(dirname "$0")/.."
clang_format=$(command -v clang-format || command -v clang-format-14 || true)
if [ -z "$clang_format" ]; then
    echo "check-format: clang-format is missing (apt-get install clang-format)" >&2
    exit 1
fi
# Tracked and new files that exist (a file deleted but not yet committed is skipped).
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' |
    sort -u | while read -r f; do [ -f "$f" ] && echo "$f"; done)
if [ "${1:-}" = "--fix" ]; then
    "$clang_format" -i "${files[@]}"
    exit 0
fi
if ! "$clang_format" --dry-run --Werror "${files[@]}" 2>/tmp/check-format.$$; then
    grep -E '^[^ ].*: (error|warning):' /tmp/check-format.$$ | cut -d: -f1 | sort -u |
        sed 's/^/check-format: not formatted: /' >&2 || cat /tmp/check-format.$$ >&2
    rm -f /tmp/check-format.$$
    echo "check-format: run scripts/check-format.sh --fix" >&2
    exit 1
fi
rm -f /tmp/check-format.$$
echo "check-format: ${#files[@]} files formatted as .clang-format says"
