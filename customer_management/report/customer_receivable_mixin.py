"""What the receivable reports share: the customer, company and classification columns."""

from odoo import fields, models


class CustomerReceivableMixin(models.AbstractModel):
    """The customer, company and classification columns shared by the receivable reports."""

    _name = "customer.receivable.mixin"
    _inherit = ["customer.input.mixin"]
    _description = "Customer Receivable Report Columns"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    customer_zone_id = fields.Many2one("customer.zone", string="Zone", readonly=True)
    customer_segment = fields.Selection(
        selection=lambda self: self.env["res.partner"]._fields["customer_segment"].selection,
        string="Segment",
        readonly=True,
    )
    customer_channel_id = fields.Many2one("customer.channel", string="Channel", readonly=True)
