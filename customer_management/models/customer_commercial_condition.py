from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

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
# The terms a version holds, as values of the version.
TERM_FIELDS = {"credit_limit", "payment_term_id", "pricelist_id", "discount_percent", "payment_mode"}


class CustomerCommercialCondition(models.Model):
    """One version of a customer's commercial terms in a company, in force from one date to another."""

    _name = "customer.commercial.condition"
    _description = "Customer Commercial Conditions"
    _inherit = ["mail.thread", "customer.input.mixin", "customer.workflow.mixin"]
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
                        date_to=version.date_to,
                        date_from=version.date_from,
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
        # sudo: the overlap is judged against every version, also those the user cannot read.
        others = (
            self.sudo()
            .search(
                [
                    ("partner_id", "in", approved.partner_id.ids),
                    ("company_id", "in", approved.company_id.ids),
                    ("state", "in", APPROVED_STATES),
                ]
            )
            .grouped(lambda version: (version.partner_id, version.company_id))
        )
        for version in approved:
            for other in others.get((version.partner_id, version.company_id), []):
                if other.id != version.id and version._overlaps(other):
                    raise ValidationError(
                        self.env._(
                            "The conditions of %(customer)s from %(date_from)s overlap with those in force from "
                            "%(other_from)s in %(company)s: end one before the other starts.",
                            customer=version.partner_id.name,
                            date_from=version.date_from,
                            other_from=other.date_from,
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
        needing = self.filtered(lambda version: version._needs_approval())
        needing.sudo().write({"state": "to_approve"})
        for version in needing:
            # Logged, not sent: a requester without an email address submits all the same.
            version._message_log(body=self.env._("Approval requested by %(user)s.", user=self.env.user.name))
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
            first = self.filtered(lambda version: not version.first_approved_by_id and version._needs_two_approvers())
        # sudo: the workflow writes its own fields, for an approver checked above.
        first.sudo().first_approved_by_id = self.env.user
        for version in first:
            version._message_log(
                body=self.env._(
                    "First approval by %(user)s: a second credit manager must approve these conditions.",
                    user=self.env.user.name,
                )
            )
        (self - first)._approve()
        return True

    def _needs_two_approvers(self):
        """Whether the version's limit is above the company's approval amount (no limit is above any) and widens
        the customer's, for a requester who is not a credit manager: then two credit managers must approve it."""
        self.ensure_one()
        return (
            self._is_above_approval_amount(self.company_id, self.credit_limit)
            and not self.requested_by_id.has_group(CREDIT_MANAGER_GROUP)
            and any(self._is_limit_raise(limit, self.credit_limit) for limit, _mode in self._get_approval_baselines())
        )

    def action_refuse(self):
        """Refuse the requested conditions: the customer's terms do not change."""
        self._check_approver(own_allowed=True)
        if any(version.state != "to_approve" for version in self):
            raise UserError(self.env._("Only conditions waiting for approval can be refused."))
        self.sudo().write({"state": "refused"})
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
        scheduled._reopen_previous_versions()
        return True

    def action_draft(self):
        """Reopen a refused or cancelled version to change and submit it again."""
        if any(version.state not in ("refused", "cancelled") for version in self):
            raise UserError(self.env._("Only refused or cancelled conditions can be reopened."))
        self.check_access("write")
        self.sudo().write({"state": "draft", "first_approved_by_id": False})
        return True

    def _overlaps(self, other):
        """Whether the validity of two versions shares a day."""
        self.ensure_one()
        return (not other.date_to or self.date_from <= other.date_to) and (
            not self.date_to or other.date_from <= self.date_to
        )

    def _get_previous_version(self):
        """The approved version in force before this one, for its customer and company."""
        self.ensure_one()
        return self.sudo().search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("state", "in", APPROVED_STATES),
                ("date_from", "<", self.date_from),
                ("id", "!=", self.id),
            ],
            limit=1,
        )

    def _reopen_previous_versions(self):
        """Let the versions cut short for these cancelled ones run until the next approved version."""
        for version in self:
            previous = version._get_previous_version()
            if previous and previous.date_to == version.date_from - timedelta(days=1):
                # sudo: the customer's history follows the cancellation, whoever may cancel.
                following = self.sudo().search(
                    [
                        ("partner_id", "=", version.partner_id.id),
                        ("company_id", "=", version.company_id.id),
                        ("state", "in", APPROVED_STATES),
                        ("date_from", ">", previous.date_from),
                    ],
                    order="date_from",
                    limit=1,
                )
                previous.date_to = following.date_from - timedelta(days=1) if following else False

    def _needs_approval(self):
        """Whether the current user may not put this version in force alone: it widens the customer's credit (see
        :meth:`_get_limit_approval` and :meth:`_get_payment_mode_approval`) against any of its baselines."""
        self.ensure_one()
        return any(
            self._get_limit_approval(self.company_id, limit, self.credit_limit)
            or (self.payment_mode and self._get_payment_mode_approval(payment_mode, self.payment_mode))
            for limit, payment_mode in self._get_approval_baselines()
        )

    def _get_approval_baselines(self):
        """The terms ``(credit limit, payment mode)`` this version is judged against: those in force, and those the
        customer returns to when a temporary version that this one would cut, replace or outlast ends (what the daily
        cron restores). A version that keeps a temporary raise beyond its end is a raise."""
        self.ensure_one()
        # sudo: the terms are compared whoever asks; core reserves the limit to accountants.
        partner = self.partner_id.with_company(self.company_id).sudo()
        baselines = [(partner.credit_limit, partner.payment_mode)]
        temporary = self.sudo().search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("state", "in", ("scheduled", "active")),
                ("date_to", "!=", False),
                ("date_to", ">=", self.date_from),
                ("id", "!=", self.id),
            ]
        )
        for version in temporary:
            previous = version._get_previous_version()
            if previous:
                baselines.append((previous.credit_limit, previous.payment_mode or partner.payment_mode))
        return baselines

    @api.model
    def _get_limit_approval(self, company, old_limit, new_limit):
        """The approval the current user needs to take a credit limit from ``old_limit`` to ``new_limit``.

        A limit of 0 means no limit, as in core: the largest limit of all. ``old_limit`` None is a new customer,
        which has no credit yet. Raising the credit limit (to no limit too) is a credit manager's decision
        (``credit_manager``), and above the company's approval amount (no limit is above any) a second credit
        manager's (``second_approval``); lowering it, or changing any other term, needs none (False).
        """
        if not self._is_limit_raise(old_limit, new_limit):
            return False
        if not self.env.user.has_group(CREDIT_MANAGER_GROUP):
            return "credit_manager"
        return "second_approval" if self._is_above_approval_amount(company, new_limit) else False

    @api.model
    def _is_limit_raise(self, old_limit, new_limit):
        """Whether ``new_limit`` gives more credit than ``old_limit`` (0 is no limit; ``old_limit`` None, a new
        customer): a new customer's first limit is a raise, and from no limit nothing is."""
        new_limit = new_limit or 0.0
        if old_limit is None:
            return new_limit > 0
        return bool(old_limit) and (not new_limit or new_limit > old_limit)

    @api.model
    def _is_above_approval_amount(self, company, limit):
        """Whether ``limit`` (0: no limit, above any) is above ``company``'s credit limit needing approval."""
        amount = company.customer_credit_approval_amount
        return amount > 0 and (not limit or limit > amount)

    @api.model
    def _get_payment_mode_approval(self, old_mode, new_mode):
        """The approval the current user needs to move a customer from ``old_mode`` to ``new_mode``: a cash customer
        put on credit may owe up to its limit, a credit manager's decision (``credit_manager``); else False."""
        if old_mode == "cash" and new_mode != "cash" and not self.env.user.has_group(CREDIT_MANAGER_GROUP):
            return "credit_manager"
        return False

    def _check_approver(self, own_allowed=False):
        """Refuse a user who is not a credit manager, or who approves its own request (administrators may)."""
        if not self.env.user.has_group(CREDIT_MANAGER_GROUP):
            raise AccessError(self.env._("Only a credit manager can approve, refuse or cancel approved conditions."))
        if own_allowed or self.env.user.has_group(MANAGER_GROUP):
            return
        if any(version.requested_by_id == self.env.user for version in self):
            raise UserError(
                self.env._("You cannot approve your own request: another credit manager or an administrator must.")
            )

    def _approve(self, date=None):
        """Record the approval; versions started on ``date`` (today) apply now, the others wait for their date."""
        today = date or fields.Date.context_today(self)
        now = fields.Datetime.now()
        versions = self.sudo()
        for version in versions.sorted("date_from"):
            version._make_room(today)
            if version.date_from > today:
                state = "scheduled"
            elif version.date_to and version.date_to < today:
                state = "superseded"
            else:
                state = "active"
            version.write({"approved_by_id": self.env.user.id, "approval_date": now, "state": state})
        versions.filtered(lambda version: version.state == "active")._apply_to_partner()

    def _make_room(self, date=None):
        """End the approved versions these overlap, before they take their place.

        A version in force ends the day before the new one starts; one starting the same day is replaced
        (cancelled); the new one ends the day before the next approved version starts, so a back-dated version
        fills a gap in the history without replacing what came after it.
        """
        date = date or fields.Date.context_today(self)
        # sudo: the customer's whole history is adjusted, also the versions the user cannot read.
        candidates = (
            self.sudo()
            .search(
                [
                    ("partner_id", "in", self.partner_id.ids),
                    ("company_id", "in", self.company_id.ids),
                    ("state", "in", APPROVED_STATES),
                    ("id", "not in", self.ids),
                ]
            )
            .grouped(lambda version: (version.partner_id.id, version.company_id.id))
        )
        for version in self:
            others = candidates.get((version.partner_id.id, version.company_id.id), self.browse())
            later = others.filtered(lambda other, version=version: other.date_from > version.date_from).sorted(
                "date_from"
            )[:1]
            if later and (not version.date_to or version.date_to >= later.date_from):
                version.date_to = later.date_from - timedelta(days=1)
            for other in others:
                if other.date_from < version.date_from:
                    values = {}
                    if other._overlaps(version):
                        values["date_to"] = version.date_from - timedelta(days=1)
                    # A version in force stays so until its successor starts.
                    if other.state == "active" and version.date_from <= date:
                        values["state"] = "superseded"
                    if values:
                        other.write(values)
                elif other._overlaps(version):
                    other.state = "cancelled"
                    other._message_log(
                        body=self.env._("Replaced by conditions starting on %(date)s.", date=version.date_from)
                    )

    @api.model
    def _record_partner_conditions(self, origins):
        """Record the partners' current terms as versions in force from today, one per (partner, company).

        ``origins`` maps (partner, company) to the origin of the version (a key of :data:`ORIGINS`). The terms are
        already on the partners: the versions are approved by the user who set them, within the rights checked there.
        """
        if not origins:
            return self.browse()
        today = fields.Date.context_today(self)
        vals_list = [
            {
                **partner._prepare_commercial_condition_vals(company),
                "partner_id": partner.id,
                "company_id": company.id,
                "date_from": today,
                "origin": origin,
                "requested_by_id": self.env.user.id,
            }
            for (partner, company), origin in origins.items()
        ]
        versions = self.sudo().create(vals_list)
        versions._make_room()
        versions.write({"state": "active", "approved_by_id": self.env.user.id, "approval_date": fields.Datetime.now()})
        return versions

    def _apply_to_partner(self):
        """Write the versions' terms on their customers, as the customers' current values in their company."""
        for version in self:
            partner = version.partner_id.with_company(version.company_id).with_context(**{CONDITION_APPLY: True})
            # sudo: the terms were approved; the partner's company-dependent fields follow them.
            partner.sudo().write(version._prepare_partner_vals())

    def _prepare_partner_vals(self):
        self.ensure_one()
        vals = {
            "credit_limit": self.credit_limit,
            "property_payment_term_id": self.payment_term_id.id,
            "property_product_pricelist": self.pricelist_id.id,
            "customer_discount_percent": self.discount_percent,
        }
        if self.payment_mode:
            vals["payment_mode"] = self.payment_mode
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

    @api.model
    def _cron_apply_conditions(self, date=None):
        """Start the scheduled versions due on ``date`` and restore the terms of versions that ended."""
        date = date or fields.Date.context_today(self)
        versions = self.sudo()
        due = versions.search([("state", "=", "scheduled"), ("date_from", "<=", date)], order="date_from, id")
        for version in due:
            version._make_room(date)
            version.state = "active" if not version.date_to or version.date_to >= date else "superseded"
        due.filtered(lambda version: version.state == "active")._apply_to_partner()
        ended = versions.search([("state", "=", "active"), ("date_to", "<", date)])
        continuations = []
        for version in ended:
            previous = version._get_previous_version() or version
            continuations.append(
                {
                    **previous._prepare_version_vals(),
                    "partner_id": version.partner_id.id,
                    "company_id": version.company_id.id,
                    "date_from": version.date_to + timedelta(days=1),
                    "date_to": False,
                    "origin": "restored",
                    # The ended version's own reason says which temporary conditions ended.
                    "reason": version.reason,
                    "requested_by_id": self.env.user.id,
                }
            )
        ended.write({"state": "superseded"})
        versions.create(continuations)._approve(date)

    def _prepare_version_vals(self):
        """The terms of this version, as values for another version."""
        self.ensure_one()
        return {
            "credit_limit": self.credit_limit,
            "payment_term_id": self.payment_term_id.id,
            "pricelist_id": self.pricelist_id.id,
            "currency_id": self.currency_id.id,
            "discount_percent": self.discount_percent,
            "payment_mode": self.payment_mode,
        }
