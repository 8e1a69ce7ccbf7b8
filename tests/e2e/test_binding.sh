#!/usr/bin/env bash
# STUN Binding over UDP, TCP and TLS: the server reflects the client's own address.
# - UDP: coturn's turnutils_stunclient prints "UDP reflexive addr: 127.0.0.1:N".
# - UDP, TCP, TLS: stun_client.py checks that XOR-MAPPED-ADDRESS is the client socket's
#   address (IP and port) and, with `fingerprint` configured, that FINGERPRINT is added
#   even to the response of a request that carried none.
# - turnutils_uclient -t (TCP) and -t -S (TLS) relay a few messages to a peer, which
#   proves both listeners speak TURN too.
# - The server wrote its pid to `pidfile`; `relay-threads` and `verbose` are accepted.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

make_cert
start_server "realm=example.org" "lt-cred-mech" "user=alice:alicepw" "allow-loopback-peers" \
  "cert=$CERT" "pkey=$PKEY" "fingerprint" "relay-threads=2" "verbose"

pidfile="$E2E_TMP/server$SERVER_COUNT.pid"
[ -f "$pidfile" ] || fail "no pidfile $pidfile"
[ "$(tr -d '[:space:]' <"$pidfile")" = "$SERVER_PID" ] ||
  fail "pidfile holds '$(cat "$pidfile")', the server's pid is $SERVER_PID"
pass "pidfile holds the server's pid"

out=$(timeout 5 turnutils_stunclient -p "$PORT" "$HOST" 2>&1) || fail "stunclient: $out"
grep -qE "UDP reflexive addr: 127\.0\.0\.1:[0-9]+" <<<"$out" ||
  fail "stunclient printed no 127.0.0.1 reflexive address: $out"
pass "turnutils_stunclient: $(grep -m1 -oE 'UDP reflexive addr: [0-9.:]+' <<<"$out")"

stun binding-udp binding --transport udp --port "$PORT" --expect-fingerprint
stun binding-tcp binding --transport tcp --port "$PORT" --expect-fingerprint
stun binding-tls binding --transport tls --port "$TLS_PORT" --expect-fingerprint

start_peer
peer=(-e "$HOST" -r "$PEER_PORT" -X -c -m 1 -n 5 -u alice -w alicepw)
expect_relay uclient-tcp 5 -t "${peer[@]}" -p "$PORT"
expect_relay uclient-tls 5 -t -S "${peer[@]}" -p "$TLS_PORT"
