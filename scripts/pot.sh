#!/usr/bin/env bash
# Regenerate i18n/customer_management.pot from the test database, and merge it into es.po.
source "$(dirname "$0")/env.sh"
db_exists "$TEST_DB" || odoo -d "$TEST_DB" -i "$MODULE" --stop-after-init --log-level=warn --no-http
odoo -d "$TEST_DB" -u "$MODULE" --stop-after-init --log-level=warn --no-http
odoo -d "$TEST_DB" --i18n-export="$ROOT/$MODULE/i18n/$MODULE.pot" --modules="$MODULE" --language= --log-level=warn --no-http
if [ -f "$ROOT/$MODULE/i18n/es.po" ]; then
    msgmerge --quiet --update --no-fuzzy-matching --backup=none "$ROOT/$MODULE/i18n/es.po" "$ROOT/$MODULE/i18n/$MODULE.pot"
fi
