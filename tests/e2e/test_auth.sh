#!/usr/bin/env bash
# Long-term credentials (lt-cred-mech, user=name:password).
# - stun_client.py: an Allocate without credentials gets 401 with the configured REALM
#   and a NONCE; a wrong password, an unknown user and another user's password get
#   401; the right password succeeds (over UDP and TCP) and the success response
#   carries a valid MESSAGE-INTEGRITY; a password containing colons works; password
#   guessing from 127.0.0.2 is throttled per (address, user), nobody else is.
# - turnutils_uclient with a wrong password fails: it prints no error code for a 401
#   but "ERROR: Cannot complete Allocation" after 32 challenges, and exits 255. With
#   the right password it relays.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

pick_port METRICS_PORT
start_server "realm=example.org" "lt-cred-mech" "user=alice:alicepw" \
  "user=bob:b0b:with:colons" "allow-loopback-peers" prometheus "prometheus-port=$METRICS_PORT"

raw_args
RAW+=(--realm example.org)
stun right-password allocate "${RAW[@]}" --expect-challenge --user alice --password alicepw
stun right-password-tcp allocate "${RAW[@]}" --transport tcp --user alice --password alicepw
stun colons-in-password allocate "${RAW[@]}" --user bob --password b0b:with:colons
stun wrong-password allocate "${RAW[@]}" --expect-challenge --user alice --password wrong \
  --expect 401
stun unknown-user allocate "${RAW[@]}" --user mallory --password alicepw --expect 401
stun other-users-password allocate "${RAW[@]}" --user bob --password alicepw --expect 401
# Password guessing is throttled per (address, user), nobody else is slowed down.
stun guessing guessing "${RAW[@]}" --user alice --password alicepw --other-user bob \
  --other-password b0b:with:colons
counted=0  # the workers' counters reach /metrics within a moment
for _ in $(seq 30); do
  metrics=$(curl -s "http://$HOST:$METRICS_PORT/metrics")
  grep -qE '^turnd_auth_throttled_total [1-9]' <<<"$metrics" && counted=1 && break
  sleep 0.1
done
[ "$counted" = 1 ] || fail "turnd_auth_throttled_total did not count the unchecked answers"
pass "guessing: counted in turnd_auth_throttled_total"

start_peer
client=(-e "$HOST" -r "$PEER_PORT" -X -c -n 5 -p "$PORT")
expect_relay right-password-uclient 5 -u alice -w alicepw "${client[@]}"
# After this, (127.0.0.1, alice) waits up to a minute: uclient retries 32 times.
expect_uclient_auth_failure wrong-password-uclient -u alice -w wrong "${client[@]}"
