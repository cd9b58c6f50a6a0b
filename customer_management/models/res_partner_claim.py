"""The after-sales concern of the partner: its claims, counted on the customer 360 and in the summary, with what
came back in the last 12 months and how often its claims were closed in time."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

CLAIM_SUMMARY_FIELDS = (
    "claim_open_count",
    "claim_closed_count",
    "claim_returns_value_12m",
    "claim_sla_compliance",
    "claim_sla_closed_count",
    "service_log_count",
)
CLAIM_GROUP = "customer_management.customer_management_group_claim_user"


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    customer_claim_ids = fields.One2many("customer.claim", "partner_id", string="Claims", groups=CLAIM_GROUP)
    claim_open_count = fields.Integer(
        string="Open Claims",
        compute="_compute_customer_360_counts",
        groups=CLAIM_GROUP,
        help="The customer's tickets, claims and returns not closed yet.",
    )
    claim_closed_count = fields.Integer(
        string="Closed Claims",
        compute="_compute_customer_360_counts",
        groups=CLAIM_GROUP,
        help="The customer's tickets, claims and returns resolved or cancelled.",
    )
    service_log_count = fields.Integer(
        string="Service Contacts",
        compute="_compute_customer_360_counts",
        groups=CLAIM_GROUP,
        help="The calls, visits and messages with the customer about after-sales.",
    )
    claim_returns_value_12m = fields.Float(
        string="Returns 12 Months",
        digits="Account",
        compute="_compute_claim_figures",
        groups=CLAIM_GROUP,
        help="The untaxed total of the posted credit notes of the customer's returns dated in the last 12 months, "
        "in the company's currency.",
    )
    claim_sla_compliance = fields.Float(
        string="Claims in Time",
        digits=(16, 1),
        compute="_compute_claim_figures",
        groups=CLAIM_GROUP,
        help="Of the customer's claims with an SLA closed in the last 12 months, the share closed by their deadline "
        "(%).",
    )
    claim_sla_closed_count = fields.Integer(
        string="Claims Closed with an SLA",
        compute="_compute_claim_figures",
        groups=CLAIM_GROUP,
        help="The customer's claims with an SLA closed in the last 12 months: what the share in time is of.",
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
            "claim_closed_count": (
                "customer.claim",
                [("stage_id.is_closed", "=", True)],
                "customer_management.customer_claim_action",
            ),
            "service_log_count": ("customer.service.log", [], "customer_management.customer_service_log_action"),
        }

    @api.model
    def _get_customer_summary_sections(self):
        return {**super()._get_customer_summary_sections(), "after_sales": CLAIM_SUMMARY_FIELDS}

    @api.depends_context("company")
    def _compute_claim_figures(self):
        """One query for the returns credited and one for the claims closed, for the whole batch (the documents the
        user may read, in the current company)."""
        customers = self.commercial_partner_id._origin
        since = fields.Date.context_today(self) - relativedelta(months=12)
        moves = self.env["account.move"]
        returns = dict(
            moves._read_group(
                [
                    ("customer_claim_id", "!=", False),
                    ("move_type", "=", "out_refund"),
                    ("state", "=", "posted"),
                    ("commercial_partner_id", "in", customers.ids),
                    ("company_id", "=", self.env.company.id),
                    ("invoice_date", ">=", since),
                ],
                ["commercial_partner_id"],
                ["amount_untaxed_signed:sum"],
            )
            if moves.has_access("read")
            else ()
        )
        closed = {}
        for customer, late, count in self.env["customer.claim"]._read_group(
            [
                ("partner_id", "in", customers.ids),
                ("company_id", "=", self.env.company.id),
                ("sla_id", "!=", False),
                ("date_closed", ">=", fields.Datetime.to_datetime(since)),
                ("stage_id.is_closed", "=", True),
            ],
            ["partner_id", "sla_closed_late"],
            ["__count"],
        ):
            closed.setdefault(customer, [0, 0])[late] += count
        for partner in self:
            customer = partner.commercial_partner_id._origin
            partner.claim_returns_value_12m = -returns.get(customer, 0.0)
            in_time, late = closed.get(customer, (0, 0))
            partner.claim_sla_closed_count = in_time + late
            partner.claim_sla_compliance = 100.0 * in_time / (in_time + late) if in_time + late else 0.0
