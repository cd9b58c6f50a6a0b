"""Commercial conditions: the dated versions of a customer's terms in a company, their terms and their workflow."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .res_partner import PAYMENT_MODES
from .res_partner_credit import CREDIT_MANAGER_GROUP

STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("scheduled", "Scheduled"),
    ("active", "Active"),
    ("superseded", "Superseded"),
    ("refused", "Refused"),
    ("cancelled", "Cancelled"),
]
# Where a version comes from: a request, or a record the module keeps so that the history is complete. A selection,
# so that the recorded ones read in the reader's language.
ORIGINS = [
    ("request", "Requested"),
    ("customer_edit", "Changed on the customer"),
    ("segment_defaults", "Defaults of the segment"),
    ("installation", "Terms when customer management was installed"),
    ("restored", "Restored after temporary conditions"),
]
# The states of the versions that were approved: those in force, waiting for their date or replaced since.
APPROVED_STATES = ("scheduled", "active", "superseded")
# Context key of the module's own writes of approved terms on the partner, honoured in superuser code only (the
# module enters it after its own checks): a caller over RPC sends any context it likes.
CONDITION_APPLY = "customer_condition_apply"
MANAGER_GROUP = "customer_management.customer_management_group_manager"
# The terms a version holds: {the partner's field (its current value in the company): the version's field}.
PARTNER_TERM_FIELDS = {
    "credit_limit": "credit_limit",
    "property_payment_term_id": "payment_term_id",
    "property_product_pricelist": "pricelist_id",
    "customer_discount_percent": "discount_percent",
    "payment_mode": "payment_mode",
}
# The terms a version holds, as values of the version.
TERM_FIELDS = set(PARTNER_TERM_FIELDS.values())


class CustomerCommercialCondition(models.Model):
    """One version of a customer's commercial terms in a company, in force from one date to another."""

    _name = "customer.commercial.condition"
    _description = "Customer Commercial Conditions"
    _inherit = ["mail.thread", "mail.activity.mixin", "customer.input.mixin", "customer.workflow.mixin"]
    _mail_post_access = "read"
    _check_company_auto = True
    _order = "date_from desc, id desc"
    _rec_name = "partner_id"
    # The approval flow decides the state, who approved and when; the requester is whoever submits.
    _workflow_fields = (
        "state",
        "approved_by_id",
        "approval_date",
        "origin",
        "requested_by_id",
        "first_approved_by_id",
    )

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        ondelete="cascade",
        tracking=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    credit_limit = fields.Monetary(currency_field="company_currency_id", tracking=True)
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Payment Terms",
        check_company=True,
        tracking=True,
    )
    pricelist_id = fields.Many2one("product.pricelist", string="Pricelist", check_company=True, tracking=True)
    currency_id = fields.Many2one(
        "res.currency",
        string="Currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The currency the customer trades in, the pricelist's when it has one.",
    )
    discount_percent = fields.Float(string="Discount (%)", digits="Discount", tracking=True)
    payment_mode = fields.Selection(PAYMENT_MODES, tracking=True)
    date_from = fields.Date(
        string="Valid From", required=True, default=fields.Date.context_today, index=True, tracking=True
    )
    date_to = fields.Date(string="Valid Until", index=True, tracking=True)
    origin = fields.Selection(ORIGINS, default="request", required=True, readonly=True, copy=False)
    reason = fields.Char(tracking=True)
    requested_by_id = fields.Many2one(
        "res.users", string="Requested By", default=lambda self: self.env.user, copy=False
    )
    approved_by_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False)
    approval_date = fields.Datetime(readonly=True, copy=False)
    first_approved_by_id = fields.Many2one(
        "res.users",
        string="First Approval By",
        readonly=True,
        copy=False,
        tracking=True,
        help="Above the company's credit limit needing approval, a request of someone who is not a credit manager "
        "needs two credit managers: the first one who approved it.",
    )
    state = fields.Selection(STATES, default="draft", required=True, readonly=True, copy=False, tracking=True)

    @api.depends("pricelist_id")
    def _compute_currency_id(self):
        for version in self:
            version.currency_id = (
                version.pricelist_id.currency_id or version.currency_id or version.company_id.currency_id
            )

    @api.constrains("partner_id")
    def _check_partner_id(self):
        for version in self:
            if version.partner_id != version.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Commercial conditions are those of the customer %(customer)s, not of its contact or address "
                        "%(contact)s.",
                        customer=version.partner_id.commercial_partner_id.display_name,
                        contact=version.partner_id.display_name,
                    )
                )

    @api.constrains("credit_limit")
    def _check_credit_limit(self):
        for version in self:
            if version.credit_limit < 0:
                raise ValidationError(
                    self.env._("The credit limit of %(customer)s cannot be negative.", customer=version.partner_id.name)
                )

    @api.constrains("discount_percent")
    def _check_discount_percent(self):
        for version in self:
            if not 0 <= version.discount_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "The discount of %(customer)s must be between 0 and 100%%.", customer=version.partner_id.name
                    )
                )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for version in self:
            if version.date_to and version.date_to < version.date_from:
                raise ValidationError(
                    self.env._(
                        "The conditions of %(customer)s cannot end (%(date_to)s) before they start (%(date_from)s).",
                        customer=version.partner_id.name,
                        date_to=format_date(self.env, version.date_to),
                        date_from=format_date(self.env, version.date_from),
                    )
                )

    @api.constrains("pricelist_id", "currency_id")
    def _check_pricelist_currency(self):
        for version in self:
            if version.pricelist_id and version.currency_id and version.pricelist_id.currency_id != version.currency_id:
                raise ValidationError(
                    self.env._(
                        "The pricelist %(pricelist)s is in %(pricelist_currency)s, not in %(currency)s.",
                        pricelist=version.pricelist_id.name,
                        pricelist_currency=version.pricelist_id.currency_id.name,
                        currency=version.currency_id.name,
                    )
                )

    @api.constrains("partner_id", "company_id", "date_from", "date_to", "state")
    def _check_overlap(self):
        approved = self.filtered(lambda version: version.state in APPROVED_STATES)
        if not approved:
            return
        # The overlap is judged against every version, also those the user cannot read.
        others = approved._get_history()
        for version in approved:
            for other in others.get((version.partner_id, version.company_id), []):
                if other.id != version.id and version._overlaps(other):
                    raise ValidationError(
                        self.env._(
                            "The conditions of %(customer)s from %(date_from)s overlap with those in force from "
                            "%(other_from)s in %(company)s: end one before the other starts.",
                            customer=version.partner_id.name,
                            date_from=format_date(self.env, version.date_from),
                            other_from=format_date(self.env, other.date_from),
                            company=version.company_id.name,
                        )
                    )

    @api.onchange("partner_id", "company_id")
    def _onchange_partner_id(self):
        """A new version starts from the customer's terms in force, to change what changes."""
        if self._origin or self.state != "draft":
            return
        for fname, value in self._get_current_terms(self.partner_id.id, self.company_id.id).items():
            self[fname] = value

    @api.model_create_multi
    def create(self, vals_list):
        self._check_customer_input(vals_list)
        # A version enters as a draft (the workflow fields are refused from callers, see customer.workflow.mixin):
        # only the approval flow, or the partner's own record of a direct edit, applies it.
        for vals in vals_list:
            # A version states what changes: the terms it does not give are those in force.
            if TERM_FIELDS - vals.keys():
                for fname, value in self._get_current_terms(vals.get("partner_id"), vals.get("company_id")).items():
                    vals.setdefault(fname, value)
        return super().create(vals_list)

    def write(self, vals):
        self._check_customer_input([vals])
        # Once submitted, the terms are what is approved: only the reason may still change, and the end date of a
        # request (an approved version ends through the versions that follow it, which are approved in turn).
        if not self.env.su and any(
            set(vals) - ({"reason"} if version.state in APPROVED_STATES else {"reason", "date_to"})
            for version in self.filtered(lambda version: version.state != "draft")
        ):
            raise UserError(
                self.env._("Submitted conditions cannot change: create a new version to change a customer's terms.")
            )
        return super().write(vals)

    def message_post(self, **kwargs):
        # The chatter is the approvals' trail: nobody posts in another's name, given as an author or an address.
        if not self.env.su and (kwargs.get("author_id") is not None or kwargs.get("email_from")):
            author_id, _email_from = self._message_compute_author(
                kwargs.get("author_id"), kwargs.get("email_from"), raise_on_email=False
            )
            self._check_own_author(author_id)
        return super().message_post(**kwargs)

    @api.model
    def _check_own_author(self, author_id):
        """Refuse a message of the history whose author is not the user posting it."""
        if not self.env.su and author_id != self.env.user.partner_id.id:
            raise UserError(self.env._("You can only post in your own name in the history of commercial conditions."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(version.state in APPROVED_STATES for version in self):
            raise UserError(self.env._("Approved conditions are the customer's history and cannot be deleted."))

    def _creation_message(self):
        # Core's "%s created" cannot agree in Spanish with the model's plural feminine name.
        return self.env._("Customer commercial conditions created")

    def action_submit(self):
        """Ask for approval, or apply at once what the user may decide alone."""
        self.check_access("write")
        for version in self:
            if version.state != "draft":
                raise UserError(self.env._("Only draft conditions can be submitted."))
            if not version.reason:
                raise UserError(self.env._("Give the reason for the new conditions before submitting them."))
            if version.date_from < fields.Date.context_today(self) and not self.env.user.has_group(
                CREDIT_MANAGER_GROUP
            ):
                raise UserError(
                    self.env._(
                        "Only a credit manager can date conditions before today: the history says what was in force."
                    )
                )
        # sudo: the workflow writes its own fields, for a user whose rights were checked above. The requester is
        # whoever submits, so that nobody approves a request it made under another's name.
        # A submission starts the approvals over: a first approval is for the terms it saw.
        self.sudo().write({"requested_by_id": self.env.user.id, "first_approved_by_id": False})
        baselines = self._get_approval_baselines()
        needing = self.filtered(lambda version: version._needs_approval(baselines[version]))
        needing.sudo().write({"state": "to_approve"})
        # Logged, not sent: a requester without an email address submits all the same.
        if needing:
            body = self.env._("Approval requested by %(user)s.", user=self.env.user.name)
            needing._message_log_batch(dict.fromkeys(needing.ids, body))
            needing._schedule_approval_activities()
        (self - needing)._approve()
        return True

    def action_approve(self):
        """Approve the requested conditions: they apply now or on their start date.

        Above the company's approval amount two credit managers decide: the requester when it is one, else the first
        to approve, whose approval is recorded while the request waits for the second (administrators decide alone).
        """
        self._check_approver()
        if any(version.state != "to_approve" for version in self):
            raise UserError(self.env._("Only conditions waiting for approval can be approved."))
        if any(version.first_approved_by_id == self.env.user for version in self):
            raise UserError(self.env._("You approved these conditions already: another credit manager must."))
        first = self.browse()
        if not self.env.user.has_group(MANAGER_GROUP):
            baselines = self._get_approval_baselines()
            first = self.filtered(
                lambda version: not version.first_approved_by_id and version._needs_two_approvers(baselines[version])
            )
        # sudo: the workflow writes its own fields, for an approver checked above.
        first.sudo().first_approved_by_id = self.env.user
        if first:
            body = self.env._(
                "First approval by %(user)s: a second credit manager must approve these conditions.",
                user=self.env.user.name,
            )
            first._message_log_batch(dict.fromkeys(first.ids, body))
            first._close_approval_activities(self.env.user)
        approved = self - first
        approved._approve()
        approved._close_approval_activities()
        approved._notify_requesters(
            self.env._("%(user)s approved your commercial conditions.", user=self.env.user.name)
        )
        return True

    def action_refuse(self):
        """Refuse the requested conditions: the customer's terms do not change."""
        self._check_approver(own_allowed=True)
        if any(version.state != "to_approve" for version in self):
            raise UserError(self.env._("Only conditions waiting for approval can be refused."))
        self.sudo().write({"state": "refused"})
        self._close_approval_activities()
        self._notify_requesters(self.env._("%(user)s refused your commercial conditions.", user=self.env.user.name))
        return True

    def action_cancel(self):
        """Withdraw a draft or a request, or a version that has not started yet."""
        if any(version.state not in ("draft", "to_approve", "scheduled") for version in self):
            raise UserError(self.env._("Only conditions not yet in force can be cancelled."))
        scheduled = self.filtered(lambda version: version.state == "scheduled")
        if scheduled:
            self._check_approver(own_allowed=True)
        (self - scheduled).check_access("write")
        self.sudo().write({"state": "cancelled"})
        self._close_approval_activities()
        scheduled._reopen_previous_versions()
        return True

    def action_draft(self):
        """Reopen a refused or cancelled version to change and submit it again."""
        if any(version.state not in ("refused", "cancelled") for version in self):
            raise UserError(self.env._("Only refused or cancelled conditions can be reopened."))
        self.check_access("write")
        self.sudo().write({"state": "draft", "first_approved_by_id": False})
        return True

    def _prepare_partner_vals(self):
        """The terms of this version, as values of its customer (a version without a payment mode keeps the
        customer's)."""
        self.ensure_one()
        vals = {
            partner_fname: self._fields[fname].convert_to_write(self[fname], self)
            for partner_fname, fname in PARTNER_TERM_FIELDS.items()
        }
        if not vals["payment_mode"]:
            del vals["payment_mode"]
        return vals

    @api.model
    def _get_current_terms(self, partner_id, company_id):
        """The terms in force of the customer ``partner_id`` in ``company_id`` (the current company by default)."""
        partner = self.env["res.partner"].browse(partner_id).commercial_partner_id
        if not partner:
            return {}
        company = self.env["res.company"].browse(company_id) or self.env.company
        return partner._prepare_commercial_condition_vals(company)

    def _get_terms(self):
        """The terms of the version as a JSON-serialisable dict."""
        self.ensure_one()
        return {
            "version_id": self.id,
            **self._prepare_version_vals(),
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
        }

    def _prepare_version_vals(self):
        """The terms of this version, as values for another version."""
        self.ensure_one()
        return self._convert_to_write({fname: self[fname] for fname in (*PARTNER_TERM_FIELDS.values(), "currency_id")})
