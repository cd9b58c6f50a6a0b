from odoo import models

from .sale_order import DELIVERY_JUDGED, credit_judged


class StockPicking(models.Model):
    """Deliveries of sale orders pass the credit control again when the company asks for it."""

    _inherit = "stock.picking"

    def button_validate(self):
        self.move_ids._check_customer_credit()
        with credit_judged(self.move_ids, DELIVERY_JUDGED):
            return super().button_validate()
