#!/usr/bin/env bash
# Runs the benchmarks in bench/. Each starts its own `wrangler dev --log-level warn` and prints
# its figures as ratios against a baseline measured in the same run (machines are noisy).
#   npm run bench            routing (inbound, outbound, config size, distribution), configuration API, event webhooks on/off, queue poison
#   npm run bench -- --all   also analytics over 1,000,000 generated call records and the SPA dashboard
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/local-env.sh

bash scripts/install.sh
bash scripts/services.sh
npx tsx scripts/migrate.ts --database "$DB_NAME"

npx tsx bench/routing.ts
npx tsx bench/config-api.ts
npx tsx bench/event-webhooks.ts
npx tsx bench/queue-poison.ts
if [ "${1:-}" = "--all" ]; then
  [ -f .wrangler/bench-analytics.json ] || npx tsx bench/analytics-generate.ts
  npx tsx bench/analytics.ts
  npx tsx bench/web-dashboard.ts
fi
