#!/usr/bin/env bash
# The whole test suite from a clean clone: dependencies, local services, a fresh test
# database, type checks, then every vitest project (unit, integration, workers, web).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/local-env.sh

bash scripts/install.sh
bash scripts/services.sh
bash scripts/browser.sh

mariadb -uroot -e "DROP DATABASE IF EXISTS \`$DB_TEST_NAME\`; CREATE DATABASE \`$DB_TEST_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;" 2>/dev/null \
  || mariadb -uroot -h127.0.0.1 -e "DROP DATABASE IF EXISTS \`$DB_TEST_NAME\`; CREATE DATABASE \`$DB_TEST_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
npx tsx scripts/migrate.ts --database "$DB_TEST_NAME"

echo "[test] type-checking"
npx tsc -p tsconfig.worker.json
npx tsc -p tsconfig.test.json
npx tsc -p web/tsconfig.json

npx vitest run "$@"
