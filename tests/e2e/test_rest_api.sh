#!/usr/bin/env bash
# TURN REST API credentials (use-auth-secret, static-auth-secret): the username is
# "<unix expiry time>:<user>", the password base64(HMAC-SHA1(secret, username)).
# - turnutils_uclient -W SECRET -u alice computes them itself and relays to a peer.
# - A credential computed by hand with openssl works (uclient -u/-w and stun_client.py).
# - A credential that expired a minute ago gets 401 (stun_client.py) and uclient fails
#   ("ERROR: Cannot complete Allocation").
# - A credential signed with another secret gets 401.
# - Every static-auth-secret line is accepted (secret rotation).
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

secret="n0t-so-secret"
old_secret="last-years-secret"
start_server "realm=example.org" "use-auth-secret" "static-auth-secret=$secret" \
  "static-auth-secret=$old_secret" "allow-loopback-peers"
start_peer

peer=(-e "$HOST" -r "$PEER_PORT" -X -c -m 2 -n 50 -z 5 -p "$PORT")
expect_relay uclient-W 100 -W "$secret" -u alice "${peer[@]}"

raw_args
RAW+=(--realm example.org)
rest_credential "$secret" alice 3600
stun valid-credential allocate "${RAW[@]}" --expect-challenge \
  --user "$REST_USER" --password "$REST_PASS"
expect_relay uclient-valid-credential 100 -u "$REST_USER" -w "$REST_PASS" "${peer[@]}"

rest_credential "$old_secret" alice 3600
stun second-secret allocate "${RAW[@]}" --user "$REST_USER" --password "$REST_PASS"

rest_credential "$secret" alice -60
stun expired-credential allocate "${RAW[@]}" --user "$REST_USER" --password "$REST_PASS" \
  --expect 401
expect_uclient_auth_failure uclient-expired -u "$REST_USER" -w "$REST_PASS" "${peer[@]}"

rest_credential "some-other-secret" alice 3600
stun wrong-secret allocate "${RAW[@]}" --user "$REST_USER" --password "$REST_PASS" --expect 401
