"""The exposure engine's receivable items: the open items and their aging buckets, the searches on a figure, the
payment history."""

import operator as py_operator
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .customer_exposure import AGING_BUCKET_DAYS, PAYMENT_HISTORY_DAYS

# The comparisons the searches on the receivable figures accept, in SQL and in Python.
SEARCH_OPERATORS = {"=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
SEARCH_COMPARATORS = {
    "=": py_operator.eq,
    "!=": py_operator.ne,
    "<": py_operator.lt,
    "<=": py_operator.le,
    ">": py_operator.gt,
    ">=": py_operator.ge,
}


class CustomerExposure(models.AbstractModel):
    _inherit = "customer.exposure"

    @api.model
    def _get_aging_bucket_sql(self, due_date, date):
        """The SQL expression of the aging bucket (a key of :data:`AGING_BUCKETS`) of an item due on ``due_date``.

        The one definition of the buckets: the engine, the receivable reports and the statements use it.
        """
        days = SQL("(%s - %s)", date, due_date)
        # The buckets are in order: the first whose end the item has not passed is its bucket.
        *bounded, last = AGING_BUCKET_DAYS
        return SQL(
            "CASE %s ELSE %s END",
            SQL(" ").join(SQL("WHEN %s <= %s THEN %s", days, bucket.max_days, bucket.key) for bucket in bounded),
            last.key,
        )

    @api.model
    def _get_receivable_item_from_sql(self):
        """The ``FROM`` of the receivable items: the journal items ``line`` of the partners of the ``member`` CTE,
        with their ``account``."""
        return SQL(
            """account_move_line line
                  JOIN member ON member.id = line.partner_id
                  JOIN account_account account ON account.id = line.account_id"""
        )

    @api.model
    def _get_receivable_item_where_sql(self, company):
        """The ``WHERE`` of the receivable items (over :meth:`_get_receivable_item_from_sql`): the posted items of a
        receivable account in ``company`` and its branches (every company when None). The open items, their aging
        and the statements are these items."""
        in_company = (
            SQL("line.company_id = ANY(%s)", self._get_company_ids_sql(company)) if company is not None else SQL("TRUE")
        )
        return SQL(
            """%s
                   AND %s
                   AND line.account_id = ANY(ARRAY(
                       SELECT id FROM account_account WHERE account_type = 'asset_receivable'
                   ))
                   AND line.parent_state = 'posted'
                   AND account.account_type = 'asset_receivable'""",
            in_company,
            self._get_member_sql(SQL("line.partner_id")),
        )

    @api.model
    def _get_open_item_ctes(self, partner_ids, company, date, as_of=False, line_columns=()):
        """The ``customer``, ``member`` and ``open_item`` CTEs (without ``WITH``) of the partners' open receivable.

        ``partner_ids`` None selects every partner; ``company`` None every company.

        ``open_item``: one row per open posted receivable item of ``company`` and its branches: ``id``, ``move_id``,
        ``company_id``, ``partner_id`` (the commercial partner), ``residual`` (company currency), ``due_date`` (its due
        date, else its date), ``days_overdue`` and ``bucket``; and the columns of the journal item named in
        ``line_columns``, for a report (only when asked: wider rows slow the engine's aggregates down).

        By default the items are those open today, aged on ``date``. With ``as_of``, they are those open on
        ``date``: dated on or before it, their residual being their balance less the reconciliations dated on or
        before it (a statement of a past period must not miss an invoice paid since).
        """
        due_date = SQL("COALESCE(line.date_maturity, line.date)")
        if as_of:
            residual = SQL(
                """(line.balance
                    - COALESCE((SELECT SUM(partial.amount) FROM account_partial_reconcile partial
                                 WHERE partial.debit_move_id = line.id AND partial.max_date <= %(date)s), 0)
                    + COALESCE((SELECT SUM(partial.amount) FROM account_partial_reconcile partial
                                 WHERE partial.credit_move_id = line.id AND partial.max_date <= %(date)s), 0))""",
                date=date,
            )
            open_filter = SQL("line.date <= %s AND %s <> 0", date, residual)
        else:
            residual = SQL("line.amount_residual")
            open_filter = SQL("line.reconciled IS NOT TRUE")
        return SQL(
            """%(members)s,
            open_item AS (
                SELECT line.id,
                       line.move_id,
                       line.company_id,%(line_columns)s
                       member.commercial_partner_id AS partner_id,
                       %(residual)s AS residual,
                       %(due_date)s AS due_date,
                       GREATEST(%(date)s - %(due_date)s, 0) AS days_overdue,
                       %(bucket)s AS bucket
                  FROM %(items)s
                 WHERE %(receivable)s
                   AND %(open_filter)s
            )""",
            members=self._get_member_ctes(partner_ids),
            line_columns=SQL().join(SQL(" %s,", SQL.identifier("line", column)) for column in line_columns),
            residual=residual,
            items=self._get_receivable_item_from_sql(),
            receivable=self._get_receivable_item_where_sql(company),
            open_filter=open_filter,
            date=date,
            due_date=due_date,
            bucket=self._get_aging_bucket_sql(due_date, date),
        )

    @api.model
    def _get_open_items(self, partners, company=None, date=None, as_of=False):
        """The open receivable items of the commercial partners of ``partners`` in ``company`` on ``date``.

        A list of dicts (``id``, ``move_id``, ``partner_id``, ``residual``, ``due_date``, ``days_overdue``,
        ``bucket``) ordered by partner and due date: the detail behind the aging of :meth:`_get_exposure`.
        With ``as_of``, the items open on ``date`` rather than today (see :meth:`_get_open_item_ctes`).
        """
        company = company or self.env.company
        partner_ids = sorted({partner_id for partner_id in partners._origin.ids if partner_id})
        if not partner_ids:
            return []
        query = SQL(
            """
            WITH %s
            SELECT id, move_id, partner_id, residual, due_date, days_overdue, bucket
              FROM open_item
             ORDER BY partner_id, due_date, id
            %s""",
            self._get_open_item_ctes(partner_ids, company, date or fields.Date.today(), as_of=as_of),
            self._get_exposure_sources_sql(),
        )
        return self.env.execute_query_dict(query)

    @api.model
    def _get_receivable_figures_sql(self, date):
        """The aggregates of the open receivable on ``date``, by name, over the ``open_item`` and ``currency`` CTEs.

        One definition for the engine's figures and the searches on the partner's receivable fields.
        """
        conditions = self._get_item_conditions_sql(date, SQL("currency.due_soon_days"))
        overdue = conditions["overdue"]
        return {
            "receivable": SQL("SUM(residual)"),
            "overdue_amount": SQL("SUM(residual) FILTER (WHERE %s)", overdue),
            "oldest_due": SQL("MIN(due_date) FILTER (WHERE %s)", overdue),
            "unapplied_credit": SQL("-SUM(residual) FILTER (WHERE residual < 0)"),
            **{
                bucket.figure: SQL("SUM(residual) FILTER (WHERE bucket = %s)", bucket.key)
                for bucket in AGING_BUCKET_DAYS
            },
            "due_soon": SQL("SUM(residual) FILTER (WHERE %s)", conditions["due_soon"]),
        }

    @api.model
    def _get_item_conditions_sql(self, date, due_soon_days):
        """The conditions on an open item (the ``residual`` and ``due_date`` columns of ``open_item``) on ``date``:
        ``overdue``, a debit past its due date; ``due_soon``, a debit falling due from ``date`` to
        ``due_soon_days`` (an SQL expression) after it."""
        return {
            "overdue": SQL("residual > 0 AND due_date < %s", date),
            "due_soon": SQL(
                "residual > 0 AND due_date >= %(date)s AND due_date <= %(date)s + COALESCE(%(days)s, 0)",
                date=date,
                days=due_soon_days,
            ),
        }

    @api.model
    def _get_partner_search_sql(self, figure, operator, value, company, date=None):
        """A subquery of the ids of the partners whose commercial partner's ``figure`` (a key of
        :meth:`_get_receivable_figures_sql`, or ``overdue_days``) compares to ``value`` with ``operator``.

        Partners without open receivable count as 0: when 0 matches, the query keeps every partner but those whose
        figure does not match.
        """
        if operator not in SEARCH_OPERATORS:
            raise UserError(
                self.env._("Operation not supported on receivable figures: %(operator)s", operator=operator)
            )
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise UserError(self.env._("Receivable figures compare to numbers, not to %(value)r.", value=value))
        matches = SQL("figure.value %s %s", SQL(SEARCH_OPERATORS[operator]), value)
        zero_matches = SEARCH_COMPARATORS[operator](0, value)
        customers = SQL(
            "(SELECT figure.partner_id FROM %s figure WHERE %s)",
            self._get_partner_figure_sql(figure, company, date),
            SQL("NOT (%s)", matches) if zero_matches else matches,
        )
        return (
            "not in" if zero_matches else "in",
            SQL("(SELECT id FROM res_partner WHERE commercial_partner_id IN %s)", customers),
        )

    @api.model
    def _get_partner_figure_sql(self, figure, company, date=None):
        """A subquery of ``partner_id`` and ``value``: the ``figure`` (a key of :meth:`_get_receivable_figures_sql`,
        or ``overdue_days``) of every commercial partner with open receivable in ``company`` on ``date`` (today by
        default), for the searches and the sorts on the partner's receivable fields.

        The subquery carries its sources as fields to flush: the ORM flushes them when it runs the query, not when it
        builds it (``fields_get`` builds it to know whether the fields are sortable).
        """
        date = date or fields.Date.today()
        figures = self._get_receivable_figures_sql(date)
        if figure == "overdue_days":
            value = SQL("COALESCE(%s - %s, 0)", date, figures["oldest_due"])
        else:
            value = SQL("COALESCE(%s, 0)", figures[figure])
        return SQL(
            """(
            WITH %(open_item)s,
            %(currency)s
            SELECT open_item.partner_id, %(value)s AS value
              FROM open_item
             CROSS JOIN currency
             GROUP BY open_item.partner_id
            %(sources)s)""",
            open_item=self._get_open_item_ctes(None, company, date),
            currency=self._get_currency_cte(company),
            value=value,
            sources=self._get_exposure_sources_sql(),
        )

    @api.model
    def _get_payment_history_query(self, company, date):
        """Per commercial partner (of the ``member`` CTE), the days from invoice to payment, weighted by the amounts
        paid, over the reconciliations of the year before ``date``."""
        return SQL(
            """
                SELECT member.commercial_partner_id AS partner_id,
                       SUM(partial.amount * (partial.max_date - invoice_line.date)) / NULLIF(SUM(partial.amount), 0)
                           AS avg_days_to_pay
                  FROM account_partial_reconcile partial
                  JOIN account_move_line invoice_line ON invoice_line.id = partial.debit_move_id
                  JOIN member ON member.id = invoice_line.partner_id
                  JOIN account_move move ON move.id = invoice_line.move_id
                 WHERE %(members)s
                   AND partial.company_id = ANY(%(company)s)
                   AND partial.max_date > %(since)s
                   AND partial.max_date <= %(date)s
                   AND move.move_type = 'out_invoice'
                   AND invoice_line.parent_state = 'posted'
                 GROUP BY member.commercial_partner_id
            """,
            company=self._get_company_ids_sql(company),
            since=date - timedelta(days=PAYMENT_HISTORY_DAYS),
            date=date,
            members=self._get_member_sql(SQL("invoice_line.partner_id")),
        )
