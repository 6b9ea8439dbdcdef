#!/usr/bin/env bash
# scripts/infra/dns.sh: an authoritative DNS server (Knot DNS, Debian's `knot` package, installed
# with apt-get when missing) on 127.0.0.1:${DNS_PORT:-55353}, UDP and TCP, for integration tests
# and local runs. It serves the test zone example.test. and any zone added with add-zone.
#
#   start                      idempotent: returns at once when knotd runs; otherwise starts it
#                              with a clean state (only example.test., holding SOA, NS and
#                              ns1 A 127.0.0.1) and prints the address: 127.0.0.1:55353
#   stop | status | address
#
# Changing records at run time (served at once, well within a second; TTLs default to 1 s):
#   dns.sh set NAME TYPE [--ttl N] VALUE...   replace the NAME/TYPE record set with VALUE...
#        dns.sh set _privatelink.svc.example.test TXT "token-123" "other value"
#        dns.sh set sub.example.test NS ns1.example.test ns2.example.test
#        dns.sh set host.example.test A 127.0.0.2
#      TXT values are plain strings (quoted and split into 255-byte pieces here); names in NS,
#      CNAME, PTR and DNAME values get a trailing dot when they lack one.
#   dns.sh unset NAME [TYPE]                  remove NAME's TYPE set (all its types when no TYPE);
#                                             removing what does not exist is not an error
#   dns.sh add-zone ZONE                      serve a new zone (SOA, NS ns1.ZONE, ns1.ZONE A
#                                             127.0.0.1); no-op when it exists
#   dns.sh remove-zone ZONE | zones | show ZONE
#   dns.sh reload                             re-read knot.conf and every changed zone file
# NAME is absolute (a trailing dot is optional) and belongs to the longest served zone suffix.
# Each change is one Knot zone transaction (knotc zone-begin/zone-unset/zone-set/zone-commit),
# serialised per zone by a lock file so parallel test workers don't collide. Knot writes the
# result back to the zone file at once (zonefile-sync: 0), so the files always show what is served.
# Hand edits also work: edit $REPO/.infra/dns/zones/ZONE.zone, then `dns.sh reload`.
#
# Runtime state in $REPO/.infra/dns: knot.conf, zones/ (ZONE.zone + ZONE.conf per zone), storage/
# (Knot's timer database), run/ (knot.pid, control socket knot.sock), knot.log.
set -euo pipefail

SERVICE=dns
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

DNS_PORT="${DNS_PORT:-55353}"
HOST=127.0.0.1
ADDRESS="$HOST:$DNS_PORT"
DDIR="$INFRA_DIR/dns"
ZONES="$DDIR/zones"
RUN="$DDIR/run"
CONF="$DDIR/knot.conf"
SOCK="$RUN/knot.sock"
PIDFILE="$RUN/knot.pid"
LOCKS="$DDIR/locks"
DEFAULT_ZONE=example.test
PATTERN="knotd -c $CONF"

ensure_knot() {
  if ! command -v knotd >/dev/null || ! command -v knotc >/dev/null; then
    # knotd lives in /usr/sbin, which a non-login PATH may lack
    if [ -x /usr/sbin/knotd ] && [ -x /usr/sbin/knotc ]; then
      PATH="$PATH:/usr/sbin"
    else
      apt_install knot knot-dnsutils
      PATH="$PATH:/usr/sbin"
    fi
  fi
}

kc() { knotc -s "$SOCK" -t 5 "$@"; }

running() { pid_matches "$PIDFILE" "$PATTERN" && kc status >/dev/null 2>&1; }

# canon NAME: lower case, with one trailing dot.
canon() {
  local n
  n="$(printf '%s' "$1" | tr 'A-Z' 'a-z')"
  n="${n%.}"
  printf '%s.' "$n"
}

write_zone() {
  local z="${1%.}"
  cat >"$ZONES/$z.zone" <<EOF
\$ORIGIN $z.
\$TTL 1
@    SOA ns1.$z. hostmaster.$z. 1 60 60 3600 1
@    NS  ns1.$z.
ns1  A   127.0.0.1
EOF
  printf 'zone:\n  - domain: "%s."\n' "$z" >"$ZONES/$z.conf"
}

write_config() {
  cat >"$CONF" <<EOF
# written by scripts/infra/dns.sh on every start
server:
    rundir: "$RUN"
    pidfile: "$PIDFILE"
    listen: $HOST@$DNS_PORT
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
control:
    listen: "$SOCK"
log:
  - target: "$DDIR/knot.log"
    any: info
database:
    storage: "$DDIR/storage"
template:
  - id: default
    storage: "$ZONES"
    file: "%s.zone"
    # write every change back to the zone file at once; the zone file is the whole truth
    zonefile-sync: 0
    zonefile-load: whole
    journal-content: none
    semantic-checks: off
include: "$ZONES/*.conf"
EOF
}

# zone_loaded ZONE: knotd serves it (its SOA can be read).
zone_loaded() { kc zone-read "$1" @ SOA >/dev/null 2>&1; }

cmd_start() {
  ensure_knot
  mkdir -p "$DDIR"
  lock_service
  reserve_ports "$DNS_PORT"
  if running; then echo "$ADDRESS"; return 0; fi
  stop_pidfile "$PIDFILE" "$PATTERN" 5
  if port_listening "$DNS_PORT" || port_listening "$DNS_PORT" udp; then
    die "port $DNS_PORT is taken by another process (set DNS_PORT)"
  fi
  # A start from cold always begins from a clean state: only the default zone.
  rm -rf "$ZONES" "$RUN" "$DDIR/storage" "$LOCKS"
  mkdir -p "$ZONES" "$RUN" "$DDIR/storage" "$LOCKS"
  write_config
  write_zone "$DEFAULT_ZONE"
  knotc -c "$CONF" conf-check >/dev/null 2>&1 || { knotc -c "$CONF" conf-check || true; die "bad $CONF"; }
  : >"$DDIR/knot.log"
  knotd -c "$CONF" -d </dev/null >>"$DDIR/knot.log" 2>&1 8>&- || { show_log "$DDIR/knot.log"; die "knotd failed"; }
  wait_for 20 eval 'running && zone_loaded "$DEFAULT_ZONE."' \
    || { show_log "$DDIR/knot.log"; die "knotd did not get ready"; }
  log "ready on $ADDRESS udp+tcp (pid $(cat "$PIDFILE"), zones in $ZONES)"
  echo "$ADDRESS"
}

cmd_stop() {
  ensure_knot
  mkdir -p "$DDIR"
  lock_service
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  if [ -n "$pid" ] && pid_matches "$PIDFILE" "$PATTERN"; then
    kc stop >/dev/null 2>&1 || true   # knotd removes its pid file as it exits
    wait_gone "$pid" 10 || { kill -KILL "$pid" 2>/dev/null || true; wait_gone "$pid" 5 || true; }
  fi
  rm -f "$PIDFILE"
  log "stopped"
}

detail() { echo "pid $(cat "$PIDFILE"), zones: $(list_zones | tr '\n' ' ')"; }
cmd_status() {
  ensure_knot
  report_status "$ADDRESS" running detail
}

require_running() { running || die "not running: start it with scripts/infra/dns.sh start"; }

# lock_zones: before adding or removing a zone: knotc at hand, the service lock held, the server up.
lock_zones() {
  ensure_knot
  lock_service
  require_running
}

list_zones() {
  local f
  for f in "$ZONES"/*.conf; do [ -e "$f" ] && basename "$f" .conf; done
  return 0
}

# zone_of NAME: the longest served zone that NAME is in (canonical, with the trailing dot).
zone_of() {
  local name z best=""
  name="$(canon "$1")"
  for z in $(list_zones); do
    z="$(canon "$z")"
    if [ "$name" = "$z" ] || [ "${name%".$z"}" != "$name" ]; then
      [ "${#z}" -gt "${#best}" ] && best="$z"
    fi
  done
  [ -n "$best" ] || die "no served zone holds $name (served: $(list_zones | tr '\n' ' '); add one with add-zone)"
  printf '%s' "$best"
}

# txt_rdata VALUE: a TXT value in zone-file syntax, in quoted pieces of at most 255 bytes.
txt_rdata() {
  local v="$1" out="" piece
  if [ -z "$v" ]; then printf '""'; return; fi
  while [ -n "$v" ]; do
    piece="${v:0:255}"
    v="${v:255}"
    piece="${piece//\\/\\\\}"
    piece="${piece//\"/\\\"}"
    out="$out\"$piece\" "
  done
  printf '%s' "${out% }"
}

# rdata TYPE VALUE: VALUE in zone-file syntax for TYPE.
rdata() {
  case "$1" in
    TXT | SPF) txt_rdata "$2" ;;
    NS | CNAME | PTR | DNAME) case "$2" in *.) printf '%s' "$2" ;; *) printf '%s.' "$2" ;; esac ;;
    *) printf '%s' "$2" ;;
  esac
}

# A change is one Knot zone transaction: tx_begin ZONE, then tx KNOTC-ARGS... for each zone-set /
# zone-unset, then tx_commit. knotc gets every value as its own argument (no shell or knotc
# tokenizer in between). A lock file per zone keeps our own writers from colliding; a transaction
# left open by someone else (a knotc by hand) is waited for, and taken over after 10 s.
tx_begin() {
  local out tries=0
  TX_ZONE="$1"
  mkdir -p "$LOCKS"
  exec 7>"$LOCKS/$TX_ZONE.lock"
  flock -w 30 7 || die "timed out waiting for the lock of zone $TX_ZONE"
  until out="$(kc zone-begin "$TX_ZONE" 2>&1)"; do
    tries=$((tries + 1))
    case "$out" in
      *"too many transactions"*)
        if [ "$tries" -eq 50 ]; then kc zone-abort "$TX_ZONE" >/dev/null 2>&1 || true; fi
        [ "$tries" -lt 60 ] || die "zone $TX_ZONE stays busy: $out"
        sleep 0.2
        ;;
      *) die "zone-begin $TX_ZONE: $out" ;;
    esac
  done
}

# tx zone-set|zone-unset ARGS...: one change inside the open transaction; removing something that
# is not there is not an error.
tx() {
  local out
  if ! out="$(kc "$@" 2>&1)"; then
    case "$1:$out" in
      zone-unset:*"no such node"* | zone-unset:*"no such record"* | zone-unset:*"not exists"*) return 0 ;;
    esac
    kc zone-abort "$TX_ZONE" >/dev/null 2>&1 || true
    die "$*: $out"
  fi
}

tx_commit() {
  local out
  if ! out="$(kc zone-commit "$TX_ZONE" 2>&1)"; then
    kc zone-abort "$TX_ZONE" >/dev/null 2>&1 || true
    die "zone-commit $TX_ZONE: $out"
  fi
  exec 7>&-
}

cmd_set() {
  [ $# -ge 3 ] || usage "set NAME TYPE [--ttl N] VALUE..."
  local name type ttl=1 zone v
  name="$(canon "$1")"
  type="$(printf '%s' "$2" | tr 'a-z' 'A-Z')"
  shift 2
  if [ "${1:-}" = "--ttl" ]; then ttl="$2"; shift 2; fi
  [ $# -ge 1 ] || die "set $name $type: no value"
  ensure_knot
  require_running
  zone="$(zone_of "$name")"
  tx_begin "$zone"
  tx zone-unset "$zone" "$name" "$type"
  for v in "$@"; do
    tx zone-set "$zone" "$name" "$ttl" "$type" "$(rdata "$type" "$v")"
  done
  tx_commit
}

cmd_unset() {
  [ $# -ge 1 ] || usage "unset NAME [TYPE]"
  local name type="" zone
  name="$(canon "$1")"
  [ $# -ge 2 ] && type="$(printf '%s' "$2" | tr 'a-z' 'A-Z')"
  ensure_knot
  require_running
  zone="$(zone_of "$name")"
  [ "$name" != "$zone" ] || [ -n "$type" ] || die "refusing to remove every record at the zone apex $zone"
  tx_begin "$zone"
  if [ -n "$type" ]; then tx zone-unset "$zone" "$name" "$type"; else tx zone-unset "$zone" "$name"; fi
  tx_commit
}

cmd_add_zone() {
  [ $# -eq 1 ] || usage "add-zone ZONE"
  local zone
  zone="$(canon "$1")"
  lock_zones
  if [ ! -f "$ZONES/${zone%.}.conf" ]; then
    write_zone "$zone"
    kc reload >/dev/null || die "knotc reload failed (see $DDIR/knot.log)"
  fi
  wait_for 10 zone_loaded "$zone" || { show_log "$DDIR/knot.log"; die "zone $zone did not load"; }
  echo "$zone"
}

cmd_remove_zone() {
  [ $# -eq 1 ] || usage "remove-zone ZONE"
  local zone
  zone="$(canon "$1")"
  lock_zones
  [ -f "$ZONES/${zone%.}.conf" ] || return 0
  rm -f "$ZONES/${zone%.}.conf" "$ZONES/${zone%.}.zone"
  kc reload >/dev/null || die "knotc reload failed (see $DDIR/knot.log)"
  wait_for 10 eval '! zone_loaded "$zone"' || die "zone $zone is still served"
}

cmd_reload() {
  ensure_knot
  require_running
  kc reload
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  address) echo "$ADDRESS" ;;
  set) shift; cmd_set "$@" ;;
  unset) shift; cmd_unset "$@" ;;
  add-zone) shift; cmd_add_zone "$@" ;;
  remove-zone) shift; cmd_remove_zone "$@" ;;
  zones) list_zones ;;
  show) shift; ensure_knot; require_running; kc zone-read "$(canon "${1:-$DEFAULT_ZONE}")" ;;
  reload) cmd_reload ;;
  *) usage "start|stop|status|address|set|unset|add-zone|remove-zone|zones|show|reload" ;;
esac
