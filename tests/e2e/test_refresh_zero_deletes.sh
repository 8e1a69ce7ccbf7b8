#!/usr/bin/env bash
# Refresh with LIFETIME 0 deletes the allocation at once (RFC 8656 §7.3), checked
# with no grace period by stun_client.py: right after the success response nothing
# is relayed either way, and Refresh, CreatePermission and ChannelBind on the 5-tuple
# get 437 (RFC 8656 §5: a request other than Allocate on a 5-tuple without an
# allocation).
#
# FAILS ON COTURN 4.6.1, by design of coturn: it keeps a deleted allocation alive for
# one more second (it relays, counts in quotas, and a Refresh revives it), and it
# answers CreatePermission without an allocation with 400 instead of 437. The other
# tests wait out that second (stun_client.py --deletion-grace, 1.5 s by default).
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

start_server "realm=example.org" "lt-cred-mech" "user=alice:alicepw" "allow-loopback-peers"
pick_port PY_PEER_PORT
raw_args
RAW+=(--user alice --password alicepw --realm example.org --peer-port "$PY_PEER_PORT"
  --deletion-grace 0)
stun deleted-udp deleted "${RAW[@]}"
stun deleted-tcp deleted "${RAW[@]}" --transport tcp
