#!/usr/bin/env bash
# The soak (issue 11, class 8): turnd with the SFU and the database under
# churn for SOAK_SECONDS (default 600) — TURN allocations (30 s lifetimes)
# over UDP, TCP and TLS relaying to a peer and going away, conference visits over WSS coming
# and going — while its resident memory (VmRSS) and open descriptors are
# sampled every 10 s. Passes when, once the churn has stopped and everyone
# has gone, the descriptors are back to where they were before it began, and
# RSS is within 5 % of what it was at the same quiet point after the first
# two minutes of churn (warm-up: allocators and caches reach their size). Prints the samples; run by
# `make soak` through tests/db/run_with_cluster.sh. Not part of make test.
: "${TURND_TEST_DATABASE_URL:?run through tests/db/run_with_cluster.sh}"
: "${TURNCTL_BIN:?TURNCTL_BIN must name build/bin/turnctl}"
source "$TURND_SRC/tests/e2e/lib.sh"
URL="$TURND_TEST_DATABASE_URL"
SECONDS_TOTAL=${SOAK_SECONDS:-600}
UCLIENT_TIMEOUT=60

CODE=s0ak-7brw-4fox-c9rm
room_with_code soak "Soak" "$CODE"
make_cert
pick_port WEB_PORT
pick_port SFU_PORT
pick_port METRICS_PORT
start_server realm=example.org use-auth-secret static-auth-secret=soak-secret allow-loopback-peers \
  "database=$URL" "state-dir=$E2E_TMP/state" "cert=$CERT" "pkey=$PKEY" prometheus \
  "prometheus-port=$METRICS_PORT" "web-port=$WEB_PORT" "sfu-port=$SFU_PORT" \
  "web-root=$TURND_SRC/sfu/web" default-allocate-lifetime=30 max-allocate-lifetime=30
for _ in $(seq 50); do tcp_listens "$WEB_PORT" && break; sleep 0.1; done
start_peer

sample() {  # sample LABEL: one line "LABEL seconds rss_kib fds threads"
  local rss fds threads
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status")
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$SERVER_PID/status")
  fds=$(find "/proc/$SERVER_PID/fd" -mindepth 1 -maxdepth 1 | wc -l)
  echo "$1 $SECONDS $rss $fds $threads" | tee -a "$E2E_TMP/samples.txt"
}
quiet() {  # quiet BASE: wait (up to 90 s) until turnd's descriptors are back to BASE:
  # the clients' allocations expire (30 s lifetimes here), connections close
  for _ in $(seq 90); do
    [ "$(find "/proc/$SERVER_PID/fd" -mindepth 1 -maxdepth 1 | wc -l)" -le "$1" ] && return 0
    sleep 1
  done
}

sleep 2
sample before
BASE_FDS=$(awk 'END {print $4}' "$E2E_TMP/samples.txt")

# TURN churn: 10 clients a round, each 20 messages, over UDP, TCP and TLS in turn.
ROUNDS=0
turn_churn() {  # turn_churn UNTIL
  local round=$ROUNDS flags port
  while [ $SECONDS -lt "$1" ]; do
    case $((round % 3)) in 0) flags=() ;; 1) flags=(-t) ;; 2) flags=(-t -S) ;; esac
    port=$PORT
    [ $((round % 3)) = 2 ] && port=$TLS_PORT
    timeout 60 turnutils_uclient "${flags[@]}" -e "$HOST" -r "$PEER_PORT" -X -c -m 10 -n 20 -l 170 \
      -W soak-secret -u "soak$round" -p "$port" "$HOST" >"$E2E_TMP/uclient.log" 2>&1 ||
      echo "uclient round $round: exit $?" >>"$E2E_TMP/turn_errors.txt"
    round=$((round + 1))
    echo "$round" >"$E2E_TMP/turn_rounds.txt"
  done
}

# phase SECONDS: TURN and conference churn for that long, samples every 10 s;
# then waits until everyone has gone and takes a sample "quiet".
phase() {
  local until=$((SECONDS + $1)) next=$((SECONDS + 10))
  turn_churn "$until" &
  local turn_pid=$!
  E2E_PIDS+=("$turn_pid")
  /usr/bin/python3 "$TURND_SRC/tests/soak/join_churn.py" --port "$WEB_PORT" --room soak \
    --code "$CODE" --seconds "$1" >>"$E2E_TMP/joins.txt" 2>&1 &
  local join_pid=$!
  E2E_PIDS+=("$join_pid")
  while [ $SECONDS -lt $until ]; do
    server_alive || fail "turnd died during the soak"
    if [ $SECONDS -ge $next ]; then
      sample churn
      next=$((SECONDS + 10))
    fi
    sleep 1
  done
  wait "$turn_pid" || true
  wait "$join_pid" || fail "conference churn: $(cat "$E2E_TMP/joins.txt")"
  ROUNDS=$(cat "$E2E_TMP/turn_rounds.txt" 2>/dev/null || echo 0)
  quiet "$BASE_FDS"
  sample quiet
}

# Two minutes to warm up (allocators, caches, libsrtp and OpenSSL reach their
# working size), then the rest: with the default 600 s, RSS is compared
# between minute 2 and minute 10, each at a quiet point.
WARMUP=120
[ "$SECONDS_TOTAL" -ge 600 ] || WARMUP=$((SECONDS_TOTAL / 5))
phase "$WARMUP"
WARM_RSS=$(awk 'END {print $3}' "$E2E_TMP/samples.txt")
phase $((SECONDS_TOTAL - WARMUP))
read -r _ _ END_RSS END_FDS _ < <(tail -n 1 "$E2E_TMP/samples.txt")
errors=0
[ -f "$E2E_TMP/turn_errors.txt" ] && errors=$(wc -l <"$E2E_TMP/turn_errors.txt")
note "$SECONDS_TOTAL s: $ROUNDS TURN rounds of 10 clients ($errors failed); $(tr '\n' ' ' <"$E2E_TMP/joins.txt")"
[ "$ROUNDS" -gt 0 ] && [ "$errors" -le $((ROUNDS / 20)) ] || fail "$errors of $ROUNDS TURN rounds failed"
[ "$END_FDS" -le "$BASE_FDS" ] || fail "descriptors: $BASE_FDS before, $END_FDS after"
pass "descriptors back to $END_FDS (before: $BASE_FDS)"
growth=$(( (END_RSS - WARM_RSS) * 1000 / WARM_RSS ))
[ "$growth" -le 50 ] && [ "$growth" -ge -50 ] ||
  fail "RSS $WARM_RSS KiB after warm-up, $END_RSS KiB at the end (${growth}‰)"
pass "RSS $WARM_RSS KiB quiet after ${WARMUP} s of churn, $END_RSS KiB quiet at the end (${growth}‰)"
