#!/usr/bin/env bash
# IPv6 (RFC 6156, RFC 8656 §7.2): listeners on 127.0.0.1 and ::1, relay-ip 127.0.0.1
# and ::1, allow-loopback-peers, long-term credentials.
# - Binding over UDP and TCP to [::1]: XOR-MAPPED-ADDRESS is the client's [::1]:port.
# - Over UDP and TCP to [::1]: Allocate with REQUESTED-ADDRESS-FAMILY IPv6 gets one
#   XOR-RELAYED-ADDRESS [::1]:port within [min-port, max-port]; Send/Data indications and
#   ChannelData reach an IPv6 peer on ::1 from that address and its replies come back;
#   an IPv4 peer gets 443 for CreatePermission and ChannelBind and is not relayed to.
# - Over [::1] without REQUESTED-ADDRESS-FAMILY the relayed address is IPv4 (the default
#   family does not follow the client's), and an IPv6 peer gets 443.
# - Over 127.0.0.1, REQUESTED-ADDRESS-FAMILY IPv6 gets an IPv6 relayed address too.
# - ADDITIONAL-ADDRESS-FAMILY IPv6 (over 127.0.0.1 and over [::1]) gets two
#   XOR-RELAYED-ADDRESS, 127.0.0.1:p and [::1]:q, each relaying to a peer of its family;
#   retransmitted over UDP, the same two addresses come back.
# - turnutils_uclient -x (IPv6 relay) to [::1] relays to turnutils_peer on ::1.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

V6=::1
ip -6 addr show dev lo 2>/dev/null | grep -qF 'inet6 ::1/128' ||
  fail "this machine has no ::1 on lo: IPv6 cannot be tested"

start_server "realm=example.org" "lt-cred-mech" "user=alice:alicepw" "allow-loopback-peers" \
  "listening-ip=$V6" "relay-ip=$V6"
for i in $(seq 50); do
  timeout 2 "${STUN_CLIENT[@]}" binding --server "$V6" --port "$PORT" >/dev/null 2>&1 && break
  [ "$i" = 50 ] && fail "no answer on [$V6]:$PORT"
  sleep 0.1
done

stun binding-udp6 binding --server "$V6" --port "$PORT" --transport udp
grep -qE "^MAPPED ::1:[0-9]+$" "$UC_LOG" || fail "binding-udp6: no ::1 mapped address"
stun binding-tcp6 binding --server "$V6" --port "$PORT" --transport tcp
grep -qE "^MAPPED ::1:[0-9]+$" "$UC_LOG" || fail "binding-tcp6: no ::1 mapped address"

auth=(--user alice --password alicepw --realm example.org)
window=(--port "$PORT" --min-port "$MIN_PORT" --max-port "$MAX_PORT")
for transport in udp tcp; do
  pick_port PY_PEER_PORT
  stun "allocate-ipv6-$transport" family "${auth[@]}" "${window[@]}" --server "$V6" \
    --transport "$transport" --family 6 --relay-ip "$V6" --peer-host "$V6" \
    --peer-port "$PY_PEER_PORT" --other-peer-host 127.0.0.1
done
stun allocate-default-family-over-ipv6 family "${auth[@]}" "${window[@]}" --server "$V6" \
  --relay-ip 127.0.0.1 --peer-host 127.0.0.1 --other-peer-host "$V6"
stun allocate-ipv6-over-ipv4 family "${auth[@]}" "${window[@]}" --server 127.0.0.1 \
  --family 6 --relay-ip "$V6" --peer-host "$V6" --other-peer-host 127.0.0.1
stun dual-over-ipv4 dual "${auth[@]}" "${window[@]}" --server 127.0.0.1 \
  --relay-ip 127.0.0.1 --relay-ip6 "$V6"
stun dual-over-ipv6 dual "${auth[@]}" "${window[@]}" --server "$V6" --transport tcp \
  --relay-ip 127.0.0.1 --relay-ip6 "$V6"
stun dual-retransmitted retransmit "${auth[@]}" "${window[@]}" --server "$V6" \
  --relay-ip 127.0.0.1 --peer-host 127.0.0.1 --additional-family

# coturn's uclient: -x asks for an IPv6 relayed address; the server and peer are ::1.
start_peer "$V6"
UC_HOST=$V6
uclient uclient-ipv6-probe -x -e "$V6" -r "$PEER_PORT" -c -m 1 -n 5 -u alice -w alicepw \
  -p "$PORT"
if [ "$UC_RC" = 0 ] && [ -n "$(uc_lost)" ]; then
  expect_relay uclient-ipv6 20 -x -e "$V6" -r "$PEER_PORT" -c -m 2 -n 10 -u alice -w alicepw \
    -p "$PORT"
  expect_relay uclient-ipv6-tcp 10 -t -x -e "$V6" -r "$PEER_PORT" -c -m 1 -n 10 -u alice \
    -w alicepw -p "$PORT"
else
  note "turnutils_uclient could not relay over [::1] (exit $UC_RC); its check is skipped:"
  tail -n 5 "$UC_LOG" | sed 's/^/    /'
fi
UC_HOST=""
server_alive || fail "the server died"
pass "the server is still running"
