# shellcheck shell=bash
# Shared helpers for turnd's end-to-end tests; each tests/e2e/test_*.sh sources it.
#
# The tests start the real server binary ($TURND_BIN) on 127.0.0.1 with a generated
# config and drive it with coturn's client tools (turnutils_stunclient, _uclient,
# _peer) and with stun_client.py, a raw STUN/TURN client in this folder.
#
# Environment:
#   TURND_BIN   server binary (required). When its basename is `turnserver` (coturn,
#               used to validate these scripts) coturn-only command-line options are
#               added; turnd gets nothing but `-c FILE`.
#   E2E_KEEP=1  keep the temporary folder (config, logs) instead of removing it.
#
# Every client runs under `timeout`, every load is bounded: a script finishes in well
# under a minute or fails.

# shellcheck disable=SC2034  # the variables set here are read by the test scripts
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
E2E_NAME="${E2E_NAME:-$(basename "${BASH_SOURCE[1]:-$0}" .sh)}"
STUN_CLIENT=(python3 "$E2E_DIR/stun_client.py")
UCLIENT_TIMEOUT="${UCLIENT_TIMEOUT:-40}"
HOST=127.0.0.1

if [ -z "${TURND_BIN:-}" ]; then
  echo "$E2E_NAME: TURND_BIN must name the server binary" >&2
  exit 1
fi
if [ ! -x "$TURND_BIN" ]; then
  echo "$E2E_NAME: TURND_BIN=$TURND_BIN is not an executable file" >&2
  exit 1
fi
for tool in turnutils_stunclient turnutils_uclient turnutils_peer openssl python3 ss timeout; do
  if ! command -v "$tool" >/dev/null; then
    echo "$E2E_NAME: $tool not found (bash scripts/deps.sh installs coturn, iproute2, ...)" >&2
    exit 1
  fi
done

E2E_TMP="$(mktemp -d "/tmp/turnd-e2e-$E2E_NAME.XXXXXX")"
E2E_PIDS=()      # background processes to stop on exit (server, peers)
E2E_PORTS=()     # ports this script already handed out
SERVER_PID=""
SERVER_LOG=""
UC_LOG=""
UC_RC=0

is_coturn() { [ "$(basename "$TURND_BIN")" = turnserver ]; }

running() {  # running PID: the process exists and is not a zombie waiting to be reaped
  local state
  state=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

stop_pid() {  # stop_pid PID: TERM, then KILL after 5 s; reaps it
  local pid=$1 p kept=()
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 50); do
      running "$pid" || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  for p in "${E2E_PIDS[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  E2E_PIDS=("${kept[@]}")
}

e2e_cleanup() {
  local rc=$? pid
  for pid in "${E2E_PIDS[@]}"; do stop_pid "$pid"; done
  if [ "${E2E_KEEP:-0}" = 1 ]; then
    echo "$E2E_NAME: files kept in $E2E_TMP"
  else
    rm -rf "$E2E_TMP"
  fi
  exit "$rc"
}
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM

# --- Reporting ---------------------------------------------------------------

pass() { echo "PASS $E2E_NAME: $*"; }
note() { echo "---- $E2E_NAME: $*"; }

fail() {
  echo "FAIL $E2E_NAME: $*" >&2
  if [ -n "$UC_LOG" ] && [ -f "$UC_LOG" ]; then
    echo "---- last client output ($UC_LOG):" >&2
    tail -n 25 "$UC_LOG" >&2
  fi
  if [ -n "$SERVER_LOG" ] && [ -f "$SERVER_LOG" ]; then
    echo "---- server log tail ($SERVER_LOG):" >&2
    tail -n 40 "$SERVER_LOG" >&2
  fi
  exit 1
}

# --- Ports -------------------------------------------------------------------
# Ports come from 20000 up to just below the kernel's ephemeral range, so that no
# client socket the kernel numbers can land on a listener or a relay port.

PORT_LOW=20000
PORT_HIGH=$(($(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range) - 1))
[ "$PORT_HIGH" -gt $((PORT_LOW + 2000)) ] || PORT_HIGH=40000

ports_free() {  # ports_free FIRST LAST: no TCP or UDP socket uses a port in the range
  local first=$1 last=$2 p
  for p in "${E2E_PORTS[@]}"; do
    if [ "$p" -ge "$first" ] && [ "$p" -le "$last" ]; then return 1; fi
  done
  [ -z "$(ss -Htuan "( sport >= :$first and sport <= :$last )" 2>/dev/null)" ]
}

pick_port() {  # pick_port VAR: a free port for both TCP and UDP
  local p i
  for i in $(seq 200); do
    p=$((PORT_LOW + RANDOM % (PORT_HIGH - PORT_LOW)))
    if ports_free "$p" "$p"; then
      E2E_PORTS+=("$p")
      printf -v "$1" %s "$p"
      return 0
    fi
  done
  fail "no free port found"
}

pick_port_window() {  # pick_port_window FIRST_VAR LAST_VAR SIZE
  local first i size=$3 p
  for i in $(seq 200); do
    first=$((PORT_LOW + RANDOM % (PORT_HIGH - PORT_LOW - size)))
    if ports_free "$first" $((first + size - 1)); then
      for p in $(seq "$first" $((first + size - 1))); do E2E_PORTS+=("$p"); done
      printf -v "$1" %s "$first"
      printf -v "$2" %s $((first + size - 1))
      return 0
    fi
  done
  fail "no free window of $size ports found"
}

# --- The server ----------------------------------------------------------------

make_cert() {  # make_cert: sets CERT and PKEY (self-signed ECDSA P-256 for localhost)
  CERT="$E2E_TMP/cert.pem"
  PKEY="$E2E_TMP/key.pem"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$PKEY" -out "$CERT" -days 2 -subj /CN=localhost >/dev/null 2>&1 ||
    fail "openssl could not make a certificate"
}

# room_with_code SLUG NAME CODE: migrates the test database ($URL, with
# $TURNCTL_BIN) and makes the room SLUG whose participants' code is CODE.
room_with_code() {
  "$TURNCTL_BIN" --database="$URL" db migrate >/dev/null || fail "migrate"
  "$TURNCTL_BIN" --database="$URL" room create "$1" --name "$2" >/dev/null || fail "room create $1"
  "$TURNCTL_BIN" --database="$URL" room set-code "$1" --code="$3" >/dev/null || fail "set-code $1"
}

# make_ca_cert [DNS_NAME...]: sets CA_CERT, CERT and PKEY: a test CA (ECDSA
# P-256) and a server certificate it signed for 127.0.0.1, ::1, localhost and
# the names given — for clients that check certificates (Firefox checks a
# turns: server's).
make_ca_cert() {
  CA_CERT="$E2E_TMP/ca.pem"
  CERT="$E2E_TMP/cert.pem"
  PKEY="$E2E_TMP/key.pem"
  local ca_key="$E2E_TMP/ca-key.pem" ext="$E2E_TMP/server-ext.cnf" names="" name
  for name in "$@"; do names+=",DNS:$name"; done
  printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=digitalSignature" "extendedKeyUsage=serverAuth" \
    "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost$names" >"$ext"
  { openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$ca_key" \
      -out "$CA_CERT" -days 2 -subj "/CN=turnd test CA $E2E_NAME" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$PKEY" \
      -subj /CN=localhost -out "$E2E_TMP/server.csr" &&
    openssl x509 -req -in "$E2E_TMP/server.csr" -CA "$CA_CERT" -CAkey "$ca_key" -CAcreateserial \
      -days 2 -extfile "$ext" -out "$CERT"; } >/dev/null 2>&1 || fail "openssl could not make a CA and certificate"
}

udp_answers() {  # udp_answers PORT: a STUN Binding over UDP gets an answer within 1 s
  timeout 1 turnutils_stunclient -p "$1" "$HOST" 2>/dev/null | grep -q "reflexive addr"
}

tcp_listens() {  # tcp_listens PORT
  [ -n "$(ss -Hltn "( sport = :$1 )" 2>/dev/null)" ]
}

# start_server [CONFIG_LINE...]
# Writes a config listening on 127.0.0.1 with fresh ports, relaying on 127.0.0.1 from
# a free window of 200 ports, plus the given lines; starts the server and waits up to
# 10 s for its listeners. Sets PORT, TLS_PORT, MIN_PORT, MAX_PORT, CONF, SERVER_LOG,
# SERVER_PID. A second call stops the previous server first. WEB_ON_TLS_PORT=1: the
# web server shares TLS_PORT (web-port=$TLS_PORT); WEB_REDIRECT_ON_PORT=1: plain HTTP
# on PORT is redirected to it (web-redirect-port=$PORT).
SERVER_COUNT=0
start_server() {
  stop_server
  SERVER_COUNT=$((SERVER_COUNT + 1))
  pick_port PORT
  pick_port TLS_PORT
  pick_port_window MIN_PORT MAX_PORT 200
  CONF="$E2E_TMP/server$SERVER_COUNT.conf"
  SERVER_LOG="$E2E_TMP/server$SERVER_COUNT.log"
  {
    echo "# generated by tests/e2e/lib.sh for $E2E_NAME"
    echo "listening-ip=$HOST"
    echo "listening-port=$PORT"
    echo "tls-listening-port=$TLS_PORT"
    echo "relay-ip=$HOST"
    echo "min-port=$MIN_PORT"
    echo "max-port=$MAX_PORT"
    echo "pidfile=$E2E_TMP/server$SERVER_COUNT.pid"
    echo "no-cli"   # coturn-only keys turnd accepts silently
    echo "no-dtls"
    [ "${WEB_ON_TLS_PORT:-0}" = 1 ] && echo "web-port=$TLS_PORT"
    [ "${WEB_REDIRECT_ON_PORT:-0}" = 1 ] && echo "web-redirect-port=$PORT"
    printf '%s\n' "$@"
  } >"$CONF"

  local extra=()
  if is_coturn; then
    # coturn would log to /var/log, open /var/lib/turn/turndb and add a date to log names.
    extra=(--log-file=stdout --simple-log --userdb="$E2E_TMP/turndb$SERVER_COUNT")
  fi
  "$TURND_BIN" -c "$CONF" "${extra[@]}" >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  E2E_PIDS+=("$SERVER_PID")

  local want_udp=1 want_tcp=1 want_tls=0 line
  for line in "$@"; do
    case "$line" in
      no-udp) want_udp=0 ;;
      no-tcp) want_tcp=0 ;;
      cert=*) want_tls=1 ;;
    esac
  done
  for line in "$@"; do [ "$line" = no-tls ] && want_tls=0; done

  local i
  for i in $(seq 100); do
    running "$SERVER_PID" || fail "the server exited during startup (config $CONF)"
    if { [ $want_udp = 0 ] || udp_answers "$PORT"; } &&
      { [ $want_tcp = 0 ] || tcp_listens "$PORT"; } &&
      { [ $want_tls = 0 ] || tcp_listens "$TLS_PORT"; }; then
      note "server up (pid $SERVER_PID, port $PORT, tls $TLS_PORT, relay $MIN_PORT-$MAX_PORT)"
      return 0
    fi
    sleep 0.1
  done
  echo "---- config $CONF:" >&2
  cat "$CONF" >&2
  fail "the server did not answer on port $PORT within 10 s"
}

stop_server() {
  if [ -n "$SERVER_PID" ]; then
    stop_pid "$SERVER_PID"
    SERVER_PID=""
  fi
}

server_alive() {
  [ -n "$SERVER_PID" ] && running "$SERVER_PID"
}

# --- Peers -------------------------------------------------------------------

# shellcheck disable=SC2120  # IP is optional
start_peer() {  # start_peer [IP]: turnutils_peer echoing on IP (default 127.0.0.1):PEER_PORT
  local ip=${1:-$HOST}
  pick_port PEER_PORT
  turnutils_peer -L "$ip" -p "$PEER_PORT" >"$E2E_TMP/peer$PEER_PORT.log" 2>&1 &
  E2E_PIDS+=("$!")
  local i
  for _ in $(seq 50); do
    [ -n "$(ss -Hlun "( sport = :$PEER_PORT )")" ] && return 0
    sleep 0.1
  done
  fail "turnutils_peer did not start on $ip port $PEER_PORT"
}

# --- Clients -------------------------------------------------------------------

# uclient NAME ARGS...: runs `turnutils_uclient ARGS 127.0.0.1` (or ARGS $UC_HOST when
# set, e.g. UC_HOST=::1) under timeout, its output in $E2E_TMP/NAME.log. Sets UC_LOG and
# UC_RC; never fails by itself.
UC_HOST=""
uclient() {
  local name=$1
  shift
  UC_LOG="$E2E_TMP/$name.log"
  UC_RC=0
  timeout "$UCLIENT_TIMEOUT" turnutils_uclient "$@" "${UC_HOST:-$HOST}" >"$UC_LOG" 2>&1 || UC_RC=$?
}

# Parsers of the last uclient output, $UC_LOG (the last report in it wins):
#   "N: : start_mclient: tot_send_msgs=200, tot_recv_msgs=200"
#   "N: : Total lost packets 0 (0.000000%), total send dropped 0 (0.000000%)"
#   "N: : error 486 (Allocation Quota Reached)"            (Allocate)
#   "N: : create permission error 403 (Forbidden IP)"     (CreatePermission)
#   "N: : channel bind: error 403 (Forbidden IP)"          (ChannelBind)
#   "N: : ERROR: Cannot complete Allocation"               (401 after 32 challenges)
uc_sent() {
  grep -oE 'start_mclient: tot_send_msgs=[0-9]+' "$UC_LOG" |
    tail -n 1 | grep -oE '[0-9]+$' || echo 0
}
uc_received() {
  grep -oE 'start_mclient: tot_send_msgs=[0-9]+, tot_recv_msgs=[0-9]+' "$UC_LOG" |
    tail -n 1 | grep -oE '[0-9]+$' || echo 0
}
uc_lost() {
  sed -nE 's/.*Total lost packets ([0-9]+) .*/\1/p' "$UC_LOG" | tail -n 1
}
uc_loss_percent() {
  sed -nE 's/.*Total lost packets [0-9]+ \(([0-9.]+)%\).*/\1/p' "$UC_LOG" | tail -n 1
}
uc_error_codes() {  # distinct STUN error codes reported, space separated
  grep -oE 'error [0-9]{3} ' "$UC_LOG" | awk '{print $2}' | sort -u | paste -sd ' ' -
}

# expect_relay NAME EXPECTED_MESSAGES UCLIENT_ARGS...: a uclient run must exit 0,
# send and receive EXPECTED_MESSAGES and lose none.
expect_relay() {
  local name=$1 want=$2
  shift 2
  uclient "$name" "$@"
  [ "$UC_RC" = 0 ] || fail "$name: uclient exited with $UC_RC (args: $*)"
  local sent received lost
  sent=$(uc_sent)
  received=$(uc_received)
  lost=$(uc_lost)
  [ -n "$lost" ] || fail "$name: uclient printed no 'Total lost packets' line"
  [ "$sent" = "$want" ] || fail "$name: sent $sent messages, expected $want"
  [ "$received" = "$want" ] || fail "$name: received $received of $want messages"
  [ "$lost" = 0 ] || fail "$name: lost $lost packets"
  pass "$name: $received/$want messages relayed, 0 lost"
}

# expect_uclient_error NAME CODE UCLIENT_ARGS...: uclient must fail and report CODE.
expect_uclient_error() {
  local name=$1 code=$2
  shift 2
  uclient "$name" "$@"
  [ "$UC_RC" != 0 ] || fail "$name: uclient succeeded, expected error $code"
  [ "$UC_RC" != 124 ] || fail "$name: uclient hung (killed after ${UCLIENT_TIMEOUT}s)"
  local codes
  codes=$(uc_error_codes)
  [[ " $codes " == *" $code "* ]] || fail "$name: uclient reported errors '$codes', expected $code"
  pass "$name: uclient failed with error $code"
}

# expect_uclient_auth_failure NAME UCLIENT_ARGS...: uclient must give up on its
# Allocation. It prints no code for a 401: it takes each 401 with REALM and NONCE for a
# new challenge and after 32 of them prints "ERROR: Cannot complete Allocation".
expect_uclient_auth_failure() {
  local name=$1
  shift
  uclient "$name" "$@"
  [ "$UC_RC" != 0 ] || fail "$name: uclient succeeded"
  [ "$UC_RC" != 124 ] || fail "$name: uclient hung (killed after ${UCLIENT_TIMEOUT}s)"
  grep -q "Cannot complete Allocation" "$UC_LOG" || fail "$name: no 'Cannot complete Allocation'"
  pass "$name: uclient failed with 'Cannot complete Allocation' (exit $UC_RC)"
}

# raw_args: sets RAW to stun_client.py's options for the current server: its UDP port,
# and the relay IP and port range every relayed address must be in.
raw_args() {
  RAW=(--port "$PORT" --relay-ip "$HOST" --min-port "$MIN_PORT" --max-port "$MAX_PORT")
}

# stun NAME SCENARIO ARGS...: runs stun_client.py against the server (UDP port by
# default); its checks are printed, and any failed check fails the test.
stun() {
  local name=$1
  shift
  UC_LOG="$E2E_TMP/$name.log"
  local rc=0
  timeout 60 "${STUN_CLIENT[@]}" "$@" >"$UC_LOG" 2>&1 || rc=$?
  sed "s/^/    /" "$UC_LOG"
  [ "$rc" = 0 ] || fail "$name: stun_client.py $1 failed (exit $rc)"
  pass "$name"
}

# rest_credential SECRET USER EXPIRY_OFFSET: sets REST_USER and REST_PASS for the TURN
# REST API (username "<unix expiry>:USER", password base64(HMAC-SHA1(SECRET, username))).
rest_credential() {
  REST_USER="$(($(date +%s) + $3)):$2"
  REST_PASS=$(printf %s "$REST_USER" | openssl dgst -sha1 -hmac "$1" -binary | base64)
}
