#!/usr/bin/env bash
# Allocation lifecycle (RFC 8656 §7) and nonce expiry, with stun_client.py:
# - a second Allocate on the same 5-tuple gets 437 (Allocation Mismatch); Refresh
#   answers a LIFETIME; Refresh LIFETIME 0 deletes the allocation (answered LIFETIME
#   0); Refresh and CreatePermission then get 437; a new Allocate on the same 5-tuple
#   succeeds. Over UDP and TCP.
# - stale-nonce=2: a request whose nonce is 3 s old gets 438 (Stale Nonce) with a new
#   NONCE, and the request retried with that nonce succeeds.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

start_server "realm=example.org" "lt-cred-mech" "user=alice:alicepw" "stale-nonce=2" \
  "allow-loopback-peers"
raw_args
RAW+=(--user alice --password alicepw --realm example.org)
stun lifecycle-udp lifecycle "${RAW[@]}"
stun lifecycle-tcp lifecycle "${RAW[@]}" --transport tcp
stun stale-nonce stale-nonce "${RAW[@]}" --wait 3
