#!/usr/bin/env bash
# The SFU end to end with real browsers: three headless Chromium participants
# join a room created with turnctl, with its access code, over turnd's HTTPS +
# WSS; each receives the others' audio and video (getStats: packets received
# and frames decoded grow); one leaves and the others see it; a wrong code is
# refused; a shared screen reaches the others; the one who left comes back
# twice (media both ways each time, the others' SDP does not grow). Then the
# same with the browsers forced to relay through turnd's own
# TURN over TCP, two participants, one leaving and coming back (the other has
# nothing left to receive in between: no offer rejecting every line). Every visit is in participation_log (pseudonymised) and the
# SFU's counters moved. Run by ctest through run_with_cluster.sh.
: "${TURND_TEST_DATABASE_URL:?run through tests/db/run_with_cluster.sh}"
: "${TURNCTL_BIN:?TURNCTL_BIN must name build/bin/turnctl}"
source "$TURND_SRC/tests/e2e/lib.sh"
URL="$TURND_TEST_DATABASE_URL"
here="$TURND_SRC/tests/e2e/sfu_browser"

PLAYWRIGHT_CORE=$(bash "$here/npm_module.sh" "${TURND_NPM_DIR:?TURND_NPM_DIR names where npm installs modules}" playwright-core) ||
  fail "playwright-core is not available"
export PLAYWRIGHT_CORE
[ -x /usr/bin/chromium ] || fail "chromium is missing (bash scripts/deps.sh installs it)"

CODE=k7pm-2qxd-9hfa-wr3e
room_with_code team "Team" "$CODE"

make_cert
pick_port WEB_PORT
pick_port SFU_PORT
pick_port SFU_TCP_PORT
pick_port METRICS_PORT
server_lines=(prometheus "prometheus-port=$METRICS_PORT" server-name=browser-node realm=example.org
  use-auth-secret static-auth-secret=e2e-secret "database=$URL" "state-dir=$E2E_TMP/state" "cert=$CERT" "pkey=$PKEY" \
  "web-port=$WEB_PORT" "sfu-port=$SFU_PORT" "sfu-tcp-port=$SFU_TCP_PORT" "web-root=$TURND_SRC/sfu/web")
web_up() {
  for _ in $(seq 50); do tcp_listens "$WEB_PORT" && return 0; sleep 0.1; done
  fail "the web port $WEB_PORT does not listen"
}
# No allow-loopback-peers: the SFU's own address (127.0.0.1 here) is allowed
# as a TURN peer by itself; no other loopback peer is.
start_server "${server_lines[@]}"
web_up

browser() {  # browser NAME ARGS...: runs conference.mjs, its output in E2E_TMP/NAME.log
  local name=$1 rc=0
  shift
  timeout 150 node "$here/conference.mjs" --url "https://127.0.0.1:$WEB_PORT" --room team \
    --code "$CODE" "$@" >"$E2E_TMP/$name.log" 2>&1 || rc=$?
  sed "s/^/    /" "$E2E_TMP/$name.log"
  [ "$rc" = 0 ] || fail "$name: the browsers' checks failed (exit $rc)"
}

browser direct --participants 3 --wrong-code --screen --rejoin 2 --min-estimate-kbps 700
pass "three Chromium participants see and hear each other over UDP to the SFU"

# A room made while turnd runs is there at once (NOTIFY rooms -> the rooms cache).
"$TURNCTL_BIN" --database="$URL" room create later --name "Later" >/dev/null || fail "room create later"
for _ in $(seq 50); do grep -q '2 room(s) loaded from the database' "$SERVER_LOG" && break; sleep 0.1; done
grep -q '2 room(s) loaded from the database' "$SERVER_LOG" || fail "the new room did not reach the SFU"
pass "a room created with turnctl reaches the running SFU without a reload"
browser relay-tcp --participants 2 --relay tcp --rejoin 3
pass "with TURN over TCP only, media still flows (relay candidates)"

metric() {
  python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=3).read().decode())' \
    "http://127.0.0.1:$METRICS_PORT/metrics" | awk -v n="$1" '$1 == n {print $2}'
}
# Issue 5: TURN into the SFU went through the in-process relay, not sockets.
to_sfu=$(metric 'turnd_inprocess_relay_packets_total{direction="to_sfu"}')
from_sfu=$(metric 'turnd_inprocess_relay_packets_total{direction="from_sfu"}')
peer_sent=$(metric turn_total_traffic_peer_sentp)
[ "${to_sfu:-0}" -gt 100 ] && [ "${from_sfu:-0}" -gt 100 ] ||
  fail "in-process relay: $to_sfu packets to the SFU, $from_sfu from it"
[ "$peer_sent" = 0 ] || fail "relay sockets sent $peer_sent packets: the media took the kernel path"
pass "TURN over TCP into the SFU took the in-process path ($to_sfu packets in, $from_sfu out, 0 through relay sockets)"
forwarded=$(metric turnd_sfu_forwarded_packets_total)
[ "${forwarded:-0}" -gt 1000 ] || fail "turnd_sfu_forwarded_packets_total=$forwarded"
[ "$(metric turnd_sfu_refused_joins_total)" -ge 1 ] || fail "the wrong code is not counted"
for counter in transport_feedback receiver_reports rembs; do
  [ "$(metric "turnd_sfu_${counter}_total")" -ge 1 ] || fail "the SFU sent no $counter to publishers"
done
[ "$(metric turnd_sfu_plis_total)" -ge 1 ] || fail "no keyframe was requested"
health=$(python3 -c 'import sys, urllib.request; r = urllib.request.urlopen(sys.argv[1], timeout=3); print(r.status, r.read().decode().strip())' \
  "http://127.0.0.1:$METRICS_PORT/healthz")
[ "$health" = "200 ok" ] || fail "/healthz with the SFU running: $health"
pass "the SFU's metrics moved: $forwarded packets forwarded, $(metric turnd_sfu_transport_feedback_total) transport-wide feedback packets, $(metric turnd_sfu_receiver_reports_total) receiver reports; /healthz is 200"

psql_value() { psql --no-psqlrc -At "$URL" -c "$1"; }
# 3 + 2 returns in the first room, 2 + 3 returns in the second.
VISITS=10
for _ in $(seq 50); do
  [ "$(psql_value "SELECT count(*) FROM participation_log WHERE left_at IS NOT NULL")" = $VISITS ] && break
  sleep 0.2
done
visits=$(psql_value "SELECT count(*) FROM participation_log WHERE left_at IS NOT NULL
  AND end_reason = 'left' AND node = 'browser-node' AND 'video' = ANY (media_sent)
  AND 'audio' = ANY (media_sent) AND room_id IS NOT NULL AND length(participant_hash) = 16
  AND client_prefix = '127.0.0.0/24' AND bytes_from_participant > 0 AND bytes_to_participant > 0")
[ "$visits" = $VISITS ] || fail "$visits of $VISITS visits logged as expected: $(psql_value "SELECT * FROM participation_log")"
pass "every visit is in participation_log, ended, pseudonymised, with its media kinds"

# sfu-inprocess-relay=off: the same through relay sockets and the kernel.
start_server "${server_lines[@]}" sfu-inprocess-relay=off
web_up
browser relay-tcp-kernel --participants 2 --relay tcp
peer_sent=$(metric turn_total_traffic_peer_sentp)
to_sfu=$(metric 'turnd_inprocess_relay_packets_total{direction="to_sfu"}')
[ "${peer_sent:-0}" -gt 100 ] && [ "$to_sfu" = 0 ] ||
  fail "with sfu-inprocess-relay=off: $peer_sent packets through relay sockets, $to_sfu in process"
pass "sfu-inprocess-relay=off relays to the SFU through relay sockets ($peer_sent packets)"
