#!/usr/bin/env bash
# The whole test suite from a clean clone: dependencies, local services, a fresh test
# database, lint and format check, type checks, then every vitest project (unit, integration,
# workers, web, e2e). With no arguments the unit, workers and web projects run with coverage
# (thresholds in vitest.config.ts), last, and the coverage table ends the output; with arguments
# (`npm test -- test/unit/x.test.ts`, `npm test -- --project web`) vitest runs just those,
# without coverage.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/local-env.sh

bash scripts/install.sh
bash scripts/services.sh
bash scripts/browser.sh

mariadb -uroot -e "DROP DATABASE IF EXISTS \`$DB_TEST_NAME\`; CREATE DATABASE \`$DB_TEST_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;" 2>/dev/null \
  || mariadb -uroot -h127.0.0.1 -e "DROP DATABASE IF EXISTS \`$DB_TEST_NAME\`; CREATE DATABASE \`$DB_TEST_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
npx tsx scripts/migrate.ts --database "$DB_TEST_NAME"

echo "[test] lint and format (biome check; \`npm run format\` fixes what it can)"
npx biome check .

echo "[test] type-checking"
npx tsc -p tsconfig.worker.json
npx tsc -p tsconfig.test.json
npx tsc -p web/tsconfig.json

if [ $# -gt 0 ]; then
  npx vitest run "$@"
  exit
fi

# integration and e2e test processes they start themselves (wrangler, a browser), which istanbul
# does not reach: they run without coverage, before the instrumented projects.
npx vitest run --project integration --project e2e
rm -rf test-output/coverage
status=0
npx vitest run --coverage --project unit --project workers --project web || status=$?
node scripts/coverage-table.mjs
exit "$status"
