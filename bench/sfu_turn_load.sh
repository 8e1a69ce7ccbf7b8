#!/usr/bin/env bash
# The TURN-to-SFU load run (bench/sfu_turn_load.cc, issue 5), bounded in time,
# its tables saved to a log:
#   bash bench/sfu_turn_load.sh path/to/sfu_turn_load [LOG]
#
# For each room size, the same load four times, each with fresh server
# processes on 127.0.0.1: participants straight to the SFU over UDP (direct),
# then over TURN/TCP to turnd with the in-process relay into the SFU
# (inprocess), to turnd with sfu-inprocess-relay=off (kernel: the relay
# socket and the SFU's socket over loopback), and to Debian's coturn relaying
# to the SFU over loopback (coturn). Prints delivered packets per server
# CPU-second, loss, one-way delay and what TURN adds to it, and the ratios
# inprocess/kernel (the issue's goal: 1.5x) and inprocess/coturn.
#
# Environment (defaults in brackets):
#   SFU_TURN_SIZES [8]          room sizes
#   SFU_TURN_SECONDS [10]       media time per mode
#   SFU_TURN_THREADS [2]        turnd's relay-threads and coturn's
#   SFU_TURN_MODES [direct,inprocess,kernel,coturn]
#   SFU_TURN_ARGS []            more sfu_turn_load options, e.g. "--video-pps 120"
#   COTURN_BIN [/usr/bin/turnserver]
# The whole run is killed after (sizes x modes x (seconds + 30) + 30) seconds.
# The load generator shares the machine with the servers: compare modes within
# one run, not absolute rates across machines.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 SFU_TURN_LOAD_BINARY [LOG]" >&2
  exit 2
fi
BIN="$(realpath "$1")"
LOG="${2:-sfu_turn_load.log}"
SIZES="${SFU_TURN_SIZES:-8}"
SECONDS_PER_MODE="${SFU_TURN_SECONDS:-10}"
THREADS="${SFU_TURN_THREADS:-2}"
MODES="${SFU_TURN_MODES:-direct,inprocess,kernel,coturn}"
COTURN_BIN="${COTURN_BIN:-/usr/bin/turnserver}"
if [[ ",$MODES," == *,coturn,* ]] && [ ! -x "$COTURN_BIN" ]; then
  echo "$COTURN_BIN not found: bash scripts/deps.sh installs Debian's coturn" >&2
  exit 1
fi
sizes=$(tr ',' '\n' <<<"$SIZES" | grep -c .)
modes=$(tr ',' '\n' <<<"$MODES" | grep -c .)
budget=$((sizes * modes * (${SECONDS_PER_MODE%.*} + 30) + 30))

set +e
# shellcheck disable=SC2086  # SFU_TURN_ARGS is a list of options
{
  echo "# $(date -Is) on $(uname -n): $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  timeout --kill-after=10 "$budget" "$BIN" --participants "$SIZES" --seconds "$SECONDS_PER_MODE" \
    --relay-threads "$THREADS" --modes "$MODES" --coturn "$COTURN_BIN" ${SFU_TURN_ARGS:-}
} 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || echo "sfu_turn_load failed (exit $rc; 124: timed out after ${budget}s)" >&2
echo "saved to $LOG"
exit "$rc"
