from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    customer_dunning_level_id = fields.Many2one(
        "customer.dunning.level",
        string="Dunning Level",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
        help="The last dunning level the invoice reached.",
    )
    customer_dunning_date = fields.Date(
        string="Last Reminder", readonly=True, copy=False, help="When the invoice reached its dunning level."
    )
