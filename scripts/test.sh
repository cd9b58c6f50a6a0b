#!/usr/bin/env bash
# A fresh database, the module installed with its demo data, then the whole suite under pytest-odoo.
source "$(dirname "$0")/env.sh"

# pytest collects every test file, Odoo's own runner only the modules tests/__init__.py imports.
missing=()
for file in "$ROOT/$MODULE"/tests/test_*.py; do
    name=$(basename "$file" .py)
    grep -qx "from \. import $name" "$ROOT/$MODULE/tests/__init__.py" || missing+=("$name")
done
[ ${#missing[@]} -eq 0 ] || die "$MODULE/tests/__init__.py does not import ${missing[*]}: Odoo's test runner would skip them"
"$PGBIN/dropdb" --if-exists --force "$TEST_DB"
rm -rf "$ODOO_DATA/filestore/$TEST_DB"
say "Installing $MODULE into a fresh database $TEST_DB"
"$PY" "$ODOO_SRC/odoo-bin" -c "$TEST_CONF" -d "$TEST_DB" -i "$MODULE" --load-language=en_US,es_MX --stop-after-init --log-level=warn --no-http
warm_chromium
say "Running the test suite"
cd "$ROOT"
PYTHONPATH=$ODOO_SRC exec "$VENV/bin/pytest" "$MODULE" \
    --odoo-config="$TEST_CONF" --odoo-database="$TEST_DB" --odoo-http \
    -p no:cacheprovider "$@"
