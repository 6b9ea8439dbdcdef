#!/usr/bin/env bash
# scripts/schemathesis.sh: generated requests against the embedded default, one run per role's API key.
#
# Starts the embedded default (`npm start`'s process, run from the sources through scripts/ts-register.js)
# on ports of its own (chosen free by the kernel) and a fresh
# data folder made with `mktemp -d` (mode 700, as a new user's would be), so it clashes neither with a
# running `npm start` (8080 / 54329) nor with the shared test servers. Then schemathesis (pinned in
# deploy/schemathesis/requirements.txt, installed into $REPO/.cache/schemathesis/venv) reads
# /openapi.json and sends generated requests with the provider, consumer and ops keys, checking:
#   not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance.
# Any 5xx or mismatch fails the step (exit 1). The seed is fixed, so a failure reproduces.
#
# Settings (environment):
#   SCHEMATHESIS_MAX_EXAMPLES  test cases per operation and phase (default 12)
#   SCHEMATHESIS_SEED          the seed (default 20261203)
#   SCHEMATHESIS_REPORT_DIR    where the JUnit reports and the server log go (default .cache/schemathesis/report)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=use-node.sh
source scripts/use-node.sh >&2
REPO="$(pwd)"
CACHE="$REPO/.cache/schemathesis"
REQS="$REPO/deploy/schemathesis/requirements.txt"
VENV="$CACHE/venv"
STAMP="$VENV/.privatelink-requirements"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-12}"
SEED="${SCHEMATHESIS_SEED:-20261203}"
REPORT_DIR="${SCHEMATHESIS_REPORT_DIR:-$CACHE/report}"
log() { printf '[schemathesis] %s\n' "$*"; }
die() { printf '[schemathesis] error: %s\n' "$*" >&2; exit 1; }

t0=$(date +%s)
mkdir -p "$CACHE" "$REPORT_DIR"
want="$( (cat "$REQS"; python3 --version) | sha256sum | cut -c1-16)"
if [ ! -x "$VENV/bin/st" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
  command -v python3 >/dev/null || die "python3 is needed (apt-get install python3 python3-venv)"
  rm -rf "$VENV"
  python3 -m venv "$VENV" || { apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$VENV"; }
  log "installing $(grep -v '^#' "$REQS" | xargs) into $VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQS" >"$CACHE/pip.log" 2>&1 \
    || { tail -n 30 "$CACHE/pip.log" >&2; die "pip install failed (log: $CACHE/pip.log)"; }
  echo "$want" >"$STAMP"
fi

# Two free loopback ports, chosen by the kernel.
read -r HTTP_PORT PG_PORT < <(node -e '
  const net = require("node:net");
  const free = () => new Promise((r) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => r(p)); }); });
  (async () => { const a = await free(); let b = await free(); while (b === a) b = await free(); console.log(a, b); })();')
DATA_DIR="$(mktemp -d)"
SERVER_LOG="$REPORT_DIR/server.log"
BASE="http://127.0.0.1:$HTTP_PORT"
server_pid=""
declare -A pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  # Under root the database files may live outside the data folder (docs/start-stop.md): remove them too.
  local target
  if target="$(readlink "$DATA_DIR/postgres" 2>/dev/null)"; then rm -rf "$(dirname "$target")"; fi
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

log "starting the embedded default on $BASE (its PostgreSQL on 127.0.0.1:$PG_PORT, data in $DATA_DIR)"
env -u PRIVATELINK_DATABASE_URL PRIVATELINK_HTTP_PORT="$HTTP_PORT" PRIVATELINK_EMBEDDED_PG_PORT="$PG_PORT" \
  PRIVATELINK_DATA_DIR="$DATA_DIR" PRIVATELINK_LOG_LEVEL=warn \
  node -r ./scripts/ts-register.js apps/embedded/src/main.ts >"$SERVER_LOG" 2>&1 &
server_pid=$!
ready=""
for _ in $(seq 1 600); do
  kill -0 "$server_pid" 2>/dev/null || { tail -n 40 "$SERVER_LOG" >&2; die "the embedded default exited while starting (log: $SERVER_LOG)"; }
  if curl -fsS -o /dev/null "$BASE/health/ready" 2>/dev/null; then ready=1; break; fi
  sleep 0.5
done
[ -n "$ready" ] || { tail -n 40 "$SERVER_LOG" >&2; die "the embedded default was not ready within 300 s (log: $SERVER_LOG)"; }

# The three roles at once: schemathesis spends most of its time generating data, the server answering;
# in parallel they keep both cores busy.
CHECKS=not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance
for role_key in provider:demo-provider-key-0001 consumer:demo-consumer-key-0001 ops:demo-ops-key-0001; do
  role="${role_key%%:*}"
  key="${role_key#*:}"
  log "role $role: $MAX_EXAMPLES examples per operation and phase, seed $SEED"
  # From a folder of its own: schemathesis keeps its state in ./.schemathesis.
  mkdir -p "$CACHE/$role"
  (cd "$CACHE/$role" && exec "$VENV/bin/st" run "$BASE/openapi.json" \
    --header "Authorization: Bearer $key" \
    --checks "$CHECKS" \
    --max-examples "$MAX_EXAMPLES" --seed "$SEED" --workers 1 --request-timeout 60 \
    --suppress-health-check all --no-color \
    --report junit --report-junit-path "$REPORT_DIR/$role.junit.xml") >"$REPORT_DIR/$role.txt" 2>&1 &
  pids[$role]=$!
done

status=0
total=0
for role in provider consumer ops; do
  rc=0
  wait "${pids[$role]}" || rc=$?
  out="$REPORT_DIR/$role.txt"
  # The summary names the test cases generated; each is one request (or a few, when shrinking a failure).
  cases="$(grep -Eo '[0-9]+ generated' "$out" | tail -n 1 | grep -Eo '[0-9]+' || echo 0)"
  total=$((total + cases))
  log "role $role: $(grep -E '^  [0-9]+ generated' "$out" | tail -n 1 | sed 's/^ *//') (exit $rc)"
  if [ "$rc" -ne 0 ]; then
    status=1
    log "role $role FAILED: the full output is in $out"
    sed -n '/^=* FAILURES =*$/,/^=* WARNINGS =*$/p' "$out" | head -n 150
  fi
done

log "total: $total generated test cases across the three roles in $(( $(date +%s) - t0 )) s"
if grep -Eiq '"level":(50|60)|"level":"(error|fatal)"' "$SERVER_LOG"; then
  log "the server logged errors while under test (first lines below; log: $SERVER_LOG)"
  grep -Ei '"level":(50|60)|"level":"(error|fatal)"' "$SERVER_LOG" | head -n 5 | cut -c1-600
  status=1
fi
[ "$total" -ge 1000 ] || { log "fewer than 1,000 generated requests ($total): raise SCHEMATHESIS_MAX_EXAMPLES"; status=1; }
[ "$status" -eq 0 ] && log "passed: no server error, no schema, status code or content type mismatch" || log "FAILED"
exit "$status"
