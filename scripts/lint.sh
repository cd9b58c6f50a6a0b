#!/usr/bin/env bash
# ruff (lint + format) and pylint-odoo; zero findings is the normal state.
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$VENV/bin/ruff" check customer_management benchmarks scripts conftest.py
"$VENV/bin/ruff" format --check customer_management benchmarks scripts conftest.py
"$VENV/bin/pylint" --rcfile=.pylintrc customer_management
say "lint clean"
