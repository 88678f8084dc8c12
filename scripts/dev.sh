#!/usr/bin/env bash
# One command to run the whole system locally: installs what is missing, starts MariaDB,
# Redis and the Upstash bridge, migrates, seeds the demo tenant, then runs `wrangler dev`
# (the API and webhooks) and the SPA's dev server until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/local-env.sh
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
API_PORT=${API_PORT:-8787}
WEB_PORT=${WEB_PORT:-5173}

bash scripts/install.sh
bash scripts/services.sh
npx tsx scripts/migrate.ts --database "$DB_NAME"
npx tsx scripts/create-tenant.ts --demo

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

npx wrangler dev --port "$API_PORT" --ip 127.0.0.1 --log-level "${WRANGLER_LOG_LEVEL:-warn}" &
pids+=($!)
API_URL="http://127.0.0.1:$API_PORT" WEB_PORT="$WEB_PORT" npx vite --config web/vite.config.ts --logLevel warn &
pids+=($!)

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$API_PORT/api/health" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$WEB_PORT/" >/dev/null 2>&1 && break
  sleep 0.5
done
health=$(curl -s "http://127.0.0.1:$API_PORT/api/health" || echo '{"status":"unreachable"}')
demo_key=$(node -p 'require("./.local/demo.json").requestKey')

cat <<TXT

  Cloudonix Agent Router is running.
    Admin console   http://127.0.0.1:$WEB_PORT
    API + webhooks  http://127.0.0.1:$API_PORT   (health: $health)

  Demo logins
    admin   admin@demo.local   / demo-admin-password
    viewer  viewer@demo.local  / demo-viewer-password

  Demo Cloudonix domain demo.cloudonix.net, request key $demo_key
    Try a call:  npm run simulate -- --to +18005550199

  Ctrl-C stops wrangler dev and the SPA (MariaDB and Redis keep running).
TXT
wait -n "${pids[@]}"
