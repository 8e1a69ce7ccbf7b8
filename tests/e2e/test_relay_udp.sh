#!/usr/bin/env bash
# TURN relay over a UDP client connection to a UDP peer, long-term credentials.
# - turnutils_uclient relays to turnutils_peer (an echo server on 127.0.0.1) with
#   ChannelData (its default) and with Send/Data indications (-s): every message sent
#   comes back, none is lost.
# - stun_client.py checks the details: the relayed address is relay-ip within
#   [min-port, max-port]; Send indications and ChannelData of odd sizes reach the peer
#   intact from the relayed address; replies come back as Data indications with the
#   peer's XOR-PEER-ADDRESS and as ChannelData; permissions are per IP address;
#   nothing is relayed after Refresh LIFETIME 0.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

start_server "realm=example.org" "lt-cred-mech" "user=alice:alicepw" "allow-loopback-peers"
start_peer

client=(-u alice -w alicepw -p "$PORT" -e "$HOST" -r "$PEER_PORT" -X -c -m 5 -n 200 -z 5)
expect_relay channeldata-udp 1000 "${client[@]}"
expect_relay send-indication-udp 1000 -s "${client[@]}"

pick_port PY_PEER_PORT
raw_args
stun raw-relay-udp relay "${RAW[@]}" --transport udp --user alice --password alicepw \
  --realm example.org --peer-port "$PY_PEER_PORT"
