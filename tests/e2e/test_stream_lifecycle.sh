#!/usr/bin/env bash
# TURN over TCP/TLS: the connection belongs to its allocation (RFC 8656 §5).
# When the allocation expires the server closes the connection; a connection
# that never allocates is closed after 30 s; an active one stays open.
source "$(dirname "$0")/lib.sh"

start_server realm=example.org lt-cred-mech user=alice:alice-pass \
  max-allocate-lifetime=3 default-allocate-lifetime=3
raw_args

# A connection that never sends anything (a slow-connection attacker).
timeout 45 python3 - "$HOST" "$PORT" >"$E2E_TMP/idle.log" 2>&1 <<'PY' &
import socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
start = time.monotonic()
s.settimeout(40)
try:
    data = s.recv(1)
    print(f"CLOSED after {time.monotonic() - start:.0f}s" if data == b"" else "DATA")
except socket.timeout:
    print("STILL OPEN")
PY
IDLE=$!

# An allocation of 3 s that is never refreshed: its connection must go.
timeout 20 "${STUN_CLIENT[@]}" hold "${RAW[@]}" --transport tcp --user alice --password alice-pass \
  --wait 10 >"$E2E_TMP/hold.log" 2>&1 || fail "hold failed: $(cat "$E2E_TMP/hold.log")"
grep -q '^RELAYED' "$E2E_TMP/hold.log" || fail "no allocation: $(cat "$E2E_TMP/hold.log")"
grep -q '^CLOSED' "$E2E_TMP/hold.log" || fail "the connection outlived its expired allocation"
pass "an expired allocation closes its TCP connection"

wait "$IDLE" || true
grep -qE '^CLOSED after (2[89]|3[0-9])s' "$E2E_TMP/idle.log" ||
  fail "idle connection without allocation: $(cat "$E2E_TMP/idle.log")"
server_alive || fail "server died"
pass "a connection without allocation is closed after about 30 s ($(cat "$E2E_TMP/idle.log"))"
