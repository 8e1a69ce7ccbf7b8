#!/usr/bin/env bash
# `make run`'s database: scripts/dev_cluster.sh makes a durable private cluster (Unix
# socket only), starts it idempotently with the same URL, stops and restarts it with its
# data; turnd migrates it once; the Makefile's run target starts turnd on the dev cluster
# when the config names no database, and on $DATABASE_URL when set; as root, a cluster
# whose directory the postgres user cannot reach (a repository under /root) lives in
# ~postgres/turnd-dev behind a link and `destroy` removes it.
source "$(dirname "$0")/lib.sh"

if is_coturn; then
  pass "skipped: turnd's make run only"
  exit 0
fi
SRC="${TURND_SRC:?TURND_SRC must name the source tree}"
CLUSTER="$SRC/scripts/dev_cluster.sh"
BUILD_DIR="$(cd "$(dirname "$TURND_BIN")/.." && pwd)"
for tool in psql make; do
  command -v "$tool" >/dev/null || fail "$tool not found (bash scripts/deps.sh)"
done

chmod 755 "$E2E_TMP"  # reachable by the postgres user: the cluster lives in place
DB_DIR="$E2E_TMP/pg"
PRIVATE_DIR="$E2E_TMP/private/pg"

# Runs before lib.sh's cleanup, which stops turnd and removes $E2E_TMP.
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  local rc=$?
  set +e
  for dir in "$DB_DIR" "$PRIVATE_DIR"; do
    timeout 60 bash "$CLUSTER" destroy "$dir" >/dev/null 2>&1
  done
  (exit "$rc")
  e2e_cleanup
}
trap cleanup EXIT

cluster() {  # cluster COMMAND DIR: dev_cluster.sh, bounded in time
  timeout 120 bash "$CLUSTER" "$@"
}
sql() {  # sql URL QUERY: the result, unaligned
  timeout 10 psql --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 "$1" -c "$2"
}
migration_files() {
  find "$SRC/db/migrations" -maxdepth 1 -name '[0-9][0-9][0-9]_*.sql' | wc -l
}

# --- dev_cluster.sh ------------------------------------------------------------------

URL=$(cluster start "$DB_DIR") || fail "dev_cluster.sh start failed"
[[ "$URL" == "postgresql://postgres@/turnd?host=$DB_DIR/socket&port="* ]] || fail "URL: $URL"
[ "$(sql "$URL" 'SELECT current_database()')" = turnd ] || fail "no database turnd at $URL"
[ "$(sql "$URL" 'SHOW fsync')" = on ] || fail "fsync is off: the dev cluster must be durable"
[ -z "$(sql "$URL" 'SHOW listen_addresses')" ] || fail "the dev cluster listens on TCP"
[ "$(stat -c %a "$DB_DIR/socket")" = 700 ] || fail "socket directory not private"
pass "start: a durable cluster on a private Unix socket, database turnd"

[ "$(cluster start "$DB_DIR")" = "$URL" ] || fail "a second start gave another URL"
[ "$(cluster url "$DB_DIR")" = "$URL" ] || fail "url differs from start's"
[ "$(cluster status "$DB_DIR")" = "running $URL" ] || fail "status: $(cluster status "$DB_DIR")"
pass "start again: the same URL, still running"

# --- turnd on it -----------------------------------------------------------------------

start_server realm=turnd.test lt-cred-mech user=alice:alice-pass "database=$URL" \
  "state-dir=$E2E_TMP/state"
grep -q 'applied migration 001' "$SERVER_LOG" || fail "turnd did not migrate"
want=$(migration_files)
[ "$(sql "$URL" 'SELECT count(*) FROM schema_migrations')" = "$want" ] ||
  fail "schema_migrations has $(sql "$URL" 'SELECT count(*) FROM schema_migrations') rows, $want files"
raw_args
stun allocate allocate "${RAW[@]}" --user alice --password alice-pass
pass "turnd applied the $want migrations and serves TURN"

start_server realm=turnd.test lt-cred-mech user=alice:alice-pass "database=$URL" \
  "state-dir=$E2E_TMP/state"
! grep -q 'applied migration' "$SERVER_LOG" || fail "migrations applied again"
grep -q 'loaded from the database' "$SERVER_LOG" || fail "the second turnd did not read the database"
stop_server
pass "a second turnd finds the schema migrated"

# --- stop, restart: the data stays ---------------------------------------------------

cluster stop "$DB_DIR" 2>/dev/null || fail "dev_cluster.sh stop failed"
rc=0
state=$(cluster status "$DB_DIR") || rc=$?
if [ "$rc" != 3 ] || [ "$state" != stopped ]; then fail "after stop: status '$state', exit $rc"; fi
! sql "$URL" 'SELECT 1' >/dev/null 2>&1 || fail "the stopped cluster still answers"
cluster stop "$DB_DIR" 2>/dev/null || fail "stopping a stopped cluster failed"
[ "$(cluster start "$DB_DIR")" = "$URL" ] || fail "the restarted cluster has another URL"
[ "$(sql "$URL" 'SELECT count(*) FROM schema_migrations')" = "$want" ] || fail "data lost on restart"
pass "stop: stopped and unreachable; start: the same URL and data"

# --- the Makefile's run target -------------------------------------------------------
# make -o build: the recipe of `run` alone, on the binary under test; the variables of a
# `make test` around this script are left out.

# make_run LOG DEV_DB_DIR [ENV...]: `make run` in the background until turnd is ready
make_run() {
  local log=$1 dev_db_dir=$2
  shift 2
  pick_port PORT
  pick_port_window MIN_PORT MAX_PORT 50
  CONF="$E2E_TMP/make_run.conf"
  printf '%s\n' "listening-ip=$HOST" "listening-port=$PORT" "relay-ip=$HOST" \
    "min-port=$MIN_PORT" "max-port=$MAX_PORT" realm=turnd.test lt-cred-mech \
    user=alice:alice-pass "state-dir=$E2E_TMP/state" no-sfu >"$CONF"
  SERVER_LOG=$log
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "$@" make --no-print-directory -C "$SRC" -o build run "BUILD=$BUILD_DIR" "CONF=$CONF" \
    "DEV_DB_DIR=$dev_db_dir" >"$log" 2>&1 &
  SERVER_PID=$!
  E2E_PIDS+=("$SERVER_PID")
  for _ in $(seq 300); do
    grep -q '\[main\] ready' "$log" && return 0
    running "$SERVER_PID" || fail "make run exited"
    sleep 0.1
  done
  fail "make run: turnd not ready within 30 s"
}

make_run "$E2E_TMP/make_run1.log" "$DB_DIR" -u DATABASE_URL
grep -qF "make run: database $URL" "$SERVER_LOG" || fail "make run did not use the dev cluster"
! grep -q 'applied migration' "$SERVER_LOG" || fail "make run applied migrations again"
raw_args
stun make-run-allocate allocate "${RAW[@]}" --user alice --password alice-pass
stop_server  # TERM to make, which passes it on to turnd
pass "make run without a database: turnd on the running dev cluster"

make_run "$E2E_TMP/make_run2.log" "$E2E_TMP/unused" "DATABASE_URL=$URL"
grep -qF "make run: database from \$DATABASE_URL" "$SERVER_LOG" || fail "DATABASE_URL not used"
grep -q 'loaded from the database' "$SERVER_LOG" || fail "turnd did not read \$DATABASE_URL"
stop_server
[ ! -e "$E2E_TMP/unused" ] || fail "make run made a dev cluster despite \$DATABASE_URL"
pass "make run with \$DATABASE_URL: no dev cluster started"

cluster stop "$DB_DIR" 2>/dev/null

# --- a directory the postgres user cannot reach (as root) ----------------------------

if [ "$(id -u)" -eq 0 ]; then
  mkdir -m 700 "$(dirname "$PRIVATE_DIR")"
  url=$(cluster start "$PRIVATE_DIR" 2>/dev/null) || fail "start in a private directory failed"
  [ -L "$PRIVATE_DIR" ] || fail "$PRIVATE_DIR is not a link to a reachable directory"
  target=$(readlink "$PRIVATE_DIR")
  [ "$(stat -c %U "$target/data")" = postgres ] || fail "$target/data not owned by postgres"
  [ "$(sql "$url" 'SELECT current_database()')" = turnd ] || fail "no database at $url"
  cluster destroy "$PRIVATE_DIR" 2>/dev/null || fail "destroy failed"
  if [ -e "$target" ] || [ -L "$PRIVATE_DIR" ]; then fail "destroy left $target or the link"; fi
  pass "as root under a private directory: the cluster lives in $target, destroy removes it"
fi
