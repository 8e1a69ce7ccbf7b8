#!/usr/bin/env bash
# TURN relay over a TLS client connection (tls-listening-port, self-signed cert/pkey)
# to a UDP peer, long-term credentials.
# - turnutils_uclient -t -S relays to turnutils_peer (an echo server on 127.0.0.1)
#   with ChannelData (its default) and with Send/Data indications (-s): every message
#   sent comes back, none is lost. The load is modest: uclient over TLS has been seen
#   to spin on large loads.
# - stun_client.py checks the details as in test_relay_udp.sh, over TLS (ChannelData
#   padded to 4 bytes on the stream).
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

make_cert
start_server "realm=example.org" "lt-cred-mech" "user=alice:alicepw" "allow-loopback-peers" \
  "cert=$CERT" "pkey=$PKEY"
start_peer

client=(-t -S -u alice -w alicepw -p "$TLS_PORT" -e "$HOST" -r "$PEER_PORT" -X -c
  -m 3 -n 100 -z 10)
expect_relay channeldata-tls 300 "${client[@]}"
expect_relay send-indication-tls 300 -s "${client[@]}"

pick_port PY_PEER_PORT
raw_args
stun raw-relay-tls relay "${RAW[@]}" --transport tls --port "$TLS_PORT" --user alice \
  --password alicepw --realm example.org --peer-port "$PY_PEER_PORT"
