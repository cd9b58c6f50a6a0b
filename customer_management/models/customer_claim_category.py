"""What a claim is about: damaged goods, a wrong delivery, an invoice error."""

from odoo import fields, models


class CustomerClaimCategory(models.Model):
    """The subject of after-sales cases, to sort and report them."""

    _name = "customer.claim.category"
    _description = "Customer Claim Category"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Leave empty to share the category between companies.")
