#!/usr/bin/env bash
# Long-term credentials (lt-cred-mech, user=name:password).
# - stun_client.py: an Allocate without credentials gets 401 with the configured REALM
#   and a NONCE; a wrong password, an unknown user and another user's password get
#   401; the right password succeeds (over UDP and TCP) and the success response
#   carries a valid MESSAGE-INTEGRITY; a password containing colons works.
# - turnutils_uclient with a wrong password fails: it prints no error code for a 401
#   but "ERROR: Cannot complete Allocation" after 32 challenges, and exits 255. With
#   the right password it relays.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

start_server "realm=example.org" "lt-cred-mech" "user=alice:alicepw" \
  "user=bob:b0b:with:colons" "allow-loopback-peers"

raw_args
RAW+=(--realm example.org)
stun right-password allocate "${RAW[@]}" --expect-challenge --user alice --password alicepw
stun right-password-tcp allocate "${RAW[@]}" --transport tcp --user alice --password alicepw
stun colons-in-password allocate "${RAW[@]}" --user bob --password b0b:with:colons
stun wrong-password allocate "${RAW[@]}" --expect-challenge --user alice --password wrong \
  --expect 401
stun unknown-user allocate "${RAW[@]}" --user mallory --password alicepw --expect 401
stun other-users-password allocate "${RAW[@]}" --user bob --password alicepw --expect 401

start_peer
client=(-e "$HOST" -r "$PEER_PORT" -X -c -n 5 -p "$PORT")
expect_uclient_auth_failure wrong-password-uclient -u alice -w wrong "${client[@]}"
expect_relay right-password-uclient 5 -u alice -w alicepw "${client[@]}"
