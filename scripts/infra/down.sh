#!/usr/bin/env bash
# scripts/infra/down.sh [postgres] [kafka] [moto] [dns]
#
# Stops the named test servers (all four when none is named) started by up.sh or the per-service
# scripts. Data is kept (Postgres database files, Kafka topics); moto and the DNS zones start
# empty/clean next time. To also drop all state: down.sh && rm -rf .infra
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="$REPO/scripts/infra"
ALL=(postgres kafka moto dns)
if [ $# -gt 0 ]; then NAMES=("$@"); else NAMES=("${ALL[@]}"); fi

failed=0
for n in "${NAMES[@]}"; do
  [ -x "$DIR/$n.sh" ] || { echo "down.sh: unknown service '$n' (known: ${ALL[*]})" >&2; exit 2; }
  bash "$DIR/$n.sh" stop || failed=1
done
exit "$failed"
