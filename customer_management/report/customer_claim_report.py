"""The claims analysis: the after-sales cases by customer, product, category and team, their resolution time and
their SLA compliance, for pivot and graph."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.customer_claim import CLAIM_CHANNELS, CLAIM_PRIORITIES, CLAIM_TYPES
from .report_query import build_report_query


class CustomerClaimReport(models.Model):
    """The customers' tickets, claims and returns, one row per product a claim is about (one row for a claim about
    no product): how many, about what, how fast they were resolved and whether within their SLA.

    A claim about several products has several rows, so that it counts under each of its products. Its figures are
    kept from being counted twice: ``claim_count`` holds the claim's id and counts distinct claims, whatever the
    grouping; ``resolution_hours`` and ``sla_compliance`` are on its first row only (empty on the others), so that
    an average weighs each claim once. Grouped by product, those two averages therefore count a claim under the
    product of its first line.
    """

    _name = "customer.claim.report"
    _inherit = ["customer.input.mixin"]
    _description = "Claims Analysis"
    _auto = False
    _order = "date desc, claim_id desc, id"
    _rec_name = "name"

    claim_id = fields.Many2one("customer.claim", string="Claim", readonly=True)
    name = fields.Char(string="Reference", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    team_id = fields.Many2one("crm.team", string="Team", readonly=True)
    category_id = fields.Many2one("customer.claim.category", string="Category", readonly=True)
    stage_id = fields.Many2one("customer.claim.stage", string="Stage", readonly=True)
    sla_id = fields.Many2one("customer.claim.sla", string="SLA Policy", readonly=True)
    claim_type = fields.Selection(CLAIM_TYPES, string="Type", readonly=True)
    priority = fields.Selection(CLAIM_PRIORITIES, readonly=True)
    channel = fields.Selection(CLAIM_CHANNELS, string="Received By", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    date = fields.Datetime(string="Opened On", readonly=True)
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True, help="The quantity of the product.")
    claim_count = fields.Integer(
        string="Claims",
        readonly=True,
        aggregator="count_distinct",
        help="The claims, each counted once: a claim about several products counts once under each.",
    )
    resolution_hours = fields.Float(
        string="Resolution Time (Hours)",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="On average, the hours from the opening of the closed claims to their closing (calendar hours).",
    )
    sla_compliance = fields.Float(
        string="SLA Compliance (%)",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="The share of the closed claims under an SLA policy that were closed by their deadline.",
    )

    @property
    def _table_query(self):
        return self._query()

    @api.model
    def _query(self):
        """The claims with their lines, one row per line and one for a claim without any.

        The first row of each claim (its lowest line, or its only row) carries the claim's own figures: each line
        knows whether it is its claim's lowest from one window over the lines, in the same scan.

        The resolution time is in calendar hours (the SLA counts working hours). The compliance is 100 for a closed
        claim under a policy that the workflow did not flag ``sla_closed_late``, 0 for one it did, as the customer
        360's ``claim_sla_compliance`` counts them; open claims and claims without a policy are not judged.

        The figures are double precision, as the pivot averages and sums them: no numeric arithmetic to aggregate,
        nor decimals to convert back for each group.
        """
        return build_report_query(self)

    @api.model
    def _select(self):
        return SQL(
            """COALESCE(line.id, -claim.id) AS id,
                   claim.id AS claim_id,
                   claim.name,
                   claim.partner_id,
                   claim.user_id,
                   claim.team_id,
                   claim.category_id,
                   claim.stage_id,
                   claim.sla_id,
                   claim.claim_type,
                   claim.priority,
                   claim.channel,
                   claim.company_id,
                   line.product_id,
                   claim.create_date AS date,
                   claim.date_closed,
                   stage.is_closed,
                   COALESCE(line.quantity, 0.0)::float8 AS quantity,
                   claim.id AS claim_count,
                   CASE WHEN line.is_first IS NOT FALSE AND stage.is_closed AND claim.date_closed IS NOT NULL
                        THEN EXTRACT(EPOCH FROM claim.date_closed - claim.create_date)::float8 / 3600
                   END AS resolution_hours,
                   CASE WHEN line.is_first IS NOT FALSE AND stage.is_closed AND claim.sla_id IS NOT NULL
                        THEN CASE WHEN claim.sla_closed_late THEN 0.0::float8 ELSE 100.0::float8 END
                   END AS sla_compliance"""
        )

    @api.model
    def _from(self):
        return SQL(
            """customer_claim claim
              JOIN customer_claim_stage stage ON stage.id = claim.stage_id
         LEFT JOIN (SELECT id, claim_id, product_id, quantity, id = MIN(id) OVER (PARTITION BY claim_id) AS is_first
                      FROM customer_claim_line) line
                   ON line.claim_id = claim.id"""
        )

    @api.model
    def _where(self):
        return SQL("TRUE")
