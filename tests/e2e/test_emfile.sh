#!/usr/bin/env bash
# Out of file descriptors (issue 11, class 2): turnd's descriptor limit is
# lowered while it runs (prlimit) and 120 TCP clients connect to its TURN
# port. Accepting fails with EMFILE; the listeners must pause instead of
# spinning (turnd's CPU time stays low while the clients wait), and once the
# clients are gone a TURN TCP allocation works again.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
command -v prlimit >/dev/null || fail "prlimit is missing (util-linux)"

start_server "realm=example.org" "lt-cred-mech" "user=alice:alicepw" relay-threads=2
used=$(ls "/proc/$SERVER_PID/fd" | wc -l)
limit=$((used + 16))
prlimit --pid "$SERVER_PID" --nofile="$limit:$limit" || fail "prlimit failed (needs root)"
note "turnd uses $used descriptors; limit now $limit"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }

/usr/bin/python3 - "$HOST" "$PORT" "$E2E_TMP/hold" <<'PY' &
import os, socket, sys, time
host, port, flag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
held = []
for _ in range(120):
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect((host, port))
        held.append(s)
    except OSError:
        s.close()
open(flag, "w").write(str(len(held)))
while os.path.exists(flag):
    time.sleep(0.1)
for s in held:
    s.close()
PY
HOLDER=$!
E2E_PIDS+=("$HOLDER")
for _ in $(seq 100); do [ -f "$E2E_TMP/hold" ] && break; sleep 0.1; done
[ -f "$E2E_TMP/hold" ] || fail "the clients did not connect"
sleep 0.5
before=$(cpu_ticks)
sleep 3
after=$(cpu_ticks)
spent=$((after - before))
grep -q "Too many open files" "$SERVER_LOG" || fail "turnd never ran out of descriptors"
running "$SERVER_PID" || fail "turnd died"
[ "$spent" -lt 100 ] || fail "turnd spent $spent ticks of CPU in 3 s out of descriptors (spinning)"
pass "out of descriptors with $(cat "$E2E_TMP/hold") clients connected: $spent CPU ticks in 3 s, no spinning"

rm -f "$E2E_TMP/hold"
wait "$HOLDER" 2>/dev/null
sleep 1.5  # the listeners resume within a second and see the closed clients go
raw_args
stun after-emfile allocate "${RAW[@]}" --transport tcp --user alice --password alicepw
pass "after the clients left, TURN over TCP allocates again"
