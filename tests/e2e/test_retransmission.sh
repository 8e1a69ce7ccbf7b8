#!/usr/bin/env bash
# Retransmitted requests and port reservations (RFC 8489 §6.2.1, RFC 8656 §7.2).
# - An Allocate retransmitted over UDP with the same transaction id (the same bytes, same
#   socket) gets a success again with the same XOR-RELAYED-ADDRESS, and there is still one
#   allocation: one relay socket in the port window (ss), and an Allocate with a new
#   transaction id gets 437.
# - The retransmitted Allocate's answer repeats every attribute of the first but LIFETIME
#   (RFC 8489 §6.3.1): with EVEN-PORT R=1 the same RESERVATION-TOKEN (and still only the
#   relay socket and the reserved one); with ADDITIONAL-ADDRESS-FAMILY IPv6 on a server
#   without an IPv6 relay, the IPv4 relayed address and ADDRESS-ERROR-CODE 440 both times.
# - A retransmitted CreatePermission and a retransmitted ChannelBind get success again;
#   the channel still relays, once.
# - EVEN-PORT with the R bit: an even relayed port and a RESERVATION-TOKEN; another client
#   (another source port) allocating with the token gets port + 1; the token works once
#   (then 508), an unknown token gets 508; EVEN-PORT without R: an even port, no token.
# Both with long-term credentials and without authentication.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

start_server "realm=example.org" "lt-cred-mech" "user=alice:alicepw" "allow-loopback-peers"
raw_args
auth=(--user alice --password alicepw --realm example.org)
pick_port PY_PEER_PORT
stun retransmit-auth retransmit "${RAW[@]}" "${auth[@]}" --check-sockets \
  --peer-port "$PY_PEER_PORT"
stun retransmit-even-port retransmit "${RAW[@]}" "${auth[@]}" --check-sockets --even-port
stun even-port-auth even-port "${RAW[@]}" "${auth[@]}"

start_server "allow-loopback-peers"
raw_args
stun retransmit-no-auth retransmit "${RAW[@]}" --check-sockets
stun even-port-no-auth even-port "${RAW[@]}"

# Last, since turnd fails it (the retransmitted answer lacks ADDRESS-ERROR-CODE 440).
stun retransmit-additional-family retransmit "${RAW[@]}" --additional-family
