#!/usr/bin/env bash
# scripts/infra/moto.sh {start|stop|status|endpoint|venv}
#
# moto's server (an SNS/SQS/... compatible endpoint, state in memory) on
# http://127.0.0.1:${MOTO_PORT:-54566} for integration tests and local runs.
#
#   start     idempotent: returns at once when the server answers; otherwise installs moto[server]
#             and awscli (pinned in deploy/moto/requirements.txt) into the venv $REPO/.cache/venv
#             when missing or when the requirements changed, starts moto_server in the background,
#             waits until it answers HTTP and prints the endpoint: http://127.0.0.1:54566
#   stop      SIGTERM, SIGKILL after 10 s (all SNS topics/SQS queues are lost: state is in memory)
#   status    exit 0 and print the endpoint when it answers, exit 3 otherwise
#   endpoint  print the endpoint only
#   venv      install the venv if needed (no server) and print its path (for .cache/venv/bin/aws)
#
# Clients need any credentials and a region, e.g.
#   AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \
#     .cache/venv/bin/aws --endpoint-url http://127.0.0.1:54566 sns list-topics
# Runtime files in $REPO/.infra/moto: moto.pid, moto.log. python3 (with venv) is installed with
# apt-get when missing.
set -euo pipefail

SERVICE=moto
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

MOTO_PORT="${MOTO_PORT:-54566}"
HOST=127.0.0.1
ENDPOINT="http://$HOST:$MOTO_PORT"
REQS="$REPO/deploy/moto/requirements.txt"
VENV="$CACHE_DIR/venv"
STAMP="$VENV/.privatelink-requirements"
MDIR="$INFRA_DIR/moto"
PIDFILE="$MDIR/moto.pid"
LOGFILE="$MDIR/moto.log"
PATTERN="$VENV/bin/moto_server"

ensure_venv() {
  local want
  want="$(file_hash "$REQS")"
  if [ -x "$VENV/bin/moto_server" ] && [ -x "$VENV/bin/aws" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  command -v python3 >/dev/null || apt_install python3 python3-venv
  if [ ! -x "$VENV/bin/pip" ]; then
    rm -rf "$VENV"
    if ! python3 -m venv "$VENV" >/dev/null 2>&1; then
      rm -rf "$VENV"
      apt_install python3-venv
      python3 -m venv "$VENV"
    fi
  fi
  log "installing $(grep -v '^#' "$REQS" | xargs) into $VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQS" >"$CACHE_DIR/venv-pip.log" 2>&1 \
    || { show_log "$CACHE_DIR/venv-pip.log"; die "pip install failed"; }
  echo "$want" >"$STAMP"
}

# answers: any HTTP response from moto's own API counts.
answers() {
  "$VENV/bin/python" - "$ENDPOINT/moto-api/" <<'PY' 2>/dev/null
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except urllib.error.HTTPError:
    pass
PY
}

running() { pid_matches "$PIDFILE" "$PATTERN"; }
up() { running && [ -x "$VENV/bin/python" ] && answers; }
detail() { echo "pid $(cat "$PIDFILE"), log $LOGFILE"; }
cmd_status() { report_status "$ENDPOINT" up detail; }

cmd_start() {
  mkdir -p "$MDIR"
  lock_service
  reserve_ports "$MOTO_PORT"
  ensure_venv
  if running && answers; then echo "$ENDPOINT"; return 0; fi
  stop_pidfile "$PIDFILE" "$PATTERN" 10
  if port_listening "$MOTO_PORT"; then
    die "port $MOTO_PORT is taken by another process (set MOTO_PORT)"
  fi
  log "starting moto_server on $ENDPOINT"
  : >"$LOGFILE"
  (exec nohup setsid "$VENV/bin/python" "$VENV/bin/moto_server" -H "$HOST" -p "$MOTO_PORT" \
    </dev/null >"$LOGFILE" 2>&1 8>&-) &
  echo $! >"$PIDFILE"
  wait_for 60 eval 'running && port_listening "$MOTO_PORT" && answers' \
    || { show_log "$LOGFILE"; stop_pidfile "$PIDFILE" "$PATTERN" 5; die "moto did not start"; }
  log "ready on $ENDPOINT (pid $(cat "$PIDFILE"), log $LOGFILE)"
  echo "$ENDPOINT"
}

cmd_stop() {
  mkdir -p "$MDIR"
  lock_service
  stop_pidfile "$PIDFILE" "$PATTERN" 10
  log "stopped"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  endpoint) echo "$ENDPOINT" ;;
  venv) mkdir -p "$MDIR"; lock_service; ensure_venv; echo "$VENV" ;;
  *) usage "start|stop|status|endpoint|venv" ;;
esac
