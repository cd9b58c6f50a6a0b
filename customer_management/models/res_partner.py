import ast
import datetime
import logging

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, float_compare, format_amount

from .customer_exposure import AGING_BUCKETS, EMPTY_EXPOSURE

_logger = logging.getLogger(__name__)

SEGMENTS = [("wholesale", "Wholesale"), ("retail", "Retail")]
PAYMENT_MODES = [("credit", "Credit"), ("cash", "Cash")]
SCOPES = [("national", "National"), ("international", "International")]
# The partner's current terms: those of its active version, in the current company.
CONDITION_FIELDS = {
    "credit_limit",
    "property_payment_term_id",
    "property_product_pricelist",
    "customer_discount_percent",
    "payment_mode",
}
APPROVED_STATES = ("scheduled", "active", "superseded")
CREDIT_MANAGER_GROUP = "customer_management.customer_management_group_credit_manager"
# The customer's credit control fields that only credit managers set, on create as on write.
CREDIT_CONTROL_FIELDS = ("credit_hold", "credit_grace_days")
# Context key of the module's own writes of approved terms on the partner, honoured in superuser code only (the
# module enters it after its own checks): a caller over RPC sends any context it likes.
CONDITION_APPLY = "customer_condition_apply"
PICKING_POLICIES = [("direct", "As soon as possible"), ("one", "When all products are ready")]
CREDIT_STATUSES = [("ok", "OK"), ("warning", "Warning"), ("blocked", "Blocked")]
# The aging fields, in the order of the keys of their buckets in AGING_BUCKETS.
AGING_KEYS = tuple(key for key, _label in AGING_BUCKETS)
AGING_FIELDS = ("receivable_not_due", "receivable_1_30", "receivable_31_60", "receivable_61_90", "receivable_over_90")
# The receivable fields of the customer and the engine's figure of each (an attribute of Exposure), computed together
# (avg_days_to_pay apart), searched and sorted in SQL.
RECEIVABLE_FIGURES = {
    "receivable_not_due": "not_due",
    "receivable_1_30": "aged_1_30",
    "receivable_31_60": "aged_31_60",
    "receivable_61_90": "aged_61_90",
    "receivable_over_90": "aged_over_90",
    "overdue_amount": "overdue_amount",
    "due_soon_amount": "due_soon",
    "oldest_overdue_days": "overdue_days",
}
RECEIVABLE_FIELDS = tuple(RECEIVABLE_FIGURES)
# The months of sales behind the behaviour figures; the trend compares them with the same months before.
BEHAVIOUR_MONTHS = 12
# The stored behaviour fields, written by _refresh_customer_behaviour only.
BEHAVIOUR_FIELDS = (
    "last_sale_date",
    "sales_amount_12m",
    "sale_count_12m",
    "margin_12m",
    "average_ticket_12m",
    "purchase_frequency_days",
    "sales_amount_prev_12m",
    "sales_trend_12m",
)
# The sections of get_customer_summary and the partner's fields in each, of the current company; a caller gets those
# it may read. Later features add their sections in _get_customer_summary_sections.
CUSTOMER_SUMMARY_SECTIONS = {
    "classification": (
        "customer_segment",
        "payment_mode",
        "customer_scope",
        "customer_zone_id",
        "customer_channel_id",
        "user_id",
        "team_id",
        "country_id",
        "vat",
    ),
    "conditions": (
        "customer_credit_limit",
        "property_payment_term_id",
        "property_product_pricelist",
        "customer_discount_percent",
        "credit_grace_days",
    ),
    "exposure": ("credit_hold", "credit_exposure", "credit_available", "credit_status"),
    "aging": (*RECEIVABLE_FIELDS, "avg_days_to_pay", "broken_promise_count"),
    "behaviour": BEHAVIOUR_FIELDS,
    "history": (
        "customer_quotation_count",
        "customer_invoice_count",
        "customer_refund_count",
        "customer_advance_count",
        "customer_payment_count",
        "customer_delivery_count",
        "customer_product_count",
    ),
}
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
# The colour of each aging bucket in the panel's bar (Bootstrap background classes).
AGING_COLOURS = {
    "not_due": "bg-success",
    "1_30": "bg-info",
    "31_60": "bg-warning",
    "61_90": "bg-danger bg-opacity-75",
    "over_90": "bg-danger",
}


def _behaviour_field(field_class, **kwargs):
    """A behaviour figure: one value per company, stored, for internal users, written by the refresh only."""
    # A btree on the whole jsonb column does not serve a search on one company's value: no index by default.
    kwargs.setdefault("index", False)
    return field_class(company_dependent=True, readonly=True, groups="base.group_user", **kwargs)


class ResPartner(models.Model):
    """Customer registration and classification on the partner."""

    _name = "res.partner"
    _inherit = ["res.partner", "customer.input.mixin"]
    _customer_input_extra_fields = ("credit_limit",)

    customer_segment = fields.Selection(
        SEGMENTS,
        string="Segment",
        tracking=True,
        index=True,
        help="Wholesale customers buy in volume for resale; retail customers buy for their own use.",
    )
    payment_mode = fields.Selection(
        PAYMENT_MODES,
        tracking=True,
        index=True,
        help="Cash customers pay before or on delivery and get the immediate payment term by default.",
    )
    customer_scope = fields.Selection(
        SCOPES,
        string="Scope",
        compute="_compute_customer_scope",
        store=True,
        index=True,
        help="National when the customer's country is its company's country (the current company's for "
        "partners shared between companies); empty while the customer has no country.",
    )
    customer_zone_id = fields.Many2one(
        "customer.zone",
        string="Zone",
        compute="_compute_customer_zone_id",
        recursive=True,
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index=True,
        ondelete="restrict",
        domain="['|', ('company_id', '=', False), ('company_id', '=?', company_id)]",
        help="Proposed from the address (the most specific zone covering its country, state and zip), "
        "and can be changed by hand.",
    )
    customer_channel_id = fields.Many2one(
        "customer.channel",
        string="Channel",
        tracking=True,
        index=True,
        ondelete="restrict",
        domain="['|', ('company_id', '=', False), ('company_id', '=?', company_id)]",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        tracking=True,
        domain="['|', ('company_id', '=', False), ('company_id', '=?', company_id)]",
        help="Proposed as the sales team of the customer's new orders.",
    )
    customer_incoterm_id = fields.Many2one(
        "account.incoterms",
        string="Incoterm",
        help="Proposed as the incoterm of the customer's new orders.",
    )
    customer_picking_policy = fields.Selection(
        PICKING_POLICIES,
        string="Shipping Policy",
        help="Proposed as the shipping policy of the customer's new orders: deliver each product as soon as "
        "it is available, or everything at once.",
    )
    customer_delivery_address_id = fields.Many2one(
        "res.partner",
        string="Default Delivery Address",
        domain="[('commercial_partner_id', '=', commercial_partner_id), ('type', '=', 'delivery')]",
        help="Proposed as the delivery address of the customer's new orders.",
    )
    customer_discount_percent = fields.Float(
        string="Customer Discount (%)",
        company_dependent=True,
        digits="Discount",
        help="Proposed as the discount of the customer's order lines when its pricelist gives less.",
    )
    commercial_condition_ids = fields.One2many(
        "customer.commercial.condition", "partner_id", string="Commercial Conditions"
    )
    commercial_condition_count = fields.Integer(compute="_compute_commercial_condition_count")
    customer_pricelist_item_ids = fields.Many2many(
        "product.pricelist.item",
        string="Pricelist Rules",
        compute="_compute_customer_pricelist_item_ids",
        help="The rules of the customer's pricelist, with their minimum quantities (volume discounts).",
    )
    customer_loyalty_program_ids = fields.Many2many(
        "loyalty.program",
        string="Promotions",
        compute="_compute_customer_loyalty_program_ids",
        help="The promotion and loyalty programs running today that the customer's orders can use.",
    )
    credit_hold = fields.Boolean(
        groups=CREDIT_READERS,
        company_dependent=True,
        tracking=True,
        copy=False,
        help="A customer on hold has its orders refused until a credit manager lifts the hold, whatever its limit.",
    )
    credit_grace_days = fields.Integer(
        groups=CREDIT_READERS,
        string="Overdue Grace Days",
        company_dependent=True,
        tracking=True,
        help="Days an invoice of this customer may be overdue before its orders are blocked; 0 uses the company's.",
    )
    collection_log_ids = fields.One2many("customer.collection.log", "partner_id", string="Collection Log")
    payment_promise_ids = fields.One2many("customer.payment.promise", "partner_id", string="Payment Promises")
    broken_promise_count = fields.Integer(
        groups=RECEIVABLE_READERS,
        string="Broken Promises (12 Months)",
        compute="_compute_broken_promise_count",
        help="Payment promises of the customer in this company broken in the last twelve months.",
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
    overdue_amount = fields.Monetary(
        groups=RECEIVABLE_READERS,
        string="Overdue",
        compute="_compute_receivable",
        search="_search_overdue_amount",
        help="The open invoices of the customer in this company that are past their due date.",
    )
    oldest_overdue_days = fields.Integer(
        groups=RECEIVABLE_READERS,
        string="Days Overdue",
        compute="_compute_receivable",
        search="_search_oldest_overdue_days",
        help="Days since the oldest open invoice fell due.",
    )
    credit_status = fields.Selection(
        CREDIT_STATUSES,
        groups=CREDIT_READERS,
        compute="_compute_credit_exposure",
        help="Blocked: on hold, over its credit limit or overdue beyond the grace days; warning: the share of the "
        "limit used reached the company's threshold.",
    )
    receivable_not_due = fields.Monetary(
        groups=RECEIVABLE_READERS,
        string="Not Due",
        compute="_compute_receivable",
        search="_search_receivable_not_due",
        help="The open receivable not due yet, credit notes and payments not applied included (negative).",
    )
    receivable_1_30 = fields.Monetary(
        groups=RECEIVABLE_READERS,
        string="1-30 Days",
        compute="_compute_receivable",
        search="_search_receivable_1_30",
        help="The open receivable due 1 to 30 days ago.",
    )
    receivable_31_60 = fields.Monetary(
        groups=RECEIVABLE_READERS,
        string="31-60 Days",
        compute="_compute_receivable",
        search="_search_receivable_31_60",
        help="The open receivable due 31 to 60 days ago.",
    )
    receivable_61_90 = fields.Monetary(
        groups=RECEIVABLE_READERS,
        string="61-90 Days",
        compute="_compute_receivable",
        search="_search_receivable_61_90",
        help="The open receivable due 61 to 90 days ago.",
    )
    receivable_over_90 = fields.Monetary(
        groups=RECEIVABLE_READERS,
        string="Over 90 Days",
        compute="_compute_receivable",
        search="_search_receivable_over_90",
        help="The open receivable due more than 90 days ago.",
    )
    due_soon_amount = fields.Monetary(
        groups=RECEIVABLE_READERS,
        string="Due Soon",
        compute="_compute_receivable",
        search="_search_due_soon_amount",
        help="The open invoices falling due from today to the company's due-soon days.",
    )
    avg_days_to_pay = fields.Float(
        groups=RECEIVABLE_READERS,
        string="Average Days to Pay",
        compute="_compute_avg_days_to_pay",
        digits=(16, 1),
        help="Days from invoice to payment, weighted by the amounts paid, over the payments of the last year.",
    )

    # The buying behaviour of the customer 360: company-dependent (one value per company in a jsonb column, as
    # core's properties) so that each company sees its own sales, and stored, so that the customer list searches,
    # sorts and groups by them. Written set-based by _refresh_customer_behaviour only.
    last_sale_date = _behaviour_field(
        fields.Date,
        index="btree_not_null",  # the refresh of every customer starts from those that have figures
        help="The date of the customer's last confirmed order in this company.",
    )
    sales_amount_12m = _behaviour_field(
        fields.Float,
        string="Sales 12 Months",
        digits="Account",
        help="The untaxed total of the customer's orders confirmed in the last 12 months, in the company's currency.",
    )
    sale_count_12m = _behaviour_field(
        fields.Integer,
        string="Orders 12 Months",
        help="The customer's orders confirmed in the last 12 months.",
    )
    margin_12m = _behaviour_field(
        fields.Float,
        string="Margin 12 Months",
        digits="Account",
        help="The margin of the customer's orders confirmed in the last 12 months, in the company's currency.",
    )
    average_ticket_12m = _behaviour_field(
        fields.Float,
        string="Average Ticket",
        digits="Account",
        help="Sales of the last 12 months divided by their orders.",
    )
    purchase_frequency_days = _behaviour_field(
        fields.Float,
        string="Purchase Frequency (Days)",
        digits=(16, 1),
        help="The average days between two orders of the last 12 months: the days from the first to the last "
        "one, divided by the orders minus one; 0 with fewer than two orders.",
    )
    sales_amount_prev_12m = _behaviour_field(
        fields.Float,
        string="Sales Previous 12 Months",
        digits="Account",
        help="The untaxed total of the customer's orders confirmed in the 12 months before the last 12 months.",
    )
    sales_trend_12m = _behaviour_field(
        fields.Float,
        string="Sales Trend (%)",
        digits=(16, 1),
        help="The change of the sales of the last 12 months against the 12 months before, in percent; 0 when the "
        "customer bought nothing in the 12 months before.",
    )
    customer_quotation_count = fields.Integer(
        string="Quotations", compute="_compute_customer_360_counts", groups="sales_team.group_sale_salesman"
    )
    customer_invoice_count = fields.Integer(
        string="Invoice Count", compute="_compute_customer_360_counts", groups=INVOICE_READERS
    )
    customer_refund_count = fields.Integer(
        string="Credit Notes", compute="_compute_customer_360_counts", groups=INVOICE_READERS
    )
    customer_advance_count = fields.Integer(
        string="Advances", compute="_compute_customer_360_counts", groups=INVOICE_READERS
    )
    customer_payment_count = fields.Integer(
        string="Payments", compute="_compute_customer_360_counts", groups=ACCOUNTANTS
    )
    customer_delivery_count = fields.Integer(
        string="Deliveries", compute="_compute_customer_360_counts", groups="stock.group_stock_user"
    )
    customer_product_count = fields.Integer(
        string="Products Bought",
        compute="_compute_customer_360_counts",
        groups="customer_management.customer_management_group_user",
    )
    customer_open_receivable = fields.Monetary(
        string="Open Receivable",
        compute="_compute_customer_360_receivable",
        groups=RECEIVABLE_READERS,
        help="What the customer owes this company on posted invoices, less its credit notes and payments not applied.",
    )
    customer_aging_bar = fields.Html(
        string="Aging",
        compute="_compute_customer_360_receivable",
        sanitize=False,
        groups=RECEIVABLE_READERS,
        help="The open receivable by the days past each item's due date.",
    )

    @api.depends(
        "country_id",
        "company_id",
        "commercial_partner_id.country_id",
        "commercial_partner_id.company_id.partner_id.country_id",
    )
    def _compute_customer_scope(self):
        main_company = self._get_scope_reference_company()
        for partner in self:
            commercial = partner.commercial_partner_id or partner
            country = commercial.country_id
            home = (commercial.company_id or main_company).country_id
            if not country:
                partner.customer_scope = False
            else:
                partner.customer_scope = "national" if country == home else "international"

    @api.depends_context("company")
    def _compute_commercial_condition_count(self):
        counts = dict(
            self.env["customer.commercial.condition"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids), ("company_id", "=", self.env.company.id)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.commercial_condition_count = counts.get(partner.commercial_partner_id, 0)

    @api.depends("property_product_pricelist")
    @api.depends_context("company")
    def _compute_customer_pricelist_item_ids(self):
        for partner in self:
            partner.customer_pricelist_item_ids = partner.property_product_pricelist.item_ids

    @api.depends("property_product_pricelist")
    @api.depends_context("company")
    def _compute_customer_loyalty_program_ids(self):
        # Not stored: the programs change with the date; the form computes them for the one customer shown.
        today = fields.Date.context_today(self)
        programs = self.env["loyalty.program"].search_fetch(
            [
                ("company_id", "in", (False, self.env.company.id)),
                ("program_type", "not in", ("gift_card", "ewallet")),
                "|",
                ("date_from", "=", False),
                ("date_from", "<=", today),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", today),
            ],
            ["trigger", "pricelist_ids"],
        )
        # The programs the customer holds a card of (loyalty points, coupons) apply whatever their trigger.
        held = dict(
            self.env["loyalty.card"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids), ("program_id", "in", programs.ids)],
                ["partner_id"],
                ["program_id:recordset"],
            )
        )
        for partner in self:
            pricelist = partner.property_product_pricelist
            automatic = programs.filtered(
                lambda program, pricelist=pricelist: (
                    program.trigger == "auto" and (not program.pricelist_ids or pricelist in program.pricelist_ids)
                )
            )
            partner.customer_loyalty_program_ids = automatic | held.get(
                partner.commercial_partner_id, self.env["loyalty.program"]
            )

    @api.depends("commercial_partner_id")
    @api.depends_context("company")
    def _compute_credit_exposure(self):
        company = self.env.company
        exposures = self.env["customer.exposure"]._get_exposure(self, company)
        credit_env = self._get_credit_records(company).env
        for partner in self:
            customer = partner.commercial_partner_id._origin.with_env(credit_env)
            if not customer:  # a partner being created owes nothing yet
                partner.update(
                    {"customer_credit_limit": 0.0, "credit_exposure": 0.0, "credit_available": 0.0,
                     "credit_status": "ok"}
                )  # fmt: skip
                continue
            exposure = exposures.get(customer.id, EMPTY_EXPOSURE)
            limit = customer.credit_limit
            partner.customer_credit_limit = limit
            partner.credit_exposure = exposure.total
            partner.credit_available = limit - exposure.total if limit else 0.0
            partner.credit_status = customer._get_credit_status(company, exposure)

    @api.depends("commercial_partner_id")
    @api.depends_context("company")
    def _compute_receivable(self):
        # Apart from the credit figures: a list of the aging reads neither the orders nor the credit limits.
        exposures = self.env["customer.exposure"]._get_exposure(
            self, self.env.company, receivable_only=True, aging=True
        )
        values = [
            self._get_receivable_values(exposures.get(partner.commercial_partner_id._origin.id, EMPTY_EXPOSURE))
            for partner in self
        ]
        # The engine rounds the amounts by the company's currency: straight into the cache, one call per field,
        # without a Monetary field's rounding per record, which took a third of the time of a list of the aging.
        for fname in RECEIVABLE_FIELDS:
            self.env.cache.update(self, self._fields[fname], [record_values[fname] for record_values in values])

    @api.depends("commercial_partner_id")
    @api.depends_context("company")
    def _compute_avg_days_to_pay(self):
        # Apart from the other figures: the payment history reads the reconciliations, which only this field needs.
        exposures = self.env["customer.exposure"]._get_exposure(
            self, self.env.company, payment_history=True, receivable_only=True
        )
        for partner in self:
            exposure = exposures.get(partner.commercial_partner_id._origin.id, EMPTY_EXPOSURE)
            partner.avg_days_to_pay = exposure.avg_days_to_pay

    def _search_receivable_not_due(self, operator, value):
        return self._search_receivable_figure("receivable_not_due", operator, value)

    def _search_receivable_1_30(self, operator, value):
        return self._search_receivable_figure("receivable_1_30", operator, value)

    def _search_receivable_31_60(self, operator, value):
        return self._search_receivable_figure("receivable_31_60", operator, value)

    def _search_receivable_61_90(self, operator, value):
        return self._search_receivable_figure("receivable_61_90", operator, value)

    def _search_receivable_over_90(self, operator, value):
        return self._search_receivable_figure("receivable_over_90", operator, value)

    def _search_overdue_amount(self, operator, value):
        return self._search_receivable_figure("overdue_amount", operator, value)

    def _search_oldest_overdue_days(self, operator, value):
        return self._search_receivable_figure("oldest_overdue_days", operator, value)

    def _search_due_soon_amount(self, operator, value):
        return self._search_receivable_figure("due_soon_amount", operator, value)

    def _search_receivable_figure(self, fname, operator, value):
        # Odoo checks the groups of the stored fields of a domain; a figure searched through its method is checked here.
        self.check_field_access_rights("read", [fname])
        operator, query = self.env["customer.exposure"]._get_partner_search_sql(
            RECEIVABLE_FIGURES[fname], operator, value, self.env.company
        )
        return [("id", operator, query)]

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        # The receivable fields sort the customer list by the engine's figure of each row's commercial partner: a
        # join on the figure of every customer, computed once for the query, 0 without open receivable.
        figure = RECEIVABLE_FIGURES.get(field_name)
        if not figure:
            return super()._order_field_to_sql(alias, field_name, direction, nulls, query)
        self.check_field_access_rights("read", [field_name])
        figure_alias = query.left_join(
            alias,
            "commercial_partner_id",
            self.env["customer.exposure"]._get_partner_figure_sql(figure, self.env.company),
            "partner_id",
            field_name,
        )
        return SQL("COALESCE(%s, 0) %s %s", SQL.identifier(figure_alias, "value"), direction, nulls)

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_customer_360_counts(self):
        domains = self._get_customer_360_domains()
        customers = self.commercial_partner_id._origin
        # The customers with their contacts and addresses, archived too, as ``child_of`` finds them in the actions.
        members = self.with_context(active_test=False).search_fetch(
            [("id", "child_of", customers.ids)], ["commercial_partner_id"]
        )
        counts = {fname: {} for fname in domains}
        for fname, (model, domain, _xmlid) in domains.items():
            if not members or not self.env[model].has_access("read"):
                continue
            groups = self.env[model]._read_group(
                [*domain, ("partner_id", "in", members.ids)], ["partner_id"], ["__count"]
            )
            for partner, count in groups:
                customer_id = partner.commercial_partner_id.id
                counts[fname][customer_id] = counts[fname].get(customer_id, 0) + count
        for partner in self:
            customer = partner.commercial_partner_id._origin
            for fname in domains:
                partner[fname] = counts[fname].get(customer.id, 0)

    @api.depends(*AGING_FIELDS)
    @api.depends_context("company")
    def _compute_customer_360_receivable(self):
        # From the aging fields, which the form shows too: one engine call serves both. Every open item is in one
        # bucket, so that the buckets add up to the open receivable.
        currency = self.env.company.currency_id
        for partner in self:
            amounts = {key: partner[fname] for key, fname in zip(AGING_KEYS, AGING_FIELDS, strict=True)}
            partner.customer_open_receivable = currency.round(sum(amounts.values()))
            partner.customer_aging_bar = self._get_aging_bar_html(amounts)

    @api.depends("country_id", "state_id", "zip", "company_id", "parent_id.customer_zone_id", "is_company")
    def _compute_customer_zone_id(self):
        entities = self.filtered(lambda partner: partner._is_customer_entity())
        for partner in self - entities:
            partner.customer_zone_id = partner.parent_id.customer_zone_id
        proposals = entities._get_address_zones()
        for partner in entities:
            partner.customer_zone_id = proposals.get(partner) or partner.customer_zone_id

    @api.constrains(
        "vat",
        "is_company",
        "parent_id",
        "country_id",
        "customer_rank",
        "customer_segment",
        "customer_zone_id",
        "customer_channel_id",
    )
    def _check_customer_required_fields(self):
        for partner in self:
            if not partner.active or not partner._is_customer_entity():
                continue
            if not (partner.customer_rank or partner.customer_segment):
                continue
            missing = partner._get_customer_missing_fields()
            if missing:
                raise ValidationError(
                    self.env._(
                        "The customer %(customer)s is missing data that your company requires: %(fields)s.",
                        customer=partner.display_name,
                        fields=", ".join(missing),
                    )
                )

    @api.constrains("credit_grace_days")
    def _check_credit_grace_days(self):
        for partner in self:
            if partner.credit_grace_days < 0:
                raise ValidationError(
                    self.env._(
                        "The overdue grace days cannot be negative (%(value)s).", value=partner.credit_grace_days
                    )
                )

    @api.constrains("customer_delivery_address_id")
    def _check_customer_delivery_address_id(self):
        for partner in self:
            address = partner.customer_delivery_address_id
            if address and address.commercial_partner_id != partner.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "The default delivery address %(address)s does not belong to %(customer)s.",
                        address=address.display_name,
                        customer=partner.commercial_partner_id.display_name,
                    )
                )

    @api.constrains("company_id", "customer_zone_id", "customer_channel_id", "team_id")
    def _check_customer_classification_company(self):
        for partner in self.filtered("company_id"):
            for record in (partner.customer_zone_id, partner.customer_channel_id, partner.team_id):
                record_company = record.sudo().company_id
                if record_company and record_company != partner.company_id:
                    raise ValidationError(
                        self.env._(
                            "%(record)s belongs to the company %(company)s, not to the customer's company %(own)s.",
                            record=record.sudo().display_name,
                            company=record_company.name,
                            own=partner.company_id.name,
                        )
                    )

    @api.depends("customer_zone_id")
    def _compute_user_id(self):  # pylint: disable=missing-return
        super()._compute_user_id()
        for partner in self.filtered(lambda partner: not partner.user_id and partner.customer_zone_id.user_id):
            partner.user_id = partner.customer_zone_id.user_id

    @api.onchange("customer_segment", "payment_mode")
    def _onchange_customer_classification(self):
        if self._is_customer_entity():
            self.update(self._get_classification_defaults(self.env.company))

    @api.model
    def _commercial_fields(self):
        return [
            *super()._commercial_fields(),
            "customer_segment",
            "payment_mode",
            "customer_zone_id",
            "customer_channel_id",
            "customer_incoterm_id",
            "customer_picking_policy",
        ]

    @api.model_create_multi
    def create(self, vals_list):
        self._check_customer_input(vals_list)
        self._check_behaviour_not_written(vals_list)
        self._check_credit_control_rights(vals_list, creating=True)
        for vals in vals_list:
            if vals.get("credit_limit"):
                # A new customer has no credit yet: its first limit is a raise.
                self._check_credit_limit_raise(vals.get("name"), None, vals["credit_limit"])
        partners = super().create(vals_list)
        if self._is_condition_apply():
            return partners
        entities = partners.filtered(lambda partner: partner._is_customer_entity())
        given = {}
        classified = self.browse()
        for partner, vals in zip(partners, vals_list, strict=True):
            if partner not in entities:
                continue
            # The payment mode classifies the customer: given alone, the version is the segment's defaults.
            conditions = (CONDITION_FIELDS - {"payment_mode"}) & vals.keys()
            if any(vals[fname] for fname in conditions):
                given[partner] = conditions
            if vals.get("customer_segment") or vals.get("payment_mode"):
                classified |= partner
        changed = self.browse([partner.id for partner in given])
        entities._update_commercial_conditions(changed, classified, given)
        return partners

    def write(self, vals):
        self._check_customer_input([vals])
        self._check_behaviour_not_written([vals])
        self._check_credit_control_rights([vals])
        if self._is_condition_apply():
            return super().write(vals)
        if {"parent_id", "is_company"} & vals.keys():
            self._check_commercial_entity_change(vals)
        entities = self.filtered(lambda partner: partner._is_customer_entity())
        conditions = (CONDITION_FIELDS - {"payment_mode"}) & vals.keys()
        changed = entities if conditions else self.browse()
        classified = entities.filtered(
            lambda partner: any(
                fname in vals and partner[fname] != vals[fname] for fname in ("customer_segment", "payment_mode")
            )
        )
        if "credit_limit" in vals:
            for partner in changed:
                self._check_credit_limit_raise(partner.display_name, partner.sudo().credit_limit, vals["credit_limit"])
        if "payment_mode" in vals:
            for partner in entities:
                self._check_payment_mode_change(partner, vals["payment_mode"])
        result = super().write(vals)
        entities._update_commercial_conditions(changed, classified, dict.fromkeys(changed, conditions))
        return result

    def action_open_commercial_conditions(self):
        """The history of the customer's commercial conditions in the current company."""
        self._ensure_one_for_action()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_management.customer_commercial_condition_action"
        )
        customer = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", customer.id), ("company_id", "=", self.env.company.id)]
        action["context"] = {"default_partner_id": customer.id, "search_default_partner_id": customer.id}
        return action

    def action_open_loyalty_programs(self):
        """The promotions the customer's orders can use today."""
        self._ensure_one_for_action()
        action = self.env["ir.actions.act_window"]._for_xml_id("loyalty.loyalty_program_discount_loyalty_action")
        action["domain"] = [("id", "in", self.customer_loyalty_program_ids.ids)]
        action["context"] = {}
        return action

    def action_propose_customer_zone(self):
        """Put the selected customers in the zone their address falls in, replacing zones chosen by hand."""
        entities = self.filtered(lambda partner: partner._is_customer_entity())
        by_zone = {}
        for partner, zone in entities._get_address_zones().items():
            by_zone[zone] = by_zone.get(zone, self.browse()) | partner
        for zone, partners in by_zone.items():
            partners.filtered(lambda partner, zone=zone: partner.customer_zone_id != zone).customer_zone_id = zone
        covered = sum(len(partners) for partners in by_zone.values())
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if covered else "warning",
                "message": self.env._(
                    "%(covered)s of %(total)s customers are in the zone of their address.",
                    covered=covered,
                    total=len(entities),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_open_customer_360(self):
        """The customer's documents behind the smart button whose count the context's ``customer_360_count`` names."""
        self._ensure_one_for_action()
        count_field = self.env.context.get("customer_360_count")
        targets = self._get_customer_360_domains()
        if count_field not in targets:
            raise UserError(self.env._("Unknown customer 360 button: %(button)s.", button=count_field))
        model, domain, xmlid = targets[count_field]
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        customer = self.commercial_partner_id
        action["domain"] = [*domain, ("partner_id", "child_of", customer.ids)]
        action["context"] = {"default_partner_id": customer.id, "create": False}
        if model == "customer.product.report":
            action["display_name"] = self.env._("Products Bought by %(customer)s", customer=customer.display_name)
        return action

    def action_print_customer_statement(self):
        """The statement of account of the customer for the last 30 days, as a PDF."""
        return self.env.ref("customer_management.action_report_customer_statement").report_action(
            self.commercial_partner_id
        )

    def action_send_customer_statement(self):
        """The mail composer with the statement of account template, its PDF attached, for one customer."""
        self._ensure_one_for_action()
        customer = self.commercial_partner_id
        template = self.env.ref("customer_management.mail_template_customer_statement", raise_if_not_found=False)
        return {
            "name": self.env._("Send Statement"),
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": "res.partner",
                "default_res_ids": customer.ids,
                "default_template_id": template.id if template else False,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_layout_with_responsible_signature",
                "force_email": True,
            },
        }

    def get_customer_summary(self):
        """For integrators: one JSON-serialisable dict per partner, in the order given, of its customer (its
        commercial partner) in the current company.

        Each dict has the partner's ``id``, its ``customer`` as ``[id, name]``, the ``company`` and its ``currency``
        (the amounts' one), and a dict per section of :data:`CUSTOMER_SUMMARY_SECTIONS` by field name: a relation
        as ``[id, name]`` or ``False``, a date as ``YYYY-MM-DD``. Only internal users may call it, on partners they
        may read (``AccessError`` otherwise); a field restricted to groups the caller is not in, or a relation to a
        model it may not read, is left out. The figures are the fields' values, read in one batch for all the
        customers.
        """
        self._check_customer_ids()
        if not self.env.user._is_internal():
            raise AccessError(self.env._("Only internal users can read the summary of customers."))
        self.check_access("read")
        customers = self.commercial_partner_id
        sections = self._get_customer_summary_sections()
        readable = [fname for fnames in sections.values() for fname in fnames if self._is_summary_field_readable(fname)]
        rows = {row["id"]: row for row in customers.read(readable)}
        company = self.env.company
        summaries = []
        for partner in self:
            customer = partner.commercial_partner_id
            row = rows[customer.id]
            summary = {
                "id": partner.id,
                "customer": [customer.id, customer.display_name],
                "company": [company.id, company.name],
                "currency": company.currency_id.name,
            }
            for section, fnames in sections.items():
                summary[section] = {fname: self._get_summary_value(row[fname]) for fname in fnames if fname in row}
            summaries.append(summary)
        return summaries

    @api.model
    def _get_customer_summary_sections(self):
        """The sections of :meth:`get_customer_summary` and their fields."""
        return dict(CUSTOMER_SUMMARY_SECTIONS)

    @api.model
    def _is_summary_field_readable(self, fname):
        """Whether the caller may read the field, and the record it refers to has a name the caller may read."""
        field = self._fields[fname]
        if not field.is_accessible(self.env):
            return False
        return not field.relational or self.env[field.comodel_name].has_access("read")

    @api.model
    def _get_summary_value(self, value):
        """A value of :meth:`read` as JSON has it: a relation's pair as a list, a date as Odoo writes it."""
        if isinstance(value, tuple):
            return list(value)
        if isinstance(value, datetime.datetime):
            return fields.Datetime.to_string(value)
        if isinstance(value, datetime.date):
            return fields.Date.to_string(value)
        return value

    def _is_customer_entity(self):
        """Whether the partner carries its own classification (a company, or an individual without parent)."""
        self.ensure_one()
        return self.is_company or not self.parent_id

    def _get_customer_missing_fields(self):
        """The labels of the fields the company's policy requires that this customer lacks."""
        self.ensure_one()
        company = self.company_id or self.env.company
        policy = company.customer_vat_policy
        vat_required = (
            policy == "all"
            or (policy == "company" and self.is_company)
            or (policy == "national_company" and self.is_company and self.customer_scope == "national")
        )
        required = {
            "vat": vat_required,
            "customer_segment": company.customer_segment_required,
            "customer_zone_id": company.customer_zone_required,
            "customer_channel_id": company.customer_channel_required,
        }
        return [
            self._fields[fname].get_description(self.env)["string"]
            for fname, is_required in required.items()
            if is_required and not self[fname]
        ]

    def _get_address_zones(self):
        """The most specific zone covering each partner's address; partners no zone covers are left out."""
        if not self:
            return {}
        # sudo: portal sign-ups and public checkouts create partners too, and zones are matched by company below.
        zones = self.env["customer.zone"].sudo().search([])
        proposals = {}
        for partner in self:
            # A partner shared between companies is classified for the company working with it.
            company = partner.company_id or self.env.company
            candidates = zones.filtered(lambda zone, company=company: not zone.company_id or zone.company_id == company)
            zone = candidates._match_address(partner.country_id, partner.state_id, partner.zip)
            if zone:
                proposals[partner] = zone.with_env(self.env)
        return proposals

    def _get_credit_records(self, company):
        """The commercial partners, as the credit control reads them: in ``company``, as superuser.

        Core reserves the credit limit to accountants; the control applies to whoever confirms. The methods below
        expect their records in this environment; switch records to it with ``with_env``, which is cheap.
        """
        return self.commercial_partner_id._origin.sudo().with_company(company)

    def _get_credit_limit(self, company):
        """The customer's credit limit in ``company`` (core's company-dependent field); 0 means no limit."""
        self.ensure_one()
        return self._get_credit_records(company).credit_limit

    def _get_credit_status(self, company, exposure):
        """``ok``, ``warning`` or ``blocked`` for the customer's ``exposure`` in ``company``."""
        self.ensure_one()
        # A cash customer is not a credit risk: its unpaid orders are refused, its status says nothing about it.
        if any(reason != "cash" for reason in self._get_credit_reasons(company, exposure)):
            return "blocked"
        limit = self.credit_limit
        threshold = limit * company.customer_credit_warning_percent / 100
        if limit and float_compare(exposure.total, threshold, precision_rounding=company.currency_id.rounding) >= 0:
            return "warning"
        return "ok"

    def _get_credit_reasons(self, company, exposure, amount=0.0):
        """Why the customer cannot take ``amount`` more on credit in ``company``: ``{reason: blocking}``.

        ``reason`` is ``hold``, ``limit``, ``overdue`` or ``cash``; ``blocking`` is False only for cash customers
        under a company that warns instead of blocking. A credit limit of 0 means no limit, as in core; the check
        applies whatever core's "Sales Credit Limit" setting (which only shows core's warning). ``self`` is read as
        :meth:`_get_credit_records` returns it.
        """
        self.ensure_one()
        rounding = company.currency_id.rounding
        limit = self.credit_limit
        reasons = {}
        if self.credit_hold:
            reasons["hold"] = True
        if limit and float_compare(exposure.total + amount, limit, precision_rounding=rounding) > 0:
            reasons["limit"] = True
        if exposure.overdue_amount > 0 and exposure.overdue_days > self._get_credit_grace_days(company):
            reasons["overdue"] = True
        # A cash customer's order is prepaid when its payments and credit notes not applied yet cover all it owes.
        if self.payment_mode == "cash" and float_compare(exposure.total + amount, 0.0, precision_rounding=rounding) > 0:
            reasons["cash"] = company.customer_cash_policy == "block"
        return reasons

    @api.model
    def _get_receivable_values(self, exposure):
        """The values of the receivable fields from an :class:`Exposure`."""
        return {fname: getattr(exposure, figure) for fname, figure in RECEIVABLE_FIGURES.items()}

    def _get_credit_grace_days(self, company):
        self.ensure_one()
        return self.credit_grace_days or company.customer_credit_grace_days

    def _refuse_credit_blocks(self, company, title):
        """Raise, under ``title(customer)``, the blocking credit problems of the first customer of ``self`` that has
        some in ``company`` (for what they owe already, nothing added)."""
        customers = self._get_credit_records(company)
        exposures = self.env["customer.exposure"]._get_exposure(customers, company)
        for customer in customers:
            problems = customer._get_credit_problems(company, exposures.get(customer.id, EMPTY_EXPOSURE))
            blocking, _warnings = self.env["sale.order"]._split_credit_problems(problems)
            if blocking:
                raise UserError("\n".join([title(customer), *blocking]))

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
            "hold": lambda: self.env._("%(customer)s is on credit hold.", customer=self.name),
            "limit": lambda: self.env._(
                "%(customer)s would exceed its credit limit of %(limit)s: exposure %(exposure)s, this order "
                "%(amount)s, available %(available)s.",
                customer=self.name,
                limit=money(limit),
                exposure=money(exposure.total),
                amount=money(amount),
                available=money(limit - exposure.total),
            ),
            "overdue": lambda: self.env._(
                "%(customer)s has %(amount)s overdue, the oldest for %(days)s days (grace: %(grace)s days).",
                customer=self.name,
                amount=money(exposure.overdue_amount),
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

    def _get_cash_payment_term(self):
        return self.env.ref("account.account_payment_term_immediate", raise_if_not_found=False)

    def _get_classification_defaults(self, company):
        """The terms the segment and payment mode propose in ``company``: its pricelist and payment term.

        Cash customers pay at once, whatever their segment: the immediate payment term.
        """
        self.ensure_one()
        company = company.sudo()
        defaults = {}
        if self.customer_segment:
            pricelist = company[f"customer_{self.customer_segment}_pricelist_id"]
            term = company[f"customer_{self.customer_segment}_payment_term_id"]
            if pricelist:
                defaults["property_product_pricelist"] = pricelist.id
            if term:
                defaults["property_payment_term_id"] = term.id
        cash_term = self._get_cash_payment_term() if self.payment_mode == "cash" else None
        if cash_term:
            defaults["property_payment_term_id"] = cash_term.id
        return defaults

    def _update_commercial_conditions(self, changed, classified, given):
        """Apply the defaults of the newly ``classified`` partners and record the new versions.

        ``changed`` partners had their terms set by the user in the current company (``given`` names the
        fields per partner): the defaults never override them, and their version says so.
        """
        origins = {}
        for partner in classified:
            # The terms are per company: a change made in one company writes that company's terms only (a customer
            # of one company, its own), never those another company agreed with a customer they share.
            company = partner.company_id or self.env.company
            defaults = {
                fname: value
                for fname, value in partner._get_classification_defaults(company).items()
                if fname not in given.get(partner, ())
            }
            if defaults:
                # sudo: the defaults follow from the classification the user may set.
                partner.sudo().with_company(company).with_context(**{CONDITION_APPLY: True}).write(defaults)
            origins[partner, company] = "segment_defaults"
        for partner in changed:
            origins[partner, self.env.company] = "customer_edit"
        self.env["customer.commercial.condition"]._record_partner_conditions(origins)

    def _is_condition_apply(self):
        """Whether this is the module's own write of approved terms (superuser code with :data:`CONDITION_APPLY`)."""
        return self.env.su and bool(self.env.context.get(CONDITION_APPLY))

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

    def _prepare_commercial_condition_vals(self, company):
        """The partner's current terms in ``company``, as values of a version."""
        self.ensure_one()
        # sudo: the credit limit is read to be recorded, whoever changed another term.
        partner = self.sudo().with_company(company)
        return {
            "credit_limit": partner.credit_limit,
            "payment_term_id": partner.property_payment_term_id.id,
            "pricelist_id": partner.property_product_pricelist.id,
            "discount_percent": partner.customer_discount_percent,
            "payment_mode": partner.payment_mode,
        }

    def _record_installation_conditions(self):
        """Record the current terms of the customers among ``self`` that have no version yet, in each company.

        A customer of a company has its terms there; one shared between companies has them in every company.
        """
        entities = self.filtered(lambda partner: partner._is_customer_entity())
        if not entities:
            return
        versions = self.env["customer.commercial.condition"].sudo()
        recorded = set(versions._read_group([("partner_id", "in", entities.ids)], ["partner_id", "company_id"]))
        origins = {
            (partner, company): "installation"
            for company in self.env["res.company"].sudo().search([])
            for partner in entities
            if partner.company_id in (company, self.env["res.company"]) and (partner, company) not in recorded
        }
        # Tracking off: a version per customer and company, with nothing to compare to.
        versions.with_context(tracking_disable=True)._record_partner_conditions(origins)

    def _get_commercial_conditions(self, date=None, company=None):
        """The terms in force on ``date`` (today by default) in ``company`` (the current one), per partner id.

        Contacts and addresses answer with their commercial entity's terms; a partner without a version covering
        the date answers False.
        """
        date = fields.Date.to_date(date) if date else fields.Date.context_today(self)
        company = company or self.env.company
        # sudo: the terms are the customer's, read by whoever may read the customer.
        versions = (
            self.env["customer.commercial.condition"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", company.id),
                    ("state", "in", APPROVED_STATES),
                    ("date_from", "<=", date),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", date),
                ]
            )
        )
        in_force = {}
        for version in versions:
            in_force.setdefault(version.partner_id, version)
        return {
            partner.id: in_force[partner.commercial_partner_id]._get_terms()
            if partner.commercial_partner_id in in_force
            else False
            for partner in self
        }

    def _recompute_customer_scope(self, companies):
        """Recompute the scope of the shared partners when the reference company is among ``companies``.

        Partners of a company follow its country through the compute's dependencies; shared partners are
        judged against the reference company, which no dependency can express.
        """
        if self._get_scope_reference_company() in companies:
            shared = self.with_context(active_test=False).search([("commercial_partner_id.company_id", "=", False)])
            self.env.add_to_compute(self._fields["customer_scope"], shared)

    def _get_scope_reference_company(self):
        """The company whose country makes a partner shared between companies national."""
        return self.env.ref("base.main_company", raise_if_not_found=False) or self.env.company

    @api.model
    def _customer_count_by(self, fname, records):
        """Number of customers (commercial entities) per value of ``fname``, for ``records``."""
        groups = self._read_group(
            [(fname, "in", records.ids), "|", ("is_company", "=", True), ("parent_id", "=", False)],
            [fname],
            ["__count"],
        )
        return dict(groups)

    @api.model
    def _get_customer_action(self, domain, context):
        """The Customers action restricted to ``domain``, creating with ``context`` defaults."""
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_management.res_partner_action_customer")
        action["domain"] = expression.AND([ast.literal_eval(action["domain"]), domain])
        action["context"] = {**ast.literal_eval(action["context"]), **context}
        return action

    @api.model
    def _check_behaviour_not_written(self, vals_list):
        """Refuse values for the behaviour fields: only :meth:`_refresh_customer_behaviour` writes them."""
        written = {fname for vals in vals_list for fname in vals} & set(BEHAVIOUR_FIELDS)
        if written:
            raise UserError(
                self.env._(
                    "The buying behaviour of a customer (%(fields)s) is computed from its orders and cannot be "
                    "written.",
                    fields=", ".join(sorted(written)),
                )
            )

    @api.model
    def _get_customer_360_domains(self):
        """``{count field: (model, domain, action xmlid)}`` of the customer's documents behind each smart button.

        Every domain has a ``partner_id`` that is the customer or one of its contacts and addresses; the counts and
        the actions read the same domains, so a button shows what it counts. An advance is a down payment invoice.
        """
        invoices = [("move_type", "=", "out_invoice"), ("state", "!=", "cancel")]
        return {
            "customer_quotation_count": (
                "sale.order",
                [("state", "in", ("draft", "sent"))],
                "sale.action_quotations_with_onboarding",
            ),
            "customer_invoice_count": ("account.move", invoices, "account.action_move_out_invoice_type"),
            "customer_refund_count": (
                "account.move",
                [("move_type", "=", "out_refund"), ("state", "!=", "cancel")],
                "account.action_move_out_refund_type",
            ),
            "customer_advance_count": (
                "account.move",
                [*invoices, ("invoice_line_ids.is_downpayment", "=", True)],
                "account.action_move_out_invoice_type",
            ),
            "customer_payment_count": (
                "account.payment",
                [("partner_type", "=", "customer"), ("state", "not in", ("draft", "canceled"))],
                "account.action_account_payments",
            ),
            "customer_delivery_count": (
                "stock.picking",
                [("picking_type_code", "=", "outgoing"), ("state", "!=", "cancel")],
                "stock.action_picking_tree_all",
            ),
            "customer_product_count": (
                "customer.product.report",
                [],
                "customer_management.customer_product_report_action",
            ),
        }

    def _get_aging_bar_html(self, amounts):
        """A stacked bar of the open receivable by aging bucket, with the amount of each bucket below it.

        ``amounts``: the amount of each key of :data:`AGING_BUCKETS`.

        The widths are the shares of the positive buckets (a bucket of credit notes or advances has no width); every
        value is escaped by ``Markup.format``.
        """
        currency = self.env.company.currency_id
        labels = self._get_aging_bucket_labels()
        positive = sum(amount for amount in amounts.values() if amount > 0)
        segments = Markup()
        legend = Markup()
        for key, amount in amounts.items():
            width = round(100.0 * amount / positive, 2) if positive and amount > 0 else 0.0
            label = labels[key]
            formatted = format_amount(self.env, amount, currency)
            if width:
                segments += Markup(
                    '<div class="progress-bar {colour}" role="progressbar" style="width: {width}%" '
                    'title="{label}: {amount}" aria-label="{label}"></div>'
                ).format(colour=AGING_COLOURS[key], width=width, label=label, amount=formatted)
            legend += Markup(
                '<span class="me-3 text-nowrap" data-bucket="{key}">'
                '<span class="d-inline-block rounded-circle {colour}" style="width: .6em; height: .6em;"></span> '
                "{label}: <b>{amount}</b></span>"
            ).format(key=key, colour=AGING_COLOURS[key], label=label, amount=formatted)
        return Markup(
            '<div class="o_customer_aging_bar"><div class="progress mb-1" style="height: 1rem;">{segments}</div>'
            '<div class="small">{legend}</div></div>'
        ).format(segments=segments, legend=legend)

    @api.model
    def _get_aging_bucket_labels(self):
        """The translated label of each key of :data:`AGING_BUCKETS`."""
        return {
            "not_due": self.env._("Not Due"),
            "1_30": self.env._("1-30 Days"),
            "31_60": self.env._("31-60 Days"),
            "61_90": self.env._("61-90 Days"),
            "over_90": self.env._("Over 90 Days"),
        }

    @api.model
    def _cron_refresh_customer_behaviour(self):
        """Recompute the behaviour figures of every customer: the 12-month window moves every day."""
        changed = self._refresh_customer_behaviour()
        _logger.info("Customer behaviour refreshed: %s customers changed.", changed)

    @api.model
    def _refresh_customer_behaviour(self, customers=None):
        """Recompute the behaviour fields of ``customers`` (commercial partners; every customer by default).

        One UPDATE for the whole batch and every company: the figures of each (customer, company) pair are
        aggregated from the confirmed orders in SQL and written as the customer's company-dependent values; the
        customers that no longer have any sale lose theirs. Returns the number of customers whose figures changed.
        """
        if customers is not None and not customers:
            return 0
        self.env["sale.order"].flush_model(
            ["amount_untaxed", "company_id", "currency_rate", "date_order", "margin", "partner_id", "state"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["res.company"].flush_model(["currency_id"])
        self.env.cr.execute(self._get_behaviour_refresh_query(customers and customers.ids))
        self.env["res.partner"].invalidate_model(list(BEHAVIOUR_FIELDS))
        return self.env.cr.rowcount

    @api.model
    def _get_behaviour_refresh_query(self, customer_ids=None, date=None):
        """The UPDATE behind :meth:`_refresh_customer_behaviour`, for ``customer_ids`` (all customers if None).

        The windows are the 12 months up to ``date`` (today by default) and the 12 months before; amounts are
        untaxed, in each company's currency at the order's rate, rounded by that currency. A customer whose figures
        did not change is not written: no dead row, and no conflict with a concurrent credit check of that customer.
        """
        date = date or fields.Date.context_today(self)
        start = fields.Datetime.to_datetime(date - relativedelta(months=BEHAVIOUR_MONTHS))
        previous_start = start - relativedelta(months=BEHAVIOUR_MONTHS)
        if customer_ids is None:
            scope = SQL("TRUE")
            target = SQL(
                """SELECT id FROM res_partner WHERE last_sale_date IS NOT NULL
                   UNION SELECT partner_id FROM per_customer"""
            )
        else:
            scope = SQL("partner.commercial_partner_id = ANY(%s)", list(customer_ids))
            target = SQL("SELECT UNNEST(%s::int[]) AS id", list(customer_ids))

        def rounded(expression):
            return SQL("ROUND(COALESCE(%s, 0)::numeric / currency.rounding) * currency.rounding", expression)

        return SQL(
            """
            WITH sale AS (
                SELECT partner.commercial_partner_id AS partner_id,
                       sale_order.company_id,
                       sale_order.date_order,
                       sale_order.amount_untaxed / COALESCE(NULLIF(sale_order.currency_rate, 0), 1) AS amount,
                       COALESCE(sale_order.margin, 0) / COALESCE(NULLIF(sale_order.currency_rate, 0), 1) AS margin
                  FROM sale_order
                  JOIN res_partner partner ON partner.id = sale_order.partner_id
                 WHERE sale_order.state = 'sale' AND %(scope)s
            ),
            figures AS (
                SELECT sale.partner_id,
                       sale.company_id,
                       MAX(sale.date_order)::date AS last_sale_date,
                       COUNT(*) FILTER (WHERE sale.date_order >= %(start)s) AS sale_count,
                       SUM(sale.amount) FILTER (WHERE sale.date_order >= %(start)s) AS amount,
                       SUM(sale.margin) FILTER (WHERE sale.date_order >= %(start)s) AS margin,
                       SUM(sale.amount) FILTER (
                           WHERE sale.date_order >= %(previous_start)s AND sale.date_order < %(start)s
                       ) AS previous_amount,
                       EXTRACT(EPOCH FROM MAX(sale.date_order) FILTER (WHERE sale.date_order >= %(start)s)
                                        - MIN(sale.date_order) FILTER (WHERE sale.date_order >= %(start)s)
                       ) / 86400.0 AS span_days
                  FROM sale
                 GROUP BY sale.partner_id, sale.company_id
            ),
            rounded AS (
                SELECT figures.partner_id,
                       figures.company_id::text AS company_key,
                       figures.last_sale_date,
                       figures.sale_count,
                       %(amount)s AS amount,
                       %(margin)s AS margin,
                       %(previous_amount)s AS previous_amount,
                       CASE WHEN figures.sale_count > 0 THEN %(ticket)s ELSE 0 END AS ticket,
                       CASE WHEN figures.sale_count > 1
                            THEN ROUND((figures.span_days / (figures.sale_count - 1))::numeric, 1)
                            ELSE 0 END AS frequency,
                       CASE WHEN COALESCE(figures.previous_amount, 0) > 0
                            THEN ROUND(((COALESCE(figures.amount, 0) - figures.previous_amount)
                                        / figures.previous_amount * 100)::numeric, 1)
                            ELSE 0 END AS trend
                  FROM figures
                  JOIN res_company company ON company.id = figures.company_id
                  JOIN res_currency currency ON currency.id = company.currency_id
            ),
            per_customer AS (
                SELECT partner_id,
                       jsonb_object_agg(company_key, to_jsonb(last_sale_date)) AS last_sale_date,
                       jsonb_object_agg(company_key, to_jsonb(amount)) AS amount,
                       jsonb_object_agg(company_key, to_jsonb(sale_count)) AS sale_count,
                       jsonb_object_agg(company_key, to_jsonb(margin)) AS margin,
                       jsonb_object_agg(company_key, to_jsonb(ticket)) AS ticket,
                       jsonb_object_agg(company_key, to_jsonb(frequency)) AS frequency,
                       jsonb_object_agg(company_key, to_jsonb(previous_amount)) AS previous_amount,
                       jsonb_object_agg(company_key, to_jsonb(trend)) AS trend
                  FROM rounded
                 GROUP BY partner_id
            ),
            target AS (%(target)s)
            UPDATE res_partner
               SET last_sale_date = per_customer.last_sale_date,
                   sales_amount_12m = per_customer.amount,
                   sale_count_12m = per_customer.sale_count,
                   margin_12m = per_customer.margin,
                   average_ticket_12m = per_customer.ticket,
                   purchase_frequency_days = per_customer.frequency,
                   sales_amount_prev_12m = per_customer.previous_amount,
                   sales_trend_12m = per_customer.trend
              FROM target
              LEFT JOIN per_customer ON per_customer.partner_id = target.id
             WHERE res_partner.id = target.id
               AND (res_partner.last_sale_date, res_partner.sales_amount_12m, res_partner.sale_count_12m,
                    res_partner.margin_12m, res_partner.average_ticket_12m, res_partner.purchase_frequency_days,
                    res_partner.sales_amount_prev_12m, res_partner.sales_trend_12m)
                   IS DISTINCT FROM
                   (per_customer.last_sale_date, per_customer.amount, per_customer.sale_count, per_customer.margin,
                    per_customer.ticket, per_customer.frequency, per_customer.previous_amount, per_customer.trend)
            """,
            scope=scope,
            target=target,
            start=start,
            previous_start=previous_start,
            amount=rounded(SQL("figures.amount")),
            margin=rounded(SQL("figures.margin")),
            previous_amount=rounded(SQL("figures.previous_amount")),
            ticket=rounded(SQL("figures.amount / figures.sale_count")),
        )

    @api.depends_context("company")
    def _compute_broken_promise_count(self):
        since = fields.Date.context_today(self) - relativedelta(months=12)
        counts = dict(
            self.env["customer.payment.promise"]._read_group(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", self.env.company.id),
                    ("state", "=", "broken"),
                    ("promised_date", ">=", since),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.broken_promise_count = counts.get(partner.commercial_partner_id, 0)

    def _get_collection_action(self, model, name):
        self._ensure_one_for_action()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_log_collection_contact(self):
        """A new entry of the customer's collection log, in a dialog."""
        return self._get_collection_action("customer.collection.log", self.env._("Log a Contact"))

    def action_record_payment_promise(self):
        """A new payment promise of the customer, in a dialog."""
        return self._get_collection_action("customer.payment.promise", self.env._("Record a Promise"))
