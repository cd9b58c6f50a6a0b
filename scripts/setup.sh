#!/usr/bin/env bash
# Everything `make run` and `make test` need, idempotent: system packages (as root),
# the venv, Odoo's source at $ODOO_SRC, the private PostgreSQL cluster and the Odoo config.
source "$(dirname "$0")/env.sh"

[ -f "$ODOO_SRC/odoo-bin" ] || die "Odoo 18.0 Community not found at $ODOO_SRC: set ODOO_SRC to the folder holding odoo-bin."
command -v python3.11 >/dev/null || die "Python 3.11 is needed (python3.11 on the PATH)."

missing=()
[ -x "$PGBIN/initdb" ] || missing+=(postgresql-15 postgresql-client-15)
command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
command -v chromium >/dev/null || missing+=(chromium)
[ -f /usr/include/postgresql/libpq-fe.h ] || missing+=(libpq-dev)
command -v gcc >/dev/null || missing+=(gcc)
command -v msgmerge >/dev/null || missing+=(gettext)
if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing system packages, install them as root: ${missing[*]}"
    say "Installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

stamp=$VENV/.requirements
if [ ! -f "$stamp" ] || ! cmp -s "$ROOT/requirements.txt" "$stamp"; then
    say "Installing Python packages into .venv"
    [ -x "$PY" ] || python3.11 -m venv "$VENV"
    "$PY" -m pip install -q --upgrade pip wheel
    "$PY" -m pip install -q -r "$ROOT/requirements.txt"
    cp "$ROOT/requirements.txt" "$stamp"
fi

"$ROOT/scripts/pg.sh" start

# An official checkout keeps the apps in addons/; a packaged tree has them all in odoo/addons.
addons_path=$ODOO_SRC/odoo/addons
[ -d "$ODOO_SRC/addons" ] && addons_path=$ODOO_SRC/addons,$addons_path

mkdir -p "$ODOO_DATA"
write_conf() {
    cat >"$1" <<CONF
[options]
addons_path = $addons_path,$ROOT
data_dir = $ODOO_DATA
db_host = $PGSOCK
db_user = odoo
db_password = False
admin_passwd = admin
http_interface = 127.0.0.1
http_port = $2
list_db = True
without_demo = False
CONF
}
write_conf "$ODOO_CONF" "$HTTP_PORT"
write_conf "$TEST_CONF" "$TEST_HTTP_PORT"
