#!/usr/bin/env bash
# Starts a PostgreSQL server for the test suite and prints its DATABASE_URL on stdout (the only
# thing printed there; progress goes to stderr), so CI can run:
#
#   export DATABASE_URL="$(bash .ci/postgres.sh)"
#
# Idempotent: it installs Debian's `postgresql` if the machine lacks it, creates a cluster of its
# own (PG_CLUSTER, default `escrow`; the package's `main` cluster is left alone) on a free
# loopback port, starts it if it is down, and creates the role and database if they are missing.
# Runs as root (CI does); the server runs as the `postgres` user. The cluster is a test cluster:
# `synchronous_commit = off` (a crash loses the last commits, never corrupts the cluster).
set -euo pipefail

CLUSTER="${PG_CLUSTER:-escrow}"
DB_NAME="${PG_DATABASE:-escrow}"
DB_USER="${PG_USER:-escrow}"
DB_PASSWORD="${PG_PASSWORD:-escrow}"

log() { printf 'postgres.sh: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (it installs packages and runs the server as the postgres user)"
  exit 1
fi

# 1. Install the server if the machine lacks it.
if ! command -v pg_createcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing Debian's postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends postgresql >&2
fi
VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
log "PostgreSQL $VERSION ($(/usr/lib/postgresql/"$VERSION"/bin/postgres --version))"

install -d -o postgres -g postgres -m 2775 /var/run/postgresql

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  pg_lsclusters -h 2>/dev/null | awk '{print $3}' | grep -qx "$1"
}

# 2. Create our cluster on a free loopback port, unless it exists.
if ! pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {found=1} END {exit !found}'; then
  PORT="${PG_PORT:-}"
  if [ -z "$PORT" ]; then
    for candidate in $(seq 54329 54399); do
      if ! port_in_use "$candidate"; then PORT="$candidate"; break; fi
    done
  fi
  [ -n "$PORT" ] || { log "no free port in 54329-54399"; exit 1; }
  log "creating cluster $VERSION/$CLUSTER on 127.0.0.1:$PORT"
  pg_createcluster "$VERSION" "$CLUSTER" --port "$PORT" >&2
  # Appended last, so these win over the defaults above them.
  cat >>"/etc/postgresql/$VERSION/$CLUSTER/postgresql.conf" <<'CONF'

# milestone-escrow test cluster (.ci/postgres.sh)
listen_addresses = '127.0.0.1'
ssl = off
synchronous_commit = off
max_connections = 200
CONF
fi
PORT="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $3}')"

# 3. Start it if it is down.
if ! pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c && $4 ~ /online/ {found=1} END {exit !found}'; then
  log "starting cluster $VERSION/$CLUSTER"
  if ! pg_ctlcluster "$VERSION" "$CLUSTER" start >&2; then
    tail -n 30 "/var/log/postgresql/postgresql-$VERSION-$CLUSTER.log" >&2 || true
    exit 1
  fi
fi
for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p "$PORT"; then break; fi
  sleep 0.5
done
pg_isready -h 127.0.0.1 -p "$PORT" >&2

# 4. The role and the database (password auth over 127.0.0.1, the cluster's default pg_hba).
psql_admin() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -h /var/run/postgresql -p "$PORT" -d postgres "$@"; }
psql_admin -v user="$DB_USER" -v password="$DB_PASSWORD" >&2 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'user', :'password') \gexec
SQL
psql_admin -v user="$DB_USER" -v db="$DB_NAME" >&2 <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL

log "ready"
printf 'postgres://%s:%s@127.0.0.1:%s/%s\n' "$DB_USER" "$DB_PASSWORD" "$PORT" "$DB_NAME"
