#!/usr/bin/env bash
# Multicast peers are never relayed by turnd (its `no-multicast-peers` is always on),
# even with allow-loopback-peers: CreatePermission and ChannelBind towards 224.0.0.1
# and 239.255.255.250 get 403.
#
# FAILS ON COTURN 4.6.1: coturn relays to multicast peers unless `no-multicast-peers`
# is set, so it answers these requests with success.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

start_server "realm=example.org" "lt-cred-mech" "user=alice:alicepw" "allow-loopback-peers"
raw_args
RAW+=(--user alice --password alicepw --realm example.org)
stun multicast-local permission "${RAW[@]}" --peer 224.0.0.1:5004 --expect 403
stun multicast-ssdp permission "${RAW[@]}" --peer 239.255.255.250:1900 --expect 403
