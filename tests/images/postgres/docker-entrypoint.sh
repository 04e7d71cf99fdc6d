#!/usr/bin/env bash
# Entrypoint of the test PostgreSQL image: the start-up contract of the official postgres image (which Aspire's
# AddPostgres runs in production), implemented with Debian's PostgreSQL binaries.
#
#   - Command "postgres" (the default); a first argument starting with "-" is a postgres option ("-c x=y").
#     Any other command is run as given.
#   - Started as root: PGDATA and the socket folder are made the postgres user's, then the script runs again as
#     postgres (gosu). Started as another user: it runs as that user.
#   - First start (no PGDATA/PG_VERSION): initdb as POSTGRES_USER (default "postgres") with POSTGRES_PASSWORD and
#     the extra POSTGRES_INITDB_ARGS; password authentication (POSTGRES_HOST_AUTH_METHOD, default the server's
#     password_encryption, scram-sha-256) for every address; listen on every address (port 5432). Then a server
#     reachable only on its Unix socket creates POSTGRES_DB (default POSTGRES_USER) and runs
#     /docker-entrypoint-initdb.d/*.sh, *.sql and *.sql.gz in name order, and is stopped again.
#   - Later starts use the existing cluster as it is: the variables are not read again.
# The password never reaches a command line: initdb reads it from a pipe, psql from PGPASSWORD.
set -Eeuo pipefail

if [ "${1:0:1}" = '-' ]; then
  set -- postgres "$@"
fi
if [ "$1" != postgres ]; then
  exec "$@"
fi

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec gosu postgres "${BASH_SOURCE[0]}" "$@"
fi

initialise() {
  : "${POSTGRES_USER:=postgres}"
  : "${POSTGRES_DB:=$POSTGRES_USER}"
  : "${POSTGRES_INITDB_ARGS:=}"
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "${POSTGRES_HOST_AUTH_METHOD:-}" != trust ]; then
    echo "postgres: the database is not initialised and POSTGRES_PASSWORD is not set (or empty)." >&2
    echo "postgres: set POSTGRES_PASSWORD, or POSTGRES_HOST_AUTH_METHOD=trust to allow connections without one." >&2
    exit 1
  fi

  # eval, as the official image: POSTGRES_INITDB_ARGS may quote values that hold blanks.
  eval 'initdb --username="$POSTGRES_USER" --pwfile=<(printf "%s\n" "${POSTGRES_PASSWORD:-}") '"$POSTGRES_INITDB_ARGS"

  local auth="${POSTGRES_HOST_AUTH_METHOD:-$(postgres -C password_encryption)}"
  printf '\n# Every address, with a password (docker-entrypoint.sh).\nhost all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"
  printf "\n# Every address (docker-entrypoint.sh).\nlisten_addresses = '*'\n" >> "$PGDATA/postgresql.conf"

  # A server only this script can reach (no TCP) for the database and the init scripts.
  export PGUSER="$POSTGRES_USER" PGPASSWORD="${POSTGRES_PASSWORD:-}" PGDATABASE=postgres
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start

  local psql=(psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc)
  if [ "$POSTGRES_DB" != postgres ]; then
    local exists
    exists=$("${psql[@]}" -tA --set db="$POSTGRES_DB" <<<"SELECT 1 FROM pg_database WHERE datname = :'db';")
    if [ -z "$exists" ]; then
      "${psql[@]}" --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
    fi
  fi
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    [ -e "$f" ] || continue
    case "$f" in
      *.sh) echo "postgres: running $f"; if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
      *.sql) echo "postgres: running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) echo "postgres: running $f"; gunzip -c "$f" | "${psql[@]}" --dbname "$POSTGRES_DB" ;;
      *) echo "postgres: ignoring $f" ;;
    esac
  done

  pg_ctl -D "$PGDATA" -m fast -w stop
  unset PGPASSWORD PGUSER PGDATABASE
  echo "postgres: initialisation complete; starting the server."
}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  initialise
fi
exec "$@"
