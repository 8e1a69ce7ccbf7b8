#!/usr/bin/env bash
# Fails when a C++ file of the tree (tracked, or new and not ignored) differs from .clang-format (Debian 12's clang-format 14).
# `scripts/check_format.sh --fix` rewrites them instead. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.cc' '*.h')
else  # an exported tree without .git
  mapfile -t files < <(find turnd sfu db tests bench -name '*.cc' -o -name '*.h')
fi
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "these files differ from .clang-format (fix: make format):" >&2
  printf '  %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "${#files[@]} C++ files match .clang-format"
