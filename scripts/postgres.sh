#!/usr/bin/env bash
# Makes sure a PostgreSQL server is running with the test role and database, and prints the
# URL to use as TEST_DATABASE_URL — on stdout, alone; everything else goes to stderr, so
# `URL=$(scripts/postgres.sh)` is safe. Exits non-zero with a sentence when it cannot.
#
# Which server:
#   1. one already answering on 127.0.0.1:5432 that accepts the tollgate role, else
#   2. as root: the machine's Debian cluster (pg_ctlcluster), started when it is down, else
#   3. not root (or when 2 fails): a private cluster under .tmp/postgres on port 5433,
#      created with initdb as the current user.
# Every call creates a new database `tollgate_run_<time>_<pid>` for one test run (each test
# makes its own schema in it) and drops the databases of earlier runs that are not in use.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
fail() { log "$*"; exit 1; }

PG_VERSION=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1 || true)
[ -n "$PG_VERSION" ] || fail "PostgreSQL is not installed: apt-get install postgresql"
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin
ROLE_URL_BASE="postgres://tollgate:tollgate@127.0.0.1"

ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$1" >/dev/null 2>&1; }
wait_ready() {
  for _ in $(seq 1 60); do ready "$1" && return 0; sleep 0.5; done
  return 1
}
role_works() {
  PGPASSWORD=tollgate PGCONNECT_TIMEOUT=3 "$PG_BIN/psql" -h 127.0.0.1 -p "$1" -U tollgate \
    -d postgres -qtAc 'SELECT 1' >/dev/null 2>&1
}

# Runs one SQL text as the server's superuser. Set by whichever branch below owns the server.
ADMIN=()
as_admin() { "${ADMIN[@]}" -v ON_ERROR_STOP=1 -qtA "$@"; }

# As root, run a command as the postgres OS user. `su` needs PAM, which some sandboxes lack;
# runuser and setpriv do not.
as_postgres_user() {
  if runuser -u postgres -- true 2>/dev/null; then
    runuser -u postgres -- "$@"
  elif setpriv --reuid=postgres --regid=postgres --clear-groups true 2>/dev/null; then
    setpriv --reuid=postgres --regid=postgres --clear-groups "$@"
  else
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  fi
}

debian_cluster() {
  command -v pg_lsclusters >/dev/null || return 1
  if [ -z "$(pg_lsclusters -h 2>/dev/null || true)" ]; then
    log "creating the Debian cluster $PG_VERSION/main"
    pg_createcluster "$PG_VERSION" main >&2 || return 1
  fi
  local port data
  port=$(pg_lsclusters -h | awk 'NR==1 {print $3}')
  data=$(pg_lsclusters -h | awk 'NR==1 {print $6}')
  if ! ready "$port"; then
    # A pid file copied from a machine image can name a live, unrelated process, and then
    # pg_ctlcluster believes the server runs. No postmaster process means it is stale.
    if [ -f "$data/postmaster.pid" ] && ! pgrep -u postgres -x postgres >/dev/null; then
      log "removing a stale $data/postmaster.pid"
      rm -f "$data/postmaster.pid"
    fi
    log "starting the Debian cluster $PG_VERSION/main on port $port"
    pg_ctlcluster "$PG_VERSION" main start >&2 || true
    if ! wait_ready "$port"; then
      log "the Debian cluster did not start; its log ends with:"
      tail -n 20 "/var/log/postgresql/postgresql-$PG_VERSION-main.log" >&2 2>/dev/null || true
      return 1
    fi
  fi
  ADMIN=(as_postgres_user "$PG_BIN/psql" -p "$port")
  as_admin -c 'SELECT 1' >/dev/null || return 1
  PORT=$port
}

private_cluster() {
  local data=$PWD/.tmp/postgres port=5433
  if [ "$(id -u)" = 0 ]; then
    fail "could not use the Debian cluster as root, and initdb refuses to run as root"
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "creating a private cluster in $data"
    mkdir -p "$data"
    "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >&2
  fi
  if ! ready "$port"; then
    rm -f "$data/postmaster.pid"
    log "starting the private cluster on port $port"
    "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w \
      -o "-p $port -k $data -c listen_addresses=127.0.0.1" start >&2 ||
      { tail -n 20 "$data/server.log" >&2; fail "the private cluster did not start"; }
  fi
  ADMIN=("$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres)
  PORT=$port
}

PORT=""
if ready 5432 && role_works 5432; then
  PORT=5432
  ADMIN=()
elif [ "$(id -u)" = 0 ] && debian_cluster; then
  :
else
  private_cluster
fi

if [ ${#ADMIN[@]} -gt 0 ]; then
  if [ "$(as_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'tollgate'")" != "1" ]; then
    as_admin -c "CREATE ROLE tollgate LOGIN CREATEDB PASSWORD 'tollgate'" >&2
  fi
  as_admin -c "ALTER ROLE tollgate CREATEDB" >&2
fi
role_works "$PORT" || fail "the tollgate role cannot connect to PostgreSQL on port $PORT"

# A fresh database for every run, named after it, so runs never touch each other's data.
# Each test makes its own schema in it (server/tests/common) and leaves it behind. Databases of
# runs that started more than two hours ago (and old-style ones) are dropped here; a run still
# going is never that old. Dropping a whole database takes one lock, where dropping hundreds of
# schemas in one transaction ran out of max_locks_per_transaction.
as_role() {
  PGPASSWORD=tollgate "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U tollgate -d postgres \
    -v ON_ERROR_STOP=1 -qtA "$@"
}
drop_as=(as_role)
[ ${#ADMIN[@]} -gt 0 ] && drop_as=(as_admin) # also when another role owns them
NOW=$(date +%s)
for old in $(as_role -c "SELECT datname FROM pg_database
                         WHERE datname = 'tollgate_test'
                            OR datname LIKE 'tollgate#_run#_%' ESCAPE '#'
                            OR datname LIKE 'tollgate#_t#_%' ESCAPE '#'"); do
  started=$(printf '%s' "$old" | sed -n 's/^tollgate_run_\([0-9]*\)_[0-9]*$/\1/p')
  if [ -n "$started" ] && [ $((NOW - started)) -lt 7200 ]; then
    continue
  fi
  "${drop_as[@]}" -c "DROP DATABASE IF EXISTS \"$old\"" >/dev/null 2>&1 ||
    log "could not drop $old (still in use?); left as it is"
done
DATABASE="tollgate_run_${NOW}_$$"
as_role -c "CREATE DATABASE $DATABASE" >&2 ||
  fail "could not create the test database $DATABASE on port $PORT"
echo "$ROLE_URL_BASE:$PORT/$DATABASE"
