#!/usr/bin/env bash
# Junk does not stop the server, and gets no answer but, at most, an error response.
# stun_client.py sends, over TCP then UDP: empty and 1-byte messages, a short
# header, random bytes, an RFC 3489 Binding (no magic cookie: the one junk that may
# be answered), a length beyond the datagram, a wrong FINGERPRINT, an Allocate with a
# made-up MESSAGE-INTEGRITY, ChannelData on an unbound channel or longer than its
# datagram, a success response, 65000 zero bytes, an attribute overrunning its
# message. After each, a Binding request is still answered (over TCP on a new
# connection: a server may close a stream after junk). Over UDP any answer to junk
# must be an error response. Between the two, turnutils_uclient still relays.
#
# FAILS ON COTURN 4.6.1 at its very last check: coturn answers a Binding whose
# SOFTWARE attribute claims 65520 bytes in an 8-byte body with a success response
# (it ignores the overrun); turnd must drop such a message. Everything before it
# passes on coturn; `stun_client.py malformed --lenient` reports instead of failing.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

start_server "realm=example.org" "lt-cred-mech" "user=alice:alicepw" "allow-loopback-peers"
stun junk-tcp malformed --port "$PORT" --transport tcp
server_alive || fail "the server died"
expect_relay relay-after-junk 100 -y -c -m 2 -n 50 -z 5 -u alice -w alicepw -p "$PORT"
stun junk-udp malformed --port "$PORT" --transport udp
server_alive || fail "the server died"
