from odoo import models
from odoo.exceptions import UserError

from .sale_order import SKIP_CREDIT_CHECK


class StockPicking(models.Model):
    """Deliveries of sale orders pass the credit control again when the company asks for it."""

    _inherit = "stock.picking"

    def button_validate(self):
        if not self.env.context.get(SKIP_CREDIT_CHECK):
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
        for order, (_figures, problems) in orders._get_credit_checks(with_amount=False).items():
            blocking = [message for _reason, message, is_blocking in problems if is_blocking]
            if blocking and not order._is_credit_released():
                raise UserError(
                    "\n".join(
                        [self.env._("The delivery of %(order)s cannot be validated:", order=order.name), *blocking]
                    )
                )
