#!/usr/bin/env bash
# Issue 5, proof with a real firewall: a participant behind a corporate
# firewall that drops all UDP still joins a conference, sends and receives
# audio and video, through turnd's TURN over TCP, then over TLS on port 443.
#
# Network namespaces of this test's own (tests/e2e/netns/netns.sh); nothing
# on the host's network:
#
#      corporate client                 router                    server
#   ┌──────────────────┐        ┌───────────────────┐      ┌───────────────────┐
#   │ node + Chromium  │ veth   │ nft forward chain │ veth │ turnd 198.18.2.2  │
#   │ participant 1    ├────────┤ from/to client:   ├──────┤ TURN 3478 udp+tcp │
#   │ 198.18.1.2       │        │  UDP: drop, count │      │ TLS 5349 (run 2:  │
#   └──────────────────┘        │  TCP: only to the │      │   443)            │
#      home clients             │  open ports       │      │ SFU 7882/7881     │
#   ┌──────────────────┐ veth   │ from/to home:     │      │ web 8443 (run 2:  │
#   │ Chromium: p. 2, 3├────────┤  everything       │      │ 443, shared)      │
#   │ 198.18.3.2       │        └───────────────────┘      └─────────┬─────────┘
#   └──────────────────┘               PostgreSQL (run_with_cluster.sh) ┘ Unix socket
#
# turnd runs in the server namespace; the PostgreSQL cluster listens on a Unix
# socket in the shared filesystem, which works across network namespaces. node
# and participant 1's Chromium run in the client namespace; participants 2 and
# 3 share a Chromium started in the home namespace (a wrapper script around
# `ip netns exec`), so their traffic crosses the router without the firewall.
#
# Run 1, TURN over TCP: the client may open TCP to 8443 (web), 3478 and 5349
# only; it is offered every TURN server (UDP, TCP, TLS) and ICE policy "all".
# Run 2, port 443 only: turnd's web server and TURN over TLS share
# 198.18.2.2:443 (web-port = tls-listening-port, docs/ADMIN.md "Port 443
# only"), the client may open TCP to that one address and port only (3478,
# 5349 and 8443 are dropped) and gets only the turns: URL (the client's
# ?turn=tls; with an address, so no SNI and no ALPN: the shared listener tells
# TURN from HTTPS by the first bytes after the handshake), still with ICE
# policy "all".
# Run 3, no TURN at all, ICE-TCP straight to the SFU: the client may open TCP
# to the web (8443) and the SFU's passive ICE-TCP port (7881) only, and is
# offered no TURN server (?turn=none): its media must go over the TCP
# candidate the SFU announces (RFC 6544, RFC 4571 framing).
#
# Run 1 also shapes the home network's uplink to 600 kbit/s: the home
# browsers' bandwidth estimates (GCC on turnd's transport-wide feedback) must
# come down to it.
# Asserted in each run:
#   - conference.mjs: all three join and see each other; everyone decodes the
#     others' audio and video, growing (so participant 1 receives both others
#     and both others receive participant 1); participant 1's publisher and
#     subscriber PeerConnections both use a relay candidate over tcp (run 1)
#     or tls (run 2); participants 2 and 3 use host candidates over UDP;
#   - the router dropped UDP from the client (its counter > 0): the browser
#     did try UDP, and a real firewall stopped it (before run 1, a STUN
#     Binding over UDP is answered from home and gets silence from the client);
#   - turnd's Prometheus counter turnd_allocations_created_total has TCP
#     (run 1) or TLS (run 2) allocations, and TURN handed media to the SFU
#     (turnd_inprocess_relay_packets_total{direction="to_sfu"});
#   - allocation_log: the client's network (198.18.1.0/24) has TURN
#     allocations over tcp (run 1) or tls (run 2) that carried bytes both
#     ways, and none over UDP; in run 1 the home network has UDP ones (UDP
#     TURN works where no firewall is in the way).
# In run 3: participant 1's pairs are over tcp, the router dropped its UDP,
# and the corporate network made no TURN allocation.
# Needs root (ip netns, nft). Run by ctest through run_with_cluster.sh.
source "$TURND_SRC/tests/db/netns_conference.sh"

# check_run NAME TRANSPORT [home-udp]: the assertions after the browsers of
# one run; with home-udp, the home clients (offered UDP TURN) must have used it.
check_run() {
  local name=$1 transport=$2 home=${3:-} label udp_out created to_sfu
  label=$(tr '[:lower:]' '[:upper:]' <<<"$transport")
  udp_out=$(netns_counter udp_out)
  [ "${udp_out:-0}" -gt 0 ] || fail "$name: the router dropped no UDP from the client: the firewall was never tested"
  pass "$name: the router dropped $udp_out UDP packets from the corporate client" \
    "(and refused $(netns_counter refused) packets to closed ports)"
  created=$(metric "turnd_allocations_created_total{transport=\"$label\"}")
  [ "${created:-0}" -ge 2 ] || fail "$name: turnd_allocations_created_total{transport=\"$label\"}=$created"
  pass "$name: turnd counted $created TURN allocations over $label"
  to_sfu=$(metric 'turnd_inprocess_relay_packets_total{direction="to_sfu"}')
  [ "${to_sfu:-0}" -gt 50 ] || fail "$name: only $to_sfu packets went from TURN into the SFU"
  pass "$name: $to_sfu packets went from TURN allocations into the SFU (in process)"

  stop_server  # every allocation is ended and logged
  local rows=0 corporate_udp home_udp
  for _ in $(seq 50); do
    rows=$(allocations "$name" 198.18.1.0/24 "$transport" \
      "ended_at IS NOT NULL AND bytes_from_client > 0 AND bytes_to_client > 0")
    [ "$rows" -ge 1 ] && break
    sleep 0.2
  done
  [ "$rows" -ge 1 ] ||
    fail "$name: no $transport allocation of 198.18.1.0/24 in allocation_log: $(psql_value "SELECT * FROM allocation_log")"
  corporate_udp=$(allocations "$name" 198.18.1.0/24 udp)
  [ "$corporate_udp" = 0 ] || fail "$name: $corporate_udp UDP allocations from behind the firewall"
  pass "$name: allocation_log: the corporate network's allocations are over $transport" \
    "($rows carried media both ways), none over UDP"
  if [ "$home" = home-udp ]; then
    home_udp=$(allocations "$name" 198.18.3.0/24 udp)
    [ "$home_udp" -ge 1 ] || fail "$name: the home clients made no UDP allocation (is UDP TURN working at all?)"
    pass "$name: the same TURN server's UDP worked for the home network ($home_udp allocations)"
  fi
}

# Run 1: TURN over TCP. Open: web 8443, TURN 3478, TURN TLS 5349.
begin=$SECONDS
netns_allow_tcp 8443 3478 5349
start_turnd firewall-tcp 5349 "$SERVER_IP" 8443
# The firewall is real: a STUN Binding over UDP gets no answer from behind it
# (silence, not an error), while from home it does.
stun_binding() {  # stun_binding NAMESPACE: turnutils_stunclient to turnd's UDP port
  timeout 3 ip netns exec "$1" turnutils_stunclient -p 3478 "$SERVER_IP" 2>&1 | grep -q "reflexive addr"
}
stun_binding "$NETNS_HOME" || fail "no STUN answer over UDP from the home network"
stun_binding "$NETNS_CLIENT" && fail "a STUN Binding over UDP passed the firewall"
pass "STUN over UDP: answered from the home network, silence behind the firewall"
netns_reset_counters  # what follows counts the browser's packets only
# The home network's uplink is a slow one: the home browsers' estimates must
# follow it down (transport-wide feedback from the SFU); unshaped they reach
# 1-2 Mbit/s on these links.
netns_shape "$NETNS_HOME" 600kbit
conference firewall-tcp --expect-pair 1:relay/tcp,2:host/udp,3:host/udp --max-estimate 2:800,3:800
netns_shape "$NETNS_HOME" off
check_run firewall-tcp tcp home-udp
note "run 1 took $((SECONDS - begin)) s"

# Run 2: port 443 of one address only, shared by TURN over TLS and the web
# (3478 closed by the firewall too).
begin=$SECONDS
netns_allow_tcp 443
start_turnd firewall-tls 443 "$SERVER_IP" 443
for _ in $(seq 50); do grep -q "the web and TURN over TLS share port" "$SERVER_LOG" && break; sleep 0.1; done
grep -q "the web and TURN over TLS share port" "$SERVER_LOG" || fail "firewall-tls: the web did not share 443"
conference firewall-tls --turn tls --expect-pair 1:relay/tls,2:host/udp,3:host/udp
shared_web=$(metric 'turnd_shared_port_connections_total{route="web"}')
shared_turn=$(metric 'turnd_shared_port_connections_total{route="turn"}')
[ "${shared_web:-0}" -ge 3 ] && [ "${shared_turn:-0}" -ge 2 ] ||
  fail "firewall-tls: the shared port sent ${shared_web:-0} connections to the web, ${shared_turn:-0} to TURN"
pass "firewall-tls: one port, 443: $shared_web connections went to the web, $shared_turn to TURN"
check_run firewall-tls tls
note "run 2 took $((SECONDS - begin)) s"

# Run 3: no TURN, ICE-TCP to the SFU. Open: web 8443 and the SFU's 7881.
begin=$SECONDS
netns_allow_tcp 8443 7881
start_turnd firewall-icetcp 5349 "$SERVER_IP" 8443
# Chromium's ICE-TCP candidates are active ones (port 9): the connection's
# real local port becomes a peer-reflexive candidate, hence prflx/tcp.
conference firewall-icetcp --turn none --expect-pair 1:prflx/tcp,2:host/udp,3:host/udp
udp_out=$(netns_counter udp_out)
[ "${udp_out:-0}" -gt 0 ] || fail "firewall-icetcp: the router dropped no UDP from the client"
pass "firewall-icetcp: the router dropped $udp_out UDP packets; the corporate client's media went over ICE-TCP to port 7881"
stop_server
corporate=$(psql_value "SELECT count(*) FROM allocation_log WHERE node = 'firewall-icetcp' AND client_prefix = '198.18.1.0/24'")
[ "$corporate" = 0 ] || fail "firewall-icetcp: the corporate client made $corporate TURN allocations (offered none)"
pass "firewall-icetcp: no TURN allocation from the corporate network"
note "run 3 took $((SECONDS - begin)) s"
