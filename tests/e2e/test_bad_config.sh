#!/usr/bin/env bash
# Configuration errors stop turnd before it serves anything, with one clear message.
# - An unknown key in the file: exit status 2, stderr "FILE:LINE: unknown key 'KEY'"
#   with the right line number; a near miss gets a "did you mean" suggestion; an
#   unknown --key on the command line: exit 2, "command line: unknown key".
# - TLS on with a certificate file that does not exist: a non-zero exit whose message
#   names the file; the same for a missing private key file and for a certificate file
#   that is not PEM. No pidfile is left and no port stays bound.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

pick_port PORT
pick_port TLS_PORT
pick_port_window MIN_PORT MAX_PORT 20
make_cert
pidfile="$E2E_TMP/turnd.pid"

base_config() {  # base_config FILE EXTRA_LINE...: a valid config plus the given lines
  local file=$1
  shift
  {
    echo "listening-ip=$HOST"
    echo "listening-port=$PORT"
    echo "tls-listening-port=$TLS_PORT"
    echo "relay-ip=$HOST"
    echo "min-port=$MIN_PORT"
    echo "max-port=$MAX_PORT"
    echo "pidfile=$pidfile"
    echo "realm=example.org"
    printf '%s\n' "$@"
  } >"$file"
}

RUN_RC=0
RUN_ERR=""
run_turnd() {  # run_turnd NAME ARGS...: runs turnd (10 s at most), sets RUN_RC and RUN_ERR
  local name=$1
  shift
  RUN_ERR="$E2E_TMP/$name.err"
  RUN_RC=0
  timeout 10 "$TURND_BIN" "$@" >"$E2E_TMP/$name.out" 2>"$RUN_ERR" || RUN_RC=$?
  [ "$RUN_RC" != 124 ] || fail "$name: turnd did not exit within 10 s (it started serving)"
  echo "    $name: exit $RUN_RC: $(head -n 3 "$RUN_ERR" | paste -sd '|' -)"
}

expect_stderr() {  # expect_stderr NAME FIXED_STRING
  grep -qF -- "$2" "$RUN_ERR" || { cat "$RUN_ERR" >&2; fail "$1: stderr lacks '$2'"; }
}

nothing_left() {  # nothing_left NAME: no pidfile, no bound listener port
  [ ! -e "$pidfile" ] || fail "$1: a pidfile was left behind"
  [ -z "$(ss -Htuan "( sport = :$PORT or sport = :$TLS_PORT )")" ] || fail "$1: a port is bound"
}

# Unknown key at line 10 (the base config has 8 lines, then a comment).
conf="$E2E_TMP/unknown.conf"
base_config "$conf" "# a comment line" "bogus-key=1"
run_turnd unknown-key -c "$conf"
[ "$RUN_RC" = 2 ] || fail "unknown-key: exit status $RUN_RC, expected 2"
expect_stderr unknown-key "$conf:10: unknown key"
nothing_left unknown-key
pass "unknown key: exit 2, '$conf:10: unknown key'"

conf="$E2E_TMP/typo.conf"
base_config "$conf" "listening-prot=3478"
run_turnd typo-key -c "$conf"
[ "$RUN_RC" = 2 ] || fail "typo-key: exit status $RUN_RC, expected 2"
expect_stderr typo-key "$conf:9: unknown key"
expect_stderr typo-key "listening-port"
pass "a misspelt key: exit 2 with a suggestion"

conf="$E2E_TMP/good.conf"
base_config "$conf"
run_turnd unknown-option -c "$conf" --no-such-key=1
[ "$RUN_RC" = 2 ] || fail "unknown-option: exit status $RUN_RC, expected 2"
expect_stderr unknown-option "command line: unknown key"
pass "an unknown --key: exit 2, 'command line: unknown key'"

# TLS with unusable certificate or key files.
missing="$E2E_TMP/no-such-dir/cert.pem"
conf="$E2E_TMP/bad-cert.conf"
base_config "$conf" "cert=$missing" "pkey=$PKEY"
run_turnd bad-cert -c "$conf"
[ "$RUN_RC" != 0 ] || fail "bad-cert: turnd exited 0"
expect_stderr bad-cert "$missing"
nothing_left bad-cert
pass "a missing certificate file: exit $RUN_RC naming $missing"

missing_key="$E2E_TMP/no-such-key.pem"
conf="$E2E_TMP/bad-key.conf"
base_config "$conf" "cert=$CERT" "pkey=$missing_key"
run_turnd bad-key -c "$conf"
[ "$RUN_RC" != 0 ] || fail "bad-key: turnd exited 0"
expect_stderr bad-key "$missing_key"
nothing_left bad-key
pass "a missing private key file: exit $RUN_RC naming $missing_key"

not_pem="$E2E_TMP/not-a-cert.pem"
echo "this is not a certificate" >"$not_pem"
conf="$E2E_TMP/not-pem.conf"
base_config "$conf" "cert=$not_pem" "pkey=$PKEY"
run_turnd not-pem -c "$conf"
[ "$RUN_RC" != 0 ] || fail "not-pem: turnd exited 0"
expect_stderr not-pem "$not_pem"
nothing_left not-pem
pass "a certificate file that is not PEM: exit $RUN_RC naming $not_pem"
