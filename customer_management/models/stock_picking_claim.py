"""A transfer of a claim: the return of a customer's goods, or their replacement."""

from odoo import models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "customer.claim.document.mixin"]  # pylint: disable=consider-merging-classes-inherited
