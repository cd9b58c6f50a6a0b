"""The stages a claim goes through, as a team sees them on its board."""

from odoo import fields, models


class CustomerClaimStage(models.Model):
    """A stage of the after-sales cases: open, waiting for the customer (its time not counted), closed."""

    _name = "customer.claim.stage"
    _description = "Customer Claim Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    fold = fields.Boolean(string="Folded in Kanban", help="Folded on the claims' board: the closed stages.")
    is_closed = fields.Boolean(
        string="Closed", help="A claim in this stage is done: it needs a resolution and stops counting as open."
    )
    is_paused = fields.Boolean(
        string="Paused",
        help="The claim waits on the customer: the time spent in this stage does not count against its deadline.",
    )
    description = fields.Text(translate=True)
