#!/usr/bin/env bash
# Relay load against turnd and against coturn, same load, same machine, one run:
#   bash bench/relay_vs_coturn.sh path/to/turnd
#
# For each server (both with relay-threads=2, listening and relaying on 127.0.0.1 with
# the same ports plan as the e2e tests) and each client transport (UDP, TCP), it runs
# one bounded turnutils_uclient client-to-client load (-y: every message goes client
# -> server -> relayed address -> server -> client, so the server receives it twice
# and sends it twice), and measures the server's CPU time (utime+stime of the whole
# process from /proc/PID/stat, before and after, in CLK_TCK ticks). It prints, per
# run: messages delivered (uclient's tot_recv_msgs), loss %, CPU seconds, messages
# per CPU-second; then turnd/coturn ratios of messages per CPU-second.
#
# Environment (defaults in brackets):
#   COTURN_BIN [/usr/bin/turnserver]  the reference server
#   BENCH_SESSIONS [10] BENCH_MESSAGES [5000] BENCH_LENGTH [120] BENCH_INTERVAL [1]
#     uclient's -m, -n, -l and -z (ms between a session's messages). With -z 0 coturn
#     loses ~20 % over TCP on 2 cores; messages per CPU-second still count only the
#     delivered ones.
#   BENCH_TIMEOUT [120]  seconds before a client is killed.
# Client and servers share the machine's cores: compare ratios, not absolute rates.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 TURND_BINARY" >&2
  exit 2
fi
TURND_UNDER_TEST="$(realpath "$1")"
COTURN_BIN="${COTURN_BIN:-/usr/bin/turnserver}"
SESSIONS="${BENCH_SESSIONS:-10}"
MESSAGES="${BENCH_MESSAGES:-5000}"
LENGTH="${BENCH_LENGTH:-120}"
INTERVAL="${BENCH_INTERVAL:-1}"
export UCLIENT_TIMEOUT="${BENCH_TIMEOUT:-120}"

# The e2e helpers start a server ($TURND_BIN) with a generated config and free
# ports, run uclient under timeout, parse its output and clean up on exit.
export TURND_BIN="$TURND_UNDER_TEST"
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/../tests/e2e/lib.sh"

CLK_TCK=$(getconf CLK_TCK)

cpu_ticks() {  # cpu_ticks PID: utime + stime of the process (all its threads)
  # Fields after the ")" that closes the command name: state is field 3, utime 14.
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

declare -A RATE  # RATE[server/transport] = messages per CPU-second
rows=()

run_one() {  # run_one LABEL BINARY TRANSPORT
  local label=$1 transport=$3
  TURND_BIN=$2
  start_server "realm=bench.example" "lt-cred-mech" "user=bench:benchpw" \
    "allow-loopback-peers" "relay-threads=2"
  local flags=(-y -c -m "$SESSIONS" -n "$MESSAGES" -l "$LENGTH" -z "$INTERVAL"
    -u bench -w benchpw -p "$PORT")
  [ "$transport" = tcp ] && flags=(-t "${flags[@]}")

  local before after
  before=$(cpu_ticks "$SERVER_PID")
  uclient "bench-$label-$transport" "${flags[@]}"
  after=$(cpu_ticks "$SERVER_PID")
  server_alive || fail "$label died during the $transport load"
  [ "$UC_RC" = 0 ] || fail "$label/$transport: uclient exited with $UC_RC"
  stop_server

  local received loss cpu rate
  received=$(uc_received)
  loss=$(uc_loss_percent)
  cpu=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')
  rate=$(awk -v n="$received" -v c="$cpu" \
    'BEGIN { if (c > 0) printf "%.0f", n / c; else print "inf" }')
  RATE[$label/$transport]=$rate
  rows+=("$(printf '%-8s %-9s %10s %8.2f %8s %14s' \
    "$label" "$transport" "$received" "${loss:-100}" "$cpu" "$rate")")
}

echo "load: uclient -y -c -m $SESSIONS -n $MESSAGES -l $LENGTH -z $INTERVAL" \
  "(client-to-client), relay-threads=2, 127.0.0.1"
for transport in udp tcp; do
  run_one turnd "$TURND_UNDER_TEST" "$transport"
  run_one coturn "$COTURN_BIN" "$transport"
done

printf '\n%-8s %-9s %10s %8s %8s %14s\n' server transport messages "loss %" "CPU s" "msgs/CPU-s"
printf '%s\n' "${rows[@]}"
echo
for transport in udp tcp; do
  awk -v t="$transport" -v a="${RATE[turnd/$transport]}" -v b="${RATE[coturn/$transport]}" \
    'BEGIN { if (a == "inf" || b == "inf" || b == 0) r = "n/a"; else r = sprintf("%.2f", a / b);
             printf "turnd/coturn messages per CPU-second, %s: %s\n", t, r }'
done
