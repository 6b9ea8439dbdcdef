#!/usr/bin/env bash
# npm run chaos [-- --small]: runs bench/chaos.ts. It starts a PostgreSQL, a Kafka and a moto
# of its own (scripts/infra with PRIVATELINK_INFRA_DIR=/tmp/privatelink-chaos-infra and ports 56432,
# 56092/56093, 56566; CHAOS_INFRA_DIR, CHAOS_*_PORT change them), never the shared test servers, runs the
# five services as processes under load while it kills, stops and restarts things, checks the invariants
# and exits 1 when one fails. --small (or CHAOS_PROFILE=small): fewer workflows, shorter outages (CI).
# It runs from the sources (scripts/ts-register.js compiles each file with swc as it loads), the services
# too: no build, and never a stale dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
# The supported Node.js (.nvmrc), fetched into .cache/node where the machine has another.
# shellcheck source=use-node.sh
source scripts/use-node.sh >&2
[ -d node_modules/@nestjs/core ] || npm ci --no-audit --no-fund
exec node -r ./scripts/ts-register.js bench/chaos.ts "$@"
