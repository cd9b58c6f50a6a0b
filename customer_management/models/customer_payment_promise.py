"""Payment promises: a customer's promise to pay by a date, judged by the daily job from its payments."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .customer_collection_log import check_invoices_partner

# Days after the promised date a payment still keeps the promise (a transfer made that day arrives the next one).
PROMISE_GRACE_DAYS = 1


class CustomerPaymentPromise(models.Model):
    """A customer's promise to pay an amount by a date, kept or broken by the payments it makes."""

    _name = "customer.payment.promise"
    _description = "Payment Promise"
    _inherit = ["customer.collection.record.mixin", "mail.thread", "customer.workflow.mixin"]
    _order = "promised_date desc, id desc"
    _check_company_auto = True
    # Kept or broken is judged by the cron from the payments received; who recorded it is whoever records it.
    _workflow_fields = ("state", "date_evaluated", "amount_paid", "user_id")

    partner_id = fields.Many2one(tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(required=True, tracking=True, help="In the company's currency.")
    promised_date = fields.Date(required=True, tracking=True)
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted')]",
        check_company=True,
        help="The invoices the customer promised to pay, for reference.",
    )
    note = fields.Text()
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        required=True,
        default=lambda self: self.env.user,
        check_company=True,
        copy=False,
    )
    state = fields.Selection(
        [("open", "Open"), ("kept", "Kept"), ("broken", "Broken"), ("cancelled", "Cancelled")],
        required=True,
        default="open",
        readonly=True,
        tracking=True,
        copy=False,
    )
    date_evaluated = fields.Date(readonly=True, copy=False)
    amount_paid = fields.Monetary(
        readonly=True, copy=False, help="The customer's payments from the promise to its date, when evaluated."
    )

    @api.constrains("amount", "promised_date")
    def _check_amount_and_date(self):
        for promise in self:
            if promise.currency_id.compare_amounts(promise.amount, 0.0) <= 0:
                raise ValidationError(self.env._("A payment promise needs a positive amount."))
            recorded = fields.Date.to_date(promise.create_date or fields.Datetime.now())
            if promise.state == "open" and promise.promised_date < recorded:
                raise ValidationError(
                    self.env._(
                        "A payment promise cannot be due on %(date)s, before the day it is recorded.",
                        date=format_date(self.env, promise.promised_date),
                    )
                )

    @api.constrains("partner_id", "invoice_ids")
    def _check_invoices_partner(self):
        check_invoices_partner(self)

    def action_cancel(self):
        if any(promise.state != "open" for promise in self):
            raise UserError(self.env._("Only an open payment promise can be cancelled."))
        self.check_access("write")
        # sudo: the state is the workflow's, for a user whose rights were checked above.
        self.sudo().state = "cancelled"

    @api.model
    def _cron_evaluate_promises(self, date=None):
        """Keep or break the open promises whose date (and grace day) has passed, from the payments received.

        A promise is kept when the posted customer payments of its customer in its company, dated from the day it
        was recorded to its date plus :data:`PROMISE_GRACE_DAYS`, cover its amount. The payments of every promise
        are read in one grouped query, and the promises written once per distinct judgement.
        """
        date = date or fields.Date.context_today(self)
        # sudo: the judgement is the workflow's, whoever runs it.
        promises = self.sudo().search(
            [("state", "=", "open"), ("promised_date", "<", date - timedelta(PROMISE_GRACE_DAYS))]
        )
        if not promises:
            return promises
        paid = self._get_payments_by_day(promises)
        judgements = {}
        for promise in promises:
            since = fields.Date.to_date(promise.create_date)
            until = promise.promised_date + timedelta(PROMISE_GRACE_DAYS)
            amount_paid = sum(
                amount
                for day, amount in paid.get((promise.partner_id.id, promise.company_id.id), {}).items()
                if since <= day <= until
            )
            kept = promise.currency_id.compare_amounts(amount_paid, promise.amount) >= 0
            judgements[promise] = {
                "state": "kept" if kept else "broken",
                "date_evaluated": date,
                "amount_paid": amount_paid,
            }
        promises._write_grouped(judgements)
        return promises

    def _get_payments_by_day(self, promises):
        """``{(commercial partner id, company id): {day: amount}}``: payments of the promises' customers."""
        since = min(fields.Date.to_date(promise.create_date) for promise in promises)
        until = max(promises.mapped("promised_date")) + timedelta(PROMISE_GRACE_DAYS)
        groups = self.env["account.payment"]._read_group(
            [
                ("partner_id", "child_of", promises.partner_id.ids),
                ("company_id", "in", promises.company_id.ids),
                ("payment_type", "=", "inbound"),
                ("partner_type", "=", "customer"),
                ("state", "in", ("in_process", "paid")),
                ("date", ">=", since),
                ("date", "<=", until),
            ],
            ["partner_id", "company_id", "date:day"],
            ["amount_company_currency_signed:sum"],
        )
        paid = {}
        for partner, company, day, amount in groups:
            per_day = paid.setdefault((partner.commercial_partner_id.id, company.id), {})
            day = fields.Date.to_date(day)
            per_day[day] = per_day.get(day, 0.0) + amount
        return paid
