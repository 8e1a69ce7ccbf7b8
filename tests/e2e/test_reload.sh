#!/usr/bin/env bash
# Live reload (SIGHUP): while relaying over UDP and with a TLS client holding an
# allocation, a changed password and certificate take effect — the next TLS
# handshake shows the new certificate, the new password works and the old one is
# refused — and nothing drops. A config that does not parse is refused with the
# reason and the old one stays; a changed listening port is reported as needing a
# restart.
source "$(dirname "$0")/lib.sh"

make_cert
CERT1=$CERT PKEY1=$PKEY
CERT2="$E2E_TMP/cert2.pem" PKEY2="$E2E_TMP/key2.pem"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=reloaded.localhost -keyout "$PKEY2" -out "$CERT2" 2>/dev/null

fingerprint_of_server() {
  echo | timeout 5 openssl s_client -connect "$HOST:$TLS_PORT" 2>/dev/null |
    openssl x509 -noout -fingerprint -sha256 2>/dev/null
}
fingerprint_of_file() { openssl x509 -in "$1" -noout -fingerprint -sha256; }

start_server realm=example.org lt-cred-mech user=alice:old-pass allow-loopback-peers \
  "cert=$CERT1" "pkey=$PKEY1"
[ "$(fingerprint_of_server)" = "$(fingerprint_of_file "$CERT1")" ] || fail "first certificate not served"
raw_args

# A TLS client holding an allocation across the reload, and a UDP relay load.
timeout 20 "${STUN_CLIENT[@]}" hold "${RAW[@]}" --transport tls --port "$TLS_PORT" \
  --user alice --password old-pass --wait 6 >"$E2E_TMP/hold.log" 2>&1 &
HOLD=$!
start_peer
uclient load -c -m 2 -n 300 -l 120 -z 10 -e "$HOST" -r "$PEER_PORT" -u alice -w old-pass -p "$PORT" &
LOAD=$!
sleep 1.5

sed -i -e 's/^user=alice:old-pass$/user=alice:new-pass/' -e "s|^cert=.*|cert=$CERT2|" \
  -e "s|^pkey=.*|pkey=$PKEY2|" "$CONF"
kill -HUP "$SERVER_PID"
sleep 0.5
grep -q 'reload: configuration applied, certificate reloaded' "$SERVER_LOG" ||
  fail "reload not applied: $(tail -3 "$SERVER_LOG")"
[ "$(fingerprint_of_server)" = "$(fingerprint_of_file "$CERT2")" ] ||
  fail "the next TLS handshake does not show the new certificate"
pass "new TLS handshakes get the reloaded certificate"

wait "$LOAD"
UC_LOG="$E2E_TMP/load.log"
[ "$(uc_received)" = 600 ] || fail "$(uc_received) of 600 messages came back across the reload"
[ "$(uc_lost)" = 0 ] || fail "$(uc_lost) packets lost across the reload"
wait "$HOLD" || fail "the TLS client failed: $(cat "$E2E_TMP/hold.log")"
grep -q '^RELAYED' "$E2E_TMP/hold.log" || fail "the TLS client got no allocation"
grep -q '^CLOSED' "$E2E_TMP/hold.log" && fail "the TLS connection was closed by the reload"
pass "relaying went on with zero loss and the TLS session survived"

stun new-password allocate "${RAW[@]}" --user alice --password new-pass
stun old-password allocate "${RAW[@]}" --user alice --password old-pass --expect 401

echo "listenin-port=1" >>"$CONF"
kill -HUP "$SERVER_PID"
sleep 0.5
grep -q "reload refused, the running configuration stays: .*:.*unknown key 'listenin-port'" "$SERVER_LOG" ||
  fail "a broken config was not refused with its reason: $(tail -2 "$SERVER_LOG")"
server_alive || fail "a broken config stopped the server"
stun after-refused allocate "${RAW[@]}" --user alice --password new-pass
pass "a config that does not parse is refused and the old one stays"

sed -i -e '$d' -e "s/^listening-port=.*/listening-port=1/" "$CONF"
kill -HUP "$SERVER_PID"
sleep 0.5
grep -q 'reload: listening-port changed; it takes effect after a restart' "$SERVER_LOG" ||
  fail "a listening-port change was not reported: $(tail -2 "$SERVER_LOG")"
stun still-listening binding --port "$PORT"
pass "a changed listening port is reported as needing a restart"
