#!/usr/bin/env bash
# Runs the benchmarks in bench/. Each starts its own `wrangler dev --log-level warn` and prints
# its figures as ratios against a baseline measured in the same run (machines are noisy).
#   npm run bench            routing (inbound, outbound, config size, distribution), configuration API, event webhooks on/off, queue poison,
#                            what a waiting room's tries cost against a routed call (bench/waiting-room.ts),
#                            and the per-call cost of this build against the one before issue 14 (bench/call-cost.ts)
#   npm run bench -- --all   also analytics over 1,000,000 generated call records and the SPA dashboard
#   npm run bench -- call-cost [--baseline <commit>] [--current HEAD|working-tree|<commit>] [--rounds 3] [--calls 200]
#                            only the per-call cost, of any two commits
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/local-env.sh

bash scripts/install.sh
bash scripts/services.sh
npx tsx scripts/migrate.ts --database "$DB_NAME"

if [ "${1:-}" = "call-cost" ]; then
  shift
  exec npx tsx bench/call-cost.ts "$@"
fi
npx tsx bench/routing.ts
npx tsx bench/config-api.ts
npx tsx bench/event-webhooks.ts
npx tsx bench/waiting-room.ts
npx tsx bench/queue-poison.ts
npx tsx bench/call-cost.ts
if [ "${1:-}" = "--all" ]; then
  [ -f .wrangler/bench-analytics.json ] || npx tsx bench/analytics-generate.ts
  npx tsx bench/analytics.ts
  npx tsx bench/web-dashboard.ts
fi
