# Sourced by .ci/run: a throwaway PostgreSQL server on loopback for the test suite.
# Debian's postgresql is installed if missing; the cluster lives in a temporary
# folder, listens on 127.0.0.1 only, and is stopped (and deleted) on exit.
# Durability is switched off (fsync, synchronous_commit): it holds test data only.

PG_PORT="${ETM_CI_PG_PORT:-54329}"
PG_DIR=""

pg_run() {
    # Run a PostgreSQL program as the cluster's owner (postgres when we are root).
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_start() {
    apt_install postgresql
    local bin
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        echo ".ci/postgres.sh: PostgreSQL server programs not found (apt-get install postgresql)" >&2
        return 1
    fi
    PG_BIN="$bin"
    PG_DIR="$(mktemp -d /tmp/etm-ci-pg.XXXXXX)"
    [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
    pg_run "$PG_BIN/initdb" -D "$PG_DIR/data" -U etm --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w start -o \
        "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
    export ETM_TEST_POSTGRES_URL="postgresql://etm@127.0.0.1:$PG_PORT/postgres"
    echo "postgres: server $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

pg_stop() {
    [ -n "$PG_DIR" ] || return 0
    pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR=""
}
