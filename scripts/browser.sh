#!/usr/bin/env bash
# Makes sure Debian's headless Chromium is installed for the SPA's end-to-end tests
# (driven by playwright-core; no browser is downloaded). Idempotent.
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then exit 0; fi
echo "[browser] installing chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium >/dev/null
[ -x "$CHROMIUM" ] || { echo "[browser] $CHROMIUM is still missing"; exit 1; }
