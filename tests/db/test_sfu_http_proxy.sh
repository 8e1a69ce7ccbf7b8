#!/usr/bin/env bash
# Port 443 only, through an HTTP proxy (issue 13): a corporate participant
# whose only way out is Debian's squid, which allows CONNECT to port 443 and
# nothing else, joins a conference and exchanges audio and video with two
# participants at home.
#
#   client 198.18.1.2 ── router: squid on 198.18.1.1:3128 (CONNECT :443 only);
#                        forwards nothing from the client, drops its UDP
#                                    └── 198.18.2.2:443 turnd (web and TURN
#                                        over TLS on one port)
#   home 198.18.3.2  ── router ── turnd (no firewall)
#
# Participant 1 is Chromium with --proxy-server, then Firefox ESR with the
# same proxy in its settings: its page and its turns: TURN (the client's
# ?turn=tls) both go through squid's CONNECT. Firefox uses turns: only with a
# host name, and through a proxy only with one other than the page's (its
# HTTP stack closes a tunnel to the page's own origin that does not speak
# HTTP), so that run opens https://meet.turnd.test/ and is given
# turns:turn.turnd.test:443 (sfu-turns-host; web-host makes the shared port
# route by SNI), both names in squid's hosts file, in Chromium's
# --host-resolver-rules at home, and in a certificate from a test CA Firefox
# trusts.
# Asserted: everyone decodes everyone's audio and video (conference.mjs);
# participant 1's both PeerConnections use a relay candidate over TLS; squid
# logged CONNECTs to 198.18.2.2:443; the router forwarded no packet of the
# client's and dropped its UDP; turnd's session log has TLS allocations from
# the proxy's network (198.18.2.0/24) that carried media both ways, and none
# from the client's.
# Needs root (ip netns, nft). Run by ctest through run_with_cluster.sh.
source "$TURND_SRC/tests/db/netns_conference.sh"
for tool in squid /usr/bin/firefox-esr xvfb-run certutil; do
  command -v "$tool" >/dev/null || fail "$tool is missing (bash scripts/deps.sh)"
done
PUPPETEER_CORE=$(bash "$here/npm_module.sh" "$TURND_NPM_DIR" puppeteer-core) ||
  fail "puppeteer-core is not available"
export PUPPETEER_CORE
NAME=meet.turnd.test
TURN_NAME=turn.turnd.test
make_ca_cert "$NAME" "$TURN_NAME"

# squid in the router, listening on the client's side only. It drops its
# privileges to the proxy user: its directory must be reachable and writable
# for it (the test's directory is traversable, not listable).
SQUID_DIR="$E2E_TMP/squid"
SQUID_PROXY=198.18.1.1:3128
mkdir -p "$SQUID_DIR" && chmod 0777 "$SQUID_DIR" && chmod o+x "$E2E_TMP"
printf '%s\n' "http_port $SQUID_PROXY" "acl SSL_ports port 443" "acl CONNECT method CONNECT" \
  "http_access deny !CONNECT" "http_access deny CONNECT !SSL_ports" "http_access allow CONNECT" \
  "http_access deny all" "cache deny all" "icp_port 0" "htcp_port 0" \
  "access_log stdio:$SQUID_DIR/access.log" "cache_log $SQUID_DIR/cache.log" \
  "pid_filename $SQUID_DIR/squid.pid" "coredump_dir $SQUID_DIR" \
  "shutdown_lifetime 1 seconds" "hosts_file $SQUID_DIR/hosts" >"$SQUID_DIR/squid.conf"
printf '%s %s\n' "$NETNS_SERVER_IP" "$NAME" "$NETNS_SERVER_IP" "$TURN_NAME" >"$SQUID_DIR/hosts"
ip netns exec "$NETNS_ROUTER" squid -N -f "$SQUID_DIR/squid.conf" >"$SQUID_DIR/stdout.log" 2>&1 &
E2E_PIDS+=("$!")
for _ in $(seq 100); do
  [ -n "$(ip netns exec "$NETNS_ROUTER" ss -Hltn "( sport = :3128 )")" ] && break
  sleep 0.1
done
[ -n "$(ip netns exec "$NETNS_ROUTER" ss -Hltn "( sport = :3128 )")" ] ||
  fail "squid did not start: $(cat "$SQUID_DIR/cache.log" "$SQUID_DIR/stdout.log" 2>/dev/null)"
note "squid on $SQUID_PROXY in $NETNS_ROUTER"

netns_allow_tcp  # nothing: the client's only way out is squid

# check_proxied NAME HOST_REGEX: what squid, the router and the session log saw.
check_proxied() {
  local name=$1 host=$2 connects udp_out refused rows direct
  connects=$(grep -cE "CONNECT ($host):443" "$SQUID_DIR/access.log" || true)
  [ "${connects:-0}" -ge 2 ] || fail "$name: squid logged ${connects:-0} CONNECTs to $host:443"
  pass "$name: squid tunnelled $connects connections to port 443 (the page, signalling, TURN)"
  udp_out=$(netns_counter udp_out)
  refused=$(netns_counter refused)
  [ "${udp_out:-0}" -gt 0 ] || fail "$name: the router dropped no UDP from the client: the firewall was never tested"
  pass "$name: the router dropped $udp_out UDP packets and $refused other packets of the client's"
  stop_server  # every allocation is ended and logged
  rows=0
  for _ in $(seq 50); do
    rows=$(allocations "$name" 198.18.2.0/24 tls \
      "ended_at IS NOT NULL AND bytes_from_client > 0 AND bytes_to_client > 0")
    [ "$rows" -ge 1 ] && break
    sleep 0.2
  done
  [ "$rows" -ge 1 ] || fail "$name: no TLS allocation from squid's network: $(psql_value "SELECT * FROM allocation_log")"
  direct=$(psql_value "SELECT count(*) FROM allocation_log WHERE node = '$name' AND client_prefix = '198.18.1.0/24'")
  [ "$direct" = 0 ] || fail "$name: $direct allocations straight from the client's network"
  pass "$name: allocation_log: $rows TLS allocations through the proxy carried media both ways, none came straight from the client"
}

# Chromium.
start_turnd proxy-chromium 443 "$SERVER_IP" 443
PROXIED_CHROMIUM="$E2E_TMP/chromium-proxied"
printf '#!/bin/sh\nexec /usr/bin/chromium --proxy-server=http://%s "$@"\n' "$SQUID_PROXY" >"$PROXIED_CHROMIUM"
chmod +x "$PROXIED_CHROMIUM"
netns_reset_counters
conference proxy-chromium --chromium "$PROXIED_CHROMIUM,$HOME_CHROMIUM" --turn tls \
  --expect-pair 1:relay/tls,2:host/udp,3:host/udp
check_proxied proxy-chromium "${SERVER_IP//./\\.}"

# Firefox ESR, by name.
: >"$SQUID_DIR/access.log"
start_turnd proxy-firefox 443 "$SERVER_IP" 443 "web-host=$NAME" "sfu-turns-host=$TURN_NAME"
NAMED_HOME_CHROMIUM="$E2E_TMP/chromium-home-named"
printf '#!/bin/sh\nexec ip netns exec %s /usr/bin/chromium "--host-resolver-rules=MAP *.turnd.test %s" "$@"\n' \
  "$NETNS_HOME" "$SERVER_IP" >"$NAMED_HOME_CHROMIUM"
chmod +x "$NAMED_HOME_CHROMIUM"
netns_reset_counters
CONFERENCE_WRAP=(env "FIREFOX_PROXY=$SQUID_PROXY" "FIREFOX_CA=$CA_CERT" "TMPDIR=$E2E_TMP"
  xvfb-run -a -s "-screen 0 1280x720x24 -nolisten tcp")
conference proxy-firefox --url "https://$NAME" --browsers firefox,chromium \
  --chromium "/usr/bin/chromium,$NAMED_HOME_CHROMIUM" --turn tls \
  --expect-pair 1:relay/tls,2:host/udp,3:host/udp
CONFERENCE_WRAP=()
grep -q "CONNECT $TURN_NAME:443" "$SQUID_DIR/access.log" || fail "proxy-firefox: no CONNECT to $TURN_NAME"
check_proxied proxy-firefox "$NAME|$TURN_NAME"
