#!/usr/bin/env bash
# npm test: everything the tests need, then the tests.
#   0. the supported Node.js (.nvmrc, the current LTS), fetched into .cache/node when the machine has another;
#   1. Node packages (npm ci) when missing;
#   2. the real servers on loopback (PostgreSQL, Kafka in KRaft mode, moto's SNS, Knot DNS) through
#      scripts/infra/up.sh, which installs what is missing and is idempotent;
#   3. Debian's chromium (the console's browser test) and prometheus (the monitoring test), when missing;
#   4. the type check, ESLint and Prettier's check, the Helm chart's lint/render/validation, the unit
#      tests (pure domain and helpers) and the integration tests (real servers);
#   5. schemathesis against the embedded default (scripts/schemathesis.sh: generated requests, each role);
#   6. the small chaos run (npm run chaos -- --small): the five services as processes on a Postgres, Kafka
#      and moto of its own (other ports, never the servers above), killed and cut off under load; it fails
#      when an invariant does. PRIVATELINK_SKIP_CHAOS=1 leaves it out.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$1" "$(( $(date +%s) - started ))"; }

step "Node.js"
# shellcheck source=use-node.sh
source scripts/use-node.sh

step "Node packages"
if [ ! -d node_modules/@nestjs/core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  echo "node_modules is up to date"
fi

step "test servers (scripts/infra/up.sh)"
bash scripts/infra/up.sh

step "browser and Prometheus for the console and monitoring tests"
bash scripts/infra/chromium.sh install
bash scripts/infra/prometheus.sh install

step "type check"
npx tsc -p tsconfig.json --noEmit

step "lint (ESLint) and format check (Prettier)"
npm run --silent lint
npx prettier --check . --log-level warn

step "Helm chart: lint, render, validate (scripts/helm-check.sh)"
bash scripts/helm-check.sh

step "unit tests"
npx jest --selectProjects unit --ci

step "integration tests (real PostgreSQL, Kafka, SNS, DNS)"
# Two at a time (each file has its own database and Kafka namespace; most of a file's time is waiting), except
# the files that stop or pause a shared server (Kafka, moto): those run afterwards, one by one.
mapfile -t exclusive < <(grep -lE 'stopKafka\(|pauseSns\(' apps/*/test/*.spec.ts libs/*/test/*.spec.ts)
npx jest --selectProjects integration --ci --maxWorkers=2 --forceExit --testPathIgnorePatterns "${exclusive[@]}"
npx jest --selectProjects integration --ci --runInBand --forceExit "${exclusive[@]}"

step "generated requests against the embedded default (schemathesis)"
bash scripts/schemathesis.sh

if [ "${PRIVATELINK_SKIP_CHAOS:-}" = 1 ]; then
  step "small chaos run: skipped (PRIVATELINK_SKIP_CHAOS=1)"
else
  step "small chaos run (npm run chaos -- --small)"
  bash scripts/chaos.sh --small
fi

step "done"
