"""The buying behaviour of the customers (the 360's figures of the last 12 months), refreshed set-based in SQL."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .customer_exposure import round_sql

# The months of sales behind the behaviour figures; the trend compares them with the same months before.
BEHAVIOUR_MONTHS = 12
# The stored behaviour fields of res.partner (res_partner_customer_360.py), written by customer.behaviour only.
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


def refreshed_field(field_class, **kwargs):
    """A figure that a set-based refresh computes (the behaviour here, the OTIF): one value per company, stored, for
    internal users, written by its refresh only."""
    # A btree on the whole jsonb column does not serve a search on one company's value: no index by default.
    kwargs.setdefault("index", False)
    return field_class(company_dependent=True, readonly=True, groups="base.group_user", **kwargs)


def refresh_scope(customer_ids, marker):
    """``(scope, target)`` of a refresh UPDATE for ``customer_ids`` (all customers if None): the condition on the
    ``partner`` rows it reads, and the customers it writes (the given ones, or those with figures in the ``marker``
    column and those the ``per_customer`` CTE gives)."""
    if customer_ids is None:
        target = SQL(
            "SELECT id FROM res_partner WHERE %s IS NOT NULL UNION SELECT partner_id FROM per_customer",
            SQL.identifier(marker),
        )
        return SQL("TRUE"), target
    # The ids as one array literal, not an ARRAY[...] of as many constants for the planner to fold one by one, and
    # as a set to join rather than an array to scan: the planner estimates ``= ANY(array)`` element by element.
    ids = "{" + ",".join(str(int(customer_id)) for customer_id in customer_ids) + "}"
    return (
        SQL("partner.commercial_partner_id IN (SELECT UNNEST(%s::int[]))", ids),
        SQL("SELECT UNNEST(%s::int[]) AS id", ids),
    )


class CustomerBehaviour(models.AbstractModel):
    """The refresh of the customers' behaviour figures: one UPDATE for a batch of customers and every company."""

    _name = "customer.behaviour"
    _description = "Customer Behaviour Refresh"

    @api.model
    def _refresh(self, customers=None):
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
        self.env.cr.execute(self._get_refresh_query(customers and customers.ids))
        self.env["res.partner"].invalidate_model(list(BEHAVIOUR_FIELDS))
        return self.env.cr.rowcount

    @api.model
    def _get_refresh_query(self, customer_ids=None, date=None):
        """The UPDATE behind :meth:`_refresh`, for ``customer_ids`` (all customers if None).

        The windows are the 12 months up to ``date`` (today by default) and the 12 months before; amounts are
        untaxed, in each company's currency at the order's rate, rounded by that currency. A customer whose figures
        did not change is not written: no dead row, and no conflict with a concurrent credit check of that customer.
        """
        date = date or fields.Date.context_today(self)
        start = fields.Datetime.to_datetime(date - relativedelta(months=BEHAVIOUR_MONTHS))
        previous_start = start - relativedelta(months=BEHAVIOUR_MONTHS)
        scope, target = refresh_scope(customer_ids, "last_sale_date")
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
            amount=round_sql(SQL("figures.amount")),
            margin=round_sql(SQL("figures.margin")),
            previous_amount=round_sql(SQL("figures.previous_amount")),
            ticket=round_sql(SQL("figures.amount / figures.sale_count")),
        )
