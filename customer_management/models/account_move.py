"""Invoices: the dunning level each invoice reached and when, from its dunning entries; the index of the drafts the
exposure engine sums."""

from odoo import api, fields, models
from odoo.tools.sql import column_exists, create_column, create_index


class AccountMove(models.Model):
    _inherit = "account.move"

    customer_dunning_entry_ids = fields.One2many(
        "customer.dunning.entry", "move_id", string="Dunning Entries", groups="account.group_account_invoice"
    )
    # Computed from the entries rather than written: an invoice's write resynchronises its lines and marks it as
    # manually modified, which a reminder must not do.
    customer_dunning_level_id = fields.Many2one(
        "customer.dunning.level",
        string="Dunning Level",
        compute="_compute_customer_dunning",
        store=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
        help="The last dunning level the invoice reached.",
    )
    customer_dunning_date = fields.Date(
        string="Last Reminder",
        compute="_compute_customer_dunning",
        store=True,
        copy=False,
        help="When the invoice reached its dunning level.",
    )

    def init(self):  # pylint: disable=missing-return
        super().init()
        # The exposure engine sums the draft customer invoices and credit notes of its customers: a few of all
        # entries, which this index finds by customer (core indexes the entries by partner, not by customer).
        create_index(
            self.env.cr,
            "account_move_customer_draft_invoice_index",
            self._table,
            ["commercial_partner_id"],
            where="state = 'draft' AND move_type IN ('out_invoice', 'out_refund')",
        )

    def _auto_init(self):
        # Created empty: computing them over every existing journal entry at installation would take long.
        if not column_exists(self.env.cr, "account_move", "customer_dunning_level_id"):
            create_column(self.env.cr, "account_move", "customer_dunning_level_id", "int4")
            create_column(self.env.cr, "account_move", "customer_dunning_date", "date")
        return super()._auto_init()

    @api.depends("customer_dunning_entry_ids.level_id", "customer_dunning_entry_ids.date")
    def _compute_customer_dunning(self):
        for move in self:
            last = move.sudo().customer_dunning_entry_ids.sorted(
                lambda entry: (entry.date, entry.level_id.days_overdue)
            )
            move.customer_dunning_level_id = last[-1:].level_id
            move.customer_dunning_date = last[-1:].date
