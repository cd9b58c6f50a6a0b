"""The credit hold wizard: a credit manager puts a customer on hold, saying why."""

from odoo import fields, models
from odoo.exceptions import AccessError

from ..models.res_partner_credit import CREDIT_MANAGER_GROUP


class CustomerCreditHoldWizard(models.TransientModel):
    """Put one customer on credit hold with a reason; who and when are recorded with it."""

    _name = "customer.credit.hold.wizard"
    _inherit = ["customer.input.checked.mixin"]
    _description = "Put a Customer on Credit Hold"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    reason = fields.Text(help="Why the customer's orders are refused until the hold is lifted; its refusals quote it.")

    def action_hold(self):
        """Put the customer on hold with the reason."""
        self._ensure_one_for_action()
        if not self.env.user.has_group(CREDIT_MANAGER_GROUP):
            raise AccessError(self.env._("Only a credit manager can put a customer on credit hold."))
        self.partner_id.commercial_partner_id.write({"credit_hold": True, "credit_hold_reason": self.reason})
        return {"type": "ir.actions.act_window_close"}
