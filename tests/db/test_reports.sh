#!/usr/bin/env bash
# Usage reports end to end against a real PostgreSQL: every db/reports/NAME.sql
# run by psql gives the same rows as `turnctl report NAME` (CSV byte for byte,
# with and without --from/--to), the three output formats, a manager holding
# turnd_report, the installed reports directory, and the error exits. The
# numbers themselves are checked in tests/db/reports_test.cc.
#
# Run by ctest through run_with_cluster.sh, which sets TURND_TEST_DATABASE_URL;
# TURNCTL_BIN names the binary, TURND_SRC the source tree.
set -euo pipefail

: "${TURND_TEST_DATABASE_URL:?run through tests/db/run_with_cluster.sh}"
: "${TURNCTL_BIN:?TURNCTL_BIN must name build/bin/turnctl}"
TURND_SRC="${TURND_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}"
URL="$TURND_TEST_DATABASE_URL"
REPORTS="$TURND_SRC/db/reports"
PSQL=(psql --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 "$URL")

TMP="$(mktemp -d /tmp/turnd-reports.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT

checks=0
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# run ARGS...: turnctl --database=URL ARGS, stdout in $OUT, stderr in $ERR, status in $RC.
run() {
  RC=0
  "$TURNCTL_BIN" --database="$URL" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null || RC=$?
  OUT="$(cat "$TMP/out")"
  ERR="$(cat "$TMP/err")"
}

# expect CODE PATTERN: the last command exited with CODE and its stdout+stderr matches PATTERN.
expect() {
  local code=$1 pattern=$2
  checks=$((checks + 1))
  [ "$RC" -eq "$code" ] || fail "expected exit $code, got $RC (stdout: $OUT; stderr: $ERR)"
  printf '%s\n%s\n' "$OUT" "$ERR" | grep -Eq -- "$pattern" ||
    fail "output does not match /$pattern/: stdout: $OUT; stderr: $ERR"
}

sql() { "${PSQL[@]}" -c "$1"; }

echo "== schema and rows"
run db migrate
expect 0 "applied 006_report_views.sql"
sql "SELECT turnd_ensure_log_partitions('2026-11-01', '2026-11-03')" >/dev/null
sql "INSERT INTO rooms (slug) VALUES ('maths-101'), ('lobby')" >/dev/null
# Two days of conferences (one across midnight) and allocations over each transport;
# then a few closed sessions of the last hours, for the default range (30 days).
sql "INSERT INTO participation_log (event_id, joined_at, left_at, end_reason, room_id)
     SELECT gen_random_uuid(), j::timestamptz, l::timestamptz, 'left',
            (SELECT id FROM rooms WHERE slug = room)
       FROM (VALUES ('maths-101', '2026-11-01 09:00Z', '2026-11-01 10:00Z'),
                    ('maths-101', '2026-11-01 09:30Z', '2026-11-01 09:45Z'),
                    ('lobby', '2026-11-01 23:00Z', '2026-11-02 01:00Z'),
                    ('lobby', '2026-11-02 00:30Z', '2026-11-02 00:40Z'),
                    ('maths-101', '2026-11-02 14:00Z', '2026-11-02 14:30Z')) AS p (room, j, l);
     INSERT INTO participation_log (event_id, joined_at, left_at, end_reason, room_id)
     SELECT gen_random_uuid(), now() - interval '3 hours', now() - interval '2 hours', 'left', id
       FROM rooms;
     INSERT INTO allocation_log (event_id, started_at, ended_at, end_reason, client_transport,
                                 client_family, relay_family, bytes_from_client, bytes_to_client)
     SELECT gen_random_uuid(), s::timestamptz, s::timestamptz + interval '1 hour', 'client', t,
            'ipv4', 'ipv4', b, b
       FROM (VALUES ('2026-11-01 09:01Z', 'udp', 500000), ('2026-11-01 09:02Z', 'tcp', 250000),
                    ('2026-11-01 09:03Z', 'tls', 100000), ('2026-11-01 09:04Z', 'udp', 100),
                    ('2026-11-02 14:01Z', 'tls', 40000)) AS a (s, t, b);
     INSERT INTO allocation_log (event_id, started_at, ended_at, end_reason, client_transport,
                                 client_family, relay_family, bytes_from_client, bytes_to_client)
     VALUES (gen_random_uuid(), now() - interval '3 hours', now() - interval '2 hours', 'client',
             'tcp', 'ipv6', 'ipv6', 70000, 0)" >/dev/null

echo "== report list"
run report list
expect 0 "^NAME +DESCRIPTION$"
expect 0 "^daily_allocations +Per day: TURN allocations, how many needed TCP or TLS"
names="$(printf '%s\n' "$OUT" | tail -n +2 | cut -d' ' -f1)"
[ "$(printf '%s\n' "$names" | wc -l)" -eq "$(find "$REPORTS" -name '*.sql' | wc -l)" ] ||
  fail "report list does not list every file of $REPORTS: $names"
for name in $names; do
  first="$(head -n 1 "$REPORTS/$name.sql")"
  printf '%s\n' "$OUT" | grep -qF -- "${first#-- }" || fail "$name: description is not '${first#-- }'"
done
checks=$((checks + 1))

echo "== psql -f and turnctl report give the same rows"
# same NAME PSQL_ARGS -- TURNCTL_ARGS: CSV of both, byte for byte.
same() {
  local name=$1 psql_args=() turnctl_args=()
  shift
  while [ "$1" != -- ]; do
    psql_args+=("$1")
    shift
  done
  shift
  turnctl_args=("$@")
  psql --no-psqlrc --quiet --csv --set=ON_ERROR_STOP=1 "${psql_args[@]}" "$URL" \
    -f "$REPORTS/$name.sql" >"$TMP/psql.csv" || fail "psql -f $name.sql failed"
  run report "$name" --format=csv "${turnctl_args[@]}"
  [ "$RC" -eq 0 ] || fail "turnctl report $name: exit $RC: $ERR"
  cp "$TMP/out" "$TMP/turnctl.csv"
  diff -u "$TMP/psql.csv" "$TMP/turnctl.csv" >"$TMP/diff" ||
    fail "report $name ${turnctl_args[*]}: psql and turnctl differ: $(cat "$TMP/diff")"
  checks=$((checks + 1))
}
for name in $names; do
  same "$name" -v from=2026-11-01 -v to=2026-11-02 -- --from=2026-11-01 --to=2026-11-02
  [ "$(wc -l <"$TMP/turnctl.csv")" -gt 1 ] || fail "report $name has no rows for 2026-11-01..02"
  same "$name" -v from=2026-11-02 -- --from 2026-11-02
  same "$name" -- # the default range: the last 30 days
  [ "$(wc -l <"$TMP/turnctl.csv")" -gt 1 ] || fail "report $name has no rows for the last 30 days"
  same "$name" -v from=2026-11-03 -v to=2026-11-03 -- --from=2026-11-03 --to=2026-11-03
  [ "$(wc -l <"$TMP/turnctl.csv")" -eq 1 ] || fail "report $name: rows on a day without any"
done

echo "== formats"
run report daily_allocations --from=2026-11-01 --to=2026-11-02 --format=csv
expect 0 "^day,allocations,tcp_tls_allocations,used_allocations,used_tcp_tls,tcp_tls_share_percent,relayed_bytes$"
# 09:04 udp relayed 200 bytes: not used. 2026-11-02: 80000 bytes over TLS, used.
expect 0 "^2026-11-01,4,2,3,2,66.7,1700200$"
expect 0 "^2026-11-02,1,1,1,1,100.0,80000$"
run report daily_rooms --from=2026-11-01 --to=2026-11-02
expect 0 "^DAY +ROOM +CONFERENCES +PARTICIPATIONS +PARTICIPANT_MINUTES +PEAK_PARTICIPANTS$"
expect 0 "^2026-11-01  lobby +1 +1 +60.0 +1$"
expect 0 "^2026-11-01  maths-101 +1 +2 +75.0 +2$"
expect 0 "^2026-11-02  lobby +0 +1 +70.0 +2$"
run report transport_usage --from=2026-11-01 --to=2026-11-02 --format=json
expect 0 '^  \{"transport": "udp", "allocations": 2, "used_allocations": 1, "used_share_percent": 25.0, "bytes_from_client": 500100, "bytes_to_client": 500100\},$'
printf '%s\n' "$OUT" | python3 -c '
import json, sys
rows = json.load(sys.stdin)
assert [r["transport"] for r in rows] == ["udp", "tcp", "tls"], rows
assert all(type(r["allocations"]) is int for r in rows), rows
assert sum(r["used_share_percent"] for r in rows) == 100.0, rows
' || fail "turnctl report --format=json: $OUT"
run report daily_allocations --from=2026-11-03 --to=2026-11-03 --format=json
expect 0 '^\[\]$'
run report conferences --from=2026-11-01 --to=2026-11-01 --format=json
printf '%s\n' "$OUT" | python3 -c '
import json, sys
rows = json.load(sys.stdin)
assert rows == [
  {"day": "2026-11-01", "room": "maths-101", "started_at": "2026-11-01 09:00:00",
   "ended_at": "2026-11-01 10:00:00", "minutes": 60.0, "participations": 2,
   "participant_minutes": 75.0, "peak_participants": 2},
  {"day": "2026-11-01", "room": "lobby", "started_at": "2026-11-01 23:00:00",
   "ended_at": "2026-11-02 01:00:00", "minutes": 120.0, "participations": 2,
   "participant_minutes": 130.0, "peak_participants": 2}], rows
' || fail "conferences as JSON: $OUT"
checks=$((checks + 1))

echo "== a manager with turnd_report reads the reports, not the tables"
sql "CREATE ROLE report_manager LOGIN; GRANT turnd_report TO report_manager" >/dev/null
MANAGER_URL="${URL/postgres@/report_manager@}"
RC=0
"$TURNCTL_BIN" --database="$MANAGER_URL" report top_rooms --from=2026-11-01 --to=2026-11-02 \
  >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT="$(cat "$TMP/out")" ERR="$(cat "$TMP/err")"
expect 0 "^lobby +2 +1 +2 +130.0 +2$"
psql --no-psqlrc --quiet --csv -v from=2026-11-01 "$MANAGER_URL" -f "$REPORTS/daily_conferences.sql" \
  >"$TMP/out" || fail "psql -f as the manager"
grep -q '^2026-11-01,2,2,3,135.0,2$' "$TMP/out" || fail "psql -f as the manager: $(cat "$TMP/out")"
for table in allocation_log participation_log rooms; do
  if psql --no-psqlrc -Atc "SELECT count(*) FROM $table" "$MANAGER_URL" >"$TMP/out" 2>&1; then
    fail "the manager reads $table"
  fi
  grep -q "permission denied for table $table" "$TMP/out" || fail "$table: $(cat "$TMP/out")"
  checks=$((checks + 1))
done

echo "== an installed turnctl reads PREFIX/share/turnd/reports"
mkdir -p "$TMP/prefix/bin" "$TMP/prefix/share/turnd"
cp "$TURNCTL_BIN" "$TMP/prefix/bin/turnctl"
cp -r "$REPORTS" "$TMP/prefix/share/turnd/reports"
cat >"$TMP/prefix/share/turnd/reports/site_rooms.sql" <<'EOF'
-- A site's own report: rooms used per day
SELECT day, count(*) AS rooms FROM report_daily_rooms
 WHERE day BETWEEN :'from'::date AND :'to'::date GROUP BY day ORDER BY day;
EOF
RC=0
"$TMP/prefix/bin/turnctl" --database="$URL" report site_rooms --from=2026-11-01 --to=2026-11-02 \
  --format=csv >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT="$(cat "$TMP/out")" ERR="$(cat "$TMP/err")"
expect 0 "^2026-11-02,2$"
run --reports="$TMP/prefix/share/turnd/reports" report list
expect 0 "^site_rooms +A site's own report: rooms used per day$"

echo "== errors"
run report daily_conferences --from=2026-13-01
expect 2 "^turnctl: --from: '2026-13-01' is not a date: YYYY-MM-DD \(UTC\)$"
expect 2 "^usage: turnctl"
run report daily_conferences --to=yesterday
expect 2 "^turnctl: --to: 'yesterday' is not a date"
run report daily_conferences --from=2026-11-02 --to=2026-11-01
expect 2 "^turnctl: --from 2026-11-02 is after --to 2026-11-01$"
run report daily_conferences --format=xml
expect 2 "^turnctl: --format: 'xml' is not table, csv or json$"
run report no_such_report
expect 1 "^turnctl: no report 'no_such_report' in .*reports \(turnctl report list shows them\)$"
printf -- '-- broken\nSELECT nothing FROM nowhere WHERE :'"'"'from'"'"' < :'"'"'to'"'"'\n' \
  >"$TMP/prefix/share/turnd/reports/broken.sql"
run --reports="$TMP/prefix/share/turnd/reports" report broken
expect 1 "^turnctl: .*relation \"nowhere\" does not exist"
RC=0
"$TURNCTL_BIN" --database="postgresql:///turnd?host=$TMP/no-such-socket" report top_rooms \
  >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT="$(cat "$TMP/out")" ERR="$(cat "$TMP/err")"
expect 3 "^turnctl: cannot connect to database"

echo "test_reports: $checks checks passed"
