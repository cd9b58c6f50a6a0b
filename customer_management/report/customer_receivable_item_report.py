"""The open receivable items report: each open item of a customer with its due date, days overdue and aging bucket."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.customer_exposure import AGING_BUCKETS
from .report_query import build_report_query


class CustomerReceivableItemReport(models.Model):
    """Each open receivable item (invoice, credit note, payment not applied) of the customers, aged today."""

    _name = "customer.receivable.item.report"
    _inherit = ["customer.receivable.mixin"]
    _description = "Open Receivable Items"
    _auto = False
    _order = "due_date, id"
    _rec_name = "move_id"

    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    move_type = fields.Selection(related="move_id.move_type", string="Type")
    move_currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    date = fields.Date(readonly=True)
    due_date = fields.Date(readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    bucket = fields.Selection(AGING_BUCKETS, string="Aging", readonly=True)
    is_overdue = fields.Boolean(string="Overdue", readonly=True)
    is_due_soon = fields.Boolean(string="Due Soon", readonly=True)
    residual = fields.Monetary(string="Amount Due", currency_field="currency_id", readonly=True)
    residual_currency = fields.Monetary(
        string="Amount Due in Currency", currency_field="move_currency_id", readonly=True, aggregator=False
    )

    @property
    def _table_query(self):
        return self._query()

    @api.model
    def _query(self):
        """One row per open posted receivable item of every company, with its customer's classification: the
        engine's open items (:meth:`customer.exposure._get_open_item_ctes`) on ``CURRENT_DATE``."""
        return build_report_query(self)

    @api.model
    def _with(self):
        return self.env["customer.exposure"]._get_open_item_ctes(
            None, None, SQL("CURRENT_DATE"), line_columns=("date", "currency_id", "amount_residual_currency")
        )

    @api.model
    def _select(self):
        conditions = self.env["customer.exposure"]._get_item_conditions_sql(
            SQL("CURRENT_DATE"), SQL("company.customer_due_soon_days")
        )
        return SQL(
            """open_item.id,
                   open_item.move_id,
                   customer.id AS partner_id,
                   open_item.company_id,
                   company.currency_id,
                   open_item.currency_id AS move_currency_id,
                   customer.user_id,
                   customer.team_id,
                   customer.customer_zone_id,
                   customer.customer_segment,
                   customer.customer_channel_id,
                   open_item.date,
                   open_item.due_date,
                   open_item.days_overdue,
                   open_item.bucket,
                   %(overdue)s AS is_overdue,
                   %(due_soon)s AS is_due_soon,
                   open_item.residual,
                   open_item.amount_residual_currency AS residual_currency""",
            overdue=conditions["overdue"],
            due_soon=conditions["due_soon"],
        )

    @api.model
    def _from(self):
        return SQL(
            """open_item
              JOIN res_partner customer ON customer.id = open_item.partner_id
              JOIN res_company company ON company.id = open_item.company_id"""
        )

    @api.model
    def _where(self):
        return SQL("TRUE")

    def action_open_move(self):
        """The invoice, credit note or payment of the item."""
        self._ensure_one_for_action()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "views": [[False, "form"]],
            "target": "current",
        }
