from odoo import models


class StockPicking(models.Model):
    """Deliveries of sale orders pass the credit control again when the company asks for it."""

    _inherit = "stock.picking"

    def button_validate(self):
        self._check_customer_credit()
        return super().button_validate()

    def _check_customer_credit(self):
        """Refuse to deliver the orders whose customer's credit is blocked, unless the order was released.

        The order already counts in the customer's exposure (confirmed, not invoiced): it is not added again.
        """
        orders = self.filtered(
            lambda picking: picking.picking_type_code == "outgoing"
            and picking.sale_id
            and picking.company_id.customer_credit_check_delivery
        ).sale_id
        orders._refuse_credit_blocks(
            orders._get_credit_checks(with_amount=False),
            lambda order: self.env._("The delivery of %(order)s cannot be validated:", order=order.name),
        )
