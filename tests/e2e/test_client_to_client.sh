#!/usr/bin/env bash
# Client-to-client relaying (turnutils_uclient -y): pairs of clients each allocate a
# relayed address and send to each other's relayed address through the server, over
# UDP and TCP client connections, with ChannelData and with Send indications. Every
# message must arrive, none lost. (Both relayed addresses are on 127.0.0.1, so the
# config needs allow-loopback-peers.)
# Not over TLS: uclient -t -S -y loses 2-6 of the first messages even against coturn,
# run after run (a start-up race in the client); TLS relaying is covered with a peer
# in test_relay_tls.sh.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

start_server "realm=example.org" "lt-cred-mech" "user=alice:alicepw" "allow-loopback-peers"

# -y -c -m M -n N: M clients (M even) each send N messages: M*N in total.
creds=(-u alice -w alicepw)
expect_relay c2c-udp 800 -y -c -m 4 -n 200 -z 5 "${creds[@]}" -p "$PORT"
expect_relay c2c-udp-send 800 -y -c -s -m 4 -n 200 -z 5 "${creds[@]}" -p "$PORT"
expect_relay c2c-tcp 800 -t -y -c -m 4 -n 200 -z 5 "${creds[@]}" -p "$PORT"
expect_relay c2c-tcp-send 800 -t -y -c -s -m 4 -n 200 -z 5 "${creds[@]}" -p "$PORT"
