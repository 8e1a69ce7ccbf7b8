#!/usr/bin/env bash
# no-udp, no-tcp and no-tls switch the listeners off, and only those.
# - no-udp: no answer to a Binding over UDP; TCP and TLS answer.
# - no-tcp: the TCP port refuses connections; UDP and TLS answer.
# - no-tls (with cert/pkey set): the TLS port refuses connections; UDP and TCP answer.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

make_cert
tls=("cert=$CERT" "pkey=$PKEY")

udp_silent() {
  if timeout 3 "${STUN_CLIENT[@]}" binding --port "$PORT" --transport udp >/dev/null 2>&1; then
    fail "$1: the UDP port answered a Binding request"
  fi
  pass "$1: no answer over UDP"
}
tcp_refused() {  # tcp_refused WHAT PORT
  if timeout 3 python3 -c "import socket; socket.create_connection(('$HOST', $2), 2)" 2>/dev/null
  then
    fail "$1: port $2 accepted a TCP connection"
  fi
  pass "$1: port $2 refuses TCP connections"
}

start_server "realm=example.org" "no-udp" "${tls[@]}"
udp_silent no-udp
stun no-udp-tcp binding --port "$PORT" --transport tcp
stun no-udp-tls binding --port "$TLS_PORT" --transport tls

start_server "realm=example.org" "no-tcp" "${tls[@]}"
tcp_refused no-tcp "$PORT"
stun no-tcp-udp binding --port "$PORT" --transport udp
stun no-tcp-tls binding --port "$TLS_PORT" --transport tls

start_server "realm=example.org" "no-tls" "${tls[@]}"
tcp_refused no-tls "$TLS_PORT"
stun no-tls-udp binding --port "$PORT" --transport udp
stun no-tls-tcp binding --port "$PORT" --transport tcp
