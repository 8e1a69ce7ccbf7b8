#!/usr/bin/env bash
# Allocation quotas.
# - user-quota=1: stun_client.py opens 3 allocations for alice on 3 connections: the
#   first succeeds, the others get exactly 486 (Allocation Quota Reached); once the
#   first is deleted (Refresh LIFETIME 0) a new one succeeds. The same over TCP for
#   bob; a third user is not affected.
# - turnutils_uclient -m 3 then fails with "error 486 (...)". (Each uclient session
#   first makes a "probe" allocation it never frees, so even -m 1 would exceed a quota
#   of 1; and a killed uclient leaves its UDP allocations to expire: the raw checks
#   run first.)
# - total-quota=2 (no user-quota): the third allocation gets 486.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

users=("realm=example.org" "lt-cred-mech" "user=alice:alicepw" "user=bob:bobpw"
  "user=carol:carolpw" "allow-loopback-peers")
start_server "${users[@]}" "user-quota=1"
raw_args
stun user-quota quota "${RAW[@]}" --user alice --password alicepw --count 3 --allowed 1
stun user-quota-tcp quota "${RAW[@]}" --transport tcp --user bob --password bobpw \
  --count 2 --allowed 1
stun other-user allocate "${RAW[@]}" --user carol --password carolpw

start_peer
expect_uclient_error uclient-user-quota 486 -u alice -w alicepw -e "$HOST" -r "$PEER_PORT" -X -c \
  -m 3 -n 5 -p "$PORT"

start_server "${users[@]}" "total-quota=2"
raw_args
stun total-quota quota "${RAW[@]}" --user alice --password alicepw --count 3 --allowed 2
