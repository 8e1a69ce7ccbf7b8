# shellcheck shell=bash
# Network namespaces for firewall tests (sourced): a "corporate" client whose
# traffic crosses a router that drops all UDP, a "home" client behind the same
# router without that firewall, and a server. Addresses come from 198.18.0.0/15
# (RFC 2544 benchmarking) and exist only inside the namespaces: nothing is
# added to the host's network.
#
#   client 198.18.1.2 ──veth── 198.18.1.1 ┐
#                                 router  ├ 198.18.2.1 ──veth── 198.18.2.2 server
#   home   198.18.3.2 ──veth── 198.18.3.1 ┘
#
# The router forwards; its nft table `turnd_fw` filters only what comes from or
# goes to the client (a firewall in the path, as in a company network: a
# dropped packet is silence, not the EPERM a filter on the client's own output
# hook gives):
#   - all UDP is dropped, both ways, and counted (named counters udp_out for
#     what the client tried to send, udp_in for the other way);
#   - TCP from the client may reach the server ports netns_allow_tcp names
#     (on the server's one address);
#     every other packet from the client is dropped and counted (refused).
#
# Functions:
#   netns_up                 create the four namespaces (names in NETNS_CLIENT,
#                            NETNS_ROUTER, NETNS_SERVER, NETNS_HOME; suffix $$)
#   netns_allow_tcp PORT...  the server TCP ports the client may reach (replaces
#                            the previous set; counters are reset)
#   netns_counter NAME       packets of an nft counter in the router
#   netns_reset_counters     set the router's counters to zero
#   netns_shape NS RATE      limit what namespace NS sends (tc tbf on its eth0,
#                            e.g. 600kbit); netns_shape NS off removes it
#   netns_down               stop what still runs in them and delete them
#   netns_remove_stale       delete namespaces of runs that were killed
# Needs root, iproute2 and nftables.

NETNS_PREFIX=turnd-fw
NETNS_CLIENT="$NETNS_PREFIX-$$-client"
NETNS_ROUTER="$NETNS_PREFIX-$$-router"
NETNS_SERVER="$NETNS_PREFIX-$$-server"
NETNS_HOME="$NETNS_PREFIX-$$-home"
NETNS_CLIENT_IP=198.18.1.2
NETNS_SERVER_IP=198.18.2.2
NETNS_HOME_IP=198.18.3.2
NETNS_CREATED=()

# netns_delete NAME: stops the processes left in NAME (TERM, then KILL) and
# deletes it; its veth ends go with it.
netns_delete() {
  local ns=$1 pids
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  if [ -n "$pids" ]; then
    # shellcheck disable=SC2086  # a list of pids
    kill $pids 2>/dev/null || true
    for _ in $(seq 30); do
      [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break
      sleep 0.1
    done
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    # shellcheck disable=SC2086
    [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
  fi
  ip netns delete "$ns" 2>/dev/null || true
}

# Namespaces named turnd-fw-PID-* whose PID no longer runs: a run killed with
# SIGKILL (a ctest timeout) had no chance to clean up.
netns_remove_stale() {
  local ns pid
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
    [[ "$ns" =~ ^$NETNS_PREFIX-([0-9]+)-[a-z]+$ ]] || continue
    pid=${BASH_REMATCH[1]}
    [ "$pid" != $$ ] || continue
    kill -0 "$pid" 2>/dev/null && continue
    echo "netns.sh: removing $ns, left by a killed run" >&2
    netns_delete "$ns"
  done
}

_netns_add() {  # _netns_add NAME: a namespace with its loopback up
  ip netns add "$1"
  NETNS_CREATED+=("$1")
  ip -n "$1" link set lo up
}

# _netns_link HOST_NS HOST_IP ROUTER_IF ROUTER_IP: a veth pair eth0 (in
# HOST_NS, HOST_IP/24, default route via ROUTER_IP) <-> ROUTER_IF (router).
_netns_link() {
  local ns=$1 ip=$2 rif=$3 rip=$4
  ip link add eth0 netns "$ns" type veth peer name "$rif" netns "$NETNS_ROUTER"
  ip -n "$ns" addr add "$ip/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route add default via "$rip"
  ip -n "$NETNS_ROUTER" addr add "$rip/24" dev "$rif"
  ip -n "$NETNS_ROUTER" link set "$rif" up
}

netns_up() {
  netns_remove_stale
  local ns
  for ns in "$NETNS_ROUTER" "$NETNS_CLIENT" "$NETNS_SERVER" "$NETNS_HOME"; do
    _netns_add "$ns" || return 1
  done
  _netns_link "$NETNS_CLIENT" "$NETNS_CLIENT_IP" to-client 198.18.1.1 || return 1
  _netns_link "$NETNS_SERVER" "$NETNS_SERVER_IP" to-server 198.18.2.1 || return 1
  _netns_link "$NETNS_HOME" "$NETNS_HOME_IP" to-home 198.18.3.1 || return 1
  ip netns exec "$NETNS_ROUTER" sysctl -qw net.ipv4.ip_forward=1 || return 1
  # shellcheck disable=SC2119  # no port open until the test says which
  netns_allow_tcp
}

# netns_allow_tcp PORT...: (re)loads the router's firewall; the client may
# open TCP connections to these server ports and nothing else.
# shellcheck disable=SC2120  # the ports are optional
netns_allow_tcp() {
  local ports="" p
  for p in "$@"; do ports+="${ports:+, }$p"; done
  local allow="# no TCP port is open"
  [ -z "$ports" ] ||
    allow="iifname \"to-client\" ip daddr $NETNS_SERVER_IP tcp dport { $ports } accept"
  ip netns exec "$NETNS_ROUTER" nft -f - <<EOF
table inet turnd_fw
delete table inet turnd_fw
table inet turnd_fw {
  counter udp_out {}
  counter udp_in {}
  counter refused {}
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname "to-client" meta l4proto udp counter name udp_out drop
    oifname "to-client" meta l4proto udp counter name udp_in drop
    iifname "to-client" ct state established,related accept
    $allow
    iifname "to-client" counter name refused drop
  }
}
EOF
}

netns_counter() {  # netns_counter NAME: packets counted so far
  ip netns exec "$NETNS_ROUTER" nft list counter inet turnd_fw "$1" |
    sed -nE 's/.*packets ([0-9]+) bytes.*/\1/p'
}

netns_reset_counters() {
  ip netns exec "$NETNS_ROUTER" nft reset counters table inet turnd_fw >/dev/null
}

netns_down() {
  local ns
  for ns in "${NETNS_CREATED[@]}"; do netns_delete "$ns"; done
  NETNS_CREATED=()
}

# netns_shape NS RATE|off: a token bucket on the namespace's uplink (eth0),
# as a slow access link would be: bursts of one packet, a queue of at most
# 100 ms (a larger bucket would let short bandwidth probes through at full speed).
netns_shape() {
  local ns=$1 rate=$2
  ip netns exec "$ns" tc qdisc del dev eth0 root 2>/dev/null || true
  [ "$rate" = off ] && return 0
  ip netns exec "$ns" tc qdisc add dev eth0 root tbf rate "$rate" burst 2kb latency 100ms
}
