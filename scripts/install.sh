#!/usr/bin/env bash
# Installs the npm dependencies from the lockfile when they are missing or stale.
set -euo pipefail
cd "$(dirname "$0")/.."

major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "[install] Node $(node -v) is too old; Node 20 or newer is required" >&2
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
