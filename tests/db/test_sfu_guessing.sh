#!/usr/bin/env bash
# Access-code guessing against the real turnd (issue 11, class 3): wrong codes
# from 127.0.0.2 and 127.0.0.3 are slowed down, then refused, while the right
# code from 127.0.0.4 joins at once; an unknown room answers like a wrong code;
# 12 people behind one address join together; the TURN credential a guest
# gets relays to the SFU and nowhere else (TURN clients from 127.0.0.7-9).
# Class 9: none of 127.0.0.2-9 appears in clear in the server's whole output
# (at debug level: turnd's and libwebsockets' lines) or in a dump of the
# database. Real WSS clients (tests/e2e/sfu_signal/guess_codes.py), a real
# PostgreSQL (run_with_cluster.sh).
: "${TURND_TEST_DATABASE_URL:?run through tests/db/run_with_cluster.sh}"
: "${TURNCTL_BIN:?TURNCTL_BIN must name build/bin/turnctl}"
source "$TURND_SRC/tests/e2e/lib.sh"
URL="$TURND_TEST_DATABASE_URL"

CODE=k7pm-2qxd-9hfa-wr3e
room_with_code team "Team" "$CODE"

make_cert
pick_port WEB_PORT
pick_port SFU_PORT
pick_port METRICS_PORT
start_server prometheus "prometheus-port=$METRICS_PORT" realm=example.org use-auth-secret \
  static-auth-secret=e2e-secret "database=$URL" "state-dir=$E2E_TMP/state" "cert=$CERT" \
  "pkey=$PKEY" "web-port=$WEB_PORT" "sfu-port=$SFU_PORT" sfu-tcp-port=0 \
  "web-root=$TURND_SRC/sfu/web" join-free-attempts=2 join-max-failures=6 allow-loopback-peers \
  verbose
for _ in $(seq 50); do tcp_listens "$WEB_PORT" && break; sleep 0.1; done

timeout 120 /usr/bin/python3 "$TURND_SRC/tests/e2e/sfu_signal/guess_codes.py" --port "$WEB_PORT" \
  --room team --code "$CODE" --free 2 --max 6 --ice-out "$E2E_TMP/ice" >"$E2E_TMP/guess.log" 2>&1
rc=$?
sed 's/^/    /' "$E2E_TMP/guess.log"
[ "$rc" = 0 ] || fail "the guessing checks failed (exit $rc)"

# The TURN credential a guest got relays to the SFU only, although this server
# allows loopback peers; the admin's REST secret still reaches such a peer.
[ -s "$E2E_TMP/ice" ] || fail "the guest got no TURN credential"
ICE_USER=$(sed -n 1p "$E2E_TMP/ice")
ICE_PASS=$(sed -n 2p "$E2E_TMP/ice")
pick_port OTHER_PEER
raw_args
stun guest-to-sfu permission "${RAW[@]}" --source 127.0.0.7 --user "$ICE_USER" --password "$ICE_PASS" \
  --peer "127.0.0.1:$SFU_PORT"
stun guest-elsewhere permission "${RAW[@]}" --source 127.0.0.8 --user "$ICE_USER" --password "$ICE_PASS" \
  --peer "127.0.0.1:$OTHER_PEER" --expect 403
ADMIN_USER="$(($(date +%s) + 600)):tool"
ADMIN_PASS=$(printf %s "$ADMIN_USER" | openssl dgst -sha1 -hmac e2e-secret -binary | base64)
stun admin-elsewhere permission "${RAW[@]}" --source 127.0.0.9 --user "$ADMIN_USER" --password "$ADMIN_PASS" \
  --peer "127.0.0.1:$OTHER_PEER"
pass "a guest's TURN credential reaches the SFU and nothing else"

metrics=$(curl -s "http://127.0.0.1:$METRICS_PORT/metrics")
throttled=$(grep -E '^turnd_sfu_throttled_joins_total ' <<<"$metrics" | awk '{print $2}')
[ "${throttled:-0}" -ge 2 ] || fail "turnd_sfu_throttled_joins_total is ${throttled:-missing}, want >= 2"
pass "wrong codes are slowed down and refused per address, nobody else is; metrics count them"

# No client address in clear: not in the server's output, not in the database
# (stopping the server flushes the participation log first).
stop_server
command -v pg_dump >/dev/null || fail "pg_dump is missing (postgresql-client)"
pg_dump --data-only "$URL" >"$E2E_TMP/dump.sql" || fail "pg_dump failed"
visits=$(sed -n '/^COPY public.participation_log/,/^\\\./p' "$E2E_TMP/dump.sql" | grep -vc '^COPY\|^\\\.')
[ "$visits" -ge 1 ] || fail "no visit reached participation_log"
allocations=$(sed -n '/^COPY public.allocation_log/,/^\\\./p' "$E2E_TMP/dump.sql" | grep -vc '^COPY\|^\\\.')
[ "$allocations" -ge 3 ] || fail "only $allocations allocations (from 127.0.0.7-9) reached allocation_log"
for ip in 127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5 127.0.0.6 127.0.0.7 127.0.0.8 127.0.0.9; do
  ! grep -qF "$ip" "$SERVER_LOG" || fail "the server log names $ip in clear"
  ! grep -qF "$ip" "$E2E_TMP/dump.sql" || fail "the database holds $ip in clear"
done
pass "no client address of 127.0.0.2-9 in clear in the server's whole output (debug level) or the database ($visits visit rows, $allocations allocation rows)"
