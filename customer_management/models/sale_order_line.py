from odoo import api, models


class SaleOrderLine(models.Model):
    """Order lines take the customer's discount when the pricelist gives a smaller one."""

    _inherit = "sale.order.line"

    @api.depends("order_id.partner_id")
    def _compute_discount(self):  # pylint: disable=missing-return
        super()._compute_discount()
        for line in self.filtered(lambda line: line.product_id and not line.display_type):
            customer = line.order_id.partner_id.commercial_partner_id.with_company(line.company_id)
            # The customer's discount is a floor: the better of it and the pricelist's applies, never both.
            line.discount = max(line.discount, customer.customer_discount_percent)
