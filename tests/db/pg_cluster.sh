#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for turnd's database tests.
#
#   pg_cluster.sh start DIR   initdb into DIR (created; must not exist or be empty), start the
#                             server, create the database turnd_test, print its URL on stdout
#   pg_cluster.sh url DIR     print the URL again
#   pg_cluster.sh stop DIR    stop the server (fast shutdown) and remove DIR
#
# The server listens on a Unix socket inside DIR only (listen_addresses=''), so it never
# collides with another cluster or opens a TCP port; the port just names the socket file
# and is picked free anyway, so a TCP listener can be added without surprises. PostgreSQL
# refuses to run as root: as root the cluster belongs to the `postgres` system user (from
# Debian's postgresql package) and DIR is chowned to it; otherwise it runs as the caller.
# The superuser is `postgres`, trusted on the socket. Durability is off (fsync, full-page
# writes): the data lives for one test run.
#
# Environment: PG_BINDIR (default: the newest /usr/lib/postgresql/*/bin).
set -euo pipefail

die() {
  echo "pg_cluster.sh: $*" >&2
  exit 1
}

find_bindir() {
  if [ -n "${PG_BINDIR:-}" ]; then
    echo "$PG_BINDIR"
    return
  fi
  local dir
  dir=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || die "no PostgreSQL server found under /usr/lib/postgresql (bash scripts/deps.sh installs it)"
  echo "$dir"
}

BINDIR=$(find_bindir)
for tool in initdb pg_ctl psql; do
  [ -x "$BINDIR/$tool" ] || die "$BINDIR/$tool not found"
done

# as_owner CMD...: run CMD as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

url_of() {  # url_of DIR
  local dir=$1 port
  port=$(cat "$dir/port")
  echo "postgresql://postgres@/turnd_test?host=$dir/socket&port=$port"
}

start() {
  local dir=$1 port
  if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
    die "$dir exists and is not empty"
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  mkdir -p "$dir/socket"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "user postgres missing (bash scripts/deps.sh installs postgresql)"
    chown -R postgres: "$dir"
    chmod 700 "$dir"
    as_owner test -w "$dir" || die "user postgres cannot write $dir (is a parent directory private?)"
  fi
  port=$(free_port)
  echo "$port" >"$dir/port"

  as_owner "$BINDIR/initdb" --pgdata="$dir/data" --username=postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
    die "initdb failed: $(tail -n 5 "$dir/initdb.log")"
  cat >>"$dir/data/postgresql.conf" <<EOF
# turnd test cluster
listen_addresses = ''
unix_socket_directories = '$dir/socket'
port = $port
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 30
shared_buffers = 32MB
log_min_messages = warning
EOF
  as_owner "$BINDIR/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=30 \
    start >/dev/null || die "pg_ctl start failed: $(tail -n 5 "$dir/server.log" 2>/dev/null)"
  "$BINDIR/psql" --no-psqlrc --quiet --set=ON_ERROR_STOP=1 \
    "postgresql://postgres@/postgres?host=$dir/socket&port=$port" \
    -c 'CREATE DATABASE turnd_test' >/dev/null || die "cannot create database turnd_test"
  url_of "$dir"
}

stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$BINDIR/pg_ctl" --pgdata="$dir/data" --mode=fast --wait --timeout=30 stop \
      >/dev/null 2>&1 || echo "pg_cluster.sh: pg_ctl stop failed for $dir" >&2
  fi
  rm -rf "$dir"
}

[ $# -eq 2 ] || die "usage: pg_cluster.sh start|url|stop DIR"
case $1 in
  start) start "$2" ;;
  url) url_of "$(cd "$2" && pwd)" ;;
  stop) stop "$2" ;;
  *) die "usage: pg_cluster.sh start|url|stop DIR" ;;
esac
