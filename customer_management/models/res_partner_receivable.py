"""What the customer owes on the partner: open receivable by aging bucket, overdue, due soon, days to pay."""

from odoo import api, fields, models
from odoo.tools import SQL

from .customer_exposure import AGING_BUCKETS, EMPTY_EXPOSURE, aging_field, aging_figure
from .res_partner_credit import RECEIVABLE_READERS

# The aging fields, in the order of the keys of their buckets in AGING_BUCKETS.
AGING_KEYS = tuple(key for key, _label in AGING_BUCKETS)
AGING_FIELDS = tuple(aging_field(key) for key in AGING_KEYS)
# The receivable fields of the customer and the engine's figure of each (an attribute of Exposure), computed together
# (avg_days_to_pay apart), searched and sorted in SQL.
RECEIVABLE_FIGURES = {
    **{aging_field(key): aging_figure(key) for key in AGING_KEYS},
    "overdue_amount": "overdue_amount",
    "due_soon_amount": "due_soon",
    "oldest_overdue_days": "overdue_days",
}
RECEIVABLE_FIELDS = tuple(RECEIVABLE_FIGURES)


# One class per concern of the partner, as core's mail splits it (see the README's architecture).
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    overdue_amount = fields.Monetary(
        groups=RECEIVABLE_READERS,
        string="Overdue",
        compute="_compute_receivable",
        search="_search_overdue_amount",
        help="The open invoices of the customer in this company that are past their due date.",
    )
    oldest_overdue_days = fields.Integer(
        groups=RECEIVABLE_READERS,
        string="Days Overdue",
        compute="_compute_receivable",
        search="_search_oldest_overdue_days",
        help="Days since the oldest open invoice fell due.",
    )
    receivable_not_due = fields.Monetary(
        groups=RECEIVABLE_READERS,
        string="Not Due",
        compute="_compute_receivable",
        search="_search_receivable_not_due",
        help="The open receivable not due yet, credit notes and payments not applied included (negative).",
    )
    receivable_1_30 = fields.Monetary(
        groups=RECEIVABLE_READERS,
        string="1-30 Days",
        compute="_compute_receivable",
        search="_search_receivable_1_30",
        help="The open receivable due 1 to 30 days ago.",
    )
    receivable_31_60 = fields.Monetary(
        groups=RECEIVABLE_READERS,
        string="31-60 Days",
        compute="_compute_receivable",
        search="_search_receivable_31_60",
        help="The open receivable due 31 to 60 days ago.",
    )
    receivable_61_90 = fields.Monetary(
        groups=RECEIVABLE_READERS,
        string="61-90 Days",
        compute="_compute_receivable",
        search="_search_receivable_61_90",
        help="The open receivable due 61 to 90 days ago.",
    )
    receivable_over_90 = fields.Monetary(
        groups=RECEIVABLE_READERS,
        string="Over 90 Days",
        compute="_compute_receivable",
        search="_search_receivable_over_90",
        help="The open receivable due more than 90 days ago.",
    )
    due_soon_amount = fields.Monetary(
        groups=RECEIVABLE_READERS,
        string="Due Soon",
        compute="_compute_receivable",
        search="_search_due_soon_amount",
        help="The open invoices falling due from today to the company's due-soon days.",
    )
    avg_days_to_pay = fields.Float(
        groups=RECEIVABLE_READERS,
        string="Average Days to Pay",
        compute="_compute_avg_days_to_pay",
        digits=(16, 1),
        help="Days from invoice to payment, weighted by the amounts paid, over the payments of the last year.",
    )

    @api.depends("commercial_partner_id")
    @api.depends_context("company")
    def _compute_receivable(self, exposures=None):
        # Apart from the credit figures: a list of the aging reads neither the orders nor the credit limits.
        if exposures is None:
            exposures = self._get_engine_exposures("_compute_receivable")
        values = [
            self._get_receivable_values(exposures.get(partner.commercial_partner_id._origin.id, EMPTY_EXPOSURE))
            for partner in self
        ]
        # The engine rounds the amounts by the company's currency: straight into the cache, one call per field,
        # without a Monetary field's rounding per record, which took a third of the time of a list of the aging.
        for fname in RECEIVABLE_FIELDS:
            self.env.cache.update(self, self._fields[fname], [record_values[fname] for record_values in values])

    @api.depends("commercial_partner_id")
    @api.depends_context("company")
    def _compute_avg_days_to_pay(self, exposures=None):
        # Apart from the other figures: the payment history reads the reconciliations, which only this field needs.
        if exposures is None:
            exposures = self._get_engine_exposures("_compute_avg_days_to_pay")
        for partner in self:
            exposure = exposures.get(partner.commercial_partner_id._origin.id, EMPTY_EXPOSURE)
            partner.avg_days_to_pay = exposure.avg_days_to_pay

    @api.model
    def _get_engine_computes(self):
        return {
            **super()._get_engine_computes(),
            "_compute_receivable": {"aging"},
            "_compute_avg_days_to_pay": {"payment_history"},
        }

    def _search_receivable_not_due(self, operator, value):
        return self._search_receivable_figure("receivable_not_due", operator, value)

    def _search_receivable_1_30(self, operator, value):
        return self._search_receivable_figure("receivable_1_30", operator, value)

    def _search_receivable_31_60(self, operator, value):
        return self._search_receivable_figure("receivable_31_60", operator, value)

    def _search_receivable_61_90(self, operator, value):
        return self._search_receivable_figure("receivable_61_90", operator, value)

    def _search_receivable_over_90(self, operator, value):
        return self._search_receivable_figure("receivable_over_90", operator, value)

    def _search_overdue_amount(self, operator, value):
        return self._search_receivable_figure("overdue_amount", operator, value)

    def _search_oldest_overdue_days(self, operator, value):
        return self._search_receivable_figure("oldest_overdue_days", operator, value)

    def _search_due_soon_amount(self, operator, value):
        return self._search_receivable_figure("due_soon_amount", operator, value)

    def _search_receivable_figure(self, fname, operator, value):
        # Odoo checks the groups of the stored fields of a domain; a figure searched through its method is checked here.
        self.check_field_access_rights("read", [fname])
        operator, query = self.env["customer.exposure"]._get_partner_search_sql(
            RECEIVABLE_FIGURES[fname], operator, value, self.env.company
        )
        return [("id", operator, query)]

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        # The receivable fields sort the customer list by the engine's figure of each row's commercial partner: a
        # join on the figure of every customer, computed once for the query, 0 without open receivable.
        figure = RECEIVABLE_FIGURES.get(field_name)
        if not figure:
            return super()._order_field_to_sql(alias, field_name, direction, nulls, query)
        self.check_field_access_rights("read", [field_name])
        figure_alias = query.left_join(
            alias,
            "commercial_partner_id",
            self.env["customer.exposure"]._get_partner_figure_sql(figure, self.env.company),
            "partner_id",
            field_name,
        )
        return SQL("COALESCE(%s, 0) %s %s", SQL.identifier(figure_alias, "value"), direction, nulls)

    @api.model
    def _get_customer_summary_sections(self):
        return {**super()._get_customer_summary_sections(), "aging": (*RECEIVABLE_FIELDS, "avg_days_to_pay")}

    @api.model
    def _get_receivable_values(self, exposure):
        """The values of the receivable fields from an :class:`Exposure`."""
        return {fname: getattr(exposure, figure) for fname, figure in RECEIVABLE_FIGURES.items()}
