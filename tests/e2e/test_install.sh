#!/usr/bin/env bash
# `make install` layout: `cmake --install` of the already-built tree (the build
# folder is two levels above $TURND_BIN) into a scratch DESTDIR with --prefix /usr,
# as `make install PREFIX=/usr DESTDIR=...` runs it. Then:
# - the layout: /usr/bin/turnd (and turnctl when built), /etc/turnd/turnd.conf (the
#   sample, mode 0640), the units, the sysusers and tmpfiles snippets, the ufw
#   profile, /usr/share/turnd/{migrations,reports,web} for each folder the tree
#   has, the docs, and /var/lib/turnd, empty;
# - a second install keeps an edited /etc/turnd/turnd.conf;
# - systemd-sysusers and systemd-tmpfiles, run offline on the DESTDIR, create the
#   turnd user and give the config and /etc/turnd/tls to its group;
# - the INSTALLED binary starts with the INSTALLED config (plus loopback ports on
#   the command line), answers a STUN Binding over UDP and TCP, announces the
#   sample's realm, and stops with status 0 on SIGTERM.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

SRC="${TURND_SRC:-$E2E_DIR/../..}"
BUILD_DIR="$(dirname "$(dirname "$TURND_BIN")")"
[ -f "$BUILD_DIR/cmake_install.cmake" ] || fail "$BUILD_DIR is not a CMake build folder"
STAGE="$E2E_TMP/stage"

install_log="$E2E_TMP/install.log"
DESTDIR="$STAGE" cmake --install "$BUILD_DIR" --prefix /usr >"$install_log" 2>&1 ||
  fail "cmake --install failed: $(tail -n 20 "$install_log")"
pass "DESTDIR=\$STAGE cmake --install $BUILD_DIR --prefix /usr"

# --- Layout ---------------------------------------------------------------------
expect_file() {  # expect_file PATH [SOURCE]: PATH exists under the stage (same bytes as SOURCE)
  [ -f "$STAGE$1" ] || fail "not installed: $1"
  if [ -n "${2:-}" ]; then cmp -s "$STAGE$1" "$2" || fail "$1 differs from $2"; fi
}
[ -x "$STAGE/usr/bin/turnd" ] || fail "not installed: /usr/bin/turnd"
if [ -x "$(dirname "$TURND_BIN")/turnctl" ]; then
  [ -x "$STAGE/usr/bin/turnctl" ] || fail "turnctl is built but not installed"
fi
expect_file /etc/turnd/turnd.conf "$SRC/conf/turnd.conf"
mode=$(stat -c %a "$STAGE/etc/turnd/turnd.conf")
[ "$mode" = 640 ] || fail "/etc/turnd/turnd.conf has mode $mode, expected 640 (it may hold secrets)"
for unit in turnd.service turnd-purge.service turnd-purge.timer; do
  expect_file "/usr/lib/systemd/system/$unit" "$SRC/systemd/$unit"
done
expect_file /usr/lib/sysusers.d/turnd.conf "$SRC/systemd/turnd.sysusers"
expect_file /usr/lib/tmpfiles.d/turnd.conf "$SRC/systemd/turnd.tmpfiles"
expect_file /usr/lib/sysctl.d/60-turnd.conf "$SRC/systemd/turnd.sysctl"
expect_file /etc/ufw/applications.d/turnd "$SRC/conf/ufw-turnd"
expect_file /usr/share/doc/turnd/README.md "$SRC/README.md"
for doc in "$SRC"/docs/*.md; do expect_file "/usr/share/doc/turnd/$(basename "$doc")" "$doc"; done
expect_file /usr/share/doc/turnd/ADMIN.md
for example in turnd.conf journald-turnd.conf ufw-turnd; do
  expect_file "/usr/share/doc/turnd/examples/$example" "$SRC/conf/$example"
done
shared=""
for pair in db/migrations:migrations db/reports:reports sfu/web:web; do
  from="$SRC/${pair%%:*}" to="/usr/share/turnd/${pair##*:}"
  [ -d "$from" ] || continue
  [ -d "$STAGE$to" ] || fail "$from exists but $to was not installed"
  diff -r "$from" "$STAGE$to" >/dev/null || fail "$to differs from $from"
  shared="$shared ${pair##*:}"
done
[ -d "$STAGE/var/lib/turnd" ] || fail "the state directory /var/lib/turnd was not created"
[ -z "$(ls -A "$STAGE/var/lib/turnd")" ] || fail "/var/lib/turnd is not empty"
stray=$(cd "$STAGE" && find . -type f | sed 's|^\.||' | { grep -vE \
  '^/usr/bin/turn[a-z]*$|^/usr/lib/(systemd/system|sysusers\.d|tmpfiles\.d)/turnd[a-z.-]*$|^/usr/lib/sysctl\.d/60-turnd\.conf$|^/usr/share/(turnd|doc/turnd)/|^/etc/turnd/turnd\.conf$|^/etc/ufw/applications\.d/turnd$' || true; } |
  head -n 3 | paste -sd ' ' -)
[ -z "$stray" ] || fail "installed outside the layout: $stray"
pass "layout: turnd$([ -x "$STAGE/usr/bin/turnctl" ] && echo ", turnctl"), /etc/turnd/turnd.conf (0640), units, sysusers, tmpfiles, sysctl, ufw, docs,${shared:- no} shared data, /var/lib/turnd"

# --- An upgrade keeps the admin's configuration --------------------------------------
echo "# edited by the admin" >>"$STAGE/etc/turnd/turnd.conf"
DESTDIR="$STAGE" cmake --install "$BUILD_DIR" --prefix /usr >"$install_log" 2>&1 ||
  fail "the second cmake --install failed: $(tail -n 20 "$install_log")"
tail -n 1 "$STAGE/etc/turnd/turnd.conf" | grep -qx "# edited by the admin" ||
  fail "a second install overwrote /etc/turnd/turnd.conf"
grep -q "Keeping: .*/etc/turnd/turnd.conf" "$install_log" || fail "the install did not say it kept the config"
pass "a second install keeps the edited /etc/turnd/turnd.conf"

# --- The user and the ownership, offline ----------------------------------------------
if command -v systemd-sysusers >/dev/null && command -v systemd-tmpfiles >/dev/null; then
  systemd-sysusers --root="$STAGE" >"$E2E_TMP/sysusers.log" 2>&1 ||
    fail "systemd-sysusers: $(cat "$E2E_TMP/sysusers.log")"
  gid=$(awk -F: '$1 == "turnd" { print $3 }' "$STAGE/etc/group")
  [ -n "$gid" ] || fail "systemd-sysusers created no turnd group"
  grep -q '^turnd:x:[0-9]*:'"$gid"':.*:/var/lib/turnd:/usr/sbin/nologin$' "$STAGE/etc/passwd" ||
    fail "no turnd user with home /var/lib/turnd and no shell: $(grep turnd "$STAGE/etc/passwd")"
  systemd-tmpfiles --root="$STAGE" --create turnd.conf >"$E2E_TMP/tmpfiles.log" 2>&1 ||
    fail "systemd-tmpfiles: $(cat "$E2E_TMP/tmpfiles.log")"
  [ "$(stat -c %a:%u:%g "$STAGE/etc/turnd/turnd.conf")" = "640:0:$gid" ] ||
    fail "turnd.conf is $(stat -c %a:%u:%g "$STAGE/etc/turnd/turnd.conf"), expected 640:0:$gid"
  [ "$(stat -c %a:%u:%g "$STAGE/etc/turnd/tls")" = "750:0:$gid" ] ||
    fail "/etc/turnd/tls is $(stat -c %a:%u:%g "$STAGE/etc/turnd/tls"), expected 750:0:$gid"
  pass "systemd-sysusers makes the turnd user; systemd-tmpfiles gives it turnd.conf (0640) and tls/ (0750)"
else
  note "systemd-sysusers/systemd-tmpfiles not found: user and ownership not checked"
fi

# --- The installed binary with the installed config ------------------------------------
pick_port PORT
pick_port_window MIN_PORT MAX_PORT 50
SERVER_LOG="$E2E_TMP/installed-turnd.log"
"$STAGE/usr/bin/turnd" -c "$STAGE/etc/turnd/turnd.conf" --listening-ip="$HOST" \
  --listening-port="$PORT" --relay-ip="$HOST" --min-port="$MIN_PORT" --max-port="$MAX_PORT" \
  --user=alice:alice-pass >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
E2E_PIDS+=("$SERVER_PID")
for _ in $(seq 100); do
  running "$SERVER_PID" || fail "the installed turnd exited at start with the installed config"
  udp_answers "$PORT" && tcp_listens "$PORT" && break
  sleep 0.1
done
out=$(timeout 5 turnutils_stunclient -p "$PORT" "$HOST" 2>&1) || fail "stunclient: $out"
grep -qE "UDP reflexive addr: 127\.0\.0\.1:[0-9]+" <<<"$out" || fail "no Binding answer: $out"
pass "installed turnd answers turnutils_stunclient: $(grep -m1 -oE 'UDP reflexive addr: [0-9.:]+' <<<"$out")"
stun installed-binding-tcp binding --transport tcp --port "$PORT"
raw_args
# The sample's realm is turn.example.org: the config the binary read is the installed one.
stun installed-allocate allocate "${RAW[@]}" --user alice --password alice-pass \
  --realm turn.example.org --expect-challenge --expect ok

kill -TERM "$SERVER_PID"
for _ in $(seq 50); do running "$SERVER_PID" || break; sleep 0.1; done
running "$SERVER_PID" && fail "the installed turnd did not stop within 5 s of SIGTERM"
status=0
wait "$SERVER_PID" || status=$?
SERVER_PID=""
[ "$status" = 0 ] || fail "the installed turnd exited with $status after SIGTERM"
pass "installed turnd stopped with status 0 on SIGTERM"
