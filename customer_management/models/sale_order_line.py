"""Order lines: the customer's discount, and a confirmed order's lines grown only as far as its credit takes."""

from odoo import api, models

from .customer_input import _is_id
from .sale_order import AMOUNT_FIELDS, ENGINE_LINE_FIELDS, check_engine_fields_not_written


class SaleOrderLine(models.Model):
    """Order lines take the customer's discount when the pricelist gives a smaller one; a confirmed order's lines
    grow it only as far as its customer's credit takes."""

    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        # Only ids: another value is core's to refuse, for its own field.
        orders = self.env["sale.order"].browse({vals["order_id"] for vals in vals_list if _is_id(vals.get("order_id"))})
        confirmed = orders.filtered(lambda order: order.state == "sale")
        if not confirmed:
            return super().create(vals_list)
        with confirmed._check_confirmed_amount_raise():
            return super().create(vals_list)

    def write(self, vals):
        check_engine_fields_not_written(self, vals, ENGINE_LINE_FIELDS)
        confirmed = None
        if AMOUNT_FIELDS & vals.keys():
            # A line moved to another order makes that one grow.
            moved_to = vals.get("order_id")
            orders = self.order_id | self.env["sale.order"].browse(moved_to if _is_id(moved_to) else ())
            confirmed = orders.filtered(lambda order: order.state == "sale")
        if not confirmed:
            return super().write(vals)
        with confirmed._check_confirmed_amount_raise():
            return super().write(vals)

    @api.depends("order_id.partner_id")
    def _compute_discount(self):  # pylint: disable=missing-return
        super()._compute_discount()
        for line in self.filtered(lambda line: line.product_id and not line.display_type):
            customer = line.order_id.partner_id.commercial_partner_id.with_company(line.company_id)
            # The customer's discount is a floor: the better of it and the pricelist's applies, never both.
            line.discount = max(line.discount, customer.customer_discount_percent)
