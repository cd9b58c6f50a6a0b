from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The dunning cron runs on the dunning runs now; its record is not updated by the module (noupdate)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("customer_management.ir_cron_customer_dunning", raise_if_not_found=False)
    if cron:
        cron.write({"model_id": env["ir.model"]._get_id("customer.dunning.run"), "code": "model._cron_run_dunning()"})
