#!/usr/bin/env bash
# scripts/infra/up.sh [postgres] [kafka] [moto] [dns]
#
# Starts the named test servers (all four when none is named) in parallel, each through its own
# script (scripts/infra/<name>.sh start, idempotent), and prints where they listen:
#   postgres  postgres://privatelink:privatelink@127.0.0.1:55432/privatelink
#   kafka     127.0.0.1:59092
#   moto      http://127.0.0.1:54566   (SNS/SQS)
#   dns       127.0.0.1:55353          (Knot DNS, zone example.test.)
# Exits non-zero when any of them failed; its output (also in $REPO/.infra/up-<name>.log) is shown.
# Ports: PG_PORT, KAFKA_PORT, KAFKA_CONTROLLER_PORT, MOTO_PORT; runtime folder: PRIVATELINK_INFRA_DIR.
# Stop them with scripts/infra/down.sh.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="$REPO/scripts/infra"
ALL=(postgres kafka moto dns)
if [ $# -gt 0 ]; then NAMES=("$@"); else NAMES=("${ALL[@]}"); fi
# PRIVATELINK_INFRA_DIR: another runtime folder (a second set of servers, see lib.sh)
OUT="${PRIVATELINK_INFRA_DIR:-$REPO/.infra}"
mkdir -p "$OUT"

declare -A PIDS
for n in "${NAMES[@]}"; do
  [ -x "$DIR/$n.sh" ] || { echo "up.sh: unknown service '$n' (known: ${ALL[*]})" >&2; exit 2; }
  bash "$DIR/$n.sh" start >"$OUT/up-$n.out" 2>"$OUT/up-$n.log" &
  PIDS[$n]=$!
done

failed=0
for n in "${NAMES[@]}"; do
  if wait "${PIDS[$n]}"; then
    printf '%-9s %s\n' "$n" "$(tail -n 1 "$OUT/up-$n.out")"
  else
    failed=1
    printf '%-9s FAILED:\n' "$n" >&2
    cat "$OUT/up-$n.log" >&2
  fi
done
exit "$failed"
