"""The after-sales concern of the partner: its claims, counted on the customer 360 and in the summary."""

from odoo import api, fields, models

CLAIM_SUMMARY_FIELDS = ("claim_open_count",)


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    customer_claim_ids = fields.One2many(
        "customer.claim",
        "partner_id",
        string="Claims",
        groups="customer_management.customer_management_group_claim_user",
    )
    claim_open_count = fields.Integer(
        string="Open Claims",
        compute="_compute_customer_360_counts",
        groups="customer_management.customer_management_group_claim_user",
        help="The customer's tickets, claims and returns not closed yet.",
    )

    @api.model
    def _get_customer_360_counters(self):
        return {
            **super()._get_customer_360_counters(),
            "claim_open_count": (
                "customer.claim",
                [("stage_id.is_closed", "=", False)],
                "customer_management.customer_claim_action",
            ),
        }

    @api.model
    def _get_customer_summary_sections(self):
        return {**super()._get_customer_summary_sections(), "after_sales": CLAIM_SUMMARY_FIELDS}
