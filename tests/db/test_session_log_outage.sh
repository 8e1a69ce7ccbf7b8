#!/usr/bin/env bash
# The session logs lose nothing: turnd logs every allocation to PostgreSQL; the
# database is stopped in the middle of a run with many allocations (relaying and
# allocating go on, rows wait in memory and then in the journal, /healthz stays
# 200), started again, and every session is in allocation_log exactly once,
# ended, pseudonymised. Then turnd is killed (SIGKILL) holding an allocation: the
# next start closes that session with end reason 'crash'.
# Run by ctest through run_with_cluster.sh (TURND_TEST_DATABASE_URL).
: "${TURND_TEST_DATABASE_URL:?run through tests/db/run_with_cluster.sh}"
source "$TURND_SRC/tests/e2e/lib.sh"
URL="$TURND_TEST_DATABASE_URL"

# The cluster of run_with_cluster.sh: its socket directory is CLUSTER/socket.
cluster=$(sed -nE 's/.*host=([^&]*)\/socket.*/\1/p' <<<"$URL")
[ -d "$cluster/data" ] || fail "cannot find the cluster's directory in $URL"
bindir=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg() { as_pg "$bindir/pg_ctl" --pgdata="$cluster/data" --log="$cluster/server.log" --wait --timeout=30 "$@" >/dev/null; }
psql_value() { "$bindir/psql" --no-psqlrc -At "$URL" -c "$1"; }

http_get() {  # http_get URL: prints "STATUS" then the body
  timeout 5 python3 - "$1" <<'PY'
import sys, urllib.request, urllib.error
try:
    with urllib.request.urlopen(sys.argv[1], timeout=3) as r:
        print(r.status); print(r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code); print(e.read().decode())
PY
}
metric() { http_get "http://127.0.0.1:$METRICS_PORT/metrics" | awk -v n="$1" '$1 == n {print $2}'; }
created() {
  local total=0 t v
  for t in UDP TCP TLS; do
    v=$(metric "turnd_allocations_created_total{transport=\"$t\"}")
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
wait_metric() {  # wait_metric NAME VALUE SECONDS
  local i
  for i in $(seq $(($3 * 10))); do
    [ "$(metric "$1")" = "$2" ] && return 0
    sleep 0.1
  done
  fail "$1 is $(metric "$1"), not $2, after $3 s"
}

STATE="$E2E_TMP/state"
pick_port METRICS_PORT
server_lines=(realm=example.org lt-cred-mech user=alice:alice-pass allow-loopback-peers
  "database=$URL" "state-dir=$STATE" session-log-memory=5 session-log-address=both
  server-name=e2e-node prometheus "prometheus-port=$METRICS_PORT")
start_server "${server_lines[@]}"
start_peer
wait_metric turnd_session_log_database_up 1 10
client=(-u alice -w alice-pass -p "$PORT" -e "$HOST" -r "$PEER_PORT" -c)

uclient before-udp "${client[@]}" -m 10 -n 20
uclient before-tcp "${client[@]}" -t -m 5 -n 20
[ "$(uc_received)" -ge 100 ] || fail "TCP relaying before the outage: $(uc_received) received"

# The outage, in the middle of a run: 20 sessions relay for ~4 s; PostgreSQL
# stops after the first second.
uclient during "${client[@]}" -m 20 -n 200 -z 20 &
uc_pid=$!
sleep 1
pg stop --mode=fast
note "PostgreSQL stopped"
wait "$uc_pid" || true
UC_LOG="$E2E_TMP/during.log"
[ "$(uc_received)" -ge 3000 ] || fail "relaying during the outage: $(uc_received) of 4000 received"
uclient outage-tcp "${client[@]}" -t -m 10 -n 20
[ "$(uc_received)" -ge 200 ] || fail "allocating during the outage: $(uc_received) received"
wait_metric turnd_session_log_database_up 0 5
journal=$(metric turnd_session_log_journal_rows)
[ "${journal:-0}" -gt 5 ] || fail "the journal holds ${journal:-0} rows during the outage"
[ -s "$STATE/session-log.journal" ] || fail "no journal file in $STATE"
grep -q '192\.0\|127\.0\.0\.1\|alice' "$STATE/session-log.journal" &&
  fail "the journal holds a clear address or user name"
[ "$(http_get "http://127.0.0.1:$METRICS_PORT/healthz" | head -1)" = 200 ] ||
  fail "/healthz is not 200 while buffering within bounds"
pass "relaying and allocating went on without the database; $journal rows in the journal"

pg start
note "PostgreSQL started"
wait_metric turnd_session_log_database_up 1 40
wait_metric turnd_session_log_journal_rows 0 10
[ ! -e "$STATE/session-log.journal" ] || fail "the journal is still there after the replay"
uclient after "${client[@]}" -m 5 -n 20
total=$(created)
made_tcp=$(metric 'turnd_allocations_created_total{transport="TCP"}')
[ "$total" -ge 50 ] || fail "only $total allocations were made"
stop_server  # SIGTERM: the last sessions end as 'shutdown' and are flushed

rows=$(psql_value "SELECT count(*) FROM allocation_log")
distinct=$(psql_value "SELECT count(DISTINCT event_id) FROM allocation_log")
open=$(psql_value "SELECT count(*) FROM allocation_log WHERE ended_at IS NULL")
[ "$rows" = "$total" ] || fail "$rows rows for $total allocations"
[ "$distinct" = "$total" ] || fail "$distinct distinct sessions for $total allocations"
[ "$open" = 0 ] || fail "$open sessions left open after a clean stop"
tcp=$(psql_value "SELECT count(*) FROM allocation_log WHERE client_transport = 'tcp'")
[ "$tcp" = "$made_tcp" ] && [ "$tcp" -ge 15 ] || fail "$tcp TCP sessions logged, $made_tcp made"
bad=$(psql_value "SELECT count(*) FROM allocation_log WHERE node <> 'e2e-node'
  OR client_prefix <> '127.0.0.0/24' OR length(client_hash) <> 16 OR length(user_hash) <> 16
  OR end_reason NOT IN ('client', 'connection-closed', 'expired', 'shutdown')")
[ "$bad" = 0 ] || fail "$bad rows with unexpected node, pseudonyms or end reason"
moved=$(psql_value "SELECT count(*) FROM allocation_log WHERE bytes_from_client > 0 AND bytes_to_client > 0")
[ "$moved" -ge 40 ] || fail "only $moved rows carry relayed bytes"
pass "$total allocations, $rows rows, each exactly once, all ended, pseudonymised"

# A crash: turnd is killed while a client holds an allocation.
start_server "${server_lines[@]}"
raw_args
"${STUN_CLIENT[@]}" hold "${RAW[@]}" --user alice --password alice-pass --realm example.org \
  --wait 30 >"$E2E_TMP/hold.log" 2>&1 &
hold_pid=$!
E2E_PIDS+=("$hold_pid")
for _ in $(seq 50); do grep -q RELAYED "$E2E_TMP/hold.log" && break; sleep 0.1; done
grep -q RELAYED "$E2E_TMP/hold.log" || fail "hold did not allocate: $(cat "$E2E_TMP/hold.log")"
wait_metric turnd_session_log_written_total 1 10
[ "$(psql_value "SELECT count(*) FROM allocation_log WHERE ended_at IS NULL")" = 1 ] ||
  fail "the held allocation is not logged as open"
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
kill "$hold_pid" 2>/dev/null || true
start_server "${server_lines[@]}"
wait_metric turnd_session_log_database_up 1 10
for _ in $(seq 50); do
  [ "$(psql_value "SELECT count(*) FROM allocation_log WHERE end_reason = 'crash'")" = 1 ] && break
  sleep 0.1
done
[ "$(psql_value "SELECT count(*) FROM allocation_log WHERE end_reason = 'crash'")" = 1 ] ||
  fail "the session of the killed turnd was not closed as crashed"
[ "$(psql_value "SELECT count(*) FROM allocation_log WHERE ended_at IS NULL")" = 0 ] ||
  fail "a session is still open after the restart"
grep -q "closed 1 allocation(s) and 0 conference visit(s) that an earlier run of node e2e-node left open" "$SERVER_LOG" ||
  fail "the close-out is not logged"
pass "after a crash the next start closes the open session with end reason crash"
