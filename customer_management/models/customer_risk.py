"""The behaviour and delinquency risk of the customers (RFM, inactivity, risk score), refreshed set-based in SQL."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

# The stored figures of res.partner (res_partner_risk.py) that customer.risk alone writes, by the column of the
# engine's ``computed`` subquery that gives them.
RFM_FIELDS = ("rfm_segment", "rfm_recency_score", "rfm_frequency_score", "rfm_monetary_score", "is_inactive")
RISK_COMPONENT_FIELDS = (
    "risk_overdue_ratio",
    "risk_days_late",
    "risk_oldest_overdue_days",
    "risk_broken_promise_count",
    "risk_credit_utilisation",
    "risk_sales_trend_90d",
    "risk_claim_count_12m",
)
RISK_FIELDS = ("risk_score", "risk_level", *RISK_COMPONENT_FIELDS)
CUSTOMER_RISK_FIELDS = (*RFM_FIELDS, *RISK_FIELDS)

RFM_SEGMENTS = [
    ("champions", "Champions"),
    ("loyal", "Loyal"),
    ("potential", "Potential Loyalists"),
    ("new", "New Customers"),
    ("at_risk", "At Risk"),
    ("hibernating", "Hibernating"),
    ("lost", "Lost"),
]
RISK_LEVELS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
# The fixed bands of the risk level: a score from RISK_MEDIUM_FROM is medium, from RISK_HIGH_FROM high.
RISK_MEDIUM_FROM = 30.0
RISK_HIGH_FROM = 60.0
# The value of each component at which it counts in full (normalised to 1); below, it counts in proportion.
DAYS_LATE_FULL = 90
OLDEST_OVERDUE_FULL = 180
BROKEN_PROMISES_FULL = 3
CLAIMS_FULL = 5
# The days of each window of the sales trend: the last ones against as many before.
TREND_DAYS = 90
# The months of broken promises and claims counted.
RISK_MONTHS = 12
# The company's weight field of each component (res_company.py), by the component's normalised column.
RISK_WEIGHT_FIELDS = {
    "overdue_ratio": "customer_risk_weight_overdue",
    "days_late": "customer_risk_weight_days_late",
    "oldest_overdue": "customer_risk_weight_oldest_overdue",
    "broken_promises": "customer_risk_weight_broken_promises",
    "credit_utilisation": "customer_risk_weight_credit_utilisation",
    "sales_trend": "customer_risk_weight_sales_trend",
    "claims": "customer_risk_weight_claims",
    "otif": "customer_risk_weight_otif",
}


class CustomerRisk(models.AbstractModel):
    """The refresh of the customers' RFM segment, inactivity and risk score: one UPDATE per company.

    **RFM.** Over the customers of the company that bought in the last 12 months (``sale_count_12m`` > 0 of the
    behaviour refresh), each of recency (``last_sale_date``, later is better), frequency (``sale_count_12m``) and
    monetary (``sales_amount_12m``) is scored 1 to 5 by quintile with ``NTILE(5)``, 5 the best; customers tied on a
    figure share the highest quintile any of them reaches. The segment, the first that matches:

    =========== =====================================================================
    champions   recency >= 4, frequency >= 4, monetary >= 4
    loyal       recency >= 3, frequency >= 3
    new         recency >= 4, frequency = 1
    potential   recency >= 3
    at_risk     recency <= 2, frequency >= 3
    hibernating recency = 2
    lost        recency = 1, or no sale in the last 12 months but an older one
    =========== =====================================================================

    A customer that never bought has no segment (nor scores).

    **Inactivity.** A customer is inactive when its last confirmed sale is older than the company's
    ``customer_inactivity_days``; one that never bought is not.

    **Risk score.** Each component, normalised to 0-1, is weighted by the company's weight of it; the score is
    ``100 * sum(weight * component) / sum(weights)``, rounded to 0.1. The components, stored as the user reads them:

    - overdue ratio: the overdue receivable over the open receivable (the exposure engine's ``overdue_amount`` and
      ``receivable``), in percent; normalised: the ratio, at most 1;
    - days late: the days past due of the open overdue items, weighted by their residual; /``DAYS_LATE_FULL``;
    - oldest overdue: the days since the oldest overdue item fell due (the engine's ``overdue_days``);
      /``OLDEST_OVERDUE_FULL``;
    - broken promises: the payment promises broken, promised in the last 12 months; /``BROKEN_PROMISES_FULL``;
    - credit utilisation: the credit exposure (receivable, draft invoices, orders to invoice) over the credit
      limit, in percent, when the customer has a limit (0 otherwise); normalised: at most 1;
    - sales trend: the sales of the last 90 days against the 90 before, in percent (negative: falling; 0 without
      sales in the 90 before); normalised: the fall, at most 1 (a rise counts 0);
    - claims: the claims and returns filed in the last 12 months; /``CLAIMS_FULL``;
    - OTIF: the ``otif_rate`` of the OTIF refresh; normalised: ``(100 - otif) / 100``, 0 without deliveries.

    The receivable figures count the company and its branches, as the exposure engine; the sales of the trend, the
    promises and the claims are the company's own. Each normalised component is at most 1. The level is ``low``
    below ``RISK_MEDIUM_FROM``, ``medium`` below ``RISK_HIGH_FROM``, ``high`` from it (fixed bands).
    """

    _name = "customer.risk"
    _description = "Customer Risk Refresh"

    @api.model
    def _refresh(self, companies=None, date=None):
        """Recompute the RFM, inactivity and risk fields of every customer of ``companies`` (every company by
        default), on ``date`` (today by default), and notify the salespeople of the customers that became inactive
        or high-risk. One UPDATE per company, whatever the number of customers; returns the number of customers
        whose figures changed."""
        companies = companies if companies is not None else self.env["res.company"].sudo().search([])
        date = date or fields.Date.context_today(self)
        self.env.flush_all()
        changed = 0
        transitions = []
        for company in companies:
            rows = self._execute_without_jit(self._get_refresh_query(company, date))
            changed += len(rows)
            # The first refresh of a company learns its customers' states: those already inactive or high-risk
            # when the module starts measuring them are no news, their salespeople are not sent one activity each.
            if company.customer_risk_refreshed_on:
                transitions.extend((company, row) for row in rows if row["became_inactive"] or row["became_high"])
        # sudo: the refresh's own record of its runs, on companies a manager may not write.
        companies.sudo().customer_risk_refreshed_on = date
        self.env["res.partner"].invalidate_model(list(CUSTOMER_RISK_FIELDS))
        self._notify_salespeople(transitions, date)
        return changed

    @api.model
    def _execute_without_jit(self, query):
        """The rows of ``query`` as dicts, run without PostgreSQL's JIT compilation, then the setting restored.

        The planner estimates the refresh's chain of aggregated CTEs at millions of rows where there are as many as
        customers: above its JIT thresholds, it would spend seconds compiling the statement (five of the six seconds
        of a refresh of 10,000 customers) to run it in under one."""
        # Set for the transaction only: a failed statement rolls the setting back with it.
        [(jit,)] = self.env.execute_query(SQL("SHOW jit"))
        self.env.execute_query(SQL("SELECT set_config('jit', 'off', true)"))
        rows = self.env.execute_query_dict(query)
        self.env.execute_query(SQL("SELECT set_config('jit', %s, true)", jit))
        return rows

    @api.model
    def _get_refresh_query(self, company, date):
        """The UPDATE behind :meth:`_refresh` for ``company``: every figure from one ``computed`` subquery over the
        exposure engine's CTEs and the stored behaviour and OTIF figures. It returns, per customer written, whether
        it became inactive or high-risk, and its salesperson."""
        key = str(company.id)
        exposure = self.env["customer.exposure"]
        options = {
            "partner_ids": None,
            "company": company,
            "date": date,
            "lock": False,
            "payment_history": False,
            "receivable_only": False,
            "aging": False,
        }
        figures = exposure._get_exposure_figures_sql(options)
        since = date - relativedelta(months=RISK_MONTHS)
        weights = {column: company[fname] for column, fname in RISK_WEIGHT_FIELDS.items()}
        columns = {
            "rfm_segment": SQL("rfm.segment"),
            "rfm_recency_score": SQL("rfm.recency"),
            "rfm_frequency_score": SQL("rfm.frequency"),
            "rfm_monetary_score": SQL("rfm.monetary"),
            "is_inactive": SQL("scored.is_inactive"),
            "risk_score": SQL("scored.risk_score"),
            "risk_level": SQL("scored.risk_level"),
            **{fname: SQL.identifier("scored", fname) for fname in RISK_COMPONENT_FIELDS},
        }
        # Each field's new jsonb: the other companies' values kept, this one's replaced (or removed when NULL).
        merged = SQL(",\n").join(
            SQL(
                "(COALESCE(partner.%(column)s, '{}'::jsonb) - %(key)s) || jsonb_strip_nulls(jsonb_build_object("
                "%(key)s, %(value)s)) AS %(column)s",
                column=SQL.identifier(fname),
                key=key,
                value=value,
            )
            for fname, value in columns.items()
        )
        return SQL(
            """
            WITH %(ctes)s,
            exposure AS MATERIALIZED (
                SELECT customer.id AS partner_id, %(receivable)s AS receivable, %(overdue_amount)s AS overdue_amount,
                       %(overdue_days)s AS overdue_days, %(total)s AS total
                  FROM %(exposure_from)s
            ),
            late AS MATERIALIZED (
                SELECT partner_id, SUM(residual * days_overdue) / NULLIF(SUM(residual), 0) AS days_late
                  FROM open_item
                 WHERE residual > 0 AND due_date < %(date)s
                 GROUP BY partner_id
            ),
            trend AS MATERIALIZED (
                SELECT partner.commercial_partner_id AS partner_id,
                       SUM(sale.amount_untaxed / COALESCE(NULLIF(sale.currency_rate, 0), 1))
                           FILTER (WHERE sale.date_order >= %(trend_start)s) AS recent,
                       SUM(sale.amount_untaxed / COALESCE(NULLIF(sale.currency_rate, 0), 1))
                           FILTER (WHERE sale.date_order < %(trend_start)s) AS previous
                  FROM sale_order sale
                  JOIN res_partner partner ON partner.id = sale.partner_id
                 WHERE sale.state = 'sale' AND sale.company_id = %(company_id)s
                   AND sale.date_order >= %(previous_start)s AND sale.date_order < %(trend_end)s
                 GROUP BY partner.commercial_partner_id
            ),
            promise AS MATERIALIZED (
                SELECT partner.commercial_partner_id AS partner_id, COUNT(*) AS broken
                  FROM customer_payment_promise promise
                  JOIN res_partner partner ON partner.id = promise.partner_id
                 WHERE promise.state = 'broken' AND promise.company_id = %(company_id)s
                   AND promise.promised_date >= %(since)s
                 GROUP BY partner.commercial_partner_id
            ),
            claim AS MATERIALIZED (
                SELECT partner.commercial_partner_id AS partner_id, COUNT(*) AS claims
                  FROM customer_claim claim
                  JOIN res_partner partner ON partner.id = claim.partner_id
                 WHERE claim.company_id = %(company_id)s AND claim.create_date >= %(since_datetime)s
                 GROUP BY partner.commercial_partner_id
            ),
            stored AS MATERIALIZED (
                -- The customers of the company, with the figures of the behaviour and OTIF refreshes stored for it.
                SELECT partner.id AS partner_id,
                       partner.user_id,
                       (partner.last_sale_date ->> %(key)s)::date AS last_sale_date,
                       COALESCE((partner.sale_count_12m ->> %(key)s)::numeric, 0) AS sale_count,
                       COALESCE((partner.sales_amount_12m ->> %(key)s)::numeric, 0) AS sales_amount,
                       COALESCE((partner.otif_delivery_count ->> %(key)s)::numeric, 0) AS otif_count,
                       COALESCE((partner.otif_rate ->> %(key)s)::numeric, 0) AS otif_rate,
                       COALESCE((partner.credit_limit ->> %(key)s)::numeric, 0) AS credit_limit,
                       COALESCE((partner.is_inactive ->> %(key)s)::boolean, FALSE) AS was_inactive,
                       COALESCE(partner.risk_level ->> %(key)s, '') AS previous_level
                  FROM res_partner partner
                 WHERE partner.id = partner.commercial_partner_id
                   AND (partner.customer_rank > 0 OR partner.last_sale_date ? %(key)s OR partner.risk_score ? %(key)s
                        OR partner.id IN (SELECT partner_id FROM open_item))
            ),
            ranked AS (
                SELECT partner_id,
                       NTILE(5) OVER (ORDER BY last_sale_date, partner_id) AS recency,
                       NTILE(5) OVER (ORDER BY sale_count, partner_id) AS frequency,
                       NTILE(5) OVER (ORDER BY sales_amount, partner_id) AS monetary,
                       last_sale_date, sale_count, sales_amount
                  FROM stored
                 WHERE sale_count > 0
            ),
            tied AS (
                -- Ties share the highest quintile any of them reaches: the same figures, the same scores.
                SELECT partner_id,
                       MAX(recency) OVER (PARTITION BY last_sale_date) AS recency,
                       MAX(frequency) OVER (PARTITION BY sale_count) AS frequency,
                       MAX(monetary) OVER (PARTITION BY sales_amount) AS monetary
                  FROM ranked
            ),
            rfm AS (
                SELECT stored.partner_id, tied.recency, tied.frequency, tied.monetary,
                       CASE WHEN stored.last_sale_date IS NULL THEN NULL
                            WHEN tied.partner_id IS NULL THEN 'lost'
                            WHEN tied.recency >= 4 AND tied.frequency >= 4 AND tied.monetary >= 4 THEN 'champions'
                            WHEN tied.recency >= 3 AND tied.frequency >= 3 THEN 'loyal'
                            WHEN tied.recency >= 4 AND tied.frequency = 1 THEN 'new'
                            WHEN tied.recency >= 3 THEN 'potential'
                            WHEN tied.frequency >= 3 THEN 'at_risk'
                            WHEN tied.recency = 2 THEN 'hibernating'
                            ELSE 'lost' END AS segment
                  FROM stored
                  LEFT JOIN tied ON tied.partner_id = stored.partner_id
            ),
            component AS (
                SELECT stored.partner_id,
                       stored.user_id,
                       stored.was_inactive,
                       stored.previous_level,
                       stored.last_sale_date IS NOT NULL
                           AND stored.last_sale_date < %(inactive_before)s AS is_inactive,
                       CASE WHEN COALESCE(exposure.receivable, 0) > 0 AND COALESCE(exposure.overdue_amount, 0) > 0
                            THEN LEAST(exposure.overdue_amount / exposure.receivable, 1) ELSE 0 END AS overdue_ratio,
                       COALESCE(ROUND(late.days_late::numeric, 1), 0) AS days_late,
                       COALESCE(exposure.overdue_days, 0) AS oldest_overdue_days,
                       COALESCE(promise.broken, 0) AS broken_promises,
                       CASE WHEN stored.credit_limit > 0 THEN COALESCE(exposure.total, 0) / stored.credit_limit
                            ELSE 0 END AS credit_utilisation,
                       CASE WHEN COALESCE(trend.previous, 0) > 0
                            THEN (COALESCE(trend.recent, 0) - trend.previous) / trend.previous ELSE 0 END AS trend,
                       COALESCE(claim.claims, 0) AS claims,
                       CASE WHEN stored.otif_count > 0 THEN stored.otif_rate ELSE NULL END AS otif
                  FROM stored
                  LEFT JOIN exposure ON exposure.partner_id = stored.partner_id
                  LEFT JOIN late ON late.partner_id = stored.partner_id
                  LEFT JOIN trend ON trend.partner_id = stored.partner_id
                  LEFT JOIN promise ON promise.partner_id = stored.partner_id
                  LEFT JOIN claim ON claim.partner_id = stored.partner_id
            ),
            normalised AS (
                SELECT component.*,
                       component.overdue_ratio AS n_overdue_ratio,
                       LEAST(component.days_late / %(days_late_full)s, 1) AS n_days_late,
                       LEAST(component.oldest_overdue_days::numeric / %(oldest_full)s, 1) AS n_oldest_overdue,
                       LEAST(component.broken_promises::numeric / %(promises_full)s, 1) AS n_broken_promises,
                       LEAST(component.credit_utilisation, 1) AS n_credit_utilisation,
                       LEAST(GREATEST(-component.trend, 0), 1) AS n_sales_trend,
                       LEAST(component.claims::numeric / %(claims_full)s, 1) AS n_claims,
                       COALESCE((100 - component.otif) / 100, 0) AS n_otif
                  FROM component
            ),
            scored_raw AS (
                SELECT normalised.*,
                       ROUND((100 * (%(weighted)s) / NULLIF(%(weight_sum)s, 0))::numeric, 1) AS score
                  FROM normalised
            ),
            scored AS (
                SELECT scored_raw.partner_id,
                       scored_raw.user_id,
                       scored_raw.was_inactive,
                       scored_raw.previous_level,
                       scored_raw.is_inactive,
                       COALESCE(scored_raw.score, 0) AS risk_score,
                       CASE WHEN COALESCE(scored_raw.score, 0) >= %(high_from)s THEN 'high'
                            WHEN COALESCE(scored_raw.score, 0) >= %(medium_from)s THEN 'medium'
                            ELSE 'low' END AS risk_level,
                       ROUND(scored_raw.overdue_ratio * 100, 1) AS risk_overdue_ratio,
                       scored_raw.days_late AS risk_days_late,
                       scored_raw.oldest_overdue_days AS risk_oldest_overdue_days,
                       scored_raw.broken_promises AS risk_broken_promise_count,
                       ROUND(scored_raw.credit_utilisation * 100, 1) AS risk_credit_utilisation,
                       ROUND(scored_raw.trend * 100, 1) AS risk_sales_trend_90d,
                       scored_raw.claims AS risk_claim_count_12m
                  FROM scored_raw
            ),
            computed AS (
                SELECT partner.id AS partner_id,
                       scored.user_id,
                       scored.is_inactive AND NOT scored.was_inactive AS became_inactive,
                       scored.risk_level = 'high' AND scored.previous_level != 'high' AS became_high,
                       scored.risk_score AS score_value,
                       %(merged)s
                  FROM scored
                  JOIN rfm ON rfm.partner_id = scored.partner_id
                  JOIN res_partner partner ON partner.id = scored.partner_id
            )
            UPDATE res_partner
               SET %(assignments)s
              FROM computed
             WHERE res_partner.id = computed.partner_id
               AND (%(current)s) IS DISTINCT FROM (%(new)s)
         RETURNING computed.partner_id, computed.user_id, computed.became_inactive, computed.became_high,
                   computed.score_value AS risk_score
            %(sources)s""",
            ctes=SQL(",\n").join(exposure._get_exposure_ctes_sql(options)),
            receivable=figures["receivable"],
            overdue_amount=figures["overdue_amount"],
            overdue_days=figures["overdue_days"],
            total=SQL("(%s + %s + %s)", figures["receivable"], figures["draft_invoiced"], figures["to_invoice"]),
            exposure_from=exposure._get_exposure_from_sql(options),
            date=date,
            trend_start=fields.Datetime.to_datetime(date - timedelta(days=TREND_DAYS - 1)),
            previous_start=fields.Datetime.to_datetime(date - timedelta(days=2 * TREND_DAYS - 1)),
            trend_end=fields.Datetime.to_datetime(date + timedelta(days=1)),
            company_id=company.id,
            since=since,
            since_datetime=fields.Datetime.to_datetime(since),
            key=key,
            inactive_before=date - timedelta(days=company.customer_inactivity_days),
            days_late_full=DAYS_LATE_FULL,
            oldest_full=OLDEST_OVERDUE_FULL,
            promises_full=BROKEN_PROMISES_FULL,
            claims_full=CLAIMS_FULL,
            weighted=SQL(" + ").join(
                SQL("%s * %s", weight, SQL.identifier("normalised", f"n_{column}"))
                for column, weight in weights.items()
            ),
            weight_sum=sum(weights.values()),
            high_from=RISK_HIGH_FROM,
            medium_from=RISK_MEDIUM_FROM,
            merged=merged,
            assignments=SQL(", ").join(
                SQL("%s = computed.%s", SQL.identifier(fname), SQL.identifier(fname)) for fname in columns
            ),
            current=SQL(", ").join(SQL.identifier("res_partner", fname) for fname in columns),
            new=SQL(", ").join(SQL.identifier("computed", fname) for fname in columns),
            sources=exposure._get_exposure_sources_sql(),
        )

    @api.model
    def _notify_salespeople(self, transitions, date):
        """An activity for the salesperson of each customer of ``transitions`` (``(company, row)`` of the refresh)
        that became inactive or high-risk: created once, when the customer enters that state (the stored state is
        what was notified: the next refresh of the same episode sees it unchanged and notifies nobody)."""
        activity_type = self.env.ref("customer_management.mail_activity_type_customer_risk", raise_if_not_found=False)
        if not activity_type or not transitions:
            return
        partner_model = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for company, row in transitions:
            if not row["user_id"]:
                continue
            if row["became_high"]:
                summary = self.env._(
                    "High risk customer (score %(score)s) in %(company)s", score=row["risk_score"], company=company.name
                )
            else:
                summary = self.env._(
                    "Inactive customer: no sale in %(days)s days in %(company)s",
                    days=company.customer_inactivity_days,
                    company=company.name,
                )
            vals_list.append(
                {
                    "res_model_id": partner_model,
                    "res_id": row["partner_id"],
                    "activity_type_id": activity_type.id,
                    "user_id": row["user_id"],
                    "summary": summary,
                    "date_deadline": date,
                }
            )
        # sudo: the refresh, not its caller, assigns the follow-up to the customer's salesperson.
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(vals_list)
