#!/usr/bin/env bash
# scripts/run_dev.sh BUILD CONF DEV_DB_DIR: what `make run` runs after building.
#
# - The database: $DATABASE_URL when set, else the config's own database=, else
#   the dev cluster (scripts/dev_cluster.sh), which stays up after turnd exits.
# - The session-log state goes to ./var/state unless the config names a state-dir.
# - Unless the config says no-sfu: a self-signed certificate for localhost in
#   ./var/tls (the SFU's web server is HTTPS only) unless the config names one,
#   and a room "demo" with the access code "demo-room-code", so a browser can
#   join at once: https://127.0.0.1:8443/r/demo.
set -euo pipefail
build=$1
conf=$2
dev_db_dir=$3
has() { grep -Eq "^[[:space:]]*$1([[:space:]]*=|[[:space:]]*$)" "$conf"; }

args=(-c "$conf")
db=
if [ -n "${DATABASE_URL:-}" ]; then
  db=$DATABASE_URL
  echo "make run: database from \$DATABASE_URL"
elif has database; then
  echo "make run: database from $conf"
else
  db=$(bash scripts/dev_cluster.sh start "$dev_db_dir")
  echo "make run: database $db (the cluster in $dev_db_dir stays up; make db-stop)"
fi
[ -z "$db" ] || args+=("--database=$db")
if ! has state-dir; then
  mkdir -p var/state
  args+=("--state-dir=$PWD/var/state")
fi

if ! has no-sfu; then
  if ! has cert; then
    mkdir -p var/tls
    if [ ! -s var/tls/cert.pem ]; then
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 \
        -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
        -keyout var/tls/key.pem -out var/tls/cert.pem 2>/dev/null
      chmod 600 var/tls/key.pem
    fi
    args+=("--cert=$PWD/var/tls/cert.pem" "--pkey=$PWD/var/tls/key.pem")
  fi
  ctl=("$build/bin/turnctl" -c "$conf")
  [ -z "$db" ] || ctl+=("--database=$db")
  "${ctl[@]}" db migrate >/dev/null
  if "${ctl[@]}" room create demo --name "Demo room" >/dev/null 2>&1; then
    "${ctl[@]}" room set-code demo --code=demo-room-code >/dev/null
  fi
  port=$(sed -nE 's/^[[:space:]]*web-port[[:space:]]*=[[:space:]]*([0-9]+).*/\1/p' "$conf" | tail -n 1)
  echo "make run: open https://127.0.0.1:${port:-8443}/r/demo (a self-signed certificate: accept" \
    "it in the browser) with the access code demo-room-code"
fi
exec "$build/bin/turnd" "${args[@]}"
