"""The release request wizard: a salesperson asks the credit managers to release a blocked quotation."""

from odoo import api, fields, models

from ..models.res_partner_credit import get_credit_managers


class CustomerCreditReleaseRequestWizard(models.TransientModel):
    """Ask for the release of one quotation the credit control blocks, with a note."""

    _name = "customer.credit.release.request.wizard"
    _inherit = ["customer.input.checked.mixin"]
    _description = "Request the Release of a Blocked Order"

    order_id = fields.Many2one("sale.order", string="Order", required=True, readonly=True)
    blocking_reasons = fields.Text(compute="_compute_blocking_reasons")
    credit_manager_names = fields.Char(string="Credit Managers", compute="_compute_credit_manager_names")
    note = fields.Text(
        help="Why this order should be confirmed despite the credit control; the credit managers read it."
    )

    @api.depends("order_id")
    def _compute_blocking_reasons(self):
        for wizard in self:
            problems = wizard.order_id._get_credit_check()[1] if wizard.order_id else []
            wizard.blocking_reasons = "\n".join(message for _reason, message, blocking in problems if blocking)

    @api.depends("order_id")
    def _compute_credit_manager_names(self):
        for wizard in self:
            managers = get_credit_managers(wizard.order_id.company_id) if wizard.order_id else []
            wizard.credit_manager_names = ", ".join(managers.mapped("name")) if managers else False

    def action_request(self):
        """Record the request and notify the credit managers of the order's company."""
        self._ensure_one_for_action()
        self.env["customer.credit.release.request"]._request(self.order_id, self.note)
        return {"type": "ir.actions.act_window_close"}
