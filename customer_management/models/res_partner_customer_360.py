from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, format_amount

from .customer_exposure import AGING_BUCKETS, EMPTY_EXPOSURE

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
# The colour of each aging bucket in the panel's bar (Bootstrap background classes).
AGING_COLOURS = {
    "not_due": "bg-success",
    "1_30": "bg-info",
    "31_60": "bg-warning",
    "61_90": "bg-danger bg-opacity-75",
    "over_90": "bg-danger",
}


class ResPartner(models.Model):
    """The customer 360: buying behaviour, documents and receivable of the commercial entity, on one form.

    The behaviour fields are company-dependent (one value per company in a jsonb column, as core's properties):
    stored, so searchable, sortable and groupable in the customer list, and each company sees its own sales.
    """

    _inherit = "res.partner"

    last_sale_date = fields.Date(
        company_dependent=True,
        readonly=True,
        groups="base.group_user",
        help="The date of the customer's last confirmed order in this company.",
    )
    sales_amount_12m = fields.Float(
        string="Sales 12 Months",
        company_dependent=True,
        readonly=True,
        digits="Account",
        groups="base.group_user",
        help="The untaxed total of the customer's orders confirmed in the last 12 months, in the company's currency.",
    )
    sale_count_12m = fields.Integer(
        string="Orders 12 Months",
        company_dependent=True,
        readonly=True,
        groups="base.group_user",
        help="The customer's orders confirmed in the last 12 months.",
    )
    margin_12m = fields.Float(
        string="Margin 12 Months",
        company_dependent=True,
        readonly=True,
        digits="Account",
        groups="base.group_user",
        help="The margin of the customer's orders confirmed in the last 12 months, in the company's currency.",
    )
    average_ticket_12m = fields.Float(
        string="Average Ticket",
        company_dependent=True,
        readonly=True,
        digits="Account",
        groups="base.group_user",
        help="Sales of the last 12 months divided by their orders.",
    )
    purchase_frequency_days = fields.Float(
        string="Purchase Frequency (Days)",
        company_dependent=True,
        readonly=True,
        digits=(16, 1),
        groups="base.group_user",
        help="The average days between two orders of the last 12 months: the days from the first to the last "
        "one, divided by the orders minus one; 0 with fewer than two orders.",
    )
    sales_amount_prev_12m = fields.Float(
        string="Sales Previous 12 Months",
        company_dependent=True,
        readonly=True,
        digits="Account",
        groups="base.group_user",
        help="The untaxed total of the customer's orders confirmed in the 12 months before the last 12 months.",
    )
    sales_trend_12m = fields.Float(
        string="Sales Trend (%)",
        company_dependent=True,
        readonly=True,
        digits=(16, 1),
        groups="base.group_user",
        help="The change of the sales of the last 12 months against the 12 months before, in percent; 0 when the "
        "customer bought nothing in the 12 months before.",
    )
    customer_quotation_count = fields.Integer(
        string="Quotations", compute="_compute_customer_360_counts", groups="sales_team.group_sale_salesman"
    )
    customer_invoice_count = fields.Integer(
        string="Invoice Count",
        compute="_compute_customer_360_counts",
        groups="sales_team.group_sale_salesman,account.group_account_invoice,account.group_account_readonly",
    )
    customer_refund_count = fields.Integer(
        string="Credit Notes",
        compute="_compute_customer_360_counts",
        groups="sales_team.group_sale_salesman,account.group_account_invoice,account.group_account_readonly",
    )
    customer_advance_count = fields.Integer(
        string="Advances",
        compute="_compute_customer_360_counts",
        groups="sales_team.group_sale_salesman,account.group_account_invoice,account.group_account_readonly",
    )
    customer_payment_count = fields.Integer(
        string="Payments",
        compute="_compute_customer_360_counts",
        groups="account.group_account_invoice,account.group_account_readonly",
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
        groups="base.group_user",
        help="What the customer owes this company on posted invoices, less its credit notes and payments not applied.",
    )
    customer_days_to_pay = fields.Float(
        string="Average Days to Pay",
        compute="_compute_customer_360_receivable",
        digits=(16, 1),
        groups="base.group_user",
        help="The days from invoice to payment, weighted by the amounts paid, over the payments of the last year.",
    )
    customer_aging_bar = fields.Html(
        string="Aging",
        compute="_compute_customer_360_receivable",
        sanitize=False,
        groups="base.group_user",
        help="The open receivable by the days past each item's due date.",
    )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_customer_360_counts(self):
        counts = {}
        for fname, (model, domain) in self._get_customer_360_domains().items():
            if not self.env[model].has_access("read"):
                continue
            counts[fname] = self._count_by_customer(model, domain)
        for partner in self:
            customer = partner.commercial_partner_id._origin
            for fname in self._get_customer_360_domains():
                partner[fname] = counts.get(fname, {}).get(customer.id, 0)

    @api.depends("commercial_partner_id")
    @api.depends_context("company")
    def _compute_customer_360_receivable(self):
        exposures = self.env["customer.exposure"]._get_exposure(self, self.env.company, payment_history=True)
        for partner in self:
            exposure = exposures.get(partner.commercial_partner_id._origin.id, EMPTY_EXPOSURE)
            partner.customer_open_receivable = exposure.receivable
            partner.customer_days_to_pay = exposure.avg_days_to_pay
            partner.customer_aging_bar = self._get_aging_bar_html(exposure)

    def action_open_customer_quotations(self):
        """The customer's quotations (its contacts' too)."""
        return self._get_customer_360_action("sale.action_quotations_with_onboarding", "customer_quotation_count")

    def action_open_customer_invoices(self):
        """The customer's invoices."""
        return self._get_customer_360_action("account.action_move_out_invoice_type", "customer_invoice_count")

    def action_open_customer_refunds(self):
        """The customer's credit notes."""
        return self._get_customer_360_action("account.action_move_out_refund_type", "customer_refund_count")

    def action_open_customer_advances(self):
        """The customer's down payment invoices."""
        return self._get_customer_360_action("account.action_move_out_invoice_type", "customer_advance_count")

    def action_open_customer_payments(self):
        """The customer's payments."""
        return self._get_customer_360_action("account.action_account_payments", "customer_payment_count")

    def action_open_customer_deliveries(self):
        """The deliveries to the customer's addresses."""
        return self._get_customer_360_action("stock.action_picking_tree_all", "customer_delivery_count")

    def action_open_customer_products(self):
        """What the customer bought, by product, by amount."""
        return self._get_customer_360_action(
            "customer_management.customer_product_report_action", "customer_product_count"
        )

    @api.model
    def _get_customer_360_domains(self):
        """``{count field: (model, domain)}`` of the customer's documents behind each smart button.

        Every domain has a ``partner_id`` that is the customer or one of its contacts and addresses; the counts and
        the actions read the same domains, so a button shows what it counts. An advance is a down payment invoice.
        """
        return {
            "customer_quotation_count": ("sale.order", [("state", "in", ("draft", "sent"))]),
            "customer_invoice_count": (
                "account.move",
                [("move_type", "=", "out_invoice"), ("state", "!=", "cancel")],
            ),
            "customer_refund_count": ("account.move", [("move_type", "=", "out_refund"), ("state", "!=", "cancel")]),
            "customer_advance_count": (
                "account.move",
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "!=", "cancel"),
                    ("invoice_line_ids.is_downpayment", "=", True),
                ],
            ),
            "customer_payment_count": (
                "account.payment",
                [("partner_type", "=", "customer"), ("state", "not in", ("draft", "canceled"))],
            ),
            "customer_delivery_count": (
                "stock.picking",
                [("picking_type_code", "=", "outgoing"), ("state", "!=", "cancel")],
            ),
            "customer_product_count": ("customer.product.report", []),
        }

    def _count_by_customer(self, model, domain):
        """``{commercial partner id: count}`` of the ``model`` records of ``domain`` of the customers of ``self``.

        One grouped query over the documents of the customers and their contacts, the contacts mapped to their
        commercial partner in memory (their ``commercial_partner_id`` fetched in one query).
        """
        customers = self.commercial_partner_id._origin
        if not customers:
            return {}
        groups = self.env[model]._read_group(
            [*domain, ("partner_id", "child_of", customers.ids)], ["partner_id"], ["__count"]
        )
        counts = {}
        for partner, count in groups:
            customer_id = partner.commercial_partner_id.id
            counts[customer_id] = counts.get(customer_id, 0) + count
        return counts

    def _get_customer_360_action(self, xmlid, count_field):
        self.ensure_one()
        model, domain = self._get_customer_360_domains()[count_field]
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        customer = self.commercial_partner_id
        action["domain"] = [*domain, ("partner_id", "child_of", customer.ids)]
        action["context"] = {"default_partner_id": customer.id, "create": False}
        if model == "customer.product.report":
            action["display_name"] = self.env._("Products Bought by %(customer)s", customer=customer.display_name)
        return action

    def _get_aging_bar_html(self, exposure):
        """A stacked bar of the open receivable by aging bucket, with the amount of each bucket below it.

        The widths are the shares of the positive buckets (a bucket of credit notes or advances has no width); every
        value is escaped by ``Markup.format``.
        """
        currency = self.env.company.currency_id
        amounts = dict(
            zip(
                [key for key, _label in AGING_BUCKETS],
                [exposure.not_due, exposure.aged_1_30, exposure.aged_31_60, exposure.aged_61_90, exposure.aged_over_90],
                strict=True,
            )
        )
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
                '<span class="me-3 text-nowrap" data-bucket="{key}"><span class="d-inline-block rounded-circle {colour}" '
                'style="width: .6em; height: .6em;"></span> {label}: <b>{amount}</b></span>'
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
        self._refresh_customer_behaviour()

    @api.model
    def _refresh_customer_behaviour(self, customers=None):
        """Recompute the behaviour fields of ``customers`` (commercial partners; every customer by default).

        One UPDATE for the whole batch and every company: the figures of each (customer, company) pair are
        aggregated from the confirmed orders in SQL and written as the customer's company-dependent values; the
        customers that no longer have any sale lose theirs.
        """
        if customers is not None and not customers:
            return
        self.env["sale.order"].flush_model(
            ["amount_untaxed", "company_id", "currency_rate", "date_order", "margin", "partner_id", "state"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["res.company"].flush_model(["currency_id"])
        self.env.execute_query(self._get_behaviour_refresh_query(customers and customers.ids))
        self.env["res.partner"].invalidate_model(list(BEHAVIOUR_FIELDS))

    @api.model
    def _get_behaviour_refresh_query(self, customer_ids=None, date=None):
        """The UPDATE behind :meth:`_refresh_customer_behaviour`, for ``customer_ids`` (all customers if None).

        The windows are the 12 months up to ``date`` (today by default) and the 12 months before; amounts are
        untaxed, in each company's currency at the order's rate, rounded by that currency.
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
