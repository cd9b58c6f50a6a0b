from odoo import api, fields, models
from odoo.tools import SQL

from ..models.customer_exposure import AGING_BUCKETS


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
        """One row per open posted receivable item, with its customer's classification; the buckets are the
        engine's (:meth:`customer.exposure._get_aging_bucket_sql`) on ``CURRENT_DATE``."""
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    @api.model
    def _select(self):
        due_date = SQL("COALESCE(line.date_maturity, line.date)")
        today = SQL("CURRENT_DATE")
        return SQL(
            """
            SELECT line.id,
                   line.move_id,
                   customer.id AS partner_id,
                   line.company_id,
                   company.currency_id,
                   line.currency_id AS move_currency_id,
                   customer.user_id,
                   customer.team_id,
                   customer.customer_zone_id,
                   customer.customer_segment,
                   customer.customer_channel_id,
                   line.date,
                   %(due_date)s AS due_date,
                   GREATEST(%(today)s - %(due_date)s, 0) AS days_overdue,
                   %(bucket)s AS bucket,
                   line.amount_residual > 0 AND %(due_date)s < %(today)s AS is_overdue,
                   line.amount_residual > 0 AND %(due_date)s >= %(today)s
                       AND %(due_date)s <= %(today)s + COALESCE(company.customer_due_soon_days, 0) AS is_due_soon,
                   line.amount_residual AS residual,
                   line.amount_residual_currency AS residual_currency
            """,
            due_date=due_date,
            today=today,
            bucket=self.env["customer.exposure"]._get_aging_bucket_sql(due_date, today),
        )

    @api.model
    def _from(self):
        return SQL(
            """
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN res_partner member ON member.id = line.partner_id
              JOIN res_partner customer ON customer.id = member.commercial_partner_id
              JOIN res_company company ON company.id = line.company_id
            """
        )

    @api.model
    def _where(self):
        return SQL(
            """
             WHERE line.parent_state = 'posted'
               AND line.reconciled IS NOT TRUE
               AND account.account_type = 'asset_receivable'
            """
        )

    def action_open_move(self):
        """The invoice, credit note or payment of the item."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "views": [[False, "form"]],
            "target": "current",
        }
