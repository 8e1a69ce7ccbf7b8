#!/usr/bin/env bash
# Peer address filtering: CreatePermission and ChannelBind towards a forbidden peer
# get 403 and nothing reaches the peer.
# 1. Without allow-loopback-peers a peer on 127.0.0.1 is forbidden. uclient fails
#    reporting "channel bind: error 403 (...)" (ChannelData, its default) or
#    "create permission error 403 (...)" (-s); stun_client.py sees 403 for both
#    requests, sends a Send indication and ChannelData anyway, and its peer socket on
#    127.0.0.1 receives nothing.
# 2. With allow-loopback-peers and denied-peer-ip=127.0.0.2-127.0.0.3, 127.0.0.2 is
#    forbidden and 127.0.0.1 allowed.
# 3. allowed-peer-ip overrides denied-peer-ip: 127.0.0.0/8 denied except 127.0.0.1.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

base=("realm=example.org" "lt-cred-mech" "user=alice:alicepw")
alice=(--user alice --password alicepw --realm example.org)

# 1. Loopback peers forbidden by default.
start_server "${base[@]}"
start_peer
client=(-u alice -w alicepw -e "$HOST" -r "$PEER_PORT" -X -c -n 5 -p "$PORT")
expect_uclient_error loopback-channel-bind 403 "${client[@]}"
grep -q "channel bind: error 403" "$UC_LOG" || fail "no 'channel bind: error 403' line"
expect_uclient_error loopback-create-permission 403 -s "${client[@]}"
grep -q "create permission error 403" "$UC_LOG" || fail "no 'create permission error 403' line"
raw_args
RAW+=("${alice[@]}")
pick_port PY_PEER_PORT
stun loopback-raw permission "${RAW[@]}" --peer "$HOST:$PY_PEER_PORT" --expect 403
stun loopback-raw-tcp permission "${RAW[@]}" --transport tcp --peer "127.0.0.5:$PY_PEER_PORT" \
  --expect 403

# 2. denied-peer-ip ranges, loopback otherwise allowed.
start_server "${base[@]}" "allow-loopback-peers" "denied-peer-ip=127.0.0.2-127.0.0.3"
raw_args
RAW+=("${alice[@]}")
stun denied-range permission "${RAW[@]}" --peer "127.0.0.2:$PY_PEER_PORT" --expect 403
stun denied-range-end permission "${RAW[@]}" --peer "127.0.0.3:$PY_PEER_PORT" --expect 403
stun outside-denied-range permission "${RAW[@]}" --peer "127.0.0.1:$PY_PEER_PORT" --expect ok
stun outside-denied-range-2 permission "${RAW[@]}" --peer "127.0.0.4:$PY_PEER_PORT" --expect ok

# 3. allowed-peer-ip punches a hole in a denied range.
start_server "${base[@]}" "allow-loopback-peers" "denied-peer-ip=127.0.0.0-127.255.255.255" \
  "allowed-peer-ip=127.0.0.1"
raw_args
RAW+=("${alice[@]}")
stun allowed-in-denied permission "${RAW[@]}" --peer "127.0.0.1:$PY_PEER_PORT" --expect ok
stun denied-around-allowed permission "${RAW[@]}" --peer "127.0.0.2:$PY_PEER_PORT" --expect 403
client=(-u alice -w alicepw -e "$HOST" -r "$PEER_PORT" -X -c -n 20 -z 5 -p "$PORT")
expect_relay allowed-in-denied-uclient 20 "${client[@]}"
