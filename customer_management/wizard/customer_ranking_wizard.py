"""The customer ranking: the best customers of a period by sales, by margin or by payments, printed as a PDF."""

from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.res_partner import SEGMENTS
from .customer_statement_run import customer_filters_domain

RANKINGS = [("sales", "Sales"), ("margin", "Margin"), ("payments", "Payments")]
# Per ranking: the analysis it reads, its totals and the one it sorts by.
RANKING_SOURCES = {
    "sales": (
        "customer.sales.report",
        ("amount:sum", "margin:sum", "margin_percent:avg", "order_count:count_distinct"),
    ),
    "margin": (
        "customer.sales.report",
        ("margin:sum", "amount:sum", "margin_percent:avg", "order_count:count_distinct"),
    ),
    "payments": ("customer.payment.report", ("amount:sum", "paid_late:sum", "days_late:avg")),
}
MAX_RANKED = 500


class CustomerRankingWizard(models.TransientModel):
    """Which customers to rank, by what and over which period, then the PDF of the first ones."""

    _name = "customer.ranking.wizard"
    _inherit = ["customer.input.checked.mixin"]
    _description = "Print the Customer Ranking"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    ranking = fields.Selection(RANKINGS, string="Rank By", required=True, default="sales")
    date_from = fields.Date(
        string="From", required=True, default=lambda self: fields.Date.context_today(self) - timedelta(days=364)
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    limit = fields.Integer(string="Customers", required=True, default=20, help="How many of the first customers.")
    zone_ids = fields.Many2many("customer.zone", string="Zones", help="Customers of these zones or their subzones.")
    salesperson_ids = fields.Many2many("res.users", string="Salespeople", domain="[('share', '=', False)]")
    customer_segment = fields.Selection(SEGMENTS, string="Segment")

    @api.constrains("date_from", "date_to", "limit")
    def _check_ranking(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The ranking's period must start before it ends."))
            if not 0 < wizard.limit <= MAX_RANKED:
                raise ValidationError(
                    self.env._("A ranking lists from 1 to %(maximum)s customers.", maximum=MAX_RANKED)
                )

    def action_print(self):
        self._ensure_one_for_action()
        return self.env.ref("customer_management.action_report_customer_ranking").report_action(self)

    def _get_ranking_domain(self):
        """The rows of the analysis this ranking reads: of its company and period, its customers' filters."""
        self.ensure_one()
        if self.ranking == "payments":
            period = [("date", ">=", self.date_from), ("date", "<=", self.date_to)]
        else:
            # The orders are dated to the second, in UTC: the period's days, whole.
            period = [
                ("date", ">=", datetime.combine(self.date_from, time.min)),
                ("date", "<", datetime.combine(self.date_to + timedelta(days=1), time.min)),
            ]
        return [("company_id", "=", self.company_id.id), *period, *customer_filters_domain(self)]

    def _get_ranking(self):
        """The first customers and the totals of all of them: ``{"rows": [(rank, customer, figures)], "total":
        figures}``, each ``figures`` in the order of :data:`RANKING_SOURCES`, read as the user (a salesperson ranks
        its own sales). Two queries, whatever the number of customers."""
        self.ensure_one()
        model, aggregates = RANKING_SOURCES[self.ranking]
        report = self.env[model]
        domain = self._get_ranking_domain()
        groups = report._read_group(
            domain, ["partner_id"], aggregates, order=f"{aggregates[0]} desc, partner_id", limit=self.limit
        )
        [total] = report._read_group(domain, [], aggregates)
        return {
            "rows": [(rank, partner, figures) for rank, (partner, *figures) in enumerate(groups, start=1)],
            "total": list(total),
        }
