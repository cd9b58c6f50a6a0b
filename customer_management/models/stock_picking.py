"""Deliveries: the deliveries of sale orders pass the credit control again when the company asks for it."""

from odoo import models
from odoo.exceptions import UserError

from .sale_order import DELIVERY_JUDGED, credit_judged


class StockPicking(models.Model):
    """Deliveries of sale orders pass the credit control again when the company asks for it."""

    _inherit = "stock.picking"

    def write(self, vals):
        # The state of a transfer is computed from its moves; written by a caller, a delivery would read done.
        if vals.get("state") == "done" and not self.env.su:
            raise UserError(self.env._("A transfer is done when it is validated: use its Validate button."))
        return super().write(vals)

    def button_validate(self):
        self.move_ids._check_customer_credit()
        with credit_judged(self.move_ids, DELIVERY_JUDGED):
            return super().button_validate()
