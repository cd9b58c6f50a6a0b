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
    customer_credit_approval_amount = fields.Monetary(
        string="Credit Limit Needing Approval",
        currency_field="currency_id",
        help="A credit limit raised above this amount needs the approval of a second credit manager; 0 means never.",
    )
    customer_wholesale_pricelist_id = fields.Many2one(
        "product.pricelist", string="Wholesale Pricelist", check_company=True
    )
    customer_wholesale_payment_term_id = fields.Many2one(
        "account.payment.term", string="Wholesale Payment Terms", check_company=True
    )
    customer_retail_pricelist_id = fields.Many2one("product.pricelist", string="Retail Pricelist", check_company=True)
    customer_retail_payment_term_id = fields.Many2one(
        "account.payment.term", string="Retail Payment Terms", check_company=True
    )

    def write(self, vals):
        result = super().write(vals)
        if "country_id" in vals:
            self.env["res.partner"]._recompute_customer_scope(self)
        return result
