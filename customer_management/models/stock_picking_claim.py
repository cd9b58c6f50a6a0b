"""A transfer of a claim: the return of a customer's goods, or their replacement."""

from odoo import models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "customer.claim.document.mixin"]  # pylint: disable=consider-merging-classes-inherited

    def _action_done(self):
        result = super()._action_done()
        # sudo: the claims of the returns received, whatever the claims the warehouse user may read.
        received = self.sudo().filtered(
            lambda picking: picking.state == "done" and picking.picking_type_code == "incoming"
        )
        received.customer_claim_id._schedule_credit()
        return result
