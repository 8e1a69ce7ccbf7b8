#!/usr/bin/env bash
# systemd integration without systemd: a fake $NOTIFY_SOCKET records what turnd
# tells the service manager (Type=notify): READY=1 once listening, a STATUS line
# with live counts, WATCHDOG=1 pings at least every WatchdogSec/2 while every
# worker beats, STOPPING=1 on SIGTERM; SIGHUP keeps it running; exit status 0.
source "$(dirname "$0")/lib.sh"

NOTIFY="$E2E_TMP/notify.sock"
RECORD="$E2E_TMP/notify.log"
timeout 30 python3 - "$NOTIFY" "$RECORD" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(25)
with open(sys.argv[2], "a", buffering=1) as out:
    try:
        while True:
            out.write(s.recv(4096).decode() + "\n")
    except socket.timeout:
        pass
PY
LISTENER=$!
E2E_PIDS+=("$LISTENER")
for _ in $(seq 50); do [ -S "$NOTIFY" ] && break; sleep 0.1; done

export NOTIFY_SOCKET="$NOTIFY" WATCHDOG_USEC=1000000
start_server realm=example.org lt-cred-mech user=alice:alice-pass
unset NOTIFY_SOCKET WATCHDOG_USEC
sleep 2.5
kill -HUP "$SERVER_PID"
sleep 0.5
server_alive || fail "SIGHUP stopped the server"
kill -TERM "$SERVER_PID"
status=0
for _ in $(seq 50); do running "$SERVER_PID" || break; sleep 0.1; done
running "$SERVER_PID" && fail "the server did not stop within 5 s of SIGTERM"
wait "$SERVER_PID" || status=$?
SERVER_PID=""
[ "$status" = 0 ] || fail "exit status $status after SIGTERM"
sleep 0.2

grep -qx 'READY=1' "$RECORD" || fail "no READY=1 ($(cat "$RECORD"))"
grep -q '^STATUS=.*allocations' "$RECORD" || fail "no STATUS line with counts"
pings=$(grep -cx 'WATCHDOG=1' "$RECORD" || true)
[ "$pings" -ge 6 ] || fail "only $pings watchdog pings in 3 s with WatchdogSec=1s"
grep -qx 'STOPPING=1' "$RECORD" || fail "no STOPPING=1"
grep -q 'reload: configuration applied' "$SERVER_LOG" || fail "SIGHUP not acknowledged in the log"
pass "READY, STATUS, $pings WATCHDOG pings, STOPPING; SIGHUP survived; exit 0"
