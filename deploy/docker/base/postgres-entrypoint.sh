#!/bin/sh
# The part of the official postgres image's entrypoint that docker-compose.yml relies on: on first
# start, initdb into $PGDATA with POSTGRES_USER (default postgres) and its password
# (POSTGRES_PASSWORD or the file named by POSTGRES_PASSWORD_FILE), password logins over TCP,
# create POSTGRES_DB; then run postgres as the postgres user.
set -eu
if [ "${1:-}" = "postgres" ] && [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ "${1:-}" = "postgres" ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
    user="${POSTGRES_USER:-postgres}"
    password="${POSTGRES_PASSWORD:-}"
    [ -n "${POSTGRES_PASSWORD_FILE:-}" ] && password="$(cat "$POSTGRES_PASSWORD_FILE")"
    [ -n "$password" ] || { echo "POSTGRES_PASSWORD is not set" >&2; exit 1; }
    pwfile="$(mktemp)"
    printf '%s\n' "$password" > "$pwfile"
    initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
    echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    db="${POSTGRES_DB:-$user}"
    if [ "$db" != postgres ]; then
        pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
        PGPASSWORD="$password" psql -v ON_ERROR_STOP=1 -U "$user" -d postgres -q -c "CREATE DATABASE \"$db\" OWNER \"$user\""
        pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    fi
    echo "PostgreSQL init process complete; ready for start up."
fi
exec "$@"
