from odoo import api, fields, models
from odoo.tools import SQL


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
        sums = {
            "receivable": SQL("TRUE"),
            "receivable_not_due": SQL("item.bucket = 'not_due'"),
            "receivable_1_30": SQL("item.bucket = '1_30'"),
            "receivable_31_60": SQL("item.bucket = '31_60'"),
            "receivable_61_90": SQL("item.bucket = '61_90'"),
            "receivable_over_90": SQL("item.bucket = 'over_90'"),
            "overdue_amount": SQL("item.is_overdue"),
            "due_soon_amount": SQL("item.is_due_soon"),
        }
        return SQL(
            """
            SELECT MIN(item.id) AS id,
                   item.partner_id,
                   item.company_id,
                   item.currency_id,
                   item.user_id,
                   item.team_id,
                   item.customer_zone_id,
                   item.customer_segment,
                   item.customer_channel_id,
                   %(sums)s,
                   COALESCE(MAX(item.days_overdue) FILTER (WHERE item.is_overdue), 0) AS oldest_overdue_days
              FROM (%(items)s) item
              JOIN res_currency currency ON currency.id = item.currency_id
             GROUP BY item.partner_id, item.company_id, item.currency_id, currency.rounding, item.user_id,
                      item.team_id, item.customer_zone_id, item.customer_segment, item.customer_channel_id
            """,
            sums=SQL(", ").join(
                SQL(
                    "ROUND(COALESCE(SUM(item.residual) FILTER (WHERE %s), 0) / currency.rounding) * currency.rounding"
                    " AS %s",
                    condition,
                    SQL.identifier(fname),
                )
                for fname, condition in sums.items()
            ),
            items=self.env["customer.receivable.item.report"]._query(),
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
