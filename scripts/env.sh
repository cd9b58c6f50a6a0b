# Shared settings for the project's scripts; sourced, never run.
# shellcheck shell=bash
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo}
DB=${DB:-customer_management}
TEST_DB=${TEST_DB:-customer_management_test}
HTTP_PORT=${HTTP_PORT:-8069}
VENV=$ROOT/.venv
PY=$VENV/bin/python
PGDIR=$ROOT/.pg
PGDATA=$PGDIR/data
PGSOCK=$PGDIR/run
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
ODOO_CONF=$ROOT/.odoo.conf
ODOO_DATA=$ROOT/.odoo
MODULE=customer_management
# The tests serve HTTP on their own port, so that they run beside `make run`.
TEST_CONF=$ROOT/.odoo-test.conf
TEST_HTTP_PORT=${TEST_HTTP_PORT:-8169}
export PGHOST=$PGSOCK PGUSER=odoo

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

odoo() {
    "$PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" "$@"
}

# False too when the database does not exist.
module_installed() {
    [ "$("$PGBIN/psql" -d "$1" -Atc "SELECT state FROM ir_module_module WHERE name = '$MODULE'" 2>/dev/null)" = installed ]
}

db_exists() {
    [ "$("$PGBIN/psql" -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

# A browser's first start on a fresh machine builds its font and profile caches and can outlast the ten seconds
# Odoo waits for it, which turns the first tour into a skip: the test scripts start it once before their suites.
warm_chromium() {
    command -v chromium >/dev/null || die "chromium is needed for the browser tests"
    local profile
    profile=$(mktemp -d)
    say "Starting chromium once, headless"
    timeout 120 chromium --headless=new --no-sandbox --disable-gpu --user-data-dir="$profile" \
        --dump-dom about:blank >/dev/null 2>&1 || { rm -rf "$profile"; die "chromium does not start headless"; }
    rm -rf "$profile"
}
