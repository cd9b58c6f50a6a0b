"""Vehicle types: the largest vehicle a delivery address can receive."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerVehicleType(models.Model):
    """A kind of delivery vehicle (van, 3.5 t truck, trailer) and the weight it carries, as addresses restrict them."""

    _name = "customer.vehicle.type"
    _inherit = ["customer.input.checked.mixin"]
    _description = "Customer Delivery Vehicle Type"
    _order = "sequence, max_weight, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    max_weight = fields.Float(string="Maximum Weight (kg)", help="The weight the vehicle carries, in kilograms.")
    company_id = fields.Many2one("res.company", index=True, help="Leave empty to share the type between companies.")

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "A vehicle type code must be unique per company."),
    ]

    @api.constrains("max_weight")
    def _check_max_weight(self):
        for vehicle in self:
            if vehicle.max_weight < 0:
                raise ValidationError(
                    self.env._(
                        "The maximum weight of %(vehicle)s cannot be negative (%(weight)s).",
                        vehicle=vehicle.name,
                        weight=vehicle.max_weight,
                    )
                )
