#!/usr/bin/env bash
# npm run chaos [-- --small]: build, then run bench/chaos.ts. It starts a PostgreSQL, a Kafka and a moto
# of its own (scripts/infra with PRIVATELINK_INFRA_DIR=/tmp/privatelink-chaos-infra and ports 56432,
# 56092/56093, 56566; CHAOS_INFRA_DIR, CHAOS_*_PORT change them), never the shared test servers, runs the
# five services as processes under load while it kills, stops and restarts things, checks the invariants
# and exits 1 when one fails. --small (or CHAOS_PROFILE=small): fewer workflows, shorter outages (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules/@nestjs/core ] || npm ci --no-audit --no-fund
npx tsc -p tsconfig.build.json
exec node -r ./scripts/paths.js dist/bench/chaos.js "$@"
