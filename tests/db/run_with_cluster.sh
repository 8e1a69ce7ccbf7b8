#!/usr/bin/env bash
# run_with_cluster.sh COMMAND [ARGS...]: start a throwaway PostgreSQL cluster
# (pg_cluster.sh), run COMMAND with TURND_TEST_DATABASE_URL set to its database
# turnd_test (the connecting role is the cluster superuser `postgres`), then stop
# the cluster and remove it, whatever happened. Exits with COMMAND's status.
#
# DB_KEEP=1 keeps the cluster running and prints how to stop it (for debugging).
# A cluster whose runner was killed (SIGKILL, no trap) is removed by the next run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -ge 1 ] || {
  echo "usage: run_with_cluster.sh COMMAND [ARGS...]" >&2
  exit 2
}

# Clusters left behind by a run that was killed (a ctest timeout sends SIGKILL,
# so no trap ran): each records the runner's pid; stop those whose runner is gone.
for stale in "${TMPDIR:-/tmp}"/turnd-pg.*/runner.pid; do
  [ -f "$stale" ] || continue
  kill -0 "$(cat "$stale")" 2>/dev/null && continue
  echo "run_with_cluster.sh: removing the cluster of a killed run: ${stale%/runner.pid}" >&2
  bash "$here/pg_cluster.sh" stop "${stale%/runner.pid}" || true
done

dir="$(mktemp -d "${TMPDIR:-/tmp}/turnd-pg.XXXXXX")"
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  if [ "${DB_KEEP:-}" = 1 ]; then
    rm -f "$dir/runner.pid"  # not stale: kept on purpose
    echo "cluster kept: $dir (stop with: bash $here/pg_cluster.sh stop $dir)" >&2
  else
    bash "$here/pg_cluster.sh" stop "$dir"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

url="$(bash "$here/pg_cluster.sh" start "$dir")"
echo $$ >"$dir/runner.pid"
export TURND_TEST_DATABASE_URL="$url"
rc=0
"$@" || rc=$?
exit "$rc"
