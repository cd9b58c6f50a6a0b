"""The working hours a sales team keeps for its customers' claims."""

from odoo import fields, models


class CrmTeam(models.Model):
    """A team answers its claims within its own working hours, else within its company's."""

    _inherit = "crm.team"

    customer_claim_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Claims Working Hours",
        check_company=True,
        help="The hours and holidays on which the deadlines of the team's claims are counted. Leave empty to use "
        "the company's working hours.",
    )
