"""The analytics: the ranking of every customer by sales, as the Ranking by Sales list reads it."""

from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

from ..framework import BaselineMismatch, case
from .partners import user_env

# The grouped list's totals of the ranking, in its columns' order.
RANKING_MEASURES = ("amount:sum", "margin:sum", "margin_percent:avg", "order_count:count_distinct")


def _ranking(env):
    """The administrator in the main company, over the last 12 months: the ranking's default filter."""
    uenv = user_env(env)
    since = fields.Datetime.to_datetime(fields.Date.context_today(uenv["res.partner"]) - timedelta(days=365))
    return {"env": uenv, "since": since}


def ranking_read_group(env, fixture):
    """The ranking as its grouped list reads it: every customer with its totals, best first: ``[(id, figures)]``."""
    report = fixture["env"]["customer.sales.report"]
    groups = report._read_group(
        [("date", ">=", fixture["since"])], ["partner_id"], RANKING_MEASURES, order="amount:sum desc"
    )
    return [(partner.id, tuple(figures)) for partner, *figures in groups]


def ranking_sql(env, fixture):
    """The same ranking by hand: the confirmed orders' lines by commercial partner, in the company's currency."""
    env.cr.execute(
        SQL(
            """
            SELECT partner.commercial_partner_id,
                   SUM(line.price_subtotal / COALESCE(NULLIF(sale_order.currency_rate, 0), 1)) AS amount,
                   SUM(COALESCE(line.margin, 0) / COALESCE(NULLIF(sale_order.currency_rate, 0), 1)),
                   100 * SUM(COALESCE(line.margin, 0) / COALESCE(NULLIF(sale_order.currency_rate, 0), 1))
                       / NULLIF(SUM(line.price_subtotal / COALESCE(NULLIF(sale_order.currency_rate, 0), 1)), 0),
                   COUNT(DISTINCT line.order_id)
              FROM sale_order_line line
              JOIN sale_order ON sale_order.id = line.order_id
              JOIN res_partner partner ON partner.id = sale_order.partner_id
             WHERE sale_order.state = 'sale'
               AND line.display_type IS NULL
               AND line.is_downpayment IS NOT TRUE
               AND sale_order.date_order >= %(since)s
               AND sale_order.company_id IN %(companies)s
             GROUP BY partner.commercial_partner_id
             ORDER BY amount DESC
            """,
            since=fixture["since"],
            companies=tuple(fixture["env"].companies.ids),
        )
    )
    return [(partner_id, tuple(figures)) for partner_id, *figures in env.cr.fetchall()]


def _close(value, sql_value):
    if value is None or value is False or sql_value is None:
        return (value is None or value is False) and sql_value is None
    return abs(float(value) - float(sql_value)) <= 1e-4 * max(1.0, abs(float(sql_value)))


def verify_ranking(env, fixture):
    """The ranking has the customers of the hand-written query with the same totals, best first."""
    ours, sql = ranking_read_group(env, fixture), dict(ranking_sql(env, fixture))
    if len(ours) < 100:
        raise BaselineMismatch(f"ranking: only {len(ours)} customers bought in the last 12 months")
    if {partner for partner, _ in ours} != sql.keys():
        raise BaselineMismatch(f"ranking: {len(ours)} customers, the SQL {len(sql)}")
    for partner, figures in ours:
        if not all(map(_close, figures, sql[partner])):
            raise BaselineMismatch(f"ranking: customer {partner}: {figures} != {sql[partner]}")
    amounts = [figures[0] for _partner, figures in ours]
    if amounts != sorted(amounts, reverse=True):
        raise BaselineMismatch("ranking: the customers are not sorted by their sales")


@case("ranking_10k", baselines={"sql": ranking_sql}, setup=_ranking, verify=verify_ranking)
def ranking_10k(env, fixture):
    """Ranking by sales of every customer (10,000 at the medium scale) over 12 months, as its grouped list reads it.

    Sales, margin, margin percentage and orders per customer, best first; target <= 1.5 against the SQL."""
    return ranking_read_group(env, fixture)
