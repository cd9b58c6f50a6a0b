"""The stages a claim went through, with the working time it spent in each: what its SLA counted."""

from odoo import fields, models


class CustomerClaimStageHistory(models.Model):
    """A claim's stay in one stage, from when it entered to when it left it (open while it is still there), and the
    working hours it counted against the claim's SLA. Written by the claim's workflow only."""

    _name = "customer.claim.stage.history"
    _description = "Customer Claim Stage History"
    _order = "date_start, id"

    claim_id = fields.Many2one("customer.claim", string="Claim", required=True, index=True, ondelete="cascade")
    stage_id = fields.Many2one("customer.claim.stage", string="Stage", required=True, ondelete="restrict")
    date_start = fields.Datetime(string="Entered On", required=True)
    date_end = fields.Datetime(string="Left On", help="Empty while the claim is still in the stage.")
    # The stage's flags when the claim entered it: a stage changed later does not rewrite what was counted.
    is_paused = fields.Boolean(string="Paused", help="The time in the stage did not count against the SLA.")
    is_closed = fields.Boolean(string="Closed", help="The claim was closed: its SLA clock was stopped.")
    working_hours = fields.Float(
        help="The working hours spent in the stage on the claim's working calendar, holidays excluded, counted when "
        "the claim leaves it: 0 in a paused or closed stage.",
    )
    company_id = fields.Many2one(related="claim_id.company_id", store=True, index=True)
