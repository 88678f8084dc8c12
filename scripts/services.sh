#!/usr/bin/env bash
# Makes sure the local services run: MariaDB (database + user with a password), Redis, and
# the Upstash REST bridge over Redis. Installs them with apt-get when missing, starts them
# when stopped, and never relies on anything a previous session left running.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/local-env.sh

log() { printf '[services] %s\n' "$*"; }

apt_install() {
  log "installing $* with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "$@" >/dev/null
}

missing=()
[ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v curl >/dev/null || missing+=(curl)  # the health checks below use it
if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi

wait_for() { # wait_for <what> <command...>
  local what=$1; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  log "$what did not come up"; return 1
}

# SQL on stdin as root: over the socket (unix_socket auth), else over TCP. Reads stdin once, so
# the second attempt gets the SQL too, and shows the first attempt's error when both fail.
mariadb_root() {
  local sql first_error
  sql=$(cat)
  first_error=$(mariadb -uroot "$@" <<<"$sql" 2>&1 >/dev/null) && return 0
  mariadb -uroot -h127.0.0.1 "$@" <<<"$sql" && return 0
  log "as root over the socket, MariaDB said: $first_error"
  return 1
}

if ! mariadb-admin -uroot ping >/dev/null 2>&1; then
  log "starting MariaDB"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
  if [ ! -d /var/lib/mysql/mysql ]; then
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  fi
  start-stop-daemon --start --oknodo --background --chuid mysql --exec /usr/sbin/mariadbd -- --bind-address=127.0.0.1 --port=3306
  wait_for MariaDB mariadb-admin -uroot ping
fi

# The Workers test pool, wrangler dev and the benchmarks each open a connection per request;
# MariaDB's default of 151 is too few when they run side by side.
mariadb_root <<SQL
SET GLOBAL max_connections = GREATEST(@@max_connections, 1000);
CREATE DATABASE IF NOT EXISTS \`${DB_NAME}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS \`${DB_TEST_NAME}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '${DB_USER}'@'localhost' IDENTIFIED BY '${DB_PASSWORD}';
CREATE USER IF NOT EXISTS '${DB_USER}'@'127.0.0.1' IDENTIFIED BY '${DB_PASSWORD}';
CREATE USER IF NOT EXISTS '${DB_USER}'@'%' IDENTIFIED BY '${DB_PASSWORD}';
ALTER USER '${DB_USER}'@'localhost' IDENTIFIED BY '${DB_PASSWORD}';
ALTER USER '${DB_USER}'@'127.0.0.1' IDENTIFIED BY '${DB_PASSWORD}';
ALTER USER '${DB_USER}'@'%' IDENTIFIED BY '${DB_PASSWORD}';
GRANT ALL PRIVILEGES ON \`${DB_NAME}\`.* TO '${DB_USER}'@'localhost', '${DB_USER}'@'127.0.0.1', '${DB_USER}'@'%';
GRANT ALL PRIVILEGES ON \`${DB_TEST_NAME}\`.* TO '${DB_USER}'@'localhost', '${DB_USER}'@'127.0.0.1', '${DB_USER}'@'%';
GRANT ALL PRIVILEGES ON \`cxlb\_tmp\_%\`.* TO '${DB_USER}'@'localhost', '${DB_USER}'@'127.0.0.1', '${DB_USER}'@'%';
FLUSH PRIVILEGES;
SQL

if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/cxlb.log
  wait_for Redis redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping
fi

bridge_up() {
  curl -sf -m 2 -X POST -H "Authorization: Bearer $UPSTASH_TOKEN" -d '["PING"]' "$UPSTASH_URL" | grep -q PONG
}
if ! bridge_up; then
  log "starting the Upstash REST bridge on $UPSTASH_URL"
  mkdir -p .local
  nohup node scripts/upstash-bridge.mjs >.local/upstash-bridge.log 2>&1 &
  echo $! >.local/upstash-bridge.pid
  wait_for "Upstash bridge" bridge_up
fi

log "MariaDB, Redis and the Upstash bridge are up"
