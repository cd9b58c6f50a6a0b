"""The customer 360 on the partner: buying behaviour, history counts and smart buttons, open receivable, the summary."""

import datetime
import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date

from .customer_behaviour import BEHAVIOUR_FIELDS, BEHAVIOUR_MONTHS, refreshed_field
from .res_partner_credit import ACCOUNTANTS, INVOICE_READERS, RECEIVABLE_READERS
from .res_partner_receivable import AGING_FIELDS

_logger = logging.getLogger(__name__)

# The sections of get_customer_summary this concern adds.
HISTORY_SUMMARY_FIELDS = (
    "customer_quotation_count",
    "customer_invoice_count",
    "customer_refund_count",
    "customer_advance_count",
    "customer_payment_count",
    "customer_delivery_count",
    "customer_product_count",
)


# One class per concern of the partner, as core's mail splits it (see the README's architecture).
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # The buying behaviour of the customer 360: company-dependent (one value per company in a jsonb column, as
    # core's properties) so that each company sees its own sales, and stored, so that the customer list searches,
    # sorts and groups by them. Written set-based by _refresh_customer_behaviour only.
    last_sale_date = refreshed_field(
        fields.Date,
        index="btree_not_null",  # the refresh of every customer starts from those that have figures
        help="The date of the customer's last confirmed order in this company.",
    )
    sales_amount_12m = refreshed_field(
        fields.Float,
        string="Sales 12 Months",
        digits="Account",
        help="The untaxed total of the customer's orders confirmed in the last 12 months, in the company's currency.",
    )
    sale_count_12m = refreshed_field(
        fields.Integer,
        string="Orders 12 Months",
        help="The customer's orders confirmed in the last 12 months.",
    )
    margin_12m = refreshed_field(
        fields.Float,
        string="Margin 12 Months",
        digits="Account",
        help="The margin of the customer's orders confirmed in the last 12 months, in the company's currency.",
    )
    average_ticket_12m = refreshed_field(
        fields.Float,
        string="Average Ticket",
        digits="Account",
        help="Sales of the last 12 months divided by their orders.",
    )
    purchase_frequency_days = refreshed_field(
        fields.Float,
        string="Purchase Frequency (Days)",
        digits=(16, 1),
        help="The average days between two orders of the last 12 months: the days from the first to the last "
        "one, divided by the orders minus one; 0 with fewer than two orders.",
    )
    sales_amount_prev_12m = refreshed_field(
        fields.Float,
        string="Sales Previous 12 Months",
        digits="Account",
        help="The untaxed total of the customer's orders confirmed in the 12 months before the last 12 months.",
    )
    sales_trend_12m = refreshed_field(
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

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_customer_360_counts(self):
        counters = self._get_customer_360_counters()
        customers = self.commercial_partner_id._origin
        counts = {fname: {} for fname in counters}
        # The customers' members: their contacts and addresses, archived too, as the actions' ``child_of`` finds
        # them (a member that is a company of its own counts for itself).
        members = self.with_context(active_test=False)._search([("commercial_partner_id", "in", customers.ids)])
        # As an array, computed once for every count: a report that groups by customer (products bought) filters its
        # rows before it groups them, where ``partner_id IN (subquery)`` would group every customer's rows first.
        member_ids = SQL("ARRAY(SELECT id FROM member)")
        # Every count in one query: each counter's documents as its model searches them (record rules included).
        counted = []
        for fname, (model, domain, _xmlid) in counters.items():
            documents = self.env[model]
            if not customers or not documents.has_access("read"):
                continue
            query = documents._search(domain)
            partner_sql = documents._field_to_sql(documents._table, "partner_id", query)
            query.add_where(SQL("%s = ANY(%s)", partner_sql, member_ids))
            counted.append(query.select(SQL("%s AS counter", fname), SQL("%s AS partner_id", partner_sql)))
        if counted:
            rows = self.env.execute_query(
                SQL(
                    """WITH member AS MATERIALIZED (%s)
                       SELECT counted.counter, partner.commercial_partner_id, COUNT(*)
                         FROM (%s) AS counted
                         JOIN res_partner partner ON partner.id = counted.partner_id
                        GROUP BY counted.counter, partner.commercial_partner_id""",
                    members.select(),
                    SQL(" UNION ALL ").join(counted),
                )
            )
            for fname, customer_id, count in rows:
                counts[fname][customer_id] = count
        for partner in self:
            customer = partner.commercial_partner_id._origin
            for fname in counters:
                partner[fname] = counts[fname].get(customer.id, 0)

    @api.depends(*AGING_FIELDS)
    @api.depends_context("company")
    def _compute_customer_360_receivable(self):
        # From the aging fields, which the form shows too (and its aging bar widget draws): one engine call serves
        # both. Every open item is in one bucket, so that the buckets add up to the open receivable.
        currency = self.env.company.currency_id
        for partner in self:
            partner.customer_open_receivable = currency.round(sum(partner[fname] for fname in AGING_FIELDS))

    @api.model
    def _customer_create(self, vals_list):
        self._check_refreshed_not_written(vals_list)
        return super()._customer_create(vals_list)

    def _customer_write(self, vals):
        self._check_refreshed_not_written([vals])
        return super()._customer_write(vals)

    @api.model
    def _get_customer_summary_sections(self):
        return {
            **super()._get_customer_summary_sections(),
            "behaviour": BEHAVIOUR_FIELDS,
            "history": HISTORY_SUMMARY_FIELDS,
        }

    def action_open_customer_360(self):
        """The customer's documents behind the smart button whose count the context's ``customer_360_count`` names."""
        self._ensure_one_for_action()
        count_field = self.env.context.get("customer_360_count")
        targets = self._get_customer_360_counters()
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

    @api.model
    def _get_refreshed_fields(self):
        """The stored figures of the customer that their refresh alone writes (here the buying behaviour, written by
        :meth:`_refresh_customer_behaviour`); each concern adds its own."""
        return set(BEHAVIOUR_FIELDS)

    @api.model
    def _check_refreshed_not_written(self, vals_list):
        """Refuse values for the fields of :meth:`_get_refreshed_fields`: they are computed from the documents."""
        written = {fname for vals in vals_list for fname in vals} & self._get_refreshed_fields()
        if written:
            raise UserError(
                self.env._(
                    "The figures of a customer (%(fields)s) are computed from its documents and cannot be written.",
                    fields=", ".join(sorted(written)),
                )
            )

    @api.model
    def _get_customer_360_counters(self):
        # The customer's history behind the panel's smart buttons. An advance is a down payment invoice.
        invoices = [("move_type", "=", "out_invoice"), ("state", "!=", "cancel")]
        return {
            **super()._get_customer_360_counters(),
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

    @api.model
    def _cron_refresh_customer_behaviour(self):
        """Recompute the behaviour figures of every customer: the 12-month window moves every day."""
        changed = self._refresh_customer_behaviour()
        _logger.info("Customer behaviour refreshed: %s customers changed.", changed)

    @api.model
    def _refresh_customer_behaviour(self, customers=None):
        """Recompute the behaviour fields of ``customers`` (commercial partners; every customer by default); see
        ``customer.behaviour``. Returns the number of customers whose figures changed."""
        return self.env["customer.behaviour"]._refresh(customers)

    def get_customer_sales_by_month(self):
        """The customer's confirmed sales of the last 12 months in the current company, month by month, as the
        360's chart draws them: ``[{"month": "2026-01", "label": "ene 2026", "amount": 1234.5}]``, oldest first,
        every month present (0 without sales). Untaxed, in the company's currency at each order's rate, as
        ``sales_amount_12m``; one query."""
        self._ensure_one_for_action()
        self.check_access("read")
        company = self.env.company
        today = fields.Date.context_today(self)
        first = today.replace(day=1) - relativedelta(months=BEHAVIOUR_MONTHS - 1)
        # sudo: the amounts of the customer's orders, as sales_amount_12m gives them to every internal user.
        self.env["sale.order"].sudo().flush_model(["state", "partner_id", "company_id", "date_order", "amount_untaxed"])
        rows = self.env.execute_query(
            SQL(
                """SELECT to_char(date_trunc('month', sale_order.date_order), 'YYYY-MM'),
                          SUM(sale_order.amount_untaxed / COALESCE(NULLIF(sale_order.currency_rate, 0), 1))
                     FROM sale_order
                     JOIN res_partner partner ON partner.id = sale_order.partner_id
                    WHERE sale_order.state = 'sale'
                      AND partner.commercial_partner_id = %s
                      AND sale_order.company_id = %s
                      AND sale_order.date_order >= %s
                    GROUP BY 1""",
                self.commercial_partner_id.id,
                company.id,
                first,
            )
        )
        amounts = dict(rows)
        months = [first + relativedelta(months=index) for index in range(BEHAVIOUR_MONTHS)]
        return [
            {
                "month": month.strftime("%Y-%m"),
                "label": format_date(self.env, month, date_format="MMM yyyy"),
                "amount": company.currency_id.round(amounts.get(month.strftime("%Y-%m")) or 0.0),
            }
            for month in months
        ]
