from odoo import fields, models


class ResCompany(models.Model):
    """The company's policy for the data a customer record must carry."""

    _inherit = "res.company"

    customer_vat_policy = fields.Selection(
        [
            ("none", "Never required"),
            ("national_company", "National companies"),
            ("company", "All companies"),
            ("all", "All customers"),
        ],
        string="Customer Tax ID Required For",
        default="none",
        required=True,
    )
    customer_segment_required = fields.Boolean()
    customer_zone_required = fields.Boolean()
    customer_channel_required = fields.Boolean()

    def write(self, vals):
        result = super().write(vals)
        if "country_id" in vals:
            self.env["res.partner"]._recompute_customer_scope(self)
        return result
