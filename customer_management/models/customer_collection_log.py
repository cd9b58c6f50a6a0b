"""The collection log: each contact with a customer about what it owes, and the record mixin it shares with promises."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

COLLECTION_KINDS = [
    ("call", "Call"),
    ("visit", "Visit"),
    ("email", "Email"),
    ("message", "Message"),
    ("letter", "Letter"),
    ("dunning", "Dunning Reminder"),
]
COLLECTION_OUTCOMES = [
    ("reached", "Reached"),
    ("no_answer", "No Answer"),
    ("promised", "Promised to Pay"),
    ("refused", "Refused to Pay"),
    ("disputed", "Disputed"),
    ("paid", "Paid"),
    ("sent", "Sent"),
]


def set_commercial_partner(env, vals_list):
    """``vals_list`` with each ``partner_id`` replaced by its commercial entity: collection records are the
    customer's, whichever of its contacts they were made with."""
    partners = env["res.partner"].browse([vals["partner_id"] for vals in vals_list if vals.get("partner_id")])
    commercial = {partner.id: partner.commercial_partner_id.id for partner in partners}
    return [
        {**vals, "partner_id": commercial[vals["partner_id"]]} if vals.get("partner_id") else vals for vals in vals_list
    ]


def check_invoices_partner(records):
    """Refuse collection records (log entries, promises) that name invoices, or a promise, of another customer."""
    for record in records:
        customer = record.partner_id.commercial_partner_id
        promise = record["promise_id"] if "promise_id" in record._fields else record.browse()
        others = record.invoice_ids.filtered(
            lambda invoice, customer=customer: invoice.commercial_partner_id != customer
        )
        if promise and promise.partner_id != customer:
            others |= promise
        if others:
            raise ValidationError(
                record.env._(
                    "The customer %(customer)s is not the one of %(documents)s.",
                    documents=", ".join(others.mapped("display_name")),
                    customer=customer.display_name,
                )
            )


def check_outcome_or_note(logs):
    """Refuse logged contacts (about collections, about service) with neither an outcome nor a note."""
    for log in logs:
        if not log.outcome and not (log.note or "").strip():
            raise ValidationError(
                log.env._(
                    "A contact with %(customer)s needs its outcome or a note of what was said.",
                    customer=log.partner_id.display_name,
                )
            )


class CustomerCollectionRecordMixin(models.AbstractModel):
    """A record of a contact with a customer (a collection log entry, a promise, a service log entry): the
    customer's, whichever of its contacts it was made with, in a company, its values checked before anything reads
    them."""

    _name = "customer.collection.record.mixin"
    _inherit = ["customer.input.checked.mixin"]
    _description = "Customer Collection Record"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('parent_id', '=', False)]",
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)

    @api.model
    def _prepare_checked_vals_list(self, vals_list):
        return set_commercial_partner(self.env, super()._prepare_checked_vals_list(vals_list))


class CustomerCollectionLog(models.Model):
    """A contact with a customer about what it owes: a call, a visit, a message or a reminder, and its outcome."""

    _name = "customer.collection.log"
    _inherit = ["customer.collection.record.mixin", "customer.workflow.mixin"]
    _description = "Collection Log"
    _order = "date desc, id desc"
    _check_company_auto = True
    # The reminders of the dunning levels are logged by the dunning run only.
    _workflow_fields = ("dunning_level_id",)
    _workflow_values = {"kind": ("dunning",), "outcome": ("sent",)}

    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", string="Collector", required=True, default=lambda self: self.env.user, check_company=True
    )
    kind = fields.Selection(COLLECTION_KINDS, required=True, default="call")
    outcome = fields.Selection(COLLECTION_OUTCOMES)
    note = fields.Text()
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted')]",
        check_company=True,
    )
    promise_id = fields.Many2one("customer.payment.promise", string="Payment Promise", check_company=True)
    dunning_level_id = fields.Many2one("customer.dunning.level", string="Dunning Level", readonly=True)

    @api.constrains("partner_id", "invoice_ids", "promise_id")
    def _check_invoices_partner(self):
        check_invoices_partner(self)

    # The kind (always given, or its default) makes the check run on every create, outcome and note empty too.
    @api.constrains("kind", "outcome", "note")
    def _check_outcome_or_note(self):
        check_outcome_or_note(self)
