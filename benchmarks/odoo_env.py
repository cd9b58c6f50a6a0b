"""Open an Odoo environment on a database from a plain Python process (no ``odoo-bin shell``)."""

import contextlib
import logging
import os
from pathlib import Path

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Path(os.environ.get("ODOO_CONF", ROOT / ".odoo.conf"))


def bench_database(scale):
    """The benchmark database of a scale: one per scale, kept between runs."""
    return f"customer_management_bench_{scale}"


def load_config(db, log_level="warn"):
    """Parse the project's Odoo configuration for ``db``, as ``odoo-bin -c .odoo.conf -d db`` would (once)."""
    if odoo.tools.config.get("db_name") == db:
        return
    odoo.tools.config.parse_config(["-c", str(CONFIG), "-d", db, f"--log-level={log_level}", "--no-http"])
    odoo.netsvc.init_logger()
    logging.getLogger("odoo").setLevel(getattr(logging, log_level.upper()))


@contextlib.contextmanager
def environment(db, log_level="warn"):
    """An environment as the superuser on ``db``; the transaction commits when the block ends without error."""
    load_config(db, log_level)
    registry = Registry(db)
    with registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})
