# customer_management: the two commands a newcomer needs are `make run` and `make test`.
# Everything else (venv, private PostgreSQL cluster, system packages) is set up on the way.

ODOO_SRC ?= /opt/odoo
DB ?= customer_management
TEST_DB ?= customer_management_test
CORE_DB ?= customer_management_core
HTTP_PORT ?= 8069
SCALE ?= small

export ODOO_SRC DB TEST_DB CORE_DB HTTP_PORT SCALE

.PHONY: run test test-core lint format bench setup stop clean pot help

help:
	@echo "make run    set up, create/update the demo database '$(DB)', serve http://localhost:$(HTTP_PORT) (admin/admin)"
	@echo "make test   set up, fresh database '$(TEST_DB)', install the module, run the whole suite"
	@echo "make test-core  set up, fresh database '$(CORE_DB)' with the module, Odoo's own sale, sale_stock and account suites"
	@echo "make bench  set up, benchmark database for SCALE=$(SCALE) (small, medium, large), run the benchmarks"
	@echo "make lint   ruff (check + format) and pylint-odoo"
	@echo "make stop   stop the private PostgreSQL cluster"

setup:
	@scripts/setup.sh

run: setup
	@scripts/run.sh

test: setup
	@scripts/test.sh

test-core: setup
	@scripts/test-core.sh

bench: setup
	@scripts/bench.sh

lint: setup
	@scripts/lint.sh

format: setup
	@.venv/bin/ruff format customer_management benchmarks scripts conftest.py
	@.venv/bin/ruff check --fix customer_management benchmarks scripts conftest.py

pot: setup
	@scripts/pot.sh

stop:
	@scripts/pg.sh stop

clean: stop
	rm -rf .venv .pg .odoo .odoo.conf .odoo-test.conf
