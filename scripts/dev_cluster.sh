#!/usr/bin/env bash
# The private PostgreSQL cluster that `make run` uses when no database is configured.
#
#   dev_cluster.sh start [DIR]    create the cluster on first use, start it unless it runs,
#                                 create the database turnd if missing; print its URL on stdout
#   dev_cluster.sh url [DIR]      print the URL (exit 4 if there is no cluster)
#   dev_cluster.sh status [DIR]   "running URL" (exit 0), "stopped" (exit 3), "absent" (exit 4)
#   dev_cluster.sh stop [DIR]     stop it (fast shutdown); the data stays
#   dev_cluster.sh destroy [DIR]  stop it and delete its data
#
# DIR defaults to var/postgres in the source tree. It holds data/ (PGDATA), server.log,
# initdb.log, port and socket/. The server listens on a Unix socket only
# (listen_addresses=''), in socket/ (mode 0700), so local TCP ports are left alone and
# other users cannot reach it; the superuser `postgres` is trusted on that socket. When
# DIR/socket is too long for a socket path (107 bytes), the socket goes to
# /tmp/turnd-pg-UID-HASH instead. Unlike tests/db/pg_cluster.sh the data is durable
# (fsync on): it survives restarts and reboots.
#
# PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` system
# user (Debian's postgresql package), or to whoever owns an existing DIR/data. When that
# user cannot reach DIR (a private parent directory such as /root, mode 0700), the cluster
# lives in ~postgres/turnd-dev/HASH (/var/lib/postgresql/...) and DIR becomes a symbolic
# link to it. Otherwise the cluster runs as the caller.
#
# Environment: PG_BINDIR (default: /usr/lib/postgresql/VERSION/bin of an existing cluster,
# else the newest one installed).
set -euo pipefail
shopt -s inherit_errexit  # a failure inside $(...) stops the script too

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly kMaxSocketPath=107  # sizeof(sockaddr_un.sun_path) - 1 on Linux
readonly kDatabase=turnd

die() {
  echo "dev_cluster.sh: $*" >&2
  exit 1
}

usage() {
  echo "usage: dev_cluster.sh start|url|status|stop|destroy [DIR]" >&2
  exit 2
}

# --- Paths and owner -----------------------------------------------------------

short_hash() {  # short_hash TEXT: 10 hex digits naming TEXT
  printf %s "$1" | sha256sum | cut -c1-10
}

# The cluster's directory with symbolic links resolved; empty if DIR does not exist.
real_dir() {
  [ -e "$DIR" ] || return 0
  (cd "$DIR" 2>/dev/null && pwd -P) ||
    die "cannot enter $DIR (it belongs to $(stat -L -c %U "$DIR" 2>/dev/null || echo '?')," \
      "made by a run as root?): run this as root, or remove it as root"
}

# The user the server runs as: the caller, or as root the owner of an existing data
# directory, else postgres.
cluster_owner() {
  local real owner
  real=$(real_dir)
  if [ "$(id -u)" -ne 0 ]; then
    owner=$(id -un)
    if [ -n "$real" ] && [ -d "$real/data" ] && [ "$(stat -c %U "$real/data")" != "$owner" ]; then
      die "$real/data belongs to $(stat -c %U "$real/data") (made by a run as root?):" \
        "run this as root, or remove it as root"
    fi
    echo "$owner"
    return
  fi
  if [ -n "$real" ] && [ -d "$real/data" ]; then
    owner=$(stat -c %U "$real/data")
    [ "$owner" != root ] || die "$real/data belongs to root; PostgreSQL cannot run as root"
    echo "$owner"
    return
  fi
  id postgres >/dev/null 2>&1 ||
    die "user postgres missing: PostgreSQL is not installed (run bash scripts/deps.sh)"
  echo postgres
}

# as_owner CMD...: run CMD as the cluster's owner, from / (root's working directory may be
# private to root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u "$OWNER" -- "$@")
  else
    (cd / && "$@")
  fi
}

# Creates DIR for the owner when missing; as root, moves the cluster to ~postgres/turnd-dev
# when the owner cannot reach DIR. Prints the real directory.
make_dir() {
  local real
  if [ ! -e "$DIR" ] && [ ! -L "$DIR" ]; then
    mkdir -p "$DIR" || die "cannot create $DIR"
    chmod 700 "$DIR"
  fi
  real=$(real_dir)
  [ -n "$real" ] || die "$DIR is a dangling symbolic link (its cluster was removed?); delete it"
  if [ "$(id -u)" -eq 0 ] && [ -z "$(ls -A "$real")" ]; then
    chown "$OWNER": "$real"
    chmod 700 "$real"
    if ! as_owner test -w "$real" 2>/dev/null; then
      real=$(relocate "$real")
    fi
  fi
  as_owner test -w "$real" 2>/dev/null ||
    die "user $OWNER cannot write $real (a private parent directory?)"
  echo "$real"
}

# relocate REAL: REAL (empty) cannot be reached by the owner; make the cluster's directory in
# the owner's home and turn DIR into a link to it. Prints the new directory.
relocate() {
  local real=$1 home target
  home=$(getent passwd "$OWNER" | cut -d: -f6)
  if [ -z "$home" ] || ! as_owner test -w "$home" 2>/dev/null; then
    die "user $OWNER cannot reach $real (a parent directory is private) nor write its home '$home'"
  fi
  target="$home/turnd-dev/$(short_hash "$real")"
  echo "dev_cluster.sh: user $OWNER cannot reach $real (a parent directory is private):" \
    "the cluster lives in $target, $DIR links to it" >&2
  as_owner mkdir -p "$target"
  chmod 700 "$target"
  echo "$real" >"$target/origin"  # which checkout uses it, for whoever finds it
  chown "$OWNER": "$target/origin"
  rmdir "$real"
  ln -s "$target" "$real"
  echo "$target"
}

socket_dir() {  # socket_dir REAL PORT
  local real=$1 port=$2 dir
  dir="$real/socket"
  if [ $((${#dir} + ${#port} + 11)) -gt $kMaxSocketPath ]; then  # "/.s.PGSQL." and the port
    dir="/tmp/turnd-pg-$(id -u "$OWNER")-$(short_hash "$real")"
  fi
  echo "$dir"
}

# --- PostgreSQL ------------------------------------------------------------------

find_bindir() {  # find_bindir REAL: the server binaries, of the data's version if it has one
  local real=$1 version dir
  if [ -n "${PG_BINDIR:-}" ]; then
    dir=$PG_BINDIR
  elif [ -n "$real" ] && [ -f "$real/data/PG_VERSION" ]; then
    version=$(cat "$real/data/PG_VERSION")
    dir=/usr/lib/postgresql/$version/bin
    [ -x "$dir/pg_ctl" ] ||
      die "$real/data is a PostgreSQL $version cluster but $dir is missing" \
        "(install postgresql-$version, or run: dev_cluster.sh destroy)"
  else
    dir=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] || die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin): run bash scripts/deps.sh"
  fi
  local tool
  for tool in initdb pg_ctl postgres psql; do
    [ -x "$dir/$tool" ] || die "$dir/$tool not found: run bash scripts/deps.sh"
  done
  echo "$dir"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

url_encode() {  # url_encode TEXT: percent-encodes TEXT for a URL's query, keeping '/'
  python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="/"))' "$1"
}

url_of() {  # url_of REAL
  local real=$1 port
  port=$(cat "$real/port")
  echo "postgresql://postgres@/$kDatabase?host=$(url_encode "$(socket_dir "$real" "$port")")&port=$port"
}

is_running() {  # is_running REAL
  as_owner "$BINDIR/pg_ctl" --pgdata="$1/data" status >/dev/null 2>&1
}

has_cluster() {  # has_cluster REAL
  [ -n "$1" ] && [ -f "$1/data/PG_VERSION" ]
}

psql_admin() {  # psql_admin REAL SQL: run SQL in the database postgres, print the result
  local real=$1 port
  port=$(cat "$real/port")
  "$BINDIR/psql" --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 \
    "postgresql://postgres@/postgres?host=$(url_encode "$(socket_dir "$real" "$port")")&port=$port" \
    -c "$2"
}

init_cluster() {  # init_cluster REAL
  local real=$1
  [ ! -e "$real/data" ] ||
    die "$real/data exists but is not a PostgreSQL cluster (no PG_VERSION): move it away"
  free_port >"$real/port"
  echo "dev_cluster.sh: creating a PostgreSQL cluster in $real (owner $OWNER)" >&2
  # Trusted only on the Unix socket, which only the owner (and root) can reach.
  as_owner "$BINDIR/initdb" --pgdata="$real/data" --username=postgres --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$real/initdb.log" 2>&1 ||
    die "initdb failed (see $real/initdb.log): $(tail -n 5 "$real/initdb.log")"
  cat >>"$real/data/postgresql.conf" <<EOF

# turnd development cluster (scripts/dev_cluster.sh): the socket directory and the
# port are rewritten at each start in turnd-dev.conf.
shared_buffers = 32MB
max_connections = 30
include_if_exists = 'turnd-dev.conf'
EOF
}

# Written at each start: the socket path follows the directory if the checkout moves.
write_socket_conf() {  # write_socket_conf REAL SOCKET_DIR
  local real=$1 sock=$2 conf
  conf="$real/data/turnd-dev.conf"
  case $sock in *\'* | *$'\n'*) die "unusable socket directory: $sock" ;; esac
  {
    echo "# written by scripts/dev_cluster.sh at each start"
    echo "listen_addresses = ''"
    echo "unix_socket_directories = '$sock'"
    echo "unix_socket_permissions = 0700"
    echo "port = $(cat "$real/port")"
  } >"$conf.new"
  [ "$(id -u)" -ne 0 ] || chown "$OWNER": "$conf.new"
  mv "$conf.new" "$conf"
}

make_socket_dir() {  # make_socket_dir DIR: private to the owner
  local sock=$1
  if [ ! -d "$sock" ]; then
    mkdir -m 700 "$sock" || die "cannot create $sock"
    [ "$(id -u)" -ne 0 ] || chown "$OWNER": "$sock"
  fi
  [ "$(stat -c %U "$sock")" = "$OWNER" ] || die "$sock belongs to $(stat -c %U "$sock"), not $OWNER"
  chmod 700 "$sock"
}

# --- Commands --------------------------------------------------------------------

cmd_start() {
  local real sock
  real=$(make_dir)
  BINDIR=$(find_bindir "$real")
  exec 9>>"$real/.lock"
  flock --timeout 60 9 || die "another dev_cluster.sh holds $real/.lock"
  has_cluster "$real" || init_cluster "$real"
  [ -s "$real/port" ] || free_port >"$real/port"
  if is_running "$real"; then  # it may still be starting or recovering
    local i
    for i in $(seq 120); do
      psql_admin "$real" 'SELECT 1' >/dev/null 2>&1 && break
      [ "$i" -lt 120 ] ||
        die "the cluster in $real runs but does not answer on $(url_of "$real") (see $real/server.log)"
      sleep 0.5
    done
  else
    sock=$(socket_dir "$real" "$(cat "$real/port")")
    make_socket_dir "$sock"
    write_socket_conf "$real" "$sock"
    [ "$(id -u)" -ne 0 ] || { touch "$real/server.log" && chown "$OWNER": "$real/server.log"; }
    as_owner "$BINDIR/pg_ctl" --pgdata="$real/data" --log="$real/server.log" --wait \
      --timeout=60 start >/dev/null 9>&- ||
      die "PostgreSQL did not start; $real/server.log says: $(tail -n 5 "$real/server.log")"
  fi
  if [ -z "$(psql_admin "$real" "SELECT 1 FROM pg_database WHERE datname = '$kDatabase'")" ]; then
    psql_admin "$real" "CREATE DATABASE $kDatabase" >/dev/null ||
      die "cannot create the database $kDatabase"
  fi
  url_of "$real"
}

cmd_url() {
  local real
  real=$(real_dir)
  has_cluster "$real" || { echo "dev_cluster.sh: no cluster in $DIR" >&2; exit 4; }
  url_of "$real"
}

cmd_status() {
  local real
  real=$(real_dir)
  has_cluster "$real" || { echo absent; exit 4; }
  BINDIR=$(find_bindir "$real")
  if is_running "$real"; then
    echo "running $(url_of "$real")"
  else
    echo stopped
    exit 3
  fi
}

cmd_stop() {
  local real
  real=$(real_dir)
  has_cluster "$real" || return 0
  BINDIR=$(find_bindir "$real")
  is_running "$real" || return 0
  as_owner "$BINDIR/pg_ctl" --pgdata="$real/data" --mode=fast --wait --timeout=60 stop \
    >/dev/null || die "pg_ctl stop failed (see $real/server.log)"
  echo "dev_cluster.sh: stopped the cluster in $real" >&2
}

has_other_files() {  # has_other_files DIR: DIR holds something this script did not make
  local f
  for f in "$1"/* "$1"/.[!.]*; do
    [ -e "$f" ] || continue
    case ${f##*/} in .lock | port | initdb.log | server.log | socket | origin) ;; *) return 0 ;; esac
  done
  return 1
}

cmd_destroy() {
  local real sock=""
  real=$(real_dir)
  if [ -z "$real" ]; then
    [ ! -L "$DIR" ] || rm -f "$DIR"  # a link whose cluster is gone
    return 0
  fi
  if has_cluster "$real"; then
    cmd_stop
    [ ! -s "$real/port" ] || sock=$(socket_dir "$real" "$(cat "$real/port")")
  elif has_other_files "$real"; then
    die "$real holds no cluster but other files: not removing it"
  fi
  [ -z "$sock" ] || [ "$sock" = "$real/socket" ] || rm -rf "$sock"
  rm -rf "$real"
  if [ -L "$DIR" ]; then  # relocated: drop the link, and ~postgres/turnd-dev once empty
    rm -f "$DIR"
    rmdir --ignore-fail-on-non-empty "$(dirname "$real")"
  fi
  echo "dev_cluster.sh: removed $real" >&2
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
DIR=${2:-$(dirname "$here")/var/postgres}
case $DIR in /*) ;; *) DIR="$PWD/$DIR" ;; esac
DIR=${DIR%/}
OWNER=$(cluster_owner)
BINDIR=""
case $1 in
  start) cmd_start ;;
  url) cmd_url ;;
  status) cmd_status ;;
  stop) cmd_stop ;;
  destroy) cmd_destroy ;;
  *) usage ;;
esac
