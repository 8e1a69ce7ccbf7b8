#!/usr/bin/env bash
# turnd with database=: it applies the migrations at start, and serves TURN
# users and REST secrets kept in PostgreSQL (turnctl's or coturn's tables) next
# to those of the config file; changes reach it through LISTEN/NOTIFY within a
# moment, and a reload (SIGHUP) re-reads them too. Without a reachable
# database it still serves the config file's credentials.
# Run by ctest through run_with_cluster.sh (TURND_TEST_DATABASE_URL).
: "${TURND_TEST_DATABASE_URL:?run through tests/db/run_with_cluster.sh}"
: "${TURNCTL_BIN:?TURNCTL_BIN must name build/bin/turnctl}"
source "$TURND_SRC/tests/e2e/lib.sh"
URL="$TURND_TEST_DATABASE_URL"

start_server realm=example.org lt-cred-mech use-auth-secret static-auth-secret=file-secret \
  user=filer:file-pass "database=$URL"
grep -q 'applied migration 001' "$SERVER_LOG" || fail "turnd did not migrate: $(tail -3 "$SERVER_LOG")"
grep -q '0 TURN users and 0 REST secrets' "$SERVER_LOG" || fail "no load message"
raw_args
stun file-user allocate "${RAW[@]}" --user filer --password file-pass

"$TURNCTL_BIN" --database="$URL" user add dbuser --realm example.org --password db-pass >/dev/null
"$TURNCTL_BIN" --database="$URL" secret add --realm example.org db-secret >/dev/null
# The database's change notification reaches turnd: no SIGHUP needed.
for _ in $(seq 50); do
  grep -q '1 TURN users and 1 REST secrets' "$SERVER_LOG" && break
  sleep 0.1
done
grep -q '1 TURN users and 1 REST secrets' "$SERVER_LOG" || fail "no reload after NOTIFY"
stun db-user allocate "${RAW[@]}" --user dbuser --password db-pass

"$TURNCTL_BIN" --database="$URL" user add notified --realm example.org --password n-pass >/dev/null
for _ in $(seq 50); do
  grep -q '2 TURN users and 1 REST secrets' "$SERVER_LOG" && break
  sleep 0.1
done
grep -q '2 TURN users and 1 REST secrets' "$SERVER_LOG" || fail "no reload after NOTIFY"
stun notified allocate "${RAW[@]}" --user notified --password n-pass
loads=$(grep -c 'loaded from the database' "$SERVER_LOG")
"$TURNCTL_BIN" --database="$URL" user delete notified --realm example.org >/dev/null
for _ in $(seq 50); do
  [ "$(grep -c 'loaded from the database' "$SERVER_LOG")" -gt "$loads" ] && break
  sleep 0.1
done
grep 'loaded from the database' "$SERVER_LOG" | tail -n 1 | grep -q '1 TURN users and 1 REST secrets' ||
  fail "no reload after the user was deleted"
stun deleted allocate "${RAW[@]}" --user notified --password n-pass --expect 401
pass "users added and deleted with turnctl take effect without a reload"
loads=$(grep -c 'loaded from the database' "$SERVER_LOG")
kill -HUP "$SERVER_PID"
sleep 0.5
[ "$(grep -c 'loaded from the database' "$SERVER_LOG")" -gt "$loads" ] ||
  fail "SIGHUP did not re-read the database"
rest_credential db-secret carol 3600
stun db-secret allocate "${RAW[@]}" --user "$REST_USER" --password "$REST_PASS"
rest_credential file-secret carol 3600
stun file-secret allocate "${RAW[@]}" --user "$REST_USER" --password "$REST_PASS"
pass "database users and secrets served beside the config file's, picked up on reload"

start_server realm=example.org lt-cred-mech user=filer:file-pass \
  "database=postgresql:///turnd?host=$E2E_TMP/no-such-socket"
grep -q 'cannot connect to database' "$SERVER_LOG" || fail "no connection error logged"
raw_args
stun unreachable allocate "${RAW[@]}" --user filer --password file-pass
pass "an unreachable database is logged and TURN goes on with the config file's users"
