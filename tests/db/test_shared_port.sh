#!/usr/bin/env bash
# Port 443 only (issue 13): the web server and TURN over TLS share one port on
# one address. Against the real turnd (web-port = tls-listening-port):
#   - HTTPS and WSS with and without ALPN, a ClientHello in pieces, plain HTTP
#     and garbage (tests/e2e/sfu_signal/shared_port_checks.py);
#   - curl with ALPN and with --no-alpn gets the page;
#   - coturn's turnutils_uclient -S relays through the same port, and a STUN
#     Binding over TLS is answered there; plain TURN over TCP works there too;
#   - TURN over TCP and plain HTTP share listening-port (web-redirect-port):
#     uclient relays over TCP there, an HTTP request gets a 308 to the same
#     path on the https port (curl -L ends on the page), no WebSocket there;
#   - /metrics counts where the connections went.
# A real PostgreSQL (run_with_cluster.sh) holds the room.
: "${TURND_TEST_DATABASE_URL:?run through tests/db/run_with_cluster.sh}"
: "${TURNCTL_BIN:?TURNCTL_BIN must name build/bin/turnctl}"
source "$TURND_SRC/tests/e2e/lib.sh"
URL="$TURND_TEST_DATABASE_URL"

CODE=r4nd-0mco-de77-x2qa
room_with_code shared "Shared" "$CODE"

make_cert
pick_port SFU_PORT
pick_port METRICS_PORT
WEB_ON_TLS_PORT=1 WEB_REDIRECT_ON_PORT=1 start_server prometheus "prometheus-port=$METRICS_PORT" realm=example.org \
  lt-cred-mech user=alice:alicepw "database=$URL" "state-dir=$E2E_TMP/state" "cert=$CERT" \
  "pkey=$PKEY" "sfu-port=$SFU_PORT" sfu-tcp-port=0 "web-root=$TURND_SRC/sfu/web" \
  allow-loopback-peers
for _ in $(seq 50); do grep -q "the web and TURN over TLS share port" "$SERVER_LOG" && break; sleep 0.1; done
grep -q "the web and TURN over TLS share port" "$SERVER_LOG" || fail "the web server did not share the TLS port"

timeout 120 /usr/bin/python3 "$TURND_SRC/tests/e2e/sfu_signal/shared_port_checks.py" \
  --port "$TLS_PORT" --room shared --code "$CODE" --index "$TURND_SRC/sfu/web/index.html" \
  >"$E2E_TMP/checks.log" 2>&1
rc=$?
sed 's/^/    /' "$E2E_TMP/checks.log"
[ "$rc" = 0 ] || fail "the shared-port checks failed (exit $rc)"
pass "HTTPS and WSS with and without ALPN on the TURN TLS port; bad input closed"

for alpn in --http1.1 --no-alpn; do
  status=$(curl -sk $alpn -o "$E2E_TMP/page" -w '%{http_code}' "https://127.0.0.1:$TLS_PORT/")
  [ "$status" = 200 ] && cmp -s "$E2E_TMP/page" "$TURND_SRC/sfu/web/index.html" ||
    fail "curl $alpn got $status, not the page"
done
pass "curl with ALPN and with --no-alpn gets the page"

start_peer
expect_relay uclient-shared-tls 300 -t -S -u alice -w alicepw -p "$TLS_PORT" -e "$HOST" \
  -r "$PEER_PORT" -X -c -m 3 -n 100 -z 10
expect_relay uclient-shared-plain-tcp 300 -t -u alice -w alicepw -p "$TLS_PORT" -e "$HOST" \
  -r "$PEER_PORT" -X -c -m 3 -n 100 -z 10
raw_args
stun binding-shared-tls binding "${RAW[@]}" --transport tls --port "$TLS_PORT"

expect_relay uclient-tcp-beside-redirect 300 -t -u alice -w alicepw -p "$PORT" -e "$HOST" \
  -r "$PEER_PORT" -X -c -m 3 -n 100 -z 10
got=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$PORT/r/shared")
[ "$got" = "308 https://127.0.0.1:$TLS_PORT/r/shared" ] || fail "plain HTTP on $PORT got: $got"
status=$(curl -skL -o "$E2E_TMP/page" -w '%{http_code}' "http://127.0.0.1:$PORT/")
[ "$status" = 200 ] && cmp -s "$E2E_TMP/page" "$TURND_SRC/sfu/web/index.html" ||
  fail "curl -L from http://127.0.0.1:$PORT/ ended with $status, not the page"
upgrade=$(curl -s -o /dev/null -w '%{http_code}' -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
  -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' \
  "http://127.0.0.1:$PORT/ws" || true)  # 000: closed without an answer
[ "$upgrade" != 101 ] || fail "a WebSocket was opened over plain HTTP"
pass "TURN over TCP and plain HTTP share port $PORT: relayed, 308 to https, no WebSocket ($upgrade)"

metrics=$(curl -s "http://127.0.0.1:$METRICS_PORT/metrics")
route() { sed -nE "s/^turnd_shared_port_connections_total\\{route=\"$1\"\\} ([0-9]+)$/\\1/p" <<<"$metrics"; }
[ "$(route web)" -ge 9 ] || fail "route web counted $(route web), want >= 9"
[ "$(route web_no_alpn)" -ge 4 ] || fail "route web_no_alpn counted $(route web_no_alpn), want >= 4"
[ "$(route turn)" -ge 7 ] || fail "route turn counted $(route turn), want >= 7"
[ "$(route unrecognised)" -ge 3 ] || fail "route unrecognised counted $(route unrecognised), want >= 3"
pass "metrics: web $(route web), web_no_alpn $(route web_no_alpn), turn $(route turn), unrecognised $(route unrecognised)"
server_alive || fail "the server died"
