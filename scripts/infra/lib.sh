# shellcheck shell=bash
# scripts/infra/lib.sh: helpers shared by the infra scripts (postgres.sh, kafka.sh, moto.sh, dns.sh).
# Sourced, never run. The caller sets SERVICE (a short name for logs) before sourcing it; this sets
# REPO (the repository root).
#
# Layout (both folders are gitignored):
#   $REPO/.cache/<service>/...   downloads that survive restarts (jars, venv); delete to refetch
#   $REPO/.infra/<service>/...   runtime state: data folders, pid files, logs, generated configs
#                                ($PRIVATELINK_INFRA_DIR/<service>/... when that is set)
#
# Concurrency: every start/stop holds $REPO/.infra/<service>.lock (flock on fd 8), so several jest
# workers calling `start` at the same time is safe: the first one starts the server, the others
# wait for the lock and then find it running. Daemons are launched with fd 8 closed (`8>&-`)
# so that they do not keep the lock after the script exits.

# Resolved through symlinks: a second checkout (git worktree) whose .infra and .cache link to the first
# one's then names the same pid files and command lines, so it finds the servers already running.
# PRIVATELINK_INFRA_DIR names another runtime folder: a second, independent set of servers (give them
# other ports too: PG_PORT, KAFKA_PORT, KAFKA_CONTROLLER_PORT, MOTO_PORT), e.g. the chaos suite's, which
# it stops and restarts without touching the shared ones. Downloads (.cache) stay shared.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "$REPO/.cache"
if [ -n "${PRIVATELINK_INFRA_DIR:-}" ]; then
  mkdir -p "$PRIVATELINK_INFRA_DIR"
  INFRA_DIR="$(realpath "$PRIVATELINK_INFRA_DIR")"
else
  mkdir -p "$REPO/.infra"
  INFRA_DIR="$(realpath "$REPO/.infra")"
fi
CACHE_DIR="$(realpath "$REPO/.cache")"

log() { printf '[%s] %s\n' "${SERVICE:-infra}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# lock_service: take the per-service lock (fd 8) for the rest of the script.
lock_service() {
  exec 8>"$INFRA_DIR/$SERVICE.lock"
  flock -w 600 8 || die "timed out waiting for $INFRA_DIR/$SERVICE.lock"
}

# apt_install PKG...: install Debian packages; runs `apt-get update` only when the install fails
# (a fresh machine has empty package lists). Serialised by a lock so parallel starts don't collide.
apt_install() {
  is_root || die "missing packages ($*): run 'apt-get install $*' as root, or run this script as root"
  log "installing Debian packages: $*"
  (
    flock -w 900 9 || die "timed out waiting for the apt lock"
    export DEBIAN_FRONTEND=noninteractive
    opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=600)
    if ! apt-get install "${opts[@]}" "$@" >>"$INFRA_DIR/apt.log" 2>&1; then
      log "apt-get update"
      apt-get update -q >>"$INFRA_DIR/apt.log" 2>&1 || die "apt-get update failed (see $INFRA_DIR/apt.log)"
      apt-get install "${opts[@]}" "$@" >>"$INFRA_DIR/apt.log" 2>&1 \
        || die "apt-get install $* failed (see $INFRA_DIR/apt.log)"
    fi
  ) 9>"$INFRA_DIR/apt.lock"
}

# pid_matches PIDFILE PATTERN: the pid in PIDFILE is alive and its command line contains PATTERN
# (guards against a stale pid file whose number was reused by another process).
pid_matches() {
  local pid
  pid="$(cat "$1" 2>/dev/null || true)"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2"
}

# port_listening PORT [PROTO]: some socket listens on local TCP port PORT (PROTO=udp: a UDP socket
# is bound to it). Reads /proc/net instead of connecting: polling with connect() while nothing
# listens can make the kernel pick PORT itself as the ephemeral source port (all our ports are in
# Linux's ephemeral range), a TCP self-connect that then keeps the server from binding PORT.
port_listening() {
  local hex files
  hex="$(printf '%04X' "$1")"
  if [ "${2:-tcp}" = udp ]; then files="/proc/net/udp /proc/net/udp6"; else files="/proc/net/tcp /proc/net/tcp6"; fi
  # shellcheck disable=SC2086
  awk -v p=":$hex" -v st="$([ "${2:-tcp}" = udp ] && echo 07 || echo 0A)" \
    'substr($2, length($2) - 4) == p && $4 == st { found = 1 } END { exit !found }' $files 2>/dev/null
}

# reserve_ports PORT...: best effort, as root: add the ports to net.ipv4.ip_local_reserved_ports
# (per network namespace, not persistent) so that no outgoing connection borrows one of them as
# its source port while the server is down.
reserve_ports() {
  local f=/proc/sys/net/ipv4/ip_local_reserved_ports cur p
  is_root && [ -w "$f" ] || return 0
  cur="$(cat "$f" 2>/dev/null || true)"
  for p in "$@"; do
    case ",$cur," in *",$p,"*) ;; *) cur="${cur:+$cur,}$p" ;; esac
  done
  echo "$cur" >"$f" 2>/dev/null || true
}

# wait_for SECONDS CMD...: run CMD every 0.2 s until it succeeds; fail after SECONDS.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

# stop_pidfile PIDFILE PATTERN SECONDS: SIGTERM the process, SIGKILL it after SECONDS, remove PIDFILE.
stop_pidfile() {
  local pidfile="$1" pattern="$2" grace="$3" pid
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  if [ -n "$pid" ] && pid_matches "$pidfile" "$pattern"; then
    kill -TERM "$pid" 2>/dev/null || true
    wait_gone "$pid" "$grace" || {
      log "pid $pid did not stop within ${grace}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      wait_gone "$pid" 10 || true
    }
  fi
  rm -f "$pidfile"
}

# wait_gone PID SECONDS: wait until PID has exited (a zombie counts as exited).
wait_gone() {
  local deadline=$((SECONDS + $2))
  while [ -d "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# show_log FILE: print the end of a log file to stderr (used when a start fails).
show_log() {
  [ -f "$1" ] || return 0
  log "last lines of $1:"
  tail -n 40 "$1" >&2 || true
}

# file_hash FILE...: a short content hash, used to tell whether a cache is up to date.
file_hash() { cat "$@" | sha256sum | cut -c1-16; }

usage() { echo "usage: $0 {$1}" >&2; exit 2; }

# report_status VALUE UP DETAIL: the `status` command of a server script. When the function UP
# succeeds: log "running (…)" with what the function DETAIL prints, and print VALUE (what clients
# connect to); otherwise log "not running" and exit 3.
report_status() {
  if "$2"; then
    log "running ($("$3"))"
    echo "$1"
  else
    log "not running"
    exit 3
  fi
}
