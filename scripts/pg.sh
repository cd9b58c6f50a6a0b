#!/usr/bin/env bash
# The private PostgreSQL 15 cluster: .pg/data, Unix socket in .pg/run, superuser "odoo".
# As root, initdb and pg_ctl run as the "postgres" system user, as PostgreSQL demands.
source "$(dirname "$0")/env.sh"

as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

running() {
    [ -f "$PGDATA/PG_VERSION" ] && as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
}

start() {
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        say "Creating the private PostgreSQL cluster in $PGDIR"
        mkdir -p "$PGDATA" "$PGSOCK"
        if [ "$(id -u)" = 0 ]; then
            chown -R postgres:postgres "$PGDIR"
            # The postgres user must be able to reach the cluster through every parent folder.
            dir=$PGDIR
            while [ "$dir" != / ]; do
                dir=$(dirname "$dir")
                runuser -u postgres -- test -x "$dir" || chmod o+x "$dir"
            done
        fi
        as_pg "$PGBIN/initdb" -D "$PGDATA" -U odoo --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
        cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$PGSOCK'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 256MB
max_connections = 100
CONF
    fi
    if ! running; then
        say "Starting PostgreSQL"
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDIR/postgresql.log" -w start >/dev/null
    fi
}

stop() {
    if running; then
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
        say "PostgreSQL stopped"
    fi
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    *) die "usage: pg.sh start|stop" ;;
esac
