"""The receivables report: the open receivable of each customer by aging bucket, for list, pivot and graph."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.customer_exposure import AGING_BUCKETS, aging_field, round_sql
from .report_query import build_report_query


class CustomerReceivableReport(models.Model):
    """The receivables of each customer in each company, aged today: the collectors' workspace."""

    _name = "customer.receivable.report"
    _inherit = ["customer.receivable.mixin"]
    _description = "Customer Receivables"
    _auto = False
    _order = "overdue_amount desc, receivable desc, partner_id"
    _rec_name = "partner_id"

    receivable = fields.Monetary(readonly=True)
    receivable_not_due = fields.Monetary(string="Not Due", readonly=True)
    receivable_1_30 = fields.Monetary(string="1-30 Days", readonly=True)
    receivable_31_60 = fields.Monetary(string="31-60 Days", readonly=True)
    receivable_61_90 = fields.Monetary(string="61-90 Days", readonly=True)
    receivable_over_90 = fields.Monetary(string="Over 90 Days", readonly=True)
    overdue_amount = fields.Monetary(string="Overdue", readonly=True)
    due_soon_amount = fields.Monetary(string="Due Soon", readonly=True)
    oldest_overdue_days = fields.Integer(string="Days Overdue", readonly=True, aggregator="max")

    @property
    def _table_query(self):
        return self._query()

    @api.model
    def _query(self):
        """The open items of ``customer.receivable.item.report`` summed by customer and company, rounded by the
        company's currency as the engine rounds them."""
        return build_report_query(self)

    @api.model
    def _get_receivable_sums(self):
        """The receivable columns by name: the condition on the ``item`` whose residual each one sums."""
        return {
            "receivable": SQL("TRUE"),
            **{aging_field(key): SQL("item.bucket = %s", key) for key, _label in AGING_BUCKETS},
            "overdue_amount": SQL("item.is_overdue"),
            "due_soon_amount": SQL("item.is_due_soon"),
        }

    @api.model
    def _select(self):
        return SQL(
            """MIN(item.id) AS id,
                   item.partner_id,
                   item.company_id,
                   item.currency_id,
                   item.user_id,
                   item.team_id,
                   item.customer_zone_id,
                   item.customer_segment,
                   item.customer_channel_id,
                   %(sums)s,
                   COALESCE(MAX(item.days_overdue) FILTER (WHERE item.is_overdue), 0) AS oldest_overdue_days""",
            sums=SQL(", ").join(
                SQL(
                    "%s AS %s",
                    round_sql(SQL("SUM(item.residual) FILTER (WHERE %s)", condition)),
                    SQL.identifier(fname),
                )
                for fname, condition in self._get_receivable_sums().items()
            ),
        )

    @api.model
    def _from(self):
        return SQL(
            """(%s) item
              JOIN res_currency currency ON currency.id = item.currency_id""",
            self.env["customer.receivable.item.report"]._query(),
        )

    @api.model
    def _where(self):
        return SQL("TRUE")

    @api.model
    def _group_by(self):
        return SQL(
            """item.partner_id, item.company_id, item.currency_id, currency.rounding, item.user_id,
                      item.team_id, item.customer_zone_id, item.customer_segment, item.customer_channel_id"""
        )

    def action_open_items(self):
        """The open items of the customer in the row's company."""
        self._ensure_one_for_action()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_management.customer_receivable_item_report_action"
        )
        action["domain"] = [("partner_id", "=", self.partner_id.id), ("company_id", "=", self.company_id.id)]
        action["context"] = {}
        return action
