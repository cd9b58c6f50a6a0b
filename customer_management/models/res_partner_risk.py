"""The analytics concern of the partner: its RFM segment, inactivity and delinquency risk score with the components
that explain it, refreshed set-based by ``customer.risk``."""

import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .customer_risk import CUSTOMER_RISK_FIELDS, RFM_FIELDS, RFM_SEGMENTS, RISK_FIELDS, RISK_LEVELS
from .res_partner_credit import RECEIVABLE_READERS

_logger = logging.getLogger(__name__)

# Who reads the RFM and inactivity (every internal user, as the buying behaviour they come from) and who reads the
# risk score and its components (those who read what a customer owes, as the receivables they come from).
RFM_READERS = "base.group_user"
RISK_READERS = RECEIVABLE_READERS
MANAGER_GROUP = "customer_management.customer_management_group_manager"


def risk_field(field_class, groups, **kwargs):
    """A figure of ``customer.risk``: one value per company, stored, read by ``groups``, written by the refresh
    only (see :meth:`ResPartner._get_refreshed_fields`)."""
    return field_class(company_dependent=True, readonly=True, index=False, groups=groups, copy=False, **kwargs)


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    rfm_segment = risk_field(
        fields.Selection,
        RFM_READERS,
        selection=RFM_SEGMENTS,
        string="RFM Segment",
        help="The customer's segment by recency, frequency and monetary value of its sales of the last 12 months, "
        "each scored 1 to 5 by quintile among the company's customers; empty when it never bought.",
    )
    rfm_recency_score = risk_field(fields.Integer, RFM_READERS, string="Recency Score", help="1 to 5, 5 the latest.")
    rfm_frequency_score = risk_field(
        fields.Integer, RFM_READERS, string="Frequency Score", help="1 to 5, 5 the most orders in 12 months."
    )
    rfm_monetary_score = risk_field(
        fields.Integer, RFM_READERS, string="Monetary Score", help="1 to 5, 5 the most sales in 12 months."
    )
    is_inactive = risk_field(
        fields.Boolean,
        RFM_READERS,
        string="Inactive Customer",
        help="The customer's last confirmed sale is older than the company's inactivity days; a customer that never "
        "bought is not inactive.",
    )
    risk_score = risk_field(
        fields.Float,
        RISK_READERS,
        string="Risk Score",
        digits=(16, 1),
        help="0 to 100: the weighted average of the risk components, normalised to 0-1, by the company's weights.",
    )
    risk_level = risk_field(
        fields.Selection,
        RISK_READERS,
        selection=RISK_LEVELS,
        string="Risk Level",
        help="Low below a score of 30, medium below 60, high from 60.",
    )
    risk_overdue_ratio = risk_field(
        fields.Float,
        RISK_READERS,
        string="Overdue Ratio (%)",
        digits=(16, 1),
        help="The overdue receivable over the open receivable.",
    )
    risk_days_late = risk_field(
        fields.Float,
        RISK_READERS,
        string="Weighted Days Late",
        digits=(16, 1),
        help="The days past due of the open overdue invoices, weighted by what is left to pay of each; full risk "
        "from 90 days.",
    )
    risk_oldest_overdue_days = risk_field(
        fields.Integer,
        RISK_READERS,
        string="Oldest Overdue (Days)",
        help="The days since the oldest open overdue invoice fell due; full risk from 180 days.",
    )
    risk_broken_promise_count = risk_field(
        fields.Integer,
        RISK_READERS,
        string="Broken Promises",
        help="The payment promises broken, promised in the last 12 months; full risk from 3.",
    )
    risk_credit_utilisation = risk_field(
        fields.Float,
        RISK_READERS,
        string="Credit Used (%)",
        digits=(16, 1),
        help="The credit exposure over the credit limit; 0 without a limit; full risk from 100%.",
    )
    risk_sales_trend_90d = risk_field(
        fields.Float,
        RISK_READERS,
        string="Sales Trend 90 Days (%)",
        digits=(16, 1),
        help="The sales of the last 90 days against the 90 days before; negative when falling (full risk at "
        "-100%); 0 without sales in the 90 days before.",
    )
    risk_claim_count_12m = risk_field(
        fields.Integer,
        RISK_READERS,
        string="Claims 12 Months",
        help="The claims and returns filed in the last 12 months; full risk from 5.",
    )

    @api.model
    def _get_refreshed_fields(self):
        return super()._get_refreshed_fields() | set(CUSTOMER_RISK_FIELDS)

    @api.model
    def _get_customer_summary_sections(self):
        return {**super()._get_customer_summary_sections(), "risk": self._get_customer_risk_fields()}

    @api.model
    def _get_customer_map_measures(self):
        # The map colours the customers by their risk too.
        return {**super()._get_customer_map_measures(), "risk": ("risk_score", self.env._("Risk Score"))}

    @api.model
    def _get_customer_risk_fields(self):
        """The risk figures of a customer, for the summary and for the views that show them as measures (a map
        colouring its customers by ``risk_score`` or ``risk_level``): the score and level first, then the
        components, the RFM and the inactivity. Each concern may add its own."""
        return (*RISK_FIELDS, "otif_rate", *RFM_FIELDS)

    @api.model
    def _cron_refresh_customer_risk(self):
        """Recompute the RFM, inactivity and risk of every customer of every company: the periods move every day."""
        changed = self._refresh_customer_risk()
        _logger.info("Customer risk refreshed: %s customers changed.", changed)

    @api.model
    def _refresh_customer_risk(self, companies=None):
        """Recompute the RFM, inactivity and risk of every customer of ``companies`` (every company by default); see
        ``customer.risk``. Returns the number of customers whose figures changed."""
        return self.env["customer.risk"]._refresh(companies)

    @api.model
    def action_refresh_customer_risk(self):
        """The managers' button: recompute the risk of every customer of the current company now."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only customer management managers can recompute the customers' risk."))
        changed = self._refresh_customer_risk(self.env.company)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Customer risk recomputed: %(count)s customers changed.", count=changed),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
