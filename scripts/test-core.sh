#!/usr/bin/env bash
# `make test-core`: Odoo's own post-install suites of the apps the module hooks into (sale, sale_stock, account),
# run by Odoo's runner on a fresh database (with demo data) where the module is installed. Fails on any failure
# or error that scripts/core-known-failures.txt does not list; the summary is the last line.
source "$(dirname "$0")/env.sh"
CORE_DB=${CORE_DB:-customer_management_core}
CORE_HTTP_PORT=${CORE_HTTP_PORT:-8469}
CORE_SUITES=${CORE_SUITES:-sale,sale_stock,account}
CORE_LOG=${CORE_LOG:-$ODOO_DATA/test-core.log}
KNOWN=$ROOT/scripts/core-known-failures.txt
# post_install/<module>: the module's post-install tests only; its at-install tests run when it is installed, before
# the modules that depend on it (sale's fail once sale_stock is installed, with or without customer_management).
tags=$(printf 'post_install/%s,' ${CORE_SUITES//,/ })
start=$(date +%s)

warm_chromium
"$PGBIN/dropdb" --if-exists --force "$CORE_DB"
rm -rf "$ODOO_DATA/filestore/$CORE_DB"
say "Installing $MODULE into a fresh database $CORE_DB"
# Installed with the suites' port, so that the database's web.base.url is their server: wkhtmltopdf reads the
# reports' assets there, and another server (another run's tests) would make it wait forever.
"$PY" "$ODOO_SRC/odoo-bin" -c "$TEST_CONF" -d "$CORE_DB" -i "$MODULE" --http-port="$CORE_HTTP_PORT" \
    --stop-after-init --log-level=warn --no-http
say "Running Odoo's ${tags%,} post-install suites on port $CORE_HTTP_PORT (about 12 minutes; log in $CORE_LOG)"
# Odoo's exit code counts the known failures too: the report below decides.
"$PY" "$ODOO_SRC/odoo-bin" -c "$TEST_CONF" -d "$CORE_DB" --db-filter="^$CORE_DB\$" --http-port="$CORE_HTTP_PORT" \
    --test-enable --test-tags="${tags%,}" --stop-after-init --log-level=info >"$CORE_LOG" 2>&1 || true
"$PY" "$ROOT/scripts/core_report.py" "$CORE_LOG" "$KNOWN" --suites "$CORE_SUITES" --seconds "$(($(date +%s) - start))"
