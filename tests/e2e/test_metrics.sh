#!/usr/bin/env bash
# Prometheus /metrics and /healthz on the local admin listener: coturn's metric
# names, counts that move with real relayed traffic (not only when a session
# ends), 404 elsewhere, and nothing listening when prometheus is off.
source "$(dirname "$0")/lib.sh"

http_get() {  # http_get URL: prints "STATUS" then the body
  timeout 5 python3 - "$1" <<'PY'
import sys, urllib.request, urllib.error
try:
    with urllib.request.urlopen(sys.argv[1], timeout=3) as r:
        print(r.status); print(r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code); print(e.read().decode())
PY
}
metric() {  # metric NAME_WITH_LABELS: its value from /metrics
  http_get "http://127.0.0.1:$METRICS_PORT/metrics" | awk -v n="$1" '$1 == n {print $2}'
}

pick_port METRICS_PORT
start_server realm=example.org lt-cred-mech user=alice:alice-pass allow-loopback-peers \
  prometheus "prometheus-port=$METRICS_PORT"

out=$(http_get "http://127.0.0.1:$METRICS_PORT/healthz")
[ "$(head -1 <<<"$out")" = 200 ] || fail "/healthz: $out"
grep -qx ok <<<"$out" || fail "/healthz body: $out"
[ "$(http_get "http://127.0.0.1:$METRICS_PORT/nope" | head -1)" = 404 ] || fail "no 404"

before=$(metric turn_total_traffic_peer_sentp)
[ "$before" = 0 ] || fail "peer_sentp starts at $before"
start_peer
uclient -c -m 2 -n 100 -l 120 -e "$HOST" -r "$PEER_PORT" -u alice -w alice-pass -p "$PORT" "$HOST" \
  >"$E2E_TMP/uc.log" 2>&1 || fail "uclient failed: $(tail -3 "$E2E_TMP/uc.log")"
sent=$(metric turn_total_traffic_peer_sentp)
[ "${sent:-0}" -ge 200 ] || fail "turn_total_traffic_peer_sentp=$sent after 200 relayed messages"
created=$(metric 'turnd_allocations_created_total{transport="UDP"}')
[ "${created:-0}" -ge 2 ] || fail "allocations created=$created"
# Read it whole first: grep -q stops at the first match and would break the
# writer's pipe (a failed pipeline under pipefail).
metrics=$(http_get "http://127.0.0.1:$METRICS_PORT/metrics")
grep -q '^# TYPE turn_total_allocations gauge' <<<"$metrics" ||
  fail "no TYPE line for turn_total_allocations"
pass "healthz 200, metrics move with traffic (peer_sentp $before -> $sent), 404 elsewhere"

start_server realm=example.org lt-cred-mech user=alice:alice-pass
ss -Hltn "( sport = :$METRICS_PORT )" | grep -q . && fail "a metrics listener without prometheus"
pass "no listener when prometheus is off"
