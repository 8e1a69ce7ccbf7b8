#!/usr/bin/env bash
# The SFU's signalling server (sfu/signal) with real clients, run by
# sfu_signal_echo (an echo handler in place of the conference):
#   - start-up errors: port in use, a key that does not match, no web root;
#   - HTTPS: index.html for / and /r/<slug> with the CSP and the other security
#     headers, static files, /imprint, 404 for traversal and unknown paths
#     (sfu_signal/signal_client.py, Python's http.client);
#   - TLS: 1.2 and 1.3 accepted, 1.0 and 1.1 refused with a protocol-version
#     alert (Python's ssl and openssl s_client);
#   - WSS (python3-websockets): echo, order, 1 MiB refused while others are
#     served, the per-connection send bound, close(), Origin, ping/pong;
#   - headless Chromium (playwright-core) loads /r/test without console errors
#     and joins through window.turnd (sfu_signal/chromium_check.mjs);
#   - the browser client end to end (sfu_signal/fake_conference.mjs): Alice,
#     Bob and Carol in Chromium against a stand-in conference behind
#     sfu_signal_echo --bridge: media both ways, mute, camera, screen, lock,
#     kick, reconnect, leave;
#   - SIGTERM: exit 0, on_close for every connection.
# Needs SFU_SIGNAL_ECHO (set by ctest), /usr/bin/python3 with python3-websockets,
# node, /usr/bin/chromium, and playwright-core: found in $PLAYWRIGHT_CORE, in
# node's search path or /tmp/pw, else installed from npm into
# /tmp/turnd-playwright (a missing piece fails the test; nothing is skipped).
if [ -z "${SFU_SIGNAL_ECHO:-}" ] || [ ! -x "${SFU_SIGNAL_ECHO}" ]; then
  echo "test_sfu_signal: SFU_SIGNAL_ECHO must name the sfu_signal_echo binary" >&2
  exit 1
fi
# lib.sh insists on an executable TURND_BIN; this test never starts turnd.
if [ -z "${TURND_BIN:-}" ] || [ ! -x "${TURND_BIN}" ]; then export TURND_BIN="$SFU_SIGNAL_ECHO"; fi
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SRC="${TURND_SRC:-$(cd "$E2E_DIR/../.." && pwd)}"
WEB="$SRC/sfu/web"
HERE="$E2E_DIR/sfu_signal"
PY=/usr/bin/python3
PING_INTERVAL=2
PING_TIMEOUT=2

"$PY" -c 'import websockets' 2>/dev/null ||
  fail "$PY cannot import websockets (apt-get install python3-websockets)"
for tool in node /usr/bin/chromium; do
  command -v "$tool" >/dev/null || fail "$tool not found (bash scripts/deps.sh installs nodejs and chromium)"
done
[ -f "$WEB/index.html" ] || fail "no client in $WEB"

make_cert
IMPRINT="$E2E_TMP/imprint.html"
echo '<!DOCTYPE html><title>Imprint</title><p>turnd test imprint 4711</p>' >"$IMPRINT"

# start_echo: sfu_signal_echo on a fresh port (SIG_PORT); waits for it to listen.
start_echo() {
  pick_port SIG_PORT
  SERVER_LOG="$E2E_TMP/echo.log"
  "$SFU_SIGNAL_ECHO" --listen "$HOST:$SIG_PORT" --cert "$CERT" --key "$PKEY" --web-root "$WEB" \
    --imprint "$IMPRINT" --ping-interval "$PING_INTERVAL" --ping-timeout "$PING_TIMEOUT" \
    "$@" >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  E2E_PIDS+=("$SERVER_PID")
  for _ in $(seq 100); do
    running "$SERVER_PID" || fail "sfu_signal_echo exited during start-up"
    tcp_listens "$SIG_PORT" && grep -q '^listening' "$SERVER_LOG" && return 0
    sleep 0.1
  done
  fail "sfu_signal_echo did not listen on $SIG_PORT within 10 s"
}

# expect_refusal NAME PATTERN ARGS...: sfu_signal_echo ARGS must exit 2 saying PATTERN.
expect_refusal() {
  local name=$1 pattern=$2 rc=0
  shift 2
  timeout 10 "$SFU_SIGNAL_ECHO" "$@" >"$E2E_TMP/$name.log" 2>&1 || rc=$?
  [ "$rc" = 2 ] || fail "$name: exit $rc, expected 2 ($(tail -n 3 "$E2E_TMP/$name.log"))"
  grep -q -- "$pattern" "$E2E_TMP/$name.log" ||
    fail "$name: no '$pattern' in: $(cat "$E2E_TMP/$name.log")"
  pass "$name: refused with '$(grep -m1 -- "$pattern" "$E2E_TMP/$name.log")'"
}

start_echo
note "sfu_signal_echo up on $SIG_PORT (ping every $PING_INTERVAL s, hang-up after $PING_TIMEOUT s more)"

# --- Start-up errors ---------------------------------------------------------------
expect_refusal port-in-use "Address already in use" --listen "$HOST:$SIG_PORT" \
  --cert "$CERT" --key "$PKEY" --web-root "$WEB"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$E2E_TMP/other.pem" \
  2>/dev/null || fail "openssl could not make a key"
pick_port SPARE_PORT
expect_refusal wrong-key "does not match" --listen "$HOST:$SPARE_PORT" \
  --cert "$CERT" --key "$E2E_TMP/other.pem" --web-root "$WEB"
expect_refusal missing-cert "cannot load certificate $E2E_TMP/none.pem" --listen "$HOST:$SPARE_PORT" \
  --cert "$E2E_TMP/none.pem" --key "$PKEY" --web-root "$WEB"
expect_refusal missing-web-root "web root" --listen "$HOST:$SPARE_PORT" \
  --cert "$CERT" --key "$PKEY" --web-root "$E2E_TMP/no-such-dir"

# --- HTTPS, TLS versions, WSS ---------------------------------------------------------
UC_LOG="$E2E_TMP/client.log"
rc=0
timeout 150 "$PY" "$HERE/signal_client.py" --port "$SIG_PORT" --web-root "$WEB" --imprint "$IMPRINT" \
  --ping-interval "$PING_INTERVAL" --ping-timeout "$PING_TIMEOUT" >"$UC_LOG" 2>&1 || rc=$?
sed "s/^/    /" "$UC_LOG"
[ "$rc" = 0 ] || fail "signal_client.py: exit $rc"
pass "HTTPS, TLS versions and WSS: $(grep -c '^ok ' "$UC_LOG") checks"

S_CLIENT="$E2E_TMP/s_client.log"
timeout 10 openssl s_client -connect "$HOST:$SIG_PORT" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' \
  </dev/null >"$S_CLIENT" 2>&1 || true
grep -q "alert protocol version" "$S_CLIENT" ||
  fail "openssl s_client -tls1_1: no protocol-version alert: $(grep -i -m3 'error\|protocol' "$S_CLIENT")"
pass "openssl s_client -tls1_1: refused (alert protocol version)"
timeout 10 openssl s_client -connect "$HOST:$SIG_PORT" -tls1_2 </dev/null >"$S_CLIENT" 2>&1 || true
grep -q "Protocol  *: TLSv1.2" "$S_CLIENT" || fail "openssl s_client -tls1_2 did not connect"
pass "openssl s_client -tls1_2: connected"

# --- Limits: connections per address and in all, messages per connection ------------------
stop_server
start_echo --per-address 5 --max-connections 12 --message-burst 10 --message-rate 2
rc=0
timeout 60 "$PY" "$HERE/limits_client.py" --port "$SIG_PORT" --per-address 5 --total 12 \
  --burst 10 >"$UC_LOG" 2>&1 || rc=$?
sed "s/^/    /" "$UC_LOG"
[ "$rc" = 0 ] || fail "limits_client.py: exit $rc"
pass "connection limits per address and in all, message bursts: $(grep -c '^ok ' "$UC_LOG") checks"
stop_server
start_echo

# --- Headless Chromium ------------------------------------------------------------------
find_playwright() {  # sets PLAYWRIGHT_CORE to the package's folder, or fails
  local dir
  for dir in "${PLAYWRIGHT_CORE:-}" /tmp/pw/node_modules/playwright-core \
    /tmp/turnd-playwright/node_modules/playwright-core; do
    if [ -n "$dir" ] && [ -f "$dir/package.json" ]; then
      PLAYWRIGHT_CORE=$dir
      return 0
    fi
  done
  if dir=$(cd "$HERE" && node -e 'console.log(require("path").dirname(require.resolve("playwright-core/package.json")))' 2>/dev/null); then
    PLAYWRIGHT_CORE=$dir
    return 0
  fi
  note "playwright-core not found: npm install --prefix /tmp/turnd-playwright playwright-core"
  timeout 180 npm install --no-audit --no-fund --prefix /tmp/turnd-playwright playwright-core \
    >"$E2E_TMP/npm.log" 2>&1 ||
    fail "playwright-core is needed for the Chromium check and npm could not install it: $(tail -n 3 "$E2E_TMP/npm.log")"
  PLAYWRIGHT_CORE=/tmp/turnd-playwright/node_modules/playwright-core
}
find_playwright
UC_LOG="$E2E_TMP/chromium.log"
rc=0
PLAYWRIGHT_CORE="$PLAYWRIGHT_CORE" timeout 120 node "$HERE/chromium_check.mjs" \
  "https://$HOST:$SIG_PORT/r/test" >"$UC_LOG" 2>&1 || rc=$?
sed "s/^/    /" "$UC_LOG"
[ "$rc" = 0 ] || fail "chromium_check.mjs: exit $rc"
pass "headless Chromium loads /r/test without errors and joins through window.turnd"

# The client's whole protocol, in three Chromium pages, against a stand-in for
# the conference behind sfu_signal_echo --bridge.
UC_LOG="$E2E_TMP/fake_conference.log"
rc=0
PLAYWRIGHT_CORE="$PLAYWRIGHT_CORE" timeout 180 node "$HERE/fake_conference.mjs" "$SFU_SIGNAL_ECHO" \
  "$CERT" "$PKEY" "$WEB" >"$UC_LOG" 2>&1 || rc=$?
sed "s/^/    /" "$UC_LOG"
[ "$rc" = 0 ] || fail "fake_conference.mjs: exit $rc"
pass "the client joins, publishes, subscribes, mutes, shares, locks, kicks, reconnects and leaves"

# --- Shutdown -------------------------------------------------------------------------------
# A client still connected at SIGTERM must get its on_close too.
before=$(grep -c '^open ' "$SERVER_LOG" || true)
timeout 30 "$PY" -c '
import asyncio, ssl, sys, websockets
async def hold():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    async with websockets.connect(sys.argv[1], ssl=ctx) as ws:
        await ws.wait_closed()
asyncio.run(hold())' "wss://$HOST:$SIG_PORT/ws" >"$E2E_TMP/holder.log" 2>&1 &
HOLDER=$!
E2E_PIDS+=("$HOLDER")
for _ in $(seq 50); do
  [ "$(grep -c '^open ' "$SERVER_LOG" || true)" -gt "$before" ] && break
  sleep 0.1
done
[ "$(grep -c '^open ' "$SERVER_LOG" || true)" -gt "$before" ] || fail "the holding client did not connect"
kill -TERM "$SERVER_PID"
for _ in $(seq 50); do
  running "$SERVER_PID" || break
  sleep 0.1
done
running "$SERVER_PID" && fail "sfu_signal_echo still running 5 s after SIGTERM"
rc=0
wait "$SERVER_PID" || rc=$?
[ "$rc" = 0 ] || fail "sfu_signal_echo exited with $rc after SIGTERM"
grep -q '^stopped' "$SERVER_LOG" || fail "sfu_signal_echo did not report stopping"
opened=$(grep -c '^open ' "$SERVER_LOG" || true)
closed=$(grep -c '^close ' "$SERVER_LOG" || true)
[ "$opened" = "$closed" ] || fail "on_open $opened times but on_close $closed times"
! grep -q '^ERROR' "$SERVER_LOG" || fail "the handler saw: $(grep -m1 '^ERROR' "$SERVER_LOG")"
rc=0
wait "$HOLDER" || rc=$?
[ "$rc" = 0 ] || fail "the client holding a connection saw no close at SIGTERM (exit $rc)"
pass "SIGTERM: exit 0; on_open and on_close $opened times each, the open connection closed too"
