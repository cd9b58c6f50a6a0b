"""What the sales and payments analyses share: the customer and its classification as dimensions."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.res_partner import SEGMENTS


class CustomerAnalysisReportMixin(models.AbstractModel):
    """A row of an analysis by customer: the customer (a commercial entity), the salesperson and team of its
    document, and the customer's zone, channel, segment, country and state as they are now, in a company and its
    currency. The analysis joins the customer as ``customer`` and selects :meth:`_select_customer_dimensions`."""

    _name = "customer.analysis.report.mixin"
    _inherit = ["customer.input.mixin"]
    _description = "Customer Analysis Dimensions"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    customer_zone_id = fields.Many2one("customer.zone", string="Zone", readonly=True)
    customer_channel_id = fields.Many2one("customer.channel", string="Channel", readonly=True)
    customer_segment = fields.Selection(SEGMENTS, string="Segment", readonly=True)
    country_id = fields.Many2one("res.country", string="Country", readonly=True)
    state_id = fields.Many2one("res.country.state", string="State", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)

    @api.model
    def _select_customer_dimensions(self):
        return SQL(
            """customer.customer_zone_id,
                   customer.customer_channel_id,
                   customer.customer_segment,
                   customer.country_id,
                   customer.state_id"""
        )
