#!/usr/bin/env bash
# Process lifecycle: a clean stop on SIGTERM, and a refusal to start on ports in use.
# - With allocations held over UDP, TCP and TLS, a second turnd started with the same
#   config (same ports, same pidfile) exits non-zero at once saying "already in use";
#   a second one with only the TCP listener (no-udp) too. The first keeps its pidfile
#   and keeps answering.
# - SIGTERM: the server exits with status 0 within 5 s, removes its pidfile, closes the
#   TCP/TLS clients' connections and releases every relay port.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

make_cert
start_server "realm=example.org" "lt-cred-mech" "user=alice:alicepw" "cert=$CERT" "pkey=$PKEY"
pidfile="$E2E_TMP/server$SERVER_COUNT.pid"
[ "$(tr -d '[:space:]' <"$pidfile" 2>/dev/null)" = "$SERVER_PID" ] || fail "no pidfile $pidfile"

raw_args
holders=()
for transport in udp tcp tls; do
  port=$PORT
  [ "$transport" = tls ] && port=$TLS_PORT
  timeout 30 "${STUN_CLIENT[@]}" hold "${RAW[@]}" --port "$port" --transport "$transport" \
    --user alice --password alicepw --wait 25 >"$E2E_TMP/hold-$transport.log" 2>&1 &
  E2E_PIDS+=("$!")
  holders+=("$transport")
done
for transport in "${holders[@]}"; do
  for i in $(seq 50); do
    grep -q '^RELAYED ' "$E2E_TMP/hold-$transport.log" && break
    [ "$i" = 50 ] && { cat "$E2E_TMP/hold-$transport.log" >&2; fail "no allocation over $transport"; }
    sleep 0.1
  done
done
relays=$(ss -Huan "( sport >= :$MIN_PORT and sport <= :$MAX_PORT )" | wc -l)
[ "$relays" = 3 ] || fail "$relays relay sockets in $MIN_PORT-$MAX_PORT, expected 3"
pass "allocations held over UDP, TCP and TLS (3 relay sockets)"

# A second server on the same ports, with the very same config file.
second_server() {  # second_server NAME CONFIG
  local rc=0 out="$E2E_TMP/$1.log"
  timeout 10 "$TURND_BIN" -c "$2" >"$out" 2>&1 || rc=$?
  [ "$rc" != 0 ] || fail "$1: a second server on the same ports started (exit 0)"
  [ "$rc" != 124 ] || fail "$1: a second server on the same ports kept running"
  grep -q "already in use" "$out" || { cat "$out" >&2; fail "$1: no 'already in use' message"; }
  pass "$1: a second server exits with $rc: $(grep -m1 "already in use" "$out")"
}
second_server same-config "$CONF"
{ grep -v '^no-udp$' "$CONF"; echo no-udp; } >"$E2E_TMP/second-tcp.conf"
second_server tcp-only "$E2E_TMP/second-tcp.conf"
[ "$(tr -d '[:space:]' <"$pidfile" 2>/dev/null)" = "$SERVER_PID" ] ||
  fail "the first server's pidfile no longer holds its pid: '$(cat "$pidfile" 2>/dev/null)'"
pass "the first server's pidfile is untouched"
server_alive || fail "the first server died"
stun still-answering binding --port "$PORT"

# SIGTERM.
kill -TERM "$SERVER_PID"
start=$(date +%s%N)
for _ in $(seq 50); do
  running "$SERVER_PID" || break
  sleep 0.1
done
running "$SERVER_PID" && fail "the server still runs 5 s after SIGTERM"
rc=0
wait "$SERVER_PID" || rc=$?
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
kept=()
for p in "${E2E_PIDS[@]}"; do [ "$p" = "$SERVER_PID" ] || kept+=("$p"); done
E2E_PIDS=("${kept[@]}")
SERVER_PID=""
[ "$rc" = 0 ] || fail "the server exited with status $rc after SIGTERM"
pass "SIGTERM: the server exited with status 0 after ${elapsed_ms} ms"
[ ! -e "$pidfile" ] || fail "the pidfile $pidfile is still there"
pass "the pidfile was removed"
grep -q "shutting down" "$SERVER_LOG" || fail "no 'shutting down' in the server log"
for transport in tcp tls; do
  for i in $(seq 20); do
    grep -q '^CLOSED' "$E2E_TMP/hold-$transport.log" && break
    [ "$i" = 20 ] && fail "the $transport client's connection was not closed"
    sleep 0.1
  done
done
pass "the TCP and TLS clients' connections were closed"
relays=$(ss -Huan "( sport >= :$MIN_PORT and sport <= :$MAX_PORT )" | wc -l)
[ "$relays" = 0 ] || fail "$relays relay sockets still bound in $MIN_PORT-$MAX_PORT"
for port in "$PORT" "$TLS_PORT"; do
  [ -z "$(ss -Htuln "( sport = :$port )")" ] || fail "port $port is still bound"
done
pass "every listener and relay port was released"
