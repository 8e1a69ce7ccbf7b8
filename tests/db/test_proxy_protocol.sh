#!/usr/bin/env bash
# Behind a load balancer (issue 13): Debian's haproxy in front of turnd sends
# the PROXY protocol — v2 to the port shared by the web and TURN over TLS, v1
# to TURN over TCP — from 127.0.0.2, the only proxy-protocol-from source.
# Clients reach haproxy over IPv6 (::1), haproxy reaches turnd over IPv4, so
# the two addresses cannot be confused:
#   - a STUN Binding over TCP and over TLS through haproxy is answered with
#     the client's own IPv6 address and port (XOR-MAPPED-ADDRESS);
#   - an allocation over TLS through haproxy relays, and the session log
#     holds the client's IPv6 network (::/48), none of haproxy's 127.0.0.0/24;
#   - the page (with and without ALPN) and a guest's join over WSS go
#     through haproxy too, and participation_log holds the IPv6 network;
#   - a connection straight from 127.0.0.1 (not a trusted source) and one
#     from 127.0.0.2 without a header are closed; /metrics counts both;
#   - the web on a port of its own behind haproxy, and a web-redirect-port
#     of its own answering 308 after a PROXY header.
# A real PostgreSQL (run_with_cluster.sh) holds the room and the logs.
: "${TURND_TEST_DATABASE_URL:?run through tests/db/run_with_cluster.sh}"
: "${TURNCTL_BIN:?TURNCTL_BIN must name build/bin/turnctl}"
source "$TURND_SRC/tests/e2e/lib.sh"
URL="$TURND_TEST_DATABASE_URL"
command -v haproxy >/dev/null || fail "haproxy is missing (bash scripts/deps.sh)"

CODE=pr0x-yv2c-ode9-q4zt
room_with_code behind "Behind" "$CODE"

make_cert
pick_port SFU_PORT
pick_port METRICS_PORT
pick_port HA_TLS
pick_port HA_TCP
WEB_ON_TLS_PORT=1 start_server prometheus "prometheus-port=$METRICS_PORT" realm=example.org \
  lt-cred-mech user=alice:alicepw "database=$URL" "state-dir=$E2E_TMP/state" "cert=$CERT" \
  "pkey=$PKEY" "sfu-port=$SFU_PORT" sfu-tcp-port=0 "web-root=$TURND_SRC/sfu/web" \
  allow-loopback-peers server-name=proxied proxy-protocol=tcp,tls,web \
  proxy-protocol-from=127.0.0.2

printf '%s\n' "global" "  maxconn 256" "defaults" "  mode tcp" "  timeout connect 5s" \
  "  timeout client 120s" "  timeout server 120s" \
  "frontend tls_in" "  bind [::1]:$HA_TLS v6only" "  default_backend turnd_tls" \
  "backend turnd_tls" "  server turnd 127.0.0.1:$TLS_PORT send-proxy-v2 source 127.0.0.2" \
  "frontend tcp_in" "  bind [::1]:$HA_TCP v6only" "  default_backend turnd_tcp" \
  "backend turnd_tcp" "  server turnd 127.0.0.1:$PORT send-proxy source 127.0.0.2" \
  >"$E2E_TMP/haproxy.cfg"
haproxy -f "$E2E_TMP/haproxy.cfg" -db >"$E2E_TMP/haproxy.log" 2>&1 &
HAPROXY_PID=$!
E2E_PIDS+=("$HAPROXY_PID")
for _ in $(seq 50); do tcp_listens "$HA_TLS" && tcp_listens "$HA_TCP" && break; sleep 0.1; done
tcp_listens "$HA_TLS" || fail "haproxy did not start: $(cat "$E2E_TMP/haproxy.log")"

# TURN sees the client, not haproxy: its own IPv6 address comes back.
stun binding-via-haproxy-tcp binding --server ::1 --port "$HA_TCP" --transport tcp
stun binding-via-haproxy-tls binding --server ::1 --port "$HA_TLS" --transport tls
grep -q "MAPPED ::1:" "$UC_LOG" || fail "the mapped address is not the client's ::1"
pick_port PY_PEER_PORT
stun relay-via-haproxy-tls relay --server ::1 --port "$HA_TLS" --transport tls --user alice \
  --password alicepw --realm example.org --peer-port "$PY_PEER_PORT" --peer-host 127.0.0.1 \
  --relay-ip "$HOST" --min-port "$MIN_PORT" --max-port "$MAX_PORT"

for alpn in --http1.1 --no-alpn; do
  status=$(curl -sk -g $alpn -o "$E2E_TMP/page" -w '%{http_code}' "https://[::1]:$HA_TLS/")
  [ "$status" = 200 ] && cmp -s "$E2E_TMP/page" "$TURND_SRC/sfu/web/index.html" ||
    fail "curl $alpn through haproxy got $status, not the page"
done
joined=$(cd "$TURND_SRC/tests/e2e/sfu_signal" && timeout 60 /usr/bin/python3 -c "
import asyncio, sys, shared_port_checks as s
print(asyncio.run(s.ws_join(int(sys.argv[1]), ['http/1.1'], 'behind', sys.argv[2], '[::1]')))
" "$HA_TLS" "$CODE")
[ "$joined" = joined ] || fail "a guest's join through haproxy got: $joined"
pass "the page and a guest's join over WSS go through haproxy (PROXY v2, shared port)"

# Only the trusted source may speak, and only with a header.
curl -sk --max-time 5 -o /dev/null "https://127.0.0.1:$TLS_PORT/" &&
  fail "a connection straight from 127.0.0.1 was served"
silent=$(timeout 15 /usr/bin/python3 -c "
import socket, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=12,
                             source_address=('127.0.0.2', 0))
s.sendall(b'GET / HTTP/1.1\r\n\r\n')
try:
    print('closed' if s.recv(100) == b'' else 'answered')
except ConnectionResetError:
    print('closed')
" "$TLS_PORT")
[ "$silent" = closed ] || fail "a connection from 127.0.0.2 without a PROXY header was $silent"
refused=$(curl -s "http://127.0.0.1:$METRICS_PORT/metrics" |
  sed -nE 's/^turnd_proxy_protocol_refused_total ([0-9]+)$/\1/p')
[ "${refused:-0}" -ge 2 ] || fail "turnd_proxy_protocol_refused_total is ${refused:-missing}, want >= 2"
pass "no header, or not from proxy-protocol-from: closed ($refused counted)"

stop_server  # the allocations and the visit end and are logged
psql_value() { psql --no-psqlrc -At "$URL" -c "$1"; }
v6=$(psql_value "SELECT count(*) FROM allocation_log WHERE node = 'proxied' AND client_prefix = '::/48'")
v4=$(psql_value "SELECT count(*) FROM allocation_log WHERE node = 'proxied' AND family(client_prefix) = 4")
[ "$v6" -ge 1 ] && [ "$v4" = 0 ] ||
  fail "allocation_log: $v6 allocations from ::/48, $v4 from IPv4: $(psql_value 'SELECT client_prefix, client_transport FROM allocation_log')"
visits=$(psql_value "SELECT count(*) FROM participation_log WHERE client_prefix = '::/48'")
[ "$visits" -ge 1 ] || fail "participation_log: no visit from ::/48: $(psql_value 'SELECT client_prefix FROM participation_log')"
pass "the session logs hold the client's network (::/48: $v6 allocations, $visits visits), not haproxy's"

# The web on a port of its own behind haproxy (proxy-protocol=web only): the
# workers read the header and hand the untouched TLS connection to the web.
pick_port WEB_PORT
pick_port HA_WEB
pick_port REDIRECT_PORT
start_server realm=example.org lt-cred-mech user=alice:alicepw "database=$URL" \
  "state-dir=$E2E_TMP/state" "cert=$CERT" "pkey=$PKEY" "sfu-port=$SFU_PORT" sfu-tcp-port=0 \
  "web-root=$TURND_SRC/sfu/web" "web-port=$WEB_PORT" server-name=proxied-web \
  proxy-protocol=web proxy-protocol-from=127.0.0.2 "web-redirect-port=$REDIRECT_PORT"
printf '%s\n' "global" "  maxconn 256" "defaults" "  mode tcp" "  timeout connect 5s" \
  "  timeout client 120s" "  timeout server 120s" \
  "frontend web_in" "  bind [::1]:$HA_WEB v6only" "  default_backend turnd_web" \
  "backend turnd_web" "  server turnd 127.0.0.1:$WEB_PORT send-proxy-v2 source 127.0.0.2" \
  >"$E2E_TMP/haproxy-web.cfg"
haproxy -f "$E2E_TMP/haproxy-web.cfg" -db >"$E2E_TMP/haproxy-web.log" 2>&1 &
E2E_PIDS+=("$!")
for _ in $(seq 50); do tcp_listens "$HA_WEB" && tcp_listens "$WEB_PORT" && break; sleep 0.1; done
status=$(curl -sk -g -o "$E2E_TMP/page" -w '%{http_code}' "https://[::1]:$HA_WEB/")
[ "$status" = 200 ] || fail "the web port behind haproxy answered $status"
curl -sk --max-time 5 -o /dev/null "https://127.0.0.1:$WEB_PORT/" &&
  fail "the web port served a connection straight from 127.0.0.1"
# A redirect port of its own (not behind haproxy here: proxy-protocol=web
# covers it too, so a direct request is closed, one with a header answered).
got=$(printf 'PROXY TCP4 192.0.2.9 127.0.0.1 5000 80\r\nGET /r/behind HTTP/1.1\r\nHost: meet.example.org\r\nConnection: close\r\n\r\n' |
  timeout 5 /usr/bin/python3 -c "
import socket, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), source_address=('127.0.0.2', 0))
s.sendall(sys.stdin.buffer.read())
print(s.recv(4096).decode(errors='replace').split((chr(13) + chr(10)) * 2)[0])
" "$REDIRECT_PORT")
grep -q "^HTTP/1.1 308" <<<"$got" && grep -qi "^location: https://meet.example.org:$WEB_PORT/r/behind" <<<"$got" ||
  fail "the redirect port answered: $got"
before=$(psql_value "SELECT count(*) FROM participation_log WHERE client_prefix = '::/48'")
joined=$(cd "$TURND_SRC/tests/e2e/sfu_signal" && timeout 60 /usr/bin/python3 -c "
import asyncio, sys, shared_port_checks as s
print(asyncio.run(s.ws_join(int(sys.argv[1]), ['http/1.1'], 'behind', sys.argv[2], '[::1]')))
" "$HA_WEB" "$CODE")
[ "$joined" = joined ] || fail "a guest's join through haproxy to the web port got: $joined"
stop_server
after=$(psql_value "SELECT count(*) FROM participation_log WHERE client_prefix = '::/48'")
[ "$after" -gt "$before" ] || fail "participation_log: the visit through haproxy is not from ::/48"
pass "the web on its own port behind haproxy: page, join, the client's network in the log"
