#!/usr/bin/env bash
# Starts the machine's PostgreSQL (Debian cluster) when it is not running and makes sure the
# test role and database exist. Prints the URL to use as TEST_DATABASE_URL.
# Tests create one fresh database per test from this one, so the role may create databases.
set -euo pipefail

PG_VERSION=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1)
if [ -z "$PG_VERSION" ]; then
  echo "PostgreSQL is not installed: apt-get install postgresql" >&2
  exit 1
fi
if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
  pg_createcluster "$PG_VERSION" main >/dev/null
fi
if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
  pg_ctlcluster "$PG_VERSION" main start
fi
PORT=$(pg_lsclusters -h | awk 'NR==1 {print $3}')

as_postgres() { su postgres -c "psql -p $PORT -v ON_ERROR_STOP=1 -qtAc \"$1\""; }
if [ "$(as_postgres "SELECT 1 FROM pg_roles WHERE rolname = 'tollgate'")" != "1" ]; then
  as_postgres "CREATE ROLE tollgate LOGIN CREATEDB PASSWORD 'tollgate'" >&2
fi
if [ "$(as_postgres "SELECT 1 FROM pg_database WHERE datname = 'tollgate_test'")" != "1" ]; then
  as_postgres "CREATE DATABASE tollgate_test OWNER tollgate" >&2
fi
# Databases left behind by earlier test runs.
for db in $(as_postgres "SELECT datname FROM pg_database WHERE datname LIKE 'tollgate#_t#_%' ESCAPE '#'"); do
  as_postgres "DROP DATABASE IF EXISTS $db" >&2 || true
done
echo "postgres://tollgate:tollgate@127.0.0.1:$PORT/tollgate_test"
