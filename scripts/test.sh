#!/usr/bin/env bash
# A fresh database, the module installed with its demo data, then the whole suite under pytest-odoo.
source "$(dirname "$0")/env.sh"

command -v chromium >/dev/null || die "chromium is needed for the browser tests"
if db_exists "$TEST_DB"; then
    "$PGBIN/dropdb" "$TEST_DB"
fi
say "Installing $MODULE into a fresh database $TEST_DB"
odoo -d "$TEST_DB" -i "$MODULE" --stop-after-init --log-level=warn --no-http
say "Running the test suite"
cd "$ROOT"
PYTHONPATH=$ODOO_SRC exec "$VENV/bin/pytest" "$MODULE" \
    --odoo-config="$ODOO_CONF" --odoo-database="$TEST_DB" --odoo-http \
    -p no:cacheprovider "$@"
