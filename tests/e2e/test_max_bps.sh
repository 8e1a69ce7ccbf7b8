#!/usr/bin/env bash
# max-bps (bytes per second per allocation): stun_client.py sends ChannelData of 1000
# bytes spread over one second to its own peer on 127.0.0.1 through the relay.
# Half the limit all arrives; 10 x the limit arrives cut to at most 3 x the limit
# (and not to nothing); coturn lets about 1.8 x the limit through.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

start_server "realm=example.org" "lt-cred-mech" "user=alice:alicepw" "allow-loopback-peers" \
  "max-bps=20000"
pick_port PY_PEER_PORT
raw_args
RAW+=(--user alice --password alicepw --peer-port "$PY_PEER_PORT" --max-bps 20000
  --burst-bytes 200000)
stun max-bps-udp bandwidth "${RAW[@]}"
stun max-bps-tcp bandwidth "${RAW[@]}" --transport tcp
