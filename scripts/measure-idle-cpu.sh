#!/usr/bin/env bash
# scripts/measure-idle-cpu.sh [seconds]: idle CPU of the embedded stack (`npm start`: five services in one
# process, its embedded Postgres, the in-process transport). Builds, starts it on private ports and a
# temporary data folder, waits until /health/ready answers 200, lets it settle 20 s, then reads the CPU
# time (utime+stime from /proc) of the node process and of its Postgres (postmaster and backends) over the interval (default 60 s), prints both as a share of one core, and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
port="${MEASURE_HTTP_PORT:-18380}"
pgport="${MEASURE_PG_PORT:-18329}"
data="$(mktemp -d /tmp/privatelink-idle-XXXXXX)"
npx tsc -p tsconfig.build.json
PRIVATELINK_HTTP_PORT="$port" PRIVATELINK_EMBEDDED_PG_PORT="$pgport" PRIVATELINK_DATA_DIR="$data" PRIVATELINK_LOG_LEVEL=warn \
  node -r ./scripts/paths.js dist/apps/embedded/src/main.js >"$data/stack.log" 2>&1 &
pid=$!
trap 'kill -INT $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 180); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "the stack did not become ready; see $data/stack.log" >&2; exit 1; }
sleep 20
descendants() { local p; for p in $(pgrep -P "$1" || true); do echo "$p"; descendants "$p"; done; }
ticks() { local t=0 p s; for p in "$@"; do s=$(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0); t=$((t + s)); done; echo "$t"; }
hz=$(getconf CLK_TCK)
# The embedded Postgres runs in a session of its own (pg_ctl), not under node: find its postmaster by its port.
postmaster=$(ss -ltnpH "sport = :$pgport" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true)
procs0=$( (descendants "$pid"; if [ -n "$postmaster" ]; then echo "$postmaster"; descendants "$postmaster"; fi) | sort -u | tr '\n' ' ')
all0=$(ticks "$pid" $procs0); node0=$(ticks "$pid")
sleep "$seconds"
all1=$(ticks "$pid" $procs0); node1=$(ticks "$pid")
pct() { echo "scale=1; ($1) * 100 / $hz / $seconds" | bc; }
echo "idle CPU over ${seconds} s: node $(pct "$node1 - $node0") % of a core; node + Postgres ($(echo $procs0 | wc -w) Postgres processes) $(pct "$all1 - $all0") % of a core"
