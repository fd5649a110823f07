#!/usr/bin/env bash
# Start a throw-away PostgreSQL server for the store tests and print its URL.
#
# Usage:  eval "$(bash .ci/postgres.sh)"     # exports EVENTSCRIBE_TEST_PG_URL
#    or:  source .ci/postgres.sh
# Installs Debian's postgresql when missing, runs the server as the `postgres`
# user on a temp data dir, port 5433 (PG_PORT to change), trust auth on
# 127.0.0.1 only. Idempotent: a server already up on that port is reused.
# Everything but the final `export ...` line goes to stderr.
set -euo pipefail

PG_PORT="${PG_PORT:-5433}"
PG_DATA="${PG_DATA:-/tmp/eventscribe-pg-${PG_PORT}}"
PG_DB="${PG_DB:-eventscribe_test}"

log() { echo "postgres.sh: $*" >&2; }

as_postgres() {
    if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bindir() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
    echo "$d"
}

BIN="$(pg_bindir)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
    log "installing postgresql (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 || true
    apt-get install -y -qq postgresql >&2
    BIN="$(pg_bindir)"
fi

if ! as_postgres "$BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q; then
    if [ ! -s "$PG_DATA/PG_VERSION" ]; then
        log "initdb in $PG_DATA"
        mkdir -p "$PG_DATA"
        chown postgres:postgres "$PG_DATA" 2>/dev/null || true
        as_postgres "$BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 >&2
    fi
    log "starting server on 127.0.0.1:$PG_PORT"
    as_postgres "$BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
        -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
fi

if ! as_postgres "$BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname='$PG_DB'" | grep -q 1; then
    as_postgres "$BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$PG_DB"
fi

EVENTSCRIBE_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:${PG_PORT}/${PG_DB}"
export EVENTSCRIBE_TEST_PG_URL
log "ready: $EVENTSCRIBE_TEST_PG_URL"
echo "export EVENTSCRIBE_TEST_PG_URL=$EVENTSCRIBE_TEST_PG_URL"
