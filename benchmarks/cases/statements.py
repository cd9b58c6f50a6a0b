"""Statements of account: the HTML of one customer's statement, and of a hundred in one call."""

import datetime

from odoo import fields
from odoo.tools import SQL

from ..framework import BaselineMismatch, case
from ..generate import ANCHOR_KEY
from .partners import user_env

REPORT = "customer_management.action_report_customer_statement"
REPORT_MODEL = "report.customer_management.report_customer_statement"
# A quarterly statement: the data set spreads its documents over the year before its anchor date.
PERIOD_DAYS = 90


def _busiest_customers(limit):
    """The ``limit`` customers with the most receivable items in the main company, and the period up to the anchor."""

    def setup(env):
        uenv = user_env(env)
        company = uenv.company
        anchor = env["ir.config_parameter"].sudo().get_param(ANCHOR_KEY)
        date_to = fields.Date.to_date(anchor) if anchor else fields.Date.today()
        rows = env.execute_query(
            SQL(
                """
                SELECT partner.commercial_partner_id
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  JOIN res_partner partner ON partner.id = line.partner_id
                 WHERE account.account_type = 'asset_receivable' AND line.parent_state = 'posted'
                   AND line.company_id = %s
                 GROUP BY partner.commercial_partner_id
                 ORDER BY COUNT(*) DESC, partner.commercial_partner_id
                 LIMIT %s
                """,
                company.id,
                limit,
            )
        )
        return {
            "env": uenv,
            "customers": uenv["res.partner"].browse([partner_id for [partner_id] in rows]),
            "data": {
                "date_from": fields.Date.to_string(date_to - datetime.timedelta(days=PERIOD_DAYS - 1)),
                "date_to": fields.Date.to_string(date_to),
            },
        }

    return setup


def statement_html(env, fixture):
    """The statement's HTML as the report renders it (figures, QWeb, layout): what the PDF is made of."""
    html, _format = fixture["env"]["ir.actions.report"]._render_qweb_html(
        REPORT, fixture["customers"].ids, data=fixture["data"]
    )
    return html


def statement_figures(env, fixture):
    """The report's figures alone (three queries for the batch), without QWeb: what the rendering adds to them."""
    uenv = fixture["env"]
    data = fixture["data"]
    return uenv[REPORT_MODEL]._get_statements(
        fixture["customers"],
        uenv.company,
        fields.Date.to_date(data["date_from"]),
        fields.Date.to_date(data["date_to"]),
    )


def statement_sql(env, fixture):
    """Hand-written queries for the same figures: opening, movements with running balance, open items by bucket."""
    params = {
        "company": fixture["env"].company.id,
        "customers": fixture["customers"].ids,
        "date_from": fixture["data"]["date_from"],
        "date_to": fixture["data"]["date_to"],
    }
    receivable = SQL(
        """account_move_line line
           JOIN account_account account ON account.id = line.account_id AND account.account_type = 'asset_receivable'
           JOIN res_partner partner ON partner.id = line.partner_id
          WHERE line.parent_state = 'posted' AND line.company_id = %(company)s
            AND partner.commercial_partner_id = ANY(%(customers)s)""",
        **params,
    )
    opening = dict(
        env.execute_query(
            SQL(
                """SELECT partner.commercial_partner_id, SUM(line.balance)
                     FROM %(receivable)s AND line.date < %(date_from)s
                    GROUP BY partner.commercial_partner_id""",
                receivable=receivable,
                **params,
            )
        )
    )
    movements = env.execute_query(
        SQL(
            """SELECT partner.commercial_partner_id, line.id, line.date, move.name, line.debit, line.credit,
                      SUM(line.balance) OVER (PARTITION BY partner.commercial_partner_id
                                              ORDER BY line.date, line.move_id, line.id)
                 FROM account_move_line line
                 JOIN account_move move ON move.id = line.move_id
                 JOIN account_account account ON account.id = line.account_id
                      AND account.account_type = 'asset_receivable'
                 JOIN res_partner partner ON partner.id = line.partner_id
                WHERE line.parent_state = 'posted' AND line.company_id = %(company)s
                  AND partner.commercial_partner_id = ANY(%(customers)s)
                  AND line.date BETWEEN %(date_from)s AND %(date_to)s
                ORDER BY partner.commercial_partner_id, line.date, line.move_id, line.id""",
            **params,
        )
    )
    # Open at the end of the period: the balance less what was reconciled by then.
    open_items = env.execute_query(
        SQL(
            """SELECT commercial_partner_id, id, residual,
                      CASE WHEN %(date_to)s::date - due_date <= 0 THEN 'not_due'
                           WHEN %(date_to)s::date - due_date <= 30 THEN '1_30'
                           WHEN %(date_to)s::date - due_date <= 60 THEN '31_60'
                           WHEN %(date_to)s::date - due_date <= 90 THEN '61_90'
                           ELSE 'over_90' END
                 FROM (
                      SELECT partner.commercial_partner_id, line.id,
                             COALESCE(line.date_maturity, line.date) AS due_date,
                             line.balance
                             - COALESCE((SELECT SUM(amount) FROM account_partial_reconcile
                                          WHERE debit_move_id = line.id AND max_date <= %(date_to)s), 0)
                             + COALESCE((SELECT SUM(amount) FROM account_partial_reconcile
                                          WHERE credit_move_id = line.id AND max_date <= %(date_to)s), 0) AS residual
                        FROM %(receivable)s AND line.date <= %(date_to)s
                      ) item
                WHERE residual <> 0
                ORDER BY commercial_partner_id, due_date, id""",
            receivable=receivable,
            **params,
        )
    )
    closing = dict(opening)
    for partner_id, _id, _date, _name, _debit, _credit, cumulated in movements:
        closing[partner_id] = (opening.get(partner_id) or 0.0) + cumulated
    open_total = {}
    for partner_id, _id, residual, _bucket in open_items:
        open_total[partner_id] = open_total.get(partner_id, 0.0) + residual
    return {"closing": closing, "open_total": open_total}


def verify_statement(env, fixture):
    """The report's closing balances and open totals are the hand-written queries' (and closing = open at the end)."""
    statements = statement_figures(env, fixture)
    sql = statement_sql(env, fixture)
    currency = fixture["env"].company.currency_id
    for key in ("closing", "open_total"):
        field = {"closing": "closing_balance", "open_total": "open_total"}[key]
        wrong = [
            partner_id
            for partner_id, statement in statements.items()
            if currency.compare_amounts(statement[field], sql[key].get(partner_id) or 0.0)
        ]
        if wrong:
            raise BaselineMismatch(f"statement: {len(wrong)} customers' {field} differ from the SQL, e.g. {wrong[:5]}")


# Both cases answer the same question for one customer or a hundred: same baseline, same check.
STATEMENT_CASE = {"baselines": {"sql": statement_sql, "figures": statement_figures}, "verify": verify_statement}


@case("statement_html_1", setup=_busiest_customers(1), **STATEMENT_CASE)
def statement_html_1(env, fixture):
    """The HTML statement of account of the busiest customer over a quarter."""
    return statement_html(env, fixture)


@case("statement_html_100", setup=_busiest_customers(100), **STATEMENT_CASE)
def statement_html_100(env, fixture):
    """The HTML statements of account of the 100 busiest customers over a quarter, in one call."""
    return statement_html(env, fixture)
