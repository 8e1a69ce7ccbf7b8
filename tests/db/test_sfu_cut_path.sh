#!/usr/bin/env bash
# Calls survive a cut path (issue 13): a corporate participant behind a
# firewall that drops UDP (tests/e2e/netns/netns.sh) is in a call over TURN
# over TCP with two participants at home; its path is cut mid-call:
#   1. its TURN connections are reset (`ss -K` in its namespace, as a proxy
#      or firewall killing a long connection does);
#   2. its TURN traffic is silently dropped in the router for 20 s, then let
#      through again;
#   3. every TCP connection it has to the server is reset: TURN and the
#      signalling WebSocket.
# Each time its video stops reaching the others, then media comes back to
# and from everyone with participant 1 the same participant for everyone (the
# client restarts ICE: the publisher with a new offer, the subscriber through
# turnd's new offer; its new WebSocket resumes the participant with its
# token), and the seconds from the path's return to new frames at each
# participant are reported (conference.mjs --cut). participation_log has
# three visits per run: nobody left and came back as someone new.
# Needs root (ip netns, nft). Run by ctest through run_with_cluster.sh.
source "$TURND_SRC/tests/db/netns_conference.sh"

netns_allow_tcp 8443 3478

# 1. Reset.
start_turnd cut-reset 5349 "$SERVER_IP" 8443
conference cut-reset --turn tcp --expect-pair 1:relay/tcp,2:host/udp,3:host/udp \
  --cut "ss -K dst $SERVER_IP dport = :3478"

# 2. Silence for 20 s: a table of its own in the router drops TURN's TCP both
# ways (before the firewall's established-connection rule), then goes.
CUT="$E2E_TMP/cut.sh"
RESTORE="$E2E_TMP/restore.sh"
printf '%s\n' "#!/bin/sh" "exec ip netns exec $NETNS_ROUTER nft -f - <<'NFT'" \
  "table inet turnd_cut {" "  chain forward {" \
  "    type filter hook forward priority filter - 10; policy accept;" \
  "    tcp dport 3478 drop" "    tcp sport 3478 drop" "  }" "}" "NFT" >"$CUT"
printf '%s\n' "#!/bin/sh" "exec ip netns exec $NETNS_ROUTER nft delete table inet turnd_cut" >"$RESTORE"
chmod +x "$CUT" "$RESTORE"
start_turnd cut-silent 5349 "$SERVER_IP" 8443
conference cut-silent --turn tcp --expect-pair 1:relay/tcp,2:host/udp,3:host/udp \
  --cut "$CUT" --outage 20 --restore "$RESTORE"

# 3. TURN and the WebSocket reset together.
start_turnd cut-all 5349 "$SERVER_IP" 8443
conference cut-all --turn tcp --expect-pair 1:relay/tcp,2:host/udp,3:host/udp \
  --cut "ss -K dst $SERVER_IP"
stop_server
for run in cut-reset cut-silent cut-all; do
  visits=$(psql_value "SELECT count(*) FROM participation_log WHERE node = '$run'")
  [ "$visits" = 3 ] || fail "$run: $visits visits in participation_log, want 3 (one per participant)"
done
pass "three visits per run in participation_log: nobody left and came back as someone new"
grep -h "media came back" "$E2E_TMP"/cut-*.browsers.log | sed 's/^ *PASS /recovery: /'
