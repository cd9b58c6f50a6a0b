"""Aging of the receivables of every customer, and the customers read with their aging."""

from collections import defaultdict

from odoo.tools import SQL

from ..framework import BaselineMismatch, case
from .credit import _customers
from .partners import _customer_list, _web_search_read, partner_list_sql

BUCKETS = ("not_due", "1_30", "31_60", "61_90", "over_90")
# The order of the collector's list: the most overdue first.
SORTED_BY = "receivable_over_90 desc, id"


def _bucket(days):
    """The bucket of an item ``days`` past due, written apart from the engine's SQL."""
    if days <= 0:
        return "not_due"
    return "1_30" if days <= 30 else "31_60" if days <= 60 else "61_90" if days <= 90 else "over_90"


def aging_engine(env, fixture):
    """The engine, once for every customer, for the receivable only: the five buckets per customer."""
    exposures = fixture["env"]["customer.exposure"]._get_exposure(
        fixture["customers"], receivable_only=True, aging=True
    )
    return {
        partner_id: (e.not_due, e.aged_1_30, e.aged_31_60, e.aged_61_90, e.aged_over_90)
        for partner_id, e in exposures.items()
    }


def aging_sql(env, fixture):
    """One hand-written query: the open receivable of each customer summed by the age of each item's due date."""
    uenv = fixture["env"]
    env.cr.execute(
        SQL(
            """
            SELECT partner.commercial_partner_id,
                   ROUND(SUM(line.amount_residual) FILTER (WHERE age.days <= 0), 2),
                   ROUND(SUM(line.amount_residual) FILTER (WHERE age.days BETWEEN 1 AND 30), 2),
                   ROUND(SUM(line.amount_residual) FILTER (WHERE age.days BETWEEN 31 AND 60), 2),
                   ROUND(SUM(line.amount_residual) FILTER (WHERE age.days BETWEEN 61 AND 90), 2),
                   ROUND(SUM(line.amount_residual) FILTER (WHERE age.days > 90), 2)
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN res_partner partner ON partner.id = line.partner_id
             CROSS JOIN LATERAL (SELECT CURRENT_DATE - COALESCE(line.date_maturity, line.date) AS days) age
             WHERE account.account_type = 'asset_receivable' AND line.parent_state = 'posted'
               AND NOT line.reconciled AND line.company_id = %(company)s
               AND partner.commercial_partner_id = ANY(%(customers)s)
             GROUP BY partner.commercial_partner_id
            """,
            company=uenv.company.id,
            customers=fixture["customers"].ids,
        )
    )
    return {partner_id: tuple(float(value or 0.0) for value in buckets) for partner_id, *buckets in env.cr.fetchall()}


def aging_core(env, fixture):
    """Core's way: the receivable balance (``res.partner.credit``) of every customer, and the open receivable items
    grouped by partner and due day with ``_read_group`` (items without a due date by their date), bucketed in Python.

    Core has no aging of its own in Community (the aged receivable report is Enterprise): this is what a module
    without an engine would do. Reading ``credit`` for a recordset issues one query per partner in Odoo 18.
    """
    uenv = fixture["env"]
    customers = fixture["customers"]
    credits = dict(zip(customers.ids, customers.mapped("credit"), strict=True))
    members = (
        uenv["res.partner"].with_context(active_test=False).search([("commercial_partner_id", "in", customers.ids)])
    )
    commercial = {member.id: member.commercial_partner_id.id for member in members}
    domain = [
        ("partner_id", "in", members.ids),
        ("company_id", "=", uenv.company.id),
        ("account_id.account_type", "=", "asset_receivable"),
        ("parent_state", "=", "posted"),
        ("reconciled", "=", False),
    ]
    today = env.cr.now().date()
    lines = uenv["account.move.line"]
    groups = [
        *lines._read_group(
            [*domain, ("date_maturity", "!=", False)], ["partner_id", "date_maturity:day"], ["amount_residual:sum"]
        ),
        *lines._read_group(
            [*domain, ("date_maturity", "=", False)], ["partner_id", "date:day"], ["amount_residual:sum"]
        ),
    ]
    aging = defaultdict(lambda: dict.fromkeys(BUCKETS, 0.0))
    for partner, day, amount in groups:
        aging[commercial[partner.id]][_bucket((today - day).days)] += amount
    return {partner_id: (credits[partner_id], tuple(aging[partner_id].values())) for partner_id in aging}


def verify_aging(env, fixture):
    """The SQL query and core's read_group give every customer the engine's buckets, which add up to core's credit."""
    currency = fixture["env"].company.currency_id
    ours = aging_engine(env, fixture)

    def differ(left, right):
        return any(currency.compare_amounts(a, b) for a, b in zip(left, right, strict=True))

    empty = (0.0,) * len(BUCKETS)
    sql = aging_sql(env, fixture)
    wrong = [partner_id for partner_id, buckets in ours.items() if differ(buckets, sql.get(partner_id, empty))]
    if wrong:
        raise BaselineMismatch(f"aging: {len(wrong)} customers differ from the SQL baseline, e.g. {wrong[:5]}")
    env.invalidate_all()
    core = aging_core(env, fixture)
    wrong = [
        partner_id
        for partner_id, buckets in ours.items()
        if partner_id in core
        and (differ(buckets, core[partner_id][1]) or currency.compare_amounts(sum(buckets), core[partner_id][0]))
    ]
    if wrong or any(any(buckets) for partner_id, buckets in ours.items() if partner_id not in core):
        raise BaselineMismatch(f"aging: {len(wrong)} customers differ from core's read_group or credit")
    if not any(any(buckets) for buckets in ours.values()):
        raise BaselineMismatch("aging: no customer owes anything; the data set has no receivable to age")


@case(
    "aging_10k",
    baselines={"sql": aging_sql, "core": aging_core},
    setup=_customers,
    verify=verify_aging,
)
def aging_10k(env, fixture):
    """Aging (five buckets) of every customer (10,000 at the medium scale): one call of the engine."""
    return aging_engine(env, fixture)


def _aging_columns():
    """The receivable fields of the customer (imported once the registry has loaded the module)."""
    from odoo.addons.customer_management.models.res_partner_receivable import RECEIVABLE_FIELDS

    return RECEIVABLE_FIELDS


def _customer_list_with_aging(limit):
    """The Customers list's fixture, its columns and the aging fields: what an integrator's ``search_read`` of the
    customers' receivables asks (the list itself reads no figure of the engine, see tests/test_query_counts.py)."""
    customer_list = _customer_list(limit)

    def setup(env):
        fixture = customer_list(env)
        fixture["ours"] = {**fixture["ours"], **{fname: {} for fname in _aging_columns()}}
        return fixture

    return setup


_receivable_list_read = _web_search_read("ours")
_receivable_list_sorted_read = _web_search_read("ours", order=SORTED_BY)


def receivable_list_sql(env, fixture):
    """The list's hand-written query, then the aging of its page in one more query."""
    rows = partner_list_sql(env, fixture)
    page = {"env": fixture["env"], "customers": fixture["env"]["res.partner"].browse([row[0] for row in rows])}
    return rows, aging_sql(env, page)


def verify_receivable_list(env, fixture):
    """The list gives each customer of the page the engine's aging."""
    records = _receivable_list_read(env, fixture)["records"]
    customers = fixture["env"]["res.partner"].browse([record["id"] for record in records])
    engine = aging_engine(env, {"env": fixture["env"], "customers": customers})
    currency = fixture["env"].company.currency_id
    for record in records:
        listed = tuple(record[fname] for fname in _aging_columns()[:5])
        if any(currency.compare_amounts(a, b) for a, b in zip(listed, engine[record["id"]], strict=True)):
            raise BaselineMismatch(f"receivable list: customer {record['id']} differs from the engine")


@case(
    "receivable_list_80",
    baselines={"sql": receivable_list_sql},
    setup=_customer_list_with_aging(80),
    verify=verify_receivable_list,
)
def receivable_list_80(env, fixture):
    """Customers with their aging, first page: web_search_read of 80 customers with the list's columns and the aging."""
    _receivable_list_read(env, fixture)


@case(
    "receivable_list_800",
    baselines={"sql": receivable_list_sql},
    setup=_customer_list_with_aging(800),
    verify=verify_receivable_list,
)
def receivable_list_800(env, fixture):
    """Customers with their aging, 800 rows: web_search_read of 800 customers with the list's columns and the aging."""
    _receivable_list_read(env, fixture)


def receivable_list_sorted_sql(env, fixture):
    """One hand-written query: the list's customers ordered by their receivable over 90 days, the page's ids; then
    the aging of the page in one more query."""
    uenv = fixture["env"]
    env.cr.execute(
        SQL(
            """
            WITH customer AS (
                SELECT p.id
                  FROM res_partner p
                 WHERE p.active AND (p.is_company OR p.parent_id IS NULL)
                   AND (p.customer_rank > 0 OR p.customer_segment IS NOT NULL)
                   AND (p.company_id IS NULL OR p.company_id IN %(companies)s)
            ), over_90 AS (
                SELECT partner.commercial_partner_id AS id, SUM(line.amount_residual) AS amount
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  JOIN res_partner partner ON partner.id = line.partner_id
                 WHERE account.account_type = 'asset_receivable' AND line.parent_state = 'posted'
                   AND NOT line.reconciled AND line.company_id = %(company)s
                   AND CURRENT_DATE - COALESCE(line.date_maturity, line.date) > 90
                 GROUP BY partner.commercial_partner_id
            )
            SELECT customer.id
              FROM customer
              LEFT JOIN over_90 ON over_90.id = customer.id
             ORDER BY COALESCE(over_90.amount, 0) DESC, customer.id
             LIMIT %(limit)s
            """,
            company=uenv.company.id,
            companies=tuple(uenv.companies.ids),
            limit=fixture["limit"],
        )
    )
    page_ids = [row[0] for row in env.cr.fetchall()]
    return page_ids, aging_sql(env, {"env": uenv, "customers": uenv["res.partner"].browse(page_ids)})


def verify_receivable_list_sorted(env, fixture):
    """The sorted list shows the same customers, in the same order, as the hand-written query."""
    records = _receivable_list_sorted_read(env, fixture)["records"]
    page_ids, _aging = receivable_list_sorted_sql(env, fixture)
    if [record["id"] for record in records] != page_ids:
        raise BaselineMismatch("receivable list sorted by over 90 days: the page differs from the SQL's")


@case(
    "receivable_list_sorted_80",
    baselines={"sql": receivable_list_sorted_sql},
    setup=_customer_list_with_aging(80),
    verify=verify_receivable_list_sorted,
)
def receivable_list_sorted_80(env, fixture):
    """Customers with their aging sorted by the receivable over 90 days: the 80 most overdue."""
    _receivable_list_sorted_read(env, fixture)
