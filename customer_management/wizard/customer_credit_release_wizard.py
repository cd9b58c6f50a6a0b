"""The credit release wizard: a credit manager releases a blocked order with a reason and the figures of now."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount

from ..models.res_partner_credit import CREDIT_MANAGER_GROUP


class CustomerCreditReleaseWizard(models.TransientModel):
    """Release one order blocked by the credit control, with a reason."""

    _name = "customer.credit.release.wizard"
    _inherit = ["customer.input.checked.mixin"]
    _description = "Release a Blocked Order"

    order_id = fields.Many2one("sale.order", string="Order", required=True, readonly=True)
    blocking_reasons = fields.Text(compute="_compute_blocking_reasons")
    reason = fields.Text(help="Why this order may be confirmed despite the credit control; kept in the release log.")
    request_id = fields.Many2one(
        "customer.credit.release.request",
        string="Request",
        compute="_compute_request_id",
        help="The salesperson's pending request for this release, answered with it.",
    )
    request_user_id = fields.Many2one(related="request_id.user_id")
    request_note = fields.Text(related="request_id.note")

    @api.depends("order_id")
    def _compute_blocking_reasons(self):
        for wizard in self:
            problems = wizard.order_id._get_credit_check()[1] if wizard.order_id else []
            wizard.blocking_reasons = "\n".join(message for _reason, message, _blocking in problems)

    @api.depends("order_id")
    def _compute_request_id(self):
        for wizard in self:
            wizard.request_id = wizard.order_id and wizard.order_id._get_pending_credit_release_request()

    def action_release(self):
        """Release the order and confirm it."""
        self._release()
        return self.order_id.action_confirm()

    def action_release_only(self):
        """Release the order, for its salesperson to confirm: the requester is notified."""
        self._release()
        return {"type": "ir.actions.act_window_close"}

    def action_refuse(self):
        """Refuse the salesperson's pending request, with the reason: the requester is notified."""
        self._check_decision()
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why the release is refused: the reason is required."))
        if not self.request_id:
            raise UserError(
                self.env._(
                    "Nobody asked for the release of %(order)s: there is nothing to refuse.", order=self.order_id.name
                )
            )
        self.request_id._answer("refused", self.reason.strip())
        return {"type": "ir.actions.act_window_close"}

    def _check_decision(self):
        """Refuse a user who is not a credit manager, an order it may not write, or an order that is not a quotation."""
        self._ensure_one_for_action()
        if not self.env.user.has_group(CREDIT_MANAGER_GROUP):
            raise AccessError(self.env._("Only a credit manager can release an order blocked by the credit control."))
        self.order_id.check_access("write")
        order = self.order_id
        if order.state not in ("draft", "sent"):
            raise UserError(self.env._("Only a quotation can be released, and %(order)s is not one.", order=order.name))

    def _release(self):
        """Record the release with the figures at this moment, say so in the order's chatter, answer the pending
        request."""
        self._check_decision()
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why the order is released: the reason is required."))
        order = self.order_id
        figures, problems = order._get_credit_check()
        customer = order.partner_invoice_id.commercial_partner_id
        # sudo: a release is written by this wizard only, with the figures of this moment; no user creates one.
        release = (
            self.env["customer.credit.release"]
            .sudo()
            .create(
                {
                    "order_id": order.id,
                    "partner_id": customer.id,
                    "order_partner_id": order.partner_id.commercial_partner_id.id,
                    "company_id": order.company_id.id,
                    "reason": self.reason.strip(),
                    "credit_limit": customer._get_credit_limit(order.company_id),
                    "exposure": figures.total,
                    "order_amount": order._get_credit_amount(),
                    "overdue_amount": figures.overdue_uncovered,
                    "overdue_days": figures.overdue_days,
                    "blocking_reasons": "\n".join(message for _reason, message, _blocking in problems),
                }
            )
        )
        order.message_post(
            body=self.env._(
                "Credit release by %(user)s for %(amount)s: %(reason)s",
                user=release.user_id.name,
                amount=format_amount(self.env, release.order_amount, release.currency_id),
                reason=release.reason,
            )
        )
        self.request_id._answer("released", release.reason)
        return release
