"""The customer's credit on the partner: limit in force, exposure, status, hold, and the control of its changes."""

from collections import namedtuple

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.models import PREFETCH_MAX
from odoo.tools import float_compare, float_round, format_amount, format_date

from ..exceptions import CreditBlockedError
from .customer_exposure import EMPTY_EXPOSURE

CREDIT_MANAGER_GROUP = "customer_management.customer_management_group_credit_manager"
# The customer's credit control fields that only credit managers set, on create as on write.
CREDIT_CONTROL_FIELDS = ("credit_hold", "credit_hold_reason", "credit_grace_days")
# Who put the customer on hold and when: written with the hold, never given by a caller.
CREDIT_HOLD_LOG_FIELDS = ("credit_hold_user_id", "credit_hold_date")
# The figures computed together by _compute_credit_exposure, in the order it gives them.
CREDIT_FIGURE_FIELDS = ("customer_credit_limit", "credit_exposure", "credit_available", "credit_status")
CREDIT_STATUSES = [("ok", "OK"), ("warning", "Warning"), ("blocked", "Blocked")]
# Who sees the customer's invoices (salespeople read their customers' ones) and payments (accounting only).
ACCOUNTANTS = "account.group_account_invoice,account.group_account_readonly"
INVOICE_READERS = f"sales_team.group_sale_salesman,{ACCOUNTANTS}"
# Who reads the credit standing of any customer: the limit in force, the status, the hold and the grace days. Every
# user of the module (a salesperson must know whether it may sell) and the accountants; never portal or public users.
CREDIT_READERS = f"customer_management.customer_management_group_user,{ACCOUNTANTS}"
# Who reads what any customer owes (exposure, available credit, overdue, aging, payment behaviour): collectors,
# salespeople of all documents and accountants. A salesperson of its own documents only reads none of these on the
# customer (its own customers' receivables are in the receivable report, whose record rules restrict it).
RECEIVABLE_READERS = (
    "customer_management.customer_management_group_collector,sales_team.group_sale_salesman_all_leads," f"{ACCOUNTANTS}"
)


def get_credit_managers(company):
    """The internal users who release ``company``'s blocked orders and approve its customers' conditions: its credit
    managers, by name."""
    # sudo: whoever asks is told who can answer, not given the groups' members.
    return (
        company.env.ref(CREDIT_MANAGER_GROUP)
        .sudo()
        .users.filtered(lambda user: not user.share and company in user.company_ids)
        .sorted("name")
    )


# The terms of a customer that the credit control reads, as plain values: the checks of any number of customers
# read no field per customer.
CreditTerms = namedtuple("CreditTerms", ["credit_limit", "credit_hold", "credit_grace_days", "payment_mode"])
# What the credit figures of a partner depend on: its commercial partner's terms.
CREDIT_TERM_DEPENDS = ("commercial_partner_id", *(f"commercial_partner_id.{fname}" for fname in CreditTerms._fields))


class CreditPolicy:
    """A company's credit policy, read once, applied to the :class:`CreditTerms` and the exposure of customers.

    A credit limit of 0 means no limit, as in core; the check applies whatever core's "Sales Credit Limit" setting
    (which only shows core's warning).
    """

    def __init__(self, company):
        self.rounding = company.currency_id.rounding
        self.grace_days = company.customer_credit_grace_days
        self.warning_percent = company.customer_credit_warning_percent
        self.cash_blocks = company.customer_cash_policy == "block"

    def get_grace_days(self, terms):
        """The days an invoice of the customer may be overdue before its orders are blocked."""
        return terms.credit_grace_days or self.grace_days

    def get_reasons(self, terms, exposure, amount=0.0):
        """Why the customer cannot take ``amount`` more on credit: ``{reason: blocking}``.

        ``reason`` is ``hold``, ``limit``, ``overdue`` or ``cash``; ``blocking`` is False only for cash customers
        under a company that warns instead of blocking.
        """
        limit = terms.credit_limit
        reasons = {}
        if terms.credit_hold:
            reasons["hold"] = True
        if limit and float_compare(exposure.total + amount, limit, precision_rounding=self.rounding) > 0:
            reasons["limit"] = True
        # Overdue invoices that the customer's open credits (payments on account, credit notes) cover block nothing.
        uncovered = float_compare(exposure.overdue_uncovered, 0.0, precision_rounding=self.rounding) > 0
        if uncovered and exposure.overdue_days > self.get_grace_days(terms):
            reasons["overdue"] = True
        # A cash customer's order is prepaid when its payments and credit notes not applied yet cover all it owes.
        if (
            terms.payment_mode == "cash"
            and float_compare(exposure.total + amount, 0.0, precision_rounding=self.rounding) > 0
        ):
            reasons["cash"] = self.cash_blocks
        return reasons

    def get_status(self, terms, exposure):
        """``ok``, ``warning`` or ``blocked`` for the customer's ``exposure``."""
        # A cash customer is not a credit risk: its unpaid orders are refused, its status says nothing about it.
        if any(reason != "cash" for reason in self.get_reasons(terms, exposure)):
            return "blocked"
        limit = terms.credit_limit
        threshold = limit * self.warning_percent / 100
        if limit and float_compare(exposure.total, threshold, precision_rounding=self.rounding) >= 0:
            return "warning"
        return "ok"


# One class per concern of the partner, as core's mail splits it (see the README's architecture).
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    credit_hold = fields.Boolean(
        groups=CREDIT_READERS,
        company_dependent=True,
        tracking=True,
        copy=False,
        help="A customer on hold has its orders refused until a credit manager lifts the hold, whatever its limit.",
    )
    credit_hold_reason = fields.Text(
        groups=CREDIT_READERS,
        string="Hold Reason",
        company_dependent=True,
        copy=False,
        help="Why the customer is on credit hold; its refused orders quote it.",
    )
    credit_hold_user_id = fields.Many2one(
        "res.users",
        groups=CREDIT_READERS,
        string="On Hold By",
        company_dependent=True,
        readonly=True,
        copy=False,
    )
    credit_hold_date = fields.Datetime(
        groups=CREDIT_READERS, string="On Hold Since", company_dependent=True, readonly=True, copy=False
    )
    credit_grace_days = fields.Integer(
        groups=CREDIT_READERS,
        string="Overdue Grace Days",
        company_dependent=True,
        tracking=True,
        help="Days an invoice of this customer may be overdue before its orders are blocked; 0 uses the company's.",
    )
    customer_credit_limit = fields.Monetary(
        groups=CREDIT_READERS,
        string="Credit Limit in Force",
        compute="_compute_credit_exposure",
        help="Core's credit limit of the customer in this company, shown to every user of the module; 0 means no "
        "limit. It changes through the customer's commercial conditions.",
    )
    credit_exposure = fields.Monetary(
        groups=RECEIVABLE_READERS,
        compute="_compute_credit_exposure",
        help="What the customer owes and will owe in this company: open receivable, draft invoices and confirmed "
        "orders not invoiced yet, taxes included.",
    )
    credit_available = fields.Monetary(
        groups=RECEIVABLE_READERS,
        compute="_compute_credit_exposure",
        help="Credit limit minus exposure; 0 when the customer has no credit limit.",
    )
    credit_status = fields.Selection(
        CREDIT_STATUSES,
        groups=CREDIT_READERS,
        compute="_compute_credit_exposure",
        search="_search_credit_status",
        help="Blocked: on hold, over its credit limit or overdue beyond the grace days; warning: the share of the "
        "limit used reached the company's threshold.",
    )

    credit_block_message = fields.Text(
        groups=CREDIT_READERS,
        string="Why Blocked",
        compute="_compute_credit_block_message",
        help="Why the customer's orders are refused: the hold (why, since when, by whom), the limit, the overdue "
        "invoices.",
    )

    @api.depends(*CREDIT_TERM_DEPENDS)
    @api.depends_context("company")
    def _compute_credit_exposure(self, exposures=None):
        company = self.env.company
        if exposures is None:
            exposures = self._get_engine_exposures("_compute_credit_exposure")
        # The customers' terms and the company's policy read once, not per record: reading them per record took
        # most of the time of a read of every customer's figures.
        terms = self._get_credit_records(company)._get_credit_terms()
        policy = CreditPolicy(company)
        values = {fname: [] for fname in CREDIT_FIGURE_FIELDS}
        for customer_id in self._get_commercial_partner_ids():
            if not customer_id:  # a partner being created owes nothing yet
                figures = (0.0, 0.0, 0.0, "ok")
            else:
                exposure = exposures.get(customer_id, EMPTY_EXPOSURE)
                customer_terms = terms[customer_id]
                limit = customer_terms.credit_limit
                total = float_round(exposure.total, precision_rounding=policy.rounding)
                available = float_round(limit - total, precision_rounding=policy.rounding) if limit else 0.0
                figures = (limit, total, available, policy.get_status(customer_terms, exposure))
            for fname, value in zip(CREDIT_FIGURE_FIELDS, figures, strict=True):
                values[fname].append(value)
        # Rounded by the company's currency here: straight into the cache, without a Monetary field's currency
        # lookup per record, which took half the time of a read of every customer's figures.
        for fname, column in values.items():
            self.env.cache.update(self, self._fields[fname], column)

    @api.depends(*CREDIT_TERM_DEPENDS, "commercial_partner_id.credit_hold_reason")
    @api.depends_context("company")
    def _compute_credit_block_message(self, exposures=None):
        company = self.env.company
        if exposures is None:
            exposures = self._get_engine_exposures("_compute_credit_block_message")
        customers = self._get_credit_records(company)
        for partner, customer_id in zip(self, self._get_commercial_partner_ids(), strict=True):
            problems = []
            if customer_id:
                customer = customers.browse(customer_id)
                problems = customer._get_credit_problems(company, exposures.get(customer_id, EMPTY_EXPOSURE))
            # A cash customer's orders are judged one by one (paid first): the customer is not blocked for it.
            partner.credit_block_message = (
                "\n".join(message for reason, message, blocking in problems if blocking and reason != "cash") or False
            )

    def _search_credit_status(self, operator, value):
        statuses = {status for status, _label in CREDIT_STATUSES}
        values = {value} if isinstance(value, str) else set(value) if isinstance(value, list | tuple) else None
        if operator not in ("=", "!=", "in", "not in") or not values or not values <= statuses:
            raise UserError(
                self.env._(
                    "%(field)s is searched with =, !=, in or not in, and the values %(statuses)s.",
                    field=self._fields["credit_status"]._description_string(self.env),
                    statuses=", ".join(sorted(statuses)),
                )
            )
        # Odoo checks the groups of the stored fields of a domain; a field searched through its method is checked here.
        self.check_field_access_rights("read", ["credit_status"])
        # The customers the caller may read, judged together (one engine query): a status depends on what the
        # customer owes now, which no stored value would follow.
        entities = self.search([("customer_rank", ">", 0)]).commercial_partner_id
        matched = entities.filtered(lambda partner: partner.credit_status in values)
        positive = operator in ("=", "in")
        return [("commercial_partner_id", "in" if positive else "not in", matched.ids)]

    def _get_commercial_partner_ids(self):
        """The id of the commercial partner of each record, in order (0 for a partner being created)."""
        field = self._fields["commercial_partner_id"]
        if all(isinstance(record_id, int) for record_id in self._ids):
            # Saved records: straight from the cache that _get_credit_records filled, not record by record.
            customer_ids = self.env.cache.get_until_miss(self, field)
            if len(customer_ids) == len(self):
                return [customer_id or 0 for customer_id in customer_ids]
        return [partner.commercial_partner_id._origin.id or 0 for partner in self]

    def _in_cache_without(self, field, limit=PREFETCH_MAX):
        # The engine computes a batch of customers in one query, whatever its size: the ORM's computes of its figures
        # get every record read together, not a thousand at a time (a read of 10,000 customers is one engine call).
        if field.compute in self._get_engine_computes():
            limit = None
        return super()._in_cache_without(field, limit)

    @api.model
    def _get_engine_computes(self):
        """``{compute method: parts}`` of the partner's fields that the exposure engine computes in one query for any
        number of records; each concern adds its own. The parts are what the method reads of the engine besides
        the open receivable (``orders``: the drafts and orders, ``aging``, ``payment_history``, see
        :meth:`_get_engine_exposures`); each method takes the engine's figures as an optional ``exposures``."""
        return {"_compute_credit_exposure": {"orders"}, "_compute_credit_block_message": {"orders"}}

    def _get_engine_exposures(self, *computes):
        """The engine's figures of these partners' customers in the current company, with the parts the compute
        methods ``computes`` read (see :meth:`_get_engine_computes`)."""
        engine_computes = self._get_engine_computes()
        parts = set().union(*(engine_computes[compute] for compute in computes))
        return self.env["customer.exposure"]._get_exposure(
            self,
            self.env.company,
            receivable_only="orders" not in parts,
            aging="aging" in parts,
            payment_history="payment_history" in parts,
        )

    def _read_format(self, fnames, load="_classic_read"):
        self._prefetch_engine_fields(fnames)
        return super()._read_format(fnames, load)

    def _prefetch_engine_fields(self, fnames):
        """Compute the fields of ``fnames`` that engine computes give with one engine call for all the records read
        and all the computes: a form shows the credit, the aging and the payment behaviour, each alone would query
        the engine, and a read of more records than the ORM prefetches would query it per thousand records."""
        computes = self._get_engine_computes()
        pending = {}  # {compute method: (a field it computes, the records without it in cache)}
        for fname in fnames:
            field = self._fields.get(fname)
            if field and field.compute in computes and field.compute not in pending:
                missing = self.browse(self.env.cache.get_missing_ids(self, field))
                if missing:
                    pending[field.compute] = (field, missing)
        if not pending:
            return
        exposures = self.concat(*(records for _field, records in pending.values()))._get_engine_exposures(*pending)
        for compute, (field, records) in pending.items():
            with self.env.protecting(self.pool.field_computed[field], records):
                getattr(records, compute)(exposures)

    @api.constrains("credit_grace_days")
    def _check_credit_grace_days(self):
        for partner in self:
            if partner.credit_grace_days < 0:
                raise ValidationError(
                    self.env._(
                        "The overdue grace days cannot be negative (%(value)s).", value=partner.credit_grace_days
                    )
                )

    @api.model
    def _customer_create(self, vals_list):
        self._check_credit_control_rights(vals_list, creating=True)
        vals_list = [self._prepare_credit_hold_vals(vals) for vals in vals_list]
        for vals in vals_list:
            if vals.get("credit_limit"):
                # A new customer has no credit yet: its first limit is a raise.
                self._check_credit_limit_raise(vals.get("name"), None, vals["credit_limit"])
        return super()._customer_create(vals_list)

    def _customer_write(self, vals):
        self._check_credit_control_rights([vals])
        vals = self._prepare_credit_hold_vals(vals)
        if {"parent_id", "is_company"} & vals.keys():
            self._check_commercial_entity_change(vals)
        entities = self.filtered(lambda partner: partner._is_customer_entity())
        if "credit_limit" in vals:
            for partner in entities:
                self._check_credit_limit_raise(partner.display_name, partner.sudo().credit_limit, vals["credit_limit"])
        if "payment_mode" in vals:
            for partner in entities:
                self._check_payment_mode_change(partner, vals["payment_mode"])
        return super()._customer_write(vals)

    @api.model
    def _get_customer_summary_sections(self):
        return {
            **super()._get_customer_summary_sections(),
            "exposure": ("credit_hold", "credit_exposure", "credit_available", "credit_status"),
        }

    def _get_credit_records(self, company):
        """The commercial partners, as the credit control reads them: in ``company``, as superuser.

        Core reserves the credit limit to accountants; the control applies to whoever confirms. The methods below
        expect their records in this environment; switch records to it with ``with_env``, which is cheap.
        """
        # The commercial partner alone, of the records that have none in cache yet: reading the field of many records
        # fetches every column of the partner, a thousand records at a time. With it, in the same query, the terms
        # of those that are their own commercial partner (most customers read in bulk), which the control reads next.
        origins = self._origin
        missing = origins.browse(self.env.cache.get_missing_ids(origins, self._fields["commercial_partner_id"]))
        if missing:
            missing.sudo().with_company(company).fetch(["commercial_partner_id", *CreditTerms._fields])
        records = self.commercial_partner_id._origin.sudo().with_company(company)
        # The terms of all of them in one query (none when in cache): the checks read them customer by customer.
        records.fetch(CreditTerms._fields)
        return records

    def _get_credit_limit(self, company):
        """The customer's credit limit in ``company`` (core's company-dependent field); 0 means no limit."""
        self.ensure_one()
        return self._get_credit_records(company).credit_limit

    def _get_credit_terms(self):
        """The terms the credit control reads of these records (as :meth:`_get_credit_records` returns them), as
        :class:`CreditTerms` by record id, fetched in one query."""
        self.fetch(CreditTerms._fields)
        # By field, from the cache fetch filled: by record, reading the four fields took most of a compute.
        columns = [self.mapped(fname) for fname in CreditTerms._fields]
        return dict(zip(self._ids, map(CreditTerms._make, zip(*columns, strict=True)), strict=True))

    def _get_credit_status(self, company, exposure):
        """``ok``, ``warning`` or ``blocked`` for the customer's ``exposure`` in ``company``."""
        self.ensure_one()
        return CreditPolicy(company).get_status(self._get_credit_terms()[self.id], exposure)

    def _get_credit_reasons(self, company, exposure, amount=0.0):
        """Why the customer cannot take ``amount`` more on credit in ``company`` (see
        :meth:`CreditPolicy.get_reasons`). ``self`` is read as :meth:`_get_credit_records` returns it."""
        self.ensure_one()
        return CreditPolicy(company).get_reasons(self._get_credit_terms()[self.id], exposure, amount)

    def _get_credit_grace_days(self, company):
        self.ensure_one()
        return CreditPolicy(company).get_grace_days(self._get_credit_terms()[self.id])

    def _refuse_credit_blocks(self, company, title):
        """Raise, under ``title(customer)``, the blocking credit problems of the first customer of ``self`` that has
        some in ``company`` (for what they owe already, nothing added)."""
        customers = self._get_credit_records(company)
        exposures = self.env["customer.exposure"]._get_exposure(customers, company)
        for customer in customers:
            problems = customer._get_credit_problems(company, exposures.get(customer.id, EMPTY_EXPOSURE))
            blocking, _warnings = self.env["sale.order"]._split_credit_problems(problems)
            if blocking:
                raise CreditBlockedError("\n".join([title(customer), *blocking]))

    def _get_credit_problems(self, company, exposure, amount=0.0):
        """The reasons of :meth:`_get_credit_reasons` with their messages: ``[(reason, message, blocking)]``."""
        self.ensure_one()
        reasons = self._get_credit_reasons(company, exposure, amount)
        if not reasons:
            return []
        currency = company.currency_id
        limit = self.credit_limit

        def money(value):
            return format_amount(self.env, value, currency)

        messages = {
            "hold": self._get_credit_hold_message,
            "limit": lambda: self.env._(
                "%(customer)s would exceed its credit limit of %(limit)s by %(excess)s: exposure %(exposure)s, this "
                "order %(amount)s, available %(available)s.",
                customer=self.name,
                limit=money(limit),
                excess=money(exposure.total + amount - limit),
                exposure=money(exposure.total),
                amount=money(amount),
                available=money(limit - exposure.total),
            ),
            "overdue": lambda: self.env._(
                "%(customer)s has %(amount)s overdue that its payments and credit notes not applied do not cover, "
                "the oldest for %(days)s days (grace: %(grace)s days).",
                customer=self.name,
                amount=money(exposure.overdue_uncovered),
                days=exposure.overdue_days,
                grace=self._get_credit_grace_days(company),
            ),
            "cash": lambda: self.env._(
                "%(customer)s pays cash: %(due)s must be paid first (this order %(amount)s, exposure %(exposure)s).",
                customer=self.name,
                due=money(exposure.total + amount),
                amount=money(amount),
                exposure=money(exposure.total),
            ),
        }
        # What the customer owes is for the receivable readers (see RECEIVABLE_READERS): to anyone else, the
        # reasons speak of the limit and the order only.
        if not self.env.user.has_groups(RECEIVABLE_READERS):
            messages.update(
                {
                    "limit": lambda: self.env._(
                        "%(customer)s would exceed its credit limit of %(limit)s with this order of %(amount)s.",
                        customer=self.name,
                        limit=money(limit),
                        amount=money(amount),
                    )
                    if amount
                    else self.env._(
                        "%(customer)s is over its credit limit of %(limit)s.", customer=self.name, limit=money(limit)
                    ),
                    "overdue": lambda: self.env._(
                        "%(customer)s has invoices overdue beyond its grace days (%(grace)s days).",
                        customer=self.name,
                        grace=self._get_credit_grace_days(company),
                    ),
                    "cash": lambda: self.env._(
                        "%(customer)s pays cash: what it owes must be paid first (this order %(amount)s).",
                        customer=self.name,
                        amount=money(amount),
                    )
                    if amount
                    else self.env._("%(customer)s pays cash: what it owes must be paid first.", customer=self.name),
                }
            )
        return [(reason, messages[reason](), blocking) for reason, blocking in reasons.items()]

    @api.model
    def _prepare_credit_hold_vals(self, vals):
        """``vals``, completed when they put customers on hold with who and when (a hold needs its reason), or
        cleared of them when they lift the hold: who and when are the write's own, never a caller's."""
        if not self.env.su:
            # A form sends its empty fields (a customer created from an invoice's dialog): an empty reason, who or
            # when gives nothing, refuses nothing and clears nothing.
            vals = {
                fname: value
                for fname, value in vals.items()
                if value or fname not in ("credit_hold_reason", *CREDIT_HOLD_LOG_FIELDS)
            }
        if not self.env.su and any(fname in vals for fname in CREDIT_HOLD_LOG_FIELDS):
            raise UserError(self.env._("Who put a customer on hold and when are recorded with the hold, not given."))
        if "credit_hold" not in vals:
            if "credit_hold_reason" in vals and not self.env.su:
                raise UserError(self.env._("A hold's reason is given when the customer is put on hold."))
            return vals
        vals = dict(vals)
        if vals["credit_hold"]:
            vals["credit_hold_reason"] = (vals.get("credit_hold_reason") or "").strip() or False
            # Server code answers for itself (the dunning gives its reason); a user says why.
            if not vals["credit_hold_reason"] and not self.env.su:
                raise UserError(self.env._("Say why the customer is put on credit hold: the reason is required."))
            vals.setdefault("credit_hold_user_id", self.env.user.id)
            vals.setdefault("credit_hold_date", fields.Datetime.now())
        else:
            vals.update(credit_hold_reason=False, credit_hold_user_id=False, credit_hold_date=False)
        return vals

    def action_open_credit_hold(self):
        """Open the wizard that puts this customer on credit hold with a reason."""
        self._ensure_one_for_action()
        return self._get_dialog_action(
            "customer.credit.hold.wizard",
            self.env._("Put on Credit Hold"),
            {"default_partner_id": self.commercial_partner_id.id},
        )

    def action_lift_credit_hold(self):
        """Lift the credit hold of these customers (credit managers)."""
        self.commercial_partner_id.write({"credit_hold": False})
        return True

    def _get_credit_hold_message(self):
        """Why, since when and by whom the customer is on hold, as a refusal and the banner say it. ``self`` is read
        as :meth:`_get_credit_records` returns it."""
        self.ensure_one()
        if not self.credit_hold_reason:
            return self.env._("%(customer)s is on credit hold.", customer=self.name)
        return self.env._(
            "%(customer)s is on credit hold since %(date)s (%(user)s): %(reason)s",
            customer=self.name,
            date=format_date(self.env, fields.Datetime.context_timestamp(self, self.credit_hold_date))
            if self.credit_hold_date
            else "—",
            user=self.credit_hold_user_id.name or "—",
            reason=self.credit_hold_reason,
        )

    @api.model
    def _check_credit_control_rights(self, vals_list, creating=False):
        """Refuse the credit hold and the grace days from a user who is not a credit manager, on create (where the
        defaults, no hold and no grace days, are accepted) as on write."""
        if self.env.su or self.env.user.has_group(CREDIT_MANAGER_GROUP):
            return
        given = [vals[fname] for vals in vals_list for fname in CREDIT_CONTROL_FIELDS if fname in vals]
        if any(value or not creating for value in given):
            raise AccessError(
                self.env._("Only a credit manager can put a customer on credit hold or change its grace days.")
            )

    def _check_commercial_entity_change(self, vals):
        """Refuse, to a user who is not a credit manager, making a customer the contact of another entity whose
        credit is wider (no limit or a higher one, credit instead of cash, no hold): its orders would then draw on
        that entity's credit."""
        if self.env.su or self.env.user.has_group(CREDIT_MANAGER_GROUP):
            return
        approvals = self.env["customer.commercial.condition"]
        for partner in self.filtered(lambda partner: partner._is_customer_entity()).sudo():
            parent = self.browse(vals["parent_id"]) if "parent_id" in vals else partner.parent_id
            if not parent or vals.get("is_company", partner.is_company):
                continue
            entity = parent.sudo().commercial_partner_id
            if (
                approvals._get_limit_approval(self.env.company, partner.credit_limit, entity.credit_limit)
                or approvals._get_payment_mode_approval(partner.payment_mode, entity.payment_mode)
                or (partner.credit_hold and not entity.credit_hold)
            ):
                raise UserError(
                    self.env._(
                        "Only a credit manager can make %(customer)s a contact of %(entity)s: its orders would draw on "
                        "wider credit.",
                        customer=partner.display_name,
                        entity=entity.display_name,
                    )
                )

    @api.model
    def _check_payment_mode_change(self, partner, payment_mode):
        """Refuse moving a cash customer to credit (it then owes up to its limit) for a user who is not a credit
        manager: the change widens the customer's credit."""
        if self.env.su:
            return
        approval = self.env["customer.commercial.condition"]._get_payment_mode_approval(
            partner.payment_mode, payment_mode
        )
        if approval:
            raise UserError(
                self.env._(
                    "Only a credit manager can move %(customer)s from cash to credit: request it with new commercial "
                    "conditions.",
                    customer=partner.display_name,
                )
            )

    @api.model
    def _check_credit_limit_raise(self, customer, old_limit, new_limit):
        """Refuse a direct raise of a customer's credit limit that needs an approval in the current company.

        ``old_limit`` None is a new customer; a limit of 0 is no limit (see ``_get_limit_approval``).
        """
        if self.env.su:
            return
        approval = self.env["customer.commercial.condition"]._get_limit_approval(self.env.company, old_limit, new_limit)
        if approval == "credit_manager":
            raise UserError(
                self.env._(
                    "Only a credit manager can raise the credit limit of %(customer)s: request it with new "
                    "commercial conditions.",
                    customer=customer,
                )
            )
        if approval == "second_approval":
            raise UserError(
                self.env._(
                    "A credit limit above %(amount)s for %(customer)s needs a second approval: request it with new "
                    "commercial conditions.",
                    amount=self.env.company.currency_id.format(self.env.company.customer_credit_approval_amount),
                    customer=customer,
                )
            )
