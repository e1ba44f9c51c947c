#!/usr/bin/env bash
# Starts the machine's PostgreSQL (Debian cluster) when it is not running and makes sure the
# test role and database exist. Prints the URL to use as TEST_DATABASE_URL.
# Tests create one fresh schema per test in tollgate_test, which the role owns.
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
# Schemas left behind by earlier test runs (each test makes one, see server/tests/common).
su postgres -c "psql -p $PORT -d tollgate_test -v ON_ERROR_STOP=1 -q" >&2 <<'SQL'
SET client_min_messages = warning;
DO $$
DECLARE s text;
BEGIN
  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tollgate#_t#_%' ESCAPE '#' LOOP
    EXECUTE 'DROP SCHEMA ' || quote_ident(s) || ' CASCADE';
  END LOOP;
END $$;
SQL
echo "postgres://tollgate:tollgate@127.0.0.1:$PORT/tollgate_test"
