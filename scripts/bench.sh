#!/usr/bin/env bash
# `make bench`: the benchmark database for $SCALE, then every case, side by side with its baselines.
# The database is kept between runs: rebuilt when the generator, the scale or the module's version changes,
# only updated (-u) when the module's code changed. Extra arguments go to benchmarks/bench.py (e.g. --runs 11).
source "$(dirname "$0")/env.sh"
SCALE=${SCALE:-small}
BENCH_DB=customer_management_bench_$SCALE
cd "$ROOT"

bench_py() {
    PYTHONPATH=$ODOO_SRC "$PY" -m "$@"
}

param() {
    "$PGBIN/psql" -d "$BENCH_DB" -Atc "SELECT value FROM ir_config_parameter WHERE key = 'customer_management.$1'"
}

expected=$(bench_py benchmarks.generate --scale "$SCALE" --fingerprint)
if db_exists "$BENCH_DB" && [ "$(param bench_fingerprint)" = "$expected" ]; then
    if [ "$(param bench_module_hash)" != "$(bench_py benchmarks.generate --module-hash)" ]; then
        say "The module changed: updating $MODULE in $BENCH_DB"
        odoo -d "$BENCH_DB" -u "$MODULE" --stop-after-init --log-level=warn --no-http
        bench_py benchmarks.generate --scale "$SCALE" --mark-updated
    fi
else
    if db_exists "$BENCH_DB"; then
        say "The generator or the scale changed: rebuilding $BENCH_DB"
        "$PGBIN/dropdb" "$BENCH_DB"
    fi
    say "Creating $BENCH_DB with $MODULE (no demo data)"
    odoo -d "$BENCH_DB" -i "$MODULE" --without-demo=all --stop-after-init --log-level=warn --no-http
    say "Generating the '$SCALE' data set (seeded), then checking it"
    bench_py benchmarks.generate --scale "$SCALE"
fi
say "Running the benchmarks on $BENCH_DB"
bench_py benchmarks.bench --scale "$SCALE" "$@"
