#!/usr/bin/env bash
# The SFU load run (bench/sfu_load.cc), bounded in time, its table saved to a log:
#   bash bench/sfu_load.sh path/to/sfu_load [LOG]
#
# For each room size sfu_load starts the SFU's media plane in a process of its own on
# 127.0.0.1, joins that many simulated browsers (access code, SDP, ICE, DTLS, SRTP, two
# UDP sockets each), has every one publish audio and video for SFU_LOAD_SECONDS and
# subscribe to all the others, and prints forwarded packets per CPU-second of the SFU's
# media thread, loss, kernel drops, heap allocations per forwarded packet and the SFU
# process's memory per participant.
#
# Environment (defaults in brackets):
#   SFU_LOAD_SIZES [2,10,50]    room sizes, one fresh SFU process each
#   SFU_LOAD_PUBLISHERS [10]    how many participants of a room send media (the
#                               first ones; the others only receive); 0: all
#   SFU_LOAD_SECONDS [10]       media time per room size
#   SFU_LOAD_ARGS []            more sfu_load options, e.g. "--video-pps 120 --verify-every 8"
# The whole run is killed after (sizes x (seconds + 40) + 30) seconds.
# The load generator shares the machine with the SFU: compare sizes and runs on one
# machine, not absolute rates across machines.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 SFU_LOAD_BINARY [LOG]" >&2
  exit 2
fi
BIN="$(realpath "$1")"
LOG="${2:-sfu_load.log}"
SIZES="${SFU_LOAD_SIZES:-2,10,50}"
PUBLISHERS="${SFU_LOAD_PUBLISHERS:-10}"
SECONDS_PER_SIZE="${SFU_LOAD_SECONDS:-10}"
count=$(tr ',' '\n' <<<"$SIZES" | grep -c .)
budget=$((count * (${SECONDS_PER_SIZE%.*} + 40) + 30))

set +e
# shellcheck disable=SC2086  # SFU_LOAD_ARGS is a list of options
{
  echo "# $(date -Is) on $(uname -n): $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  timeout --kill-after=10 "$budget" "$BIN" --participants "$SIZES" \
    --seconds "$SECONDS_PER_SIZE" --publishers "$PUBLISHERS" ${SFU_LOAD_ARGS:-}
} 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || echo "sfu_load failed (exit $rc; 124: timed out after ${budget}s)" >&2
echo "saved to $LOG"
exit "$rc"
