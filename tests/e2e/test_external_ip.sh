#!/usr/bin/env bash
# external-ip (1:1 NAT, as coturn's): the relayed address announced to clients carries
# the public IP with the real relay port, while relaying uses the local socket.
# - external-ip=203.0.113.5: XOR-RELAYED-ADDRESS is 203.0.113.5:p with p in
#   [min-port, max-port] and the server really has a UDP socket on 127.0.0.1:p;
#   XOR-MAPPED-ADDRESS stays the client's own address; Send/Data indications and
#   ChannelData go through 127.0.0.1:p both ways and the peer sees 127.0.0.1:p as the
#   source. Over TCP too.
# - external-ip=203.0.113.7/127.0.0.1 (PUBLIC/PRIVATE): the same with 203.0.113.7,
#   while a mapping for another private IP (198.51.100.9/10.0.0.1) listed first is not
#   applied, and an IPv6 relayed address ([::1], relay-ip=::1) is announced unmapped.
# - turnutils_uclient relays through the server behind the mapping (it sends to the
#   peer, whose replies come back through the local relay socket).
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

common=("realm=example.org" "lt-cred-mech" "user=alice:alicepw" "allow-loopback-peers")
auth=(--user alice --password alicepw --realm example.org)

start_server "${common[@]}" "external-ip=203.0.113.5"
for transport in udp tcp; do
  pick_port PY_PEER_PORT
  stun "external-ip-$transport" external "${auth[@]}" --port "$PORT" --transport "$transport" \
    --min-port "$MIN_PORT" --max-port "$MAX_PORT" --relay-ip 203.0.113.5 \
    --actual-relay-ip 127.0.0.1 --peer-port "$PY_PEER_PORT"
done
start_peer
expect_relay uclient-external-ip 20 -u alice -w alicepw -p "$PORT" -e "$HOST" -r "$PEER_PORT" \
  -X -c -m 2 -n 10

start_server "${common[@]}" "external-ip=198.51.100.9/10.0.0.1" \
  "external-ip=203.0.113.7/127.0.0.1" "relay-ip=::1"
stun external-ip-private-form external "${auth[@]}" --port "$PORT" \
  --min-port "$MIN_PORT" --max-port "$MAX_PORT" --relay-ip 203.0.113.7 \
  --actual-relay-ip 127.0.0.1
stun external-ip-ipv6-unmapped family "${auth[@]}" --port "$PORT" \
  --min-port "$MIN_PORT" --max-port "$MAX_PORT" --family 6 --relay-ip ::1 --peer-host ::1
