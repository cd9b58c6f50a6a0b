#!/usr/bin/env bash
# Regenerate i18n/customer_management.pot from a database without demo data, and merge it into es.po.
source "$(dirname "$0")/env.sh"
I18N_DB=${I18N_DB:-customer_management_i18n}
I18N=$ROOT/$MODULE/i18n
command -v msgmerge >/dev/null || die "msgmerge is needed: apt-get install gettext"
if db_exists "$I18N_DB"; then
    odoo -d "$I18N_DB" -u "$MODULE" --stop-after-init --log-level=warn --no-http
else
    odoo -d "$I18N_DB" -i "$MODULE" --without-demo=all --stop-after-init --log-level=warn --no-http
fi
odoo -d "$I18N_DB" --i18n-export="$I18N/$MODULE.pot" --modules="$MODULE" --log-level=warn --no-http
if [ -f "$I18N/es.po" ]; then
    msgmerge --quiet --update --no-fuzzy-matching --backup=none "$I18N/es.po" "$I18N/$MODULE.pot"
    msgattrib --no-obsolete --output-file="$I18N/es.po" "$I18N/es.po"
else
    msginit --no-translator --locale=es --input="$I18N/$MODULE.pot" --output-file="$I18N/es.po"
fi
untranslated=$(msgattrib --untranslated "$I18N/es.po" | grep -c '^msgid ' || true)
say "es.po: $untranslated untranslated entries"
