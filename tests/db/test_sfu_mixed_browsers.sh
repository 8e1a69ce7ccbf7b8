#!/usr/bin/env bash
# Chromium and Firefox ESR in one conference (issue 12), through the client's
# real UI: each decodes the others' audio and video, Firefox's camera reaches
# Chromium and the other way round, screens are shared both ways, one leaves
# and comes back; cameras offered as simulcast (named by RID, no a=ssrc)
# reach each other; then the same with the browsers forced to relay through
# turnd's TURN over TCP and over TLS (at the page's host name: Firefox uses
# turns: only with a name; its profile trusts the test CA that signed turnd's
# certificate). Firefox runs with a window on
# a private X server (xvfb-run): headless Firefox cannot share a screen.
# Run by ctest through run_with_cluster.sh.
: "${TURND_TEST_DATABASE_URL:?run through tests/db/run_with_cluster.sh}"
: "${TURNCTL_BIN:?TURNCTL_BIN must name build/bin/turnctl}"
source "$TURND_SRC/tests/e2e/lib.sh"
URL="$TURND_TEST_DATABASE_URL"
here="$TURND_SRC/tests/e2e/sfu_browser"

npm_dir=${TURND_NPM_DIR:?TURND_NPM_DIR names where npm installs modules}
PLAYWRIGHT_CORE=$(bash "$here/npm_module.sh" "$npm_dir" playwright-core) || fail "playwright-core is not available"
PUPPETEER_CORE=$(bash "$here/npm_module.sh" "$npm_dir" puppeteer-core) || fail "puppeteer-core is not available"
export PLAYWRIGHT_CORE PUPPETEER_CORE
for tool in /usr/bin/chromium /usr/bin/firefox-esr xvfb-run certutil node; do
  command -v "$tool" >/dev/null || fail "$tool is missing (bash scripts/deps.sh installs it)"
done

CODE=m3xd-7brw-4fox-c9rm
room_with_code mixed "Mixed" "$CODE"

make_ca_cert
export FIREFOX_CA=$CA_CERT
pick_port WEB_PORT
pick_port SFU_PORT
pick_port SFU_TCP_PORT
start_server server-name=mixed-node realm=example.org use-auth-secret static-auth-secret=e2e-secret \
  "database=$URL" "state-dir=$E2E_TMP/state" "cert=$CERT" "pkey=$PKEY" \
  "web-port=$WEB_PORT" "sfu-port=$SFU_PORT" "sfu-tcp-port=$SFU_TCP_PORT" "web-root=$TURND_SRC/sfu/web"
for _ in $(seq 50); do tcp_listens "$WEB_PORT" && break; sleep 0.1; done
tcp_listens "$WEB_PORT" || fail "the web port $WEB_PORT does not listen"

# conference NAME [--url URL] ARGS...: conference.mjs on a private X server; Firefox's
# profiles (and so its processes' command lines) live under E2E_TMP, and
# whatever is left of them when it ends is stopped.
conference() {
  local name=$1 rc=0
  shift
  TMPDIR="$E2E_TMP" timeout -k 5 200 xvfb-run -a -s "-screen 0 1280x720x24 -nolisten tcp" \
    node "$here/conference.mjs" --url "https://127.0.0.1:$WEB_PORT" --room mixed --code "$CODE" "$@" \
    >"$E2E_TMP/$name.log" 2>&1 || rc=$?
  pkill -f "$E2E_TMP/turnd-firefox-" 2>/dev/null || true
  sed "s/^/    /" "$E2E_TMP/$name.log"
  [ "$rc" = 0 ] || fail "$name: the browsers' checks failed (exit $rc)"
}

conference direct --participants 3 --browsers chromium,firefox,firefox --wrong-code --screen 1,2 --rejoin 1
pass "Chromium and two Firefox ESR see and hear each other; screens shared both ways; Firefox comes back"

# Cameras offered as simulcast (three rids): the SFU answers one encoding.
# Chromium announces no SSRC for it: the SFU learns it from the packets' mid
# and rid. Firefox re-offers its one remaining encoding with a=ssrc.
conference simulcast --participants 2 --browsers chromium,firefox --simulcast
grep -q "sends on SSRC .* (named by its rid)" "$SERVER_LOG" || fail "no SSRC was learned from a rid"
pass "simulcast cameras of Chromium and Firefox, named by RID, reach each other"

conference relay-tcp --participants 2 --browsers firefox,chromium --relay tcp
pass "Firefox and Chromium through turnd's TURN over TCP"
# Firefox uses turns: only with a host name: the page is opened by name, and
# turnd's turns: URL carries the name the browser used (localhost here; the
# test certificate names it, and the test CA signed it).
conference relay-tls --url "https://localhost:$WEB_PORT" --participants 2 --browsers firefox,chromium --relay tls
pass "Firefox and Chromium through turnd's TURN over TLS at turns:localhost"
