"""The recompute of every customer's RFM, inactivity and risk score, against a hand-written query of the same."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tools import SQL

from ..framework import BaselineMismatch, _rolled_back, case
from .partners import user_env


def _company(env):
    """The main company, its customers' behaviour and OTIF refreshed (the risk reads them), as a web client user;
    the risk refreshed once too, as the daily cron finds it: the runs recompute every customer, and write and notify
    those that changed (the first refresh, which also creates an activity per customer entering a state, is not
    what runs every day)."""
    env["res.partner"]._refresh_customer_behaviour()
    env["res.partner"]._refresh_customer_otif()
    env["customer.risk"]._refresh(env.ref("base.main_company"))
    env.flush_all()
    return {"env": user_env(env), "company": env.ref("base.main_company")}


def risk_recompute(env, fixture):
    """The engine's recompute of every customer of the company: one UPDATE."""
    return fixture["env"]["customer.risk"].sudo()._refresh(fixture["company"])


def risk_scores_sql(env, fixture):
    """The same scores by hand, one SELECT from the journal items, orders, promises and claims:
    ``{partner_id: (risk_score, rfm_segment, is_inactive)}``."""
    # Once the registry is loaded: the module's constants, the same the engine reads.
    from odoo.addons.customer_management.models import customer_risk as risk

    company = fixture["company"]
    date = fields.Date.context_today(env["res.partner"])
    key = str(company.id)
    weights = {column: company[fname] for column, fname in risk.RISK_WEIGHT_FIELDS.items()}
    trend_start = fields.Datetime.to_datetime(date - timedelta(days=risk.TREND_DAYS - 1))
    env.cr.execute(
        SQL(
            """
            WITH branch AS (
                SELECT branch.id FROM res_company branch, res_company company
                 WHERE company.id = %(company_id)s
                   AND branch.parent_path LIKE split_part(company.parent_path, '/', 1) || %(descendants)s
            ),
            item AS (
                SELECT partner.commercial_partner_id AS partner_id, line.amount_residual AS residual,
                       COALESCE(line.date_maturity, line.date) AS due
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  JOIN res_partner partner ON partner.id = line.partner_id
                 WHERE account.account_type = 'asset_receivable' AND line.parent_state = 'posted'
                   AND line.reconciled IS NOT TRUE AND line.company_id IN (SELECT id FROM branch)
            ),
            receivable AS (
                SELECT partner_id,
                       ROUND(SUM(residual), 2) AS receivable,
                       ROUND(SUM(residual) FILTER (WHERE residual > 0 AND due < %(date)s), 2) AS overdue,
                       %(date)s - MIN(due) FILTER (WHERE residual > 0 AND due < %(date)s) AS oldest,
                       SUM(residual * (%(date)s - due)) FILTER (WHERE residual > 0 AND due < %(date)s)
                           / NULLIF(SUM(residual) FILTER (WHERE residual > 0 AND due < %(date)s), 0) AS days_late
                  FROM item GROUP BY partner_id
            ),
            draft AS (
                SELECT commercial_partner_id AS partner_id, ROUND(SUM(amount_total_signed), 2) AS draft
                  FROM account_move
                 WHERE state = 'draft' AND move_type IN ('out_invoice', 'out_refund')
                   AND company_id IN (SELECT id FROM branch)
                 GROUP BY commercial_partner_id
            ),
            owner AS (
                SELECT invoiced.commercial_partner_id AS partner_id, sale.id AS order_id, sale.currency_rate
                  FROM sale_order sale JOIN res_partner invoiced ON invoiced.id = sale.partner_invoice_id
                 WHERE sale.state = 'sale' AND sale.invoice_status IS DISTINCT FROM 'invoiced'
                   AND sale.company_id IN (SELECT id FROM branch)
                 UNION
                SELECT ordering.commercial_partner_id, sale.id, sale.currency_rate
                  FROM sale_order sale JOIN res_partner ordering ON ordering.id = sale.partner_id
                 WHERE sale.state = 'sale' AND sale.invoice_status IS DISTINCT FROM 'invoiced'
                   AND sale.company_id IN (SELECT id FROM branch)
            ),
            per_order AS (
                SELECT owner.partner_id,
                       SUM(line.price_total / line.product_uom_qty
                           * (CASE WHEN template.invoice_policy = 'delivery'
                                   THEN GREATEST(line.qty_delivered, line.product_uom_qty)
                                   ELSE line.product_uom_qty END - COALESCE(line.qty_invoiced, 0))
                           / COALESCE(NULLIF(owner.currency_rate, 0), 1)) AS to_invoice
                  FROM owner
                  JOIN sale_order_line line ON line.order_id = owner.order_id
                  LEFT JOIN product_product product ON product.id = line.product_id
                  LEFT JOIN product_template template ON template.id = product.product_tmpl_id
                 WHERE line.product_uom_qty <> 0
                 GROUP BY owner.partner_id, owner.order_id
            ),
            ordered AS (
                SELECT partner_id, ROUND(SUM(GREATEST(to_invoice, 0)), 2) AS to_invoice FROM per_order GROUP BY 1
            ),
            trend AS (
                SELECT partner.commercial_partner_id AS partner_id,
                       SUM(sale.amount_untaxed / COALESCE(NULLIF(sale.currency_rate, 0), 1))
                           FILTER (WHERE sale.date_order >= %(trend_start)s) AS recent,
                       SUM(sale.amount_untaxed / COALESCE(NULLIF(sale.currency_rate, 0), 1))
                           FILTER (WHERE sale.date_order < %(trend_start)s) AS previous
                  FROM sale_order sale JOIN res_partner partner ON partner.id = sale.partner_id
                 WHERE sale.state = 'sale' AND sale.company_id = %(company_id)s
                   AND sale.date_order >= %(previous_start)s AND sale.date_order < %(trend_end)s
                 GROUP BY 1
            ),
            promise AS (
                SELECT partner.commercial_partner_id AS partner_id, COUNT(*) AS broken
                  FROM customer_payment_promise promise JOIN res_partner partner ON partner.id = promise.partner_id
                 WHERE promise.state = 'broken' AND promise.company_id = %(company_id)s
                   AND promise.promised_date >= %(since)s
                 GROUP BY 1
            ),
            claim AS (
                SELECT partner.commercial_partner_id AS partner_id, COUNT(*) AS claims
                  FROM customer_claim claim JOIN res_partner partner ON partner.id = claim.partner_id
                 WHERE claim.company_id = %(company_id)s AND claim.create_date >= %(since)s
                 GROUP BY 1
            ),
            customer AS (
                SELECT partner.id,
                       (partner.last_sale_date ->> %(key)s)::date AS last_sale_date,
                       COALESCE((partner.sale_count_12m ->> %(key)s)::numeric, 0) AS sale_count,
                       COALESCE((partner.sales_amount_12m ->> %(key)s)::numeric, 0) AS amount,
                       COALESCE((partner.otif_delivery_count ->> %(key)s)::numeric, 0) AS otif_count,
                       COALESCE((partner.otif_rate ->> %(key)s)::numeric, 0) AS otif,
                       COALESCE((partner.credit_limit ->> %(key)s)::numeric, 0) AS credit_limit
                  FROM res_partner partner
                 WHERE partner.id = partner.commercial_partner_id
                   AND (partner.customer_rank > 0 OR partner.last_sale_date ? %(key)s
                        OR partner.risk_score ? %(key)s OR partner.id IN (SELECT partner_id FROM item))
            ),
            normalised AS (
                SELECT customer.id,
                       customer.last_sale_date IS NOT NULL
                           AND customer.last_sale_date < %(inactive_before)s AS inactive,
                       CASE WHEN receivable.receivable > 0 AND receivable.overdue > 0
                            THEN LEAST(receivable.overdue / receivable.receivable, 1) ELSE 0 END AS overdue_ratio,
                       LEAST(COALESCE(ROUND(receivable.days_late::numeric, 1), 0) / %(days_full)s, 1) AS days_late,
                       LEAST(COALESCE(receivable.oldest, 0)::numeric / %(oldest_full)s, 1) AS oldest_overdue,
                       LEAST(COALESCE(promise.broken, 0)::numeric / %(promises_full)s, 1) AS broken_promises,
                       CASE WHEN customer.credit_limit > 0
                            THEN LEAST((COALESCE(receivable.receivable, 0) + COALESCE(draft.draft, 0)
                                        + COALESCE(ordered.to_invoice, 0)) / customer.credit_limit, 1)
                            ELSE 0 END AS credit_utilisation,
                       CASE WHEN trend.previous > 0
                            THEN LEAST(GREATEST((trend.previous - COALESCE(trend.recent, 0)) / trend.previous, 0), 1)
                            ELSE 0 END AS sales_trend,
                       LEAST(COALESCE(claim.claims, 0)::numeric / %(claims_full)s, 1) AS claims,
                       CASE WHEN customer.otif_count > 0 THEN (100 - customer.otif) / 100 ELSE 0 END AS otif
                  FROM customer
                  LEFT JOIN receivable ON receivable.partner_id = customer.id
                  LEFT JOIN draft ON draft.partner_id = customer.id
                  LEFT JOIN ordered ON ordered.partner_id = customer.id
                  LEFT JOIN trend ON trend.partner_id = customer.id
                  LEFT JOIN promise ON promise.partner_id = customer.id
                  LEFT JOIN claim ON claim.partner_id = customer.id
            )
            SELECT id, ROUND((100 * (%(weighted)s) / %(weight_sum)s)::numeric, 1), inactive FROM normalised
            """,
            company_id=company.id,
            descendants="/%",
            date=date,
            key=key,
            trend_start=trend_start,
            previous_start=fields.Datetime.to_datetime(date - timedelta(days=2 * risk.TREND_DAYS - 1)),
            trend_end=fields.Datetime.to_datetime(date + timedelta(days=1)),
            since=date - relativedelta(months=risk.RISK_MONTHS),
            inactive_before=date - timedelta(days=company.customer_inactivity_days),
            days_full=risk.DAYS_LATE_FULL,
            oldest_full=risk.OLDEST_OVERDUE_FULL,
            promises_full=risk.BROKEN_PROMISES_FULL,
            claims_full=risk.CLAIMS_FULL,
            weighted=SQL(" + ").join(
                SQL("%s * %s", weight, SQL.identifier(column)) for column, weight in weights.items()
            ),
            weight_sum=sum(weights.values()),
        )
    )
    return {partner_id: (float(score), inactive) for partner_id, score, inactive in env.cr.fetchall()}


def verify_risk_recompute(env, fixture):
    """The engine writes every customer the query scores, with its score (to 0.1, the rounding of the amounts
    aside) and inactivity."""
    sql = risk_scores_sql(env, fixture)
    key = str(fixture["company"].id)
    with _rolled_back(env):
        risk_recompute(env, fixture)
        env.cr.execute(
            SQL(
                "SELECT id, (risk_score ->> %s)::numeric, (is_inactive ->> %s)::boolean FROM res_partner"
                " WHERE risk_score ? %s",
                key,
                key,
                key,
            )
        )
        ours = {partner_id: (float(score), inactive) for partner_id, score, inactive in env.cr.fetchall()}
    if ours.keys() != sql.keys():
        raise BaselineMismatch(f"risk recompute: {len(ours)} customers scored, the SQL {len(sql)}")
    wrong = [
        pid for pid, (score, inactive) in ours.items() if abs(score - sql[pid][0]) > 0.1 or inactive != sql[pid][1]
    ]
    if wrong:
        raise BaselineMismatch(
            f"risk recompute: {len(wrong)} customers differ, e.g. {wrong[0]}: {ours[wrong[0]]} != {sql[wrong[0]]}"
        )
    if not any(score for score, _inactive in ours.values()):
        raise BaselineMismatch("risk recompute: the data set has no customer at risk to score")


@case("risk_recompute_10k", baselines={"sql": risk_scores_sql}, setup=_company, verify=verify_risk_recompute)
def risk_recompute_10k(env, fixture):
    """Recompute of the RFM, inactivity and risk score of every customer of the company, one UPDATE.

    Ours writes every customer's figures; the baseline only selects the same scores by hand; target <= 2."""
    return risk_recompute(env, fixture)
