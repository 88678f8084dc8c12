#!/usr/bin/env bash
# One command to run the whole system locally: installs what is missing, starts MariaDB,
# Redis and the Upstash bridge, migrates, seeds the demo tenant, then runs `wrangler dev`
# (the API and webhooks), the SPA's dev server and the Cloudonix stand-in (a local simulation of
# Cloudonix's call API, which campaigns call out through) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/local-env.sh
API_PORT=${API_PORT:-8787}
WEB_PORT=${WEB_PORT:-5173}
STANDIN_PORT=${STANDIN_PORT:-8791}

bash scripts/install.sh
bash scripts/services.sh
npx tsx scripts/migrate.ts --database "$DB_NAME"
npx tsx scripts/create-tenant.ts --demo

# Each child runs in a process group of its own (setsid), so stopping it stops what it started:
# killing npx alone would leave wrangler, workerd and vite running with the ports taken.
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

# Nobody can reach Cloudonix from here: its call API is stood in for by a local process
# (scripts/cloudonix-standin.ts), and the Worker's CLOUDONIX_API_URL points at it.
setsid npx tsx scripts/cloudonix-standin.ts --port "$STANDIN_PORT" &
pids+=($!)
# --var: wrangler.toml says production, and a .dev.vars made before ENVIRONMENT was added to
# .dev.vars.example would leave it so.
setsid npx wrangler dev --port "$API_PORT" --ip 127.0.0.1 --log-level "${WRANGLER_LOG_LEVEL:-warn}" --var ENVIRONMENT:development --var "CLOUDONIX_API_URL:http://127.0.0.1:$STANDIN_PORT" &
pids+=($!)
API_URL="http://127.0.0.1:$API_PORT" WEB_PORT="$WEB_PORT" setsid npx vite --config web/vite.config.ts --logLevel warn &
pids+=($!)

fail() { printf '\n[dev] %s\n' "$*" >&2; exit 1; }

health="no answer"
web_up=false
for _ in $(seq 1 120); do
  health=$(curl -s -m 2 "http://127.0.0.1:$API_PORT/api/health" 2>/dev/null) || health="no answer"
  web_up=false
  curl -sf -m 2 "http://127.0.0.1:$WEB_PORT/" >/dev/null 2>&1 && web_up=true
  case "$health" in *'"status":"ok"'*) [ "$web_up" = true ] && break ;; esac
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || fail "wrangler dev, the SPA's dev server or the Cloudonix stand-in exited during start-up (see its output above)."
  done
  sleep 0.5
done
case "$health" in
  *'"status":"ok"'*) ;;
  *) fail "the API on port $API_PORT is not healthy after 60 s: $health
      MariaDB, Redis or the Upstash bridge down? Run \`npm run services\` and try again." ;;
esac
[ "$web_up" = true ] || fail "the SPA's dev server on port $WEB_PORT did not answer within 60 s."
demo_key=$(node -p 'require("./.local/demo.json").requestKey')
demo_callback=$(node -p 'require("./.local/demo.json").callbackToken ?? ""')
# The stand-in calls the demo domain's webhooks as Cloudonix would once the domain is connected
# (README, Connecting your Cloudonix domain): the request key, and the callback URLs for CDRs.
curl -sf -m 3 -X PUT "http://127.0.0.1:$STANDIN_PORT/__standin/domains/demo.cloudonix.net" -H 'content-type: application/json' \
  -d "{\"profile\": {\"authorization-api-key\": \"$demo_key\", \"session-update-endpoint\": \"http://127.0.0.1:$API_PORT/api/webhooks/c/$demo_callback/session-update\", \"cdr-endpoint\": \"http://127.0.0.1:$API_PORT/api/webhooks/c/$demo_callback/cdr\"}}" >/dev/null \
  || fail "the Cloudonix stand-in on port $STANDIN_PORT did not answer."

cat <<TXT

  Cloudonix Agent Router is running.
    Admin console   http://127.0.0.1:$WEB_PORT
    API + webhooks  http://127.0.0.1:$API_PORT   (health: ok)
    Cloudonix stand-in  http://127.0.0.1:$STANDIN_PORT   (a local simulation of Cloudonix's call API)

  Demo logins
    admin   admin@demo.local   / demo-admin-password
    viewer  viewer@demo.local  / demo-viewer-password

  Demo Cloudonix domain demo.cloudonix.net, request key $demo_key
    Try a call:  npm run simulate -- --to +18005550199

  Ctrl-C stops wrangler dev, the SPA and the stand-in (MariaDB and Redis keep running).
TXT

# Watch both for as long as they run. When the local runtime (workerd) under wrangler dies,
# wrangler itself stays up with nothing listening, so a live process proves nothing: the API
# must answer (any HTTP status will do; the liveness path does no I/O).
misses=0
while :; do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || fail "wrangler dev, the SPA's dev server or the Cloudonix stand-in has exited (see its output above)."
  done
  code=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://127.0.0.1:$API_PORT/api/health/live" 2>/dev/null) || code=000
  if [ "$code" = 000 ]; then misses=$((misses + 1)); else misses=0; fi
  [ "$misses" -ge 3 ] && fail "the API on port $API_PORT has stopped answering for 15 s: the local runtime (workerd) under wrangler dev has died. Run \`npm start\` again."
  sleep 5 &
  wait $! || true
done
