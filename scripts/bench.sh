#!/usr/bin/env bash
# npm run bench: start the real PostgreSQL, Kafka and moto (scripts/infra), build, and run bench/main.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
# The supported Node.js (.nvmrc), fetched into .cache/node where the machine has another.
# shellcheck source=use-node.sh
source scripts/use-node.sh >&2
[ -d node_modules/@nestjs/core ] || npm ci --no-audit --no-fund
bash scripts/infra/up.sh postgres kafka moto
export PRIVATELINK_BENCH_PG_URL="${PRIVATELINK_BENCH_PG_URL:-$(bash scripts/infra/postgres.sh start | tail -n 1)}"
export PRIVATELINK_BENCH_KAFKA_BROKERS="${PRIVATELINK_BENCH_KAFKA_BROKERS:-$(bash scripts/infra/kafka.sh start | tail -n 1)}"
# the workflow rows publish connection notifications to SNS (moto), read back through SQS
export PRIVATELINK_BENCH_SNS_ENDPOINT="${PRIVATELINK_BENCH_SNS_ENDPOINT:-$(bash scripts/infra/moto.sh start | tail -n 1)}"
npx tsc -p tsconfig.build.json
exec node -r ./scripts/paths.js dist/bench/main.js "$@"
