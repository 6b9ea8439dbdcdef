#!/usr/bin/env bash
# scripts/infra/prometheus.sh: a real Prometheus (Debian's `prometheus` package, which brings promtool)
# for the monitoring test: each caller runs its own instance, with its own configuration, port and data
# folder, and stops it itself. Nothing here touches a system-wide Prometheus.
#
#   install                       idempotent: installs the package when prometheus or promtool is missing;
#                                 prints the folder of the binaries (last line)
#   start CONFIG PORT DIR         starts `prometheus --config.file=CONFIG` on 127.0.0.1:PORT with its data in
#                                 DIR (pid file DIR/prometheus.pid, log DIR/prometheus.log), waits until it is
#                                 ready, prints its URL: http://127.0.0.1:PORT
#   stop DIR                      stops the instance started with that DIR (SIGTERM, then SIGKILL)
#   check-rules FILE...           promtool check rules FILE...
#   check-config FILE             promtool check config FILE (and the rule files it names)
set -euo pipefail

SERVICE=prometheus
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ensure_prometheus() {
  if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
    lock_service
    if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then apt_install prometheus; fi
    # The package starts a system service where an init system runs; this project never uses that one.
    command -v systemctl >/dev/null && systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
  command -v prometheus >/dev/null || die "prometheus is not on PATH after the install"
}

case "${1:-}" in
  install)
    ensure_prometheus
    dirname "$(command -v prometheus)"
    ;;
  start)
    [ $# -eq 4 ] || usage "start CONFIG PORT DIR"
    ensure_prometheus
    config="$2" port="$3" dir="$4"
    mkdir -p "$dir/data"
    pidfile="$dir/prometheus.pid"
    if pid_matches "$pidfile" "--web.listen-address=127.0.0.1:$port"; then echo "http://127.0.0.1:$port"; exit 0; fi
    reserve_ports "$port"
    # fd 8 closed: the daemon must not hold a lock of ours (see lib.sh).
    nohup prometheus --config.file="$config" --storage.tsdb.path="$dir/data" \
      --web.listen-address="127.0.0.1:$port" --web.enable-lifecycle --log.level=warn \
      >"$dir/prometheus.log" 2>&1 8>&- &
    echo $! >"$pidfile"
    # Node is there wherever the project runs (curl may not be).
    ready() { node -e "fetch('http://127.0.0.1:$port/-/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; }
    if ! wait_for 60 ready; then show_log "$dir/prometheus.log"; die "prometheus did not become ready on port $port"; fi
    echo "http://127.0.0.1:$port"
    ;;
  stop)
    [ $# -eq 2 ] || usage "stop DIR"
    stop_pidfile "$2/prometheus.pid" "prometheus --config.file" 20
    ;;
  check-rules)
    shift
    ensure_prometheus
    promtool check rules "$@"
    ;;
  check-config)
    [ $# -eq 2 ] || usage "check-config FILE"
    ensure_prometheus
    promtool check config "$2"
    ;;
  *) usage "install|start CONFIG PORT DIR|stop DIR|check-rules FILE...|check-config FILE" ;;
esac
