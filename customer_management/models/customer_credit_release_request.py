"""Release requests: a salesperson asks the credit managers to release a quotation the credit control blocks."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from .res_partner_credit import get_credit_managers

REQUEST_STATES = [("pending", "Pending"), ("released", "Released"), ("refused", "Refused"), ("withdrawn", "Withdrawn")]
ACTIVITY_TYPE = "customer_management.mail_activity_type_credit_release"


class CustomerCreditReleaseRequest(models.Model):
    """A salesperson's request to release a blocked quotation, and the credit manager's answer.

    Written by its workflow only (no user creates or writes one): the request wizard creates it, the release wizard
    answers it. An order has one pending request at a time; the credit managers of its company each get an activity
    on the order, closed when one of them answers.
    """

    _name = "customer.credit.release.request"
    _description = "Credit Release Request"
    _order = "date desc, id desc"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order", string="Order", required=True, readonly=True, index=True, ondelete="cascade", check_company=True
    )
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer", store=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    user_id = fields.Many2one("res.users", string="Requested By", required=True, readonly=True)
    date = fields.Datetime(string="Requested On", required=True, readonly=True, default=fields.Datetime.now)
    note = fields.Text(required=True, readonly=True, help="Why the salesperson asks for the release.")
    state = fields.Selection(REQUEST_STATES, default="pending", required=True, readonly=True, index=True)
    decided_by_id = fields.Many2one("res.users", string="Answered By", readonly=True)
    decision_date = fields.Datetime(string="Answered On", readonly=True)
    decision_note = fields.Text(string="Answer", readonly=True)

    _sql_constraints = [
        (
            "decision_check",
            "CHECK (state = 'pending' OR (decided_by_id IS NOT NULL AND decision_date IS NOT NULL))",
            "An answered release request says who answered it and when.",
        ),
    ]

    def init(self):  # pylint: disable=missing-return
        # One pending request per order: a salesperson pressing the button again does not ask twice.
        self.env.cr.execute(
            f"""CREATE UNIQUE INDEX IF NOT EXISTS {self._table}_pending_order_uniq
                ON {self._table} (order_id) WHERE state = 'pending'"""
        )

    @api.depends("order_id", "user_id")
    def _compute_display_name(self):
        for request in self:
            request.display_name = self.env._(
                "%(order)s, requested by %(user)s", order=request.order_id.name, user=request.user_id.name
            )

    @api.model
    def _request(self, order, note):
        """Record the current user's request to release ``order`` with ``note``, give the credit managers of its
        company an activity on the order, and say so in its chatter. Refused, with nothing written, for an order
        that is not a blocked quotation or that has a pending request already."""
        order.check_access("write")
        if order.state not in ("draft", "sent"):
            raise UserError(self.env._("Only a quotation can be released, and %(order)s is not one.", order=order.name))
        if not order.credit_blocked:
            raise UserError(
                self.env._("The credit control does not block %(order)s: it needs no release.", order=order.name)
            )
        note = (note or "").strip()
        if not note:
            raise UserError(self.env._("Say why the order should be released: the note is required."))
        pending = order._get_pending_credit_release_request()
        if pending:
            raise UserError(
                self.env._(
                    "%(user)s already asked for the release of %(order)s on %(date)s; the credit managers have it.",
                    user=pending.user_id.name,
                    order=order.name,
                    date=format_datetime(self.env, pending.date),
                )
            )
        # sudo: requests are written by their workflow only, after the checks above.
        request = self.sudo().create({"order_id": order.id, "user_id": self.env.user.id, "note": note})
        managers = get_credit_managers(order.company_id)
        # The context may skip core's automated activities (mail_activity_automation_skip): a request always reaches
        # the credit managers.
        scheduler = order.sudo().with_context(mail_activity_automation_skip=False)
        for manager in managers:
            # In the credit manager's language: the summary is what it reads in its activities.
            summary = self.with_context(lang=manager.lang).env._("Release %(order)s?", order=order.name)
            scheduler.activity_schedule(ACTIVITY_TYPE, summary=summary, note=note, user_id=manager.id)
        # sudo: posted by the requester, notified to the credit managers, with or without an email address of its own.
        order.sudo().message_post(
            body=self.env._("Credit release requested by %(user)s: %(note)s", user=self.env.user.name, note=note),
            partner_ids=managers.partner_id.ids,
        )
        return request

    def _answer(self, state, note):
        """Close these pending requests as ``state`` (``released`` or ``refused``) with the credit manager's
        ``note``: their activities done, the requesters notified on the order."""
        pending = self.filtered(lambda request: request.state == "pending")
        if not pending:
            return
        pending.sudo().write(
            {
                "state": state,
                "decided_by_id": self.env.user.id,
                "decision_date": fields.Datetime.now(),
                "decision_note": note,
            }
        )
        orders = pending.order_id
        # sudo: each credit manager's activity is closed by whichever of them answered.
        orders.sudo().with_context(mail_activity_automation_skip=False).activity_feedback(
            [ACTIVITY_TYPE], feedback=note
        )
        for request in pending:
            if state == "released":
                body = self.env._("%(user)s released the credit block: %(note)s", user=self.env.user.name, note=note)
            else:
                body = self.env._(
                    "%(user)s refused to release the credit block: %(note)s", user=self.env.user.name, note=note
                )
            # sudo: the answer reaches the requester, with or without an email address of the credit manager's own.
            request.order_id.sudo().message_post(
                body=body,
                partner_ids=request.user_id.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    def _withdraw(self):
        """Close these pending requests without an answer (their order was confirmed or cancelled): their activities
        are removed."""
        pending = self.filtered(lambda request: request.state == "pending")
        if not pending:
            return
        pending.sudo().write(
            {"state": "withdrawn", "decided_by_id": self.env.user.id, "decision_date": fields.Datetime.now()}
        )
        pending.order_id.sudo().with_context(mail_activity_automation_skip=False).activity_unlink([ACTIVITY_TYPE])
