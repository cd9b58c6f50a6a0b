#!/usr/bin/env bash
# Demo database with the module, its demo data and Spanish (es_MX) for admin; then serve.
source "$(dirname "$0")/env.sh"

if module_installed "$DB"; then
    say "Updating $MODULE in database $DB"
    odoo -d "$DB" -u "$MODULE" --stop-after-init --log-level=warn
else
    # Also resumes a first run that stopped half-way: the module is installed only once this succeeds.
    say "Creating database $DB with $MODULE and its demo data"
    odoo -d "$DB" -i "$MODULE" --load-language=en_US,es_MX --stop-after-init --log-level=warn
    "$PY" "$ODOO_SRC/odoo-bin" shell -c "$ODOO_CONF" -d "$DB" --no-http --log-level=warn <<'PY'
env.ref("base.user_admin").lang = "es_MX"
env.cr.commit()
PY
fi
say "Serving http://localhost:$HTTP_PORT (admin / admin)"
exec "$PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$DB" --db-filter="^$DB\$"
