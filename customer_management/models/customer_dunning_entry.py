"""Dunning entries: a dunning level applied to an invoice, once, so that reminders never repeat."""

from odoo import fields, models


class CustomerDunningEntry(models.Model):
    """A dunning level applied to an invoice, once: the record that makes the reminders never repeat."""

    _name = "customer.dunning.entry"
    _inherit = ["customer.input.checked.mixin"]
    _description = "Dunning Entry"
    _order = "date desc, id desc"
    _check_company_auto = True

    run_id = fields.Many2one(
        "customer.dunning.run", string="Dunning Run", readonly=True, index=True, ondelete="restrict"
    )
    move_id = fields.Many2one("account.move", string="Invoice", required=True, readonly=True, ondelete="cascade")
    level_id = fields.Many2one(
        "customer.dunning.level", string="Level", required=True, readonly=True, index=True, ondelete="restrict"
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    date = fields.Date(required=True, readonly=True)
    days_overdue = fields.Integer(readonly=True)

    # The cron inserts the entries with ON CONFLICT DO NOTHING: this index is what keeps a level from being applied
    # twice to an invoice, whatever the number of workers running the cron.
    _sql_constraints = [
        ("move_level_unique", "UNIQUE (move_id, level_id)", "A dunning level is applied once to an invoice."),
    ]
