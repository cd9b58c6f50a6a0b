"""A credit note of a claim: what a customer sent back, credited at its invoice's price."""

from odoo import models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "customer.claim.document.mixin"]  # pylint: disable=consider-merging-classes-inherited
