#!/usr/bin/env bash
# turnctl end to end against a real PostgreSQL: every command, its output, the
# database rows it leaves, and the error exits. coturn's own turnadmin (when
# installed) reads and writes the same users and secrets.
#
# Run by ctest through run_with_cluster.sh, which sets TURND_TEST_DATABASE_URL;
# TURNCTL_BIN names the binary, TURND_SRC the source tree.
set -euo pipefail

: "${TURND_TEST_DATABASE_URL:?run through tests/db/run_with_cluster.sh}"
: "${TURNCTL_BIN:?TURNCTL_BIN must name build/bin/turnctl}"
TURND_SRC="${TURND_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}"
URL="$TURND_TEST_DATABASE_URL"
PSQL=(psql --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 "$URL")

TMP="$(mktemp -d /tmp/turnd-turnctl.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
CONF="$TMP/turnd.conf"
cat >"$CONF" <<EOF
realm=example.org
lt-cred-mech
database=$URL
log-retention=5d
EOF

checks=0
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# run ARGS...: turnctl -c CONF ARGS, stdout in $OUT, stderr in $ERR, status in $RC.
run() {
  RC=0
  "$TURNCTL_BIN" -c "$CONF" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null || RC=$?
  OUT="$(cat "$TMP/out")"
  ERR="$(cat "$TMP/err")"
}

# run_in INPUT ARGS...: the same with INPUT on stdin.
run_in() {
  local input=$1
  shift
  RC=0
  printf '%s\n' "$input" | "$TURNCTL_BIN" -c "$CONF" "$@" >"$TMP/out" 2>"$TMP/err" || RC=$?
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

# coturn's turnadmin writes a log file named after its pid into /var/log: remove it.
turnadmin_run() {
  local pid rc=0
  turnadmin "$@" >"$TMP/turnadmin" 2>&1 &
  pid=$!
  wait "$pid" || rc=$?
  rm -f "/var/log/turn_${pid}_"*.log 2>/dev/null || true
  return "$rc"
}

echo "== an ordinary database owner migrates (no CREATEROLE: the roles are skipped with a notice)"
roles_before="$(sql "SELECT count(*) FROM pg_roles WHERE rolname = 'turnd_daemon'")"
sql "CREATE ROLE turnctl_owner LOGIN NOSUPERUSER NOCREATEROLE" >/dev/null
"${PSQL[@]}" -c "CREATE DATABASE owned OWNER turnctl_owner" >/dev/null
OWNER_URL="${URL/postgres@/turnctl_owner@}"
OWNER_URL="${OWNER_URL/\/turnd_test\?//owned?}"
RC=0
"$TURNCTL_BIN" --database="$OWNER_URL" db migrate >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT="$(cat "$TMP/out")" ERR="$(cat "$TMP/err")"
expect 0 "applied 005_roles.sql"
if [ "$roles_before" = 0 ]; then  # a fresh cluster (always, under ctest)
  expect 0 "^turnctl: notice: role turnd_daemon does not exist and turnctl_owner may not create roles: not created$"
fi
[ "$(psql --no-psqlrc -Atc "SELECT tableowner FROM pg_tables WHERE tablename = 'rooms'" "$OWNER_URL")" = turnctl_owner ] ||
  fail "tables not owned by the migrating role"

echo "== schema"
migrations="$(find "$TURND_SRC/db/migrations" -name '[0-9]*_*.sql' | wc -l)"
run db status
expect 0 "$migrations migrations pending"
expect 0 "001 +rooms +pending"
run db migrate
expect 0 "applied 001_rooms.sql"
expect 0 "applied 005_roles.sql"
expect 0 "created 18 log partitions"
run db migrate
expect 0 "^schema up to date \($migrations migrations\)$"
run db status
expect 0 "005 +roles +applied +20[0-9]{2}-"
expect 0 "log partitions: 18 "
[ "$(sql "SELECT count(*) FROM schema_migrations")" = "$migrations" ] || fail "schema_migrations"

echo "== rooms"
run room create maths-101 --name "Maths 101" --max 30
expect 0 "^created room maths-101$"
run room create lobby --expires=30d --recording
expect 0 "created room lobby"
run room create maths-101
expect 1 "room 'maths-101' already exists"
run room create "Bad Slug"
expect 1 "bad room slug 'Bad Slug'"
run room list
expect 0 "maths-101 +Maths 101 +30 +- +never"
expect 0 "lobby +- +- +- +20[0-9-]+T"
run room show maths-101
expect 0 "participant code: +not set"
expect 0 "max participants: +30"
expect 0 "recording allowed: +no"
run room show lobby
expect 0 "recording allowed: +yes"
run room show ghost
expect 1 "^turnctl: no room 'ghost'$"

echo "== access codes"
run room set-code maths-101
expect 0 "^[2-9a-hjkmnp-z]{4}(-[2-9a-hjkmnp-z]{4}){3}$"
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] || fail "set-code prints the code alone: $OUT"
expect 0 "shown only this once"
CODE="$OUT"
row="$(sql "SELECT r::text FROM rooms r WHERE slug = 'maths-101'")"
case "$row" in
  *"$CODE"* | *"${CODE//-/}"*) fail "the code is stored in clear: $row" ;;
  *"\$scrypt\$N=32768,r=8,p=1\$"*) ;;
  *) fail "no scrypt hash stored: $row" ;;
esac
run_in "$CODE" room verify-code maths-101
expect 0 "^ok: the participant code of room maths-101 matches$"
run_in "${CODE^^}" room verify-code maths-101
expect 0 "matches"
run_in "not-the-code-123" room verify-code maths-101
expect 1 "no match"
run room verify-code maths-101 --moderator --code "$CODE"
expect 1 "room maths-101 has no moderator code"
run room set-code maths-101 --moderator --code "12345"
expect 1 "weak code: at least 10 characters"
run room set-code maths-101 --moderator --code "correct-horse-battery"
expect 0 "set the moderator code of room maths-101"
run room verify-code maths-101 --moderator --code "correct-horse-battery"
expect 0 "matches"
run room verify-code maths-101 --code "correct-horse-battery"
expect 1 "no match"
run room show maths-101
expect 0 "moderator code: +set"
run room list
expect 0 "maths-101 .* participant,moderator "
run room set-code maths-101 --moderator --clear
expect 0 "cleared the moderator code"
run room set-code ghost
expect 1 "no room 'ghost'"
run room delete lobby
expect 0 "deleted room lobby"
run room delete lobby
expect 1 "no room 'lobby'"

echo "== TURN users"
run user add alice --password wonderland
expect 0 "^added user alice in realm example.org$"
run_in "builder" user add bob
expect 0 "added user bob"
run_in "new-password" user add bob
expect 0 "updated user bob"
run user add carol --realm other.org --password x
expect 0 "added user carol in realm other.org"
key="$(sql "SELECT rtrim(hmackey) FROM turnusers_lt WHERE realm = 'example.org' AND name = 'alice'")"
md5="$(printf '%s' 'alice:example.org:wonderland' | md5sum | cut -d' ' -f1)"
[ "$key" = "$md5" ] || fail "hmackey $key is not MD5(name:realm:password) $md5"
[ "$key" = 72f86f2053703faa0f521ce71cfe6f59 ] || fail "hmackey $key"
[ -z "$(sql "SELECT 1 FROM turnusers_lt WHERE hmackey LIKE '%wonderland%' OR hmackey LIKE '%builder%'")" ] ||
  fail "a password reached the database"
run user list
expect 0 "example.org +alice"
expect 0 "other.org +carol"
run user list --realm other.org
expect 0 "carol"
printf '%s\n' "$OUT" | grep -q alice && fail "--realm filters"
run user add "bad:name" --password x
expect 1 "user name contains ':'"
run user add dave
expect 2 "empty password"
run user delete carol --realm other.org
expect 0 "deleted user carol from realm other.org"
run user delete carol --realm other.org
expect 1 "no user 'carol' in realm 'other.org'"

echo "== REST secrets"
run secret add
expect 0 "^[0-9a-f]{64}$"
GENERATED="$OUT"
run secret add rotate-me-2024
expect 0 "added a REST API secret to realm example.org"
run secret add rotate-me-2024
expect 1 "already has this secret"
run secret list
expect 0 "example.org +$GENERATED"
expect 0 "example.org +rotate-me-2024"
run secret delete rotate-me-2024
expect 0 "deleted a REST API secret"
run secret delete rotate-me-2024
expect 1 "no such secret in realm 'example.org'"

if command -v turnadmin >/dev/null; then
  echo "== coturn's turnadmin on the same tables"
  turnadmin_run -k -u alice -r example.org -p wonderland || fail "turnadmin -k"
  grep -q "0x$key" "$TMP/turnadmin" || fail "turnadmin's key differs: $(cat "$TMP/turnadmin")"
  turnadmin_run -l -e "$URL" || fail "turnadmin -l"
  grep -q "alice\[example.org\]" "$TMP/turnadmin" || fail "turnadmin -l: $(cat "$TMP/turnadmin")"
  turnadmin_run -S -e "$URL" -r example.org || fail "turnadmin -S"
  grep -q "$GENERATED" "$TMP/turnadmin" || fail "turnadmin -S: $(cat "$TMP/turnadmin")"
  turnadmin_run -a -e "$URL" -u erin -r example.org -p from-coturn || fail "turnadmin -a"
  run user list
  expect 0 "example.org +erin"
  checks=$((checks + 3))
fi

echo "== retention"
sql "SELECT turnd_ensure_log_partitions(current_date - 9, current_date)" >/dev/null
sql "INSERT INTO allocation_log (event_id, started_at, client_transport, client_family, relay_family)
     SELECT gen_random_uuid(), now() - age, 'udp', 'ipv4', 'ipv4'
     FROM unnest(ARRAY[interval '8 days', interval '6 days', interval '5 days 1 hour',
                       interval '4 days 23 hours', interval '1 hour']) AS age"
run db purge
expect 0 "purged session logs older than 5d \(started before 20[0-9-]+T[0-9:]+Z\): [0-9]+ partitions dropped, [0-9]+ rows? deleted"
[ "$(sql "SELECT count(*) FROM allocation_log")" = 2 ] || fail "purge kept the wrong rows"
[ "$(sql "SELECT count(*) FROM allocation_log WHERE started_at < now() - interval '5 days'")" = 0 ] ||
  fail "rows older than 5 days left"
run db purge --retention=2h
expect 0 "older than 2h"
[ "$(sql "SELECT count(*) FROM allocation_log")" = 1 ] || fail "--retention=2h"

echo "== errors"
RC=0
"$TURNCTL_BIN" --database="postgresql:///turnd?host=$TMP/no-such-socket" room list >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT="$(cat "$TMP/out")" ERR="$(cat "$TMP/err")"
expect 3 "^turnctl: cannot connect to database: .*no-such-socket"
RC=0
"$TURNCTL_BIN" room list >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT="$(cat "$TMP/out")" ERR="$(cat "$TMP/err")"
expect 2 "no database: set database="
run room frobnicate
expect 2 "unknown command 'room frobnicate'"
expect 2 "^usage: turnctl"
run room create
expect 2 "'room create' needs SLUG"
run room list --bogus
expect 2 "unknown option --bogus"
run --help
expect 0 "room set-code SLUG"

echo "== history checks"
cp -r "$TURND_SRC/db/migrations" "$TMP/migrations"
echo "-- edited after it was applied" >>"$TMP/migrations/003_session_logs.sql"
run --migrations="$TMP/migrations" db migrate
expect 1 "migration 003_session_logs.sql was changed after it was applied"
run --migrations="$TMP/migrations" db status
expect 1 "003 +session_logs +CHANGED"
printf 'CREATE TABLE turnctl_extra (x int);\n' >"$TMP/migrations/099_extra.sql"
cp "$TURND_SRC/db/migrations/003_session_logs.sql" "$TMP/migrations/"
run --migrations="$TMP/migrations" db migrate
expect 0 "^applied 099_extra.sql$"
run db status
expect 1 "099 +extra +unknown"

echo "test_turnctl: $checks checks passed"
