import operator as py_operator
from datetime import timedelta
from typing import NamedTuple

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# Aging of an open receivable item by the days since its own due date (its date when it has none).
AGING_BUCKETS = [
    ("not_due", "Not Due"),
    ("1_30", "1-30 Days"),
    ("31_60", "31-60 Days"),
    ("61_90", "61-90 Days"),
    ("over_90", "Over 90 Days"),
]
# The figures of the aging, computed only when asked for.
AGING_FIGURES = ("not_due", "aged_1_30", "aged_31_60", "aged_61_90", "aged_over_90", "due_soon")
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
# The window of payments behind the average days to pay.
PAYMENT_HISTORY_DAYS = 365


class Exposure(NamedTuple):
    """What a commercial partner owes a company, and could owe soon, in the company's currency."""

    receivable: float = 0.0
    draft_invoiced: float = 0.0
    to_invoice: float = 0.0
    overdue_amount: float = 0.0
    overdue_days: int = 0
    unapplied_credit: float = 0.0
    not_due: float = 0.0
    aged_1_30: float = 0.0
    aged_31_60: float = 0.0
    aged_61_90: float = 0.0
    aged_over_90: float = 0.0
    due_soon: float = 0.0
    avg_days_to_pay: float = 0.0

    @property
    def total(self):
        """The credit exposure: open receivable, draft invoices and confirmed orders not invoiced yet."""
        return self.receivable + self.draft_invoiced + self.to_invoice


EMPTY_EXPOSURE = Exposure()


class CustomerExposure(models.AbstractModel):
    """The one exposure engine: every figure of what customers owe, for a batch of them, in one SQL query."""

    _name = "customer.exposure"
    _description = "Customer Exposure Engine"

    @api.model
    def _get_exposure(
        self, partners, company=None, date=None, lock=False, payment_history=False, receivable_only=False, aging=False
    ):
        """The :class:`Exposure` of the commercial partner of each of ``partners`` in ``company``, by its id.

        - ``receivable``: the residual of the posted receivable items not reconciled (core's ``credit``, for this
          company only); credit notes and payments not applied count negative;
        - ``draft_invoiced``: the signed total of the draft customer invoices and credit notes;
        - ``to_invoice``: confirmed orders not invoiced, taxes included, per line as core's ``amount_to_invoice``
          (the line's total per unit times the quantity left to invoice) but counting the quantities on draft
          invoices as invoiced, since those are in ``draft_invoiced``, and, for products invoiced on delivery, the
          quantity ordered and not delivered yet too (core counts the delivered one only: an order of goods not
          shipped yet would add nothing to the exposure); converted at the order's rate (core's
          ``credit_to_invoice`` converts at today's rate);
        - ``overdue_amount`` and ``overdue_days``: the open debit items due before ``date`` (today by default),
          and the days since the oldest one fell due;
        - ``unapplied_credit``: the open credit items (advances, payments not applied, credit notes), positive;
        - with ``aging`` only (a credit check does not need it): ``not_due``, ``aged_1_30``, ``aged_31_60``,
          ``aged_61_90``, ``aged_over_90``, the receivable by the age of each open item past its own due date (see
          :meth:`_get_aging_bucket_sql`), a credit note or a payment not applied counting, negative, in its own
          bucket, so that the buckets add up to ``receivable``; and ``due_soon``, the open debit items falling due
          from ``date`` to the company's due-soon days after it;
        - ``avg_days_to_pay``, with ``payment_history`` only (it reads the reconciliations, which a credit check
          does not need): the days from invoice to payment, weighted by the amounts paid, over the payments of the
          last year.

        Every commercial partner gets its figures, zeros when it owes nothing; callers use
        :data:`EMPTY_EXPOSURE` for partners not saved yet.

        With ``receivable_only``, ``draft_invoiced`` and ``to_invoice`` are 0 and not read: for the aging, which does
        not need the orders.

        With ``lock``, the same query first writes the commercial partners' rows (see :meth:`_get_lock_query`): a
        check that is going to add to their exposure serializes with any other one for the same customers.
        """
        company = company or self.env.company
        partner_ids = sorted({partner_id for partner_id in partners._origin.ids if partner_id})
        if not partner_ids:
            return {}
        # Today in the server's calendar, as core's due dates: the user's time zone would cost two queries per call.
        date = date or fields.Date.today()
        query = self._get_exposure_query(
            partner_ids,
            company,
            date,
            lock=lock,
            payment_history=payment_history,
            receivable_only=receivable_only,
            aging=aging,
        )
        rows = self.env.execute_query(query)
        return {partner_id: Exposure(*figures) for partner_id, *figures in rows}

    @api.model
    def _get_exposure_sources_sql(self):
        """An empty SQL that carries the fields the engine's queries read as fields to flush: the ORM flushes them
        when it runs a query that holds it (``env.execute_query``), not when the query is built."""
        return SQL().join(SQL(to_flush=field) for field in self._get_exposure_source_fields())

    @api.model
    def _get_exposure_source_fields(self):
        """The fields the engine's queries read from the database."""
        sources = {
            "res.partner": ["commercial_partner_id"],
            "res.company": ["currency_id", "customer_due_soon_days"],
            "res.currency": ["rounding"],
            "account.account": ["account_type"],
            "account.move.line": [
                "account_id",
                "amount_residual",
                "balance",
                "company_id",
                "date",
                "date_maturity",
                "parent_state",
                "partner_id",
                "reconciled",
            ],
            "account.partial.reconcile": ["amount", "company_id", "credit_move_id", "debit_move_id", "max_date"],
            "account.move": ["amount_total_signed", "commercial_partner_id", "company_id", "move_type", "state"],
            "sale.order": ["company_id", "currency_rate", "invoice_status", "partner_invoice_id", "state"],
            "sale.order.line": [
                "order_id",
                "price_total",
                "product_id",
                "product_uom_qty",
                "qty_delivered",
                "qty_invoiced",
            ],
            "product.template": ["invoice_policy"],
        }
        return [self.env[model]._fields[fname] for model, fnames in sources.items() for fname in fnames]

    @api.model
    def _get_lock_query(self, partner_ids):
        """A CTE that writes the customers' rows, so that concurrent credit checks of a customer serialize.

        Odoo runs a request in REPEATABLE READ: a ``SELECT ... FOR UPDATE`` would wait for the other transaction,
        then read the snapshot taken before it committed, missing its order. An update of a row that another
        transaction updated after our snapshot fails instead ("could not serialize access"), and Odoo replays the
        request, which then sees the other order. The rows are locked in id order, against deadlocks. A data-modifying
        CTE runs whether or not the query reads it, on the transaction's snapshot like the rest of the query.
        """
        return SQL(
            """locked AS (
                UPDATE res_partner SET write_date = write_date
                 WHERE id IN (
                       SELECT id FROM res_partner
                        WHERE id IN (SELECT commercial_partner_id FROM res_partner WHERE id = ANY(%s))
                        ORDER BY id FOR UPDATE
                       )
             RETURNING id
            ),""",
            partner_ids,
        )

    @api.model
    def _get_aging_bucket_sql(self, due_date, date):
        """The SQL expression of the aging bucket (a key of :data:`AGING_BUCKETS`) of an item due on ``due_date``.

        The one definition of the buckets: the engine, the receivable reports and the statements use it.
        """
        days = SQL("(%s - %s)", date, due_date)
        return SQL(
            """CASE WHEN %(days)s <= 0 THEN 'not_due'
                    WHEN %(days)s <= 30 THEN '1_30'
                    WHEN %(days)s <= 60 THEN '31_60'
                    WHEN %(days)s <= 90 THEN '61_90'
                    ELSE 'over_90' END""",
            days=days,
        )

    @api.model
    def _get_open_item_ctes(self, partner_ids, company, date, as_of=False, line_columns=()):
        """The ``customer``, ``member`` and ``open_item`` CTEs (without ``WITH``) of the partners' open receivable.

        ``partner_ids`` None selects every partner; ``company`` None every company.

        ``open_item``: one row per open posted receivable item of ``company``: ``id``, ``move_id``, ``company_id``,
        ``partner_id`` (the commercial partner), ``residual`` (company currency), ``due_date`` (its due date, else its
        date), ``days_overdue`` and ``bucket``; and the columns of the journal item named in ``line_columns``, for a
        report (only when asked: wider rows slow the engine's aggregates down).

        By default the items are those open today, aged on ``date``. With ``as_of``, they are those open on
        ``date``: dated on or before it, their residual being their balance less the reconciliations dated on or
        before it (a statement of a past period must not miss an invoice paid since).
        """
        due_date = SQL("COALESCE(line.date_maturity, line.date)")
        # None: every partner, for the searches on the receivable figures; every company, for the receivable reports.
        selected = SQL("id = ANY(%s)", partner_ids) if partner_ids is not None else SQL("TRUE")
        in_company = SQL("line.company_id = %s", company.id) if company is not None else SQL("TRUE")
        # Every partner is a member of some customer: no join for every partner.
        of_customers = (
            SQL("JOIN customer ON customer.id = partner.commercial_partner_id") if partner_ids is not None else SQL()
        )
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
            """
            customer AS (
                SELECT DISTINCT commercial_partner_id AS id FROM res_partner WHERE %(selected)s
            ),
            member AS (
                SELECT partner.id, partner.commercial_partner_id
                  FROM res_partner partner
                  %(of_customers)s
            ),
            open_item AS (
                SELECT line.id,
                       line.move_id,
                       line.company_id,%(line_columns)s
                       member.commercial_partner_id AS partner_id,
                       %(residual)s AS residual,
                       %(due_date)s AS due_date,
                       GREATEST(%(date)s - %(due_date)s, 0) AS days_overdue,
                       %(bucket)s AS bucket
                  FROM account_move_line line
                  JOIN member ON member.id = line.partner_id
                  JOIN account_account account ON account.id = line.account_id
                 WHERE %(in_company)s
                   AND line.parent_state = 'posted'
                   AND %(open_filter)s
                   AND account.account_type = 'asset_receivable'
            )""",
            selected=selected,
            of_customers=of_customers,
            line_columns=SQL().join(SQL(" %s,", SQL.identifier("line", column)) for column in line_columns),
            residual=residual,
            open_filter=open_filter,
            in_company=in_company,
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
    def _get_exposure_query(
        self, partner_ids, company, date, lock=False, payment_history=False, receivable_only=False, aging=False
    ):
        """The query behind :meth:`_get_exposure`: one row per commercial partner of ``partner_ids``.

        Amounts are rounded by the company's currency in the query, as ``res.currency.round`` would. Every figure
        of the open receivable comes from the ``open_item`` CTE, where each open item is read once.
        """

        def rounded(source, fname):
            if fname in AGING_FIGURES and not aging:
                return SQL("0")
            return SQL(
                "ROUND(COALESCE(%s, 0)::numeric / currency.rounding) * currency.rounding",
                SQL.identifier(source, fname),
            )

        return SQL(
            """
            WITH %(lock)s
            %(open_item)s,
            %(currency)s,
            receivable AS (
                SELECT open_item.partner_id, %(figures)s
                  FROM open_item
                 CROSS JOIN currency
                 GROUP BY open_item.partner_id
            ),
            draft AS (
                SELECT move.commercial_partner_id AS partner_id, SUM(move.amount_total_signed) AS draft_invoiced
                  FROM account_move move
                 WHERE move.commercial_partner_id IN (SELECT id FROM customer)
                   AND move.company_id = %(company)s
                   AND move.state = 'draft'
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND %(orders)s
                 GROUP BY move.commercial_partner_id
            ),
            order_owner AS (
                -- An order draws on its invoice address's customer and, when it is another one, on its own
                -- customer's credit too: it counts once for each of them.
                SELECT member.commercial_partner_id AS partner_id, sale.id AS order_id
                  FROM sale_order sale
                  JOIN member ON member.id = sale.partner_invoice_id
                 WHERE sale.company_id = %(company)s AND sale.state = 'sale'
                   AND sale.invoice_status IS DISTINCT FROM 'invoiced' AND %(orders)s
                 UNION
                SELECT member.commercial_partner_id, sale.id
                  FROM sale_order sale
                  JOIN member ON member.id = sale.partner_id
                 WHERE sale.company_id = %(company)s AND sale.state = 'sale'
                   AND sale.invoice_status IS DISTINCT FROM 'invoiced' AND %(orders)s
            ),
            order_to_invoice AS (
                SELECT order_owner.partner_id,
                       SUM(
                           order_line.price_total / order_line.product_uom_qty
                           * (CASE WHEN template.invoice_policy = 'delivery'
                                   THEN GREATEST(order_line.qty_delivered, order_line.product_uom_qty)
                                   ELSE order_line.product_uom_qty END
                              - COALESCE(order_line.qty_invoiced, 0))
                           / COALESCE(NULLIF(sale.currency_rate, 0), 1)
                       ) AS to_invoice
                  FROM order_owner
                  JOIN sale_order sale ON sale.id = order_owner.order_id
                  JOIN sale_order_line order_line ON order_line.order_id = sale.id
                  LEFT JOIN product_product product ON product.id = order_line.product_id
                  LEFT JOIN product_template template ON template.id = product.product_tmpl_id
                 WHERE order_line.product_uom_qty <> 0
                 GROUP BY order_owner.partner_id, order_owner.order_id
            ),
            ordered AS (
                -- An order that credits the customer (negative lines, discounts over a hundred percent) owes
                -- nothing: it never makes room for other orders.
                SELECT partner_id, SUM(GREATEST(to_invoice, 0)) AS to_invoice
                  FROM order_to_invoice
                 GROUP BY partner_id
            ),
            paid AS (%(paid)s)
            SELECT customer.id,
                   %(receivable)s,
                   %(draft_invoiced)s,
                   %(to_invoice)s,
                   %(overdue_amount)s,
                   COALESCE(%(date)s - receivable.oldest_due, 0),
                   %(unapplied_credit)s,
                   %(not_due)s,
                   %(aged_1_30)s,
                   %(aged_31_60)s,
                   %(aged_61_90)s,
                   %(aged_over_90)s,
                   %(due_soon)s,
                   COALESCE(ROUND(paid.avg_days_to_pay, 1), 0)
              FROM customer
             CROSS JOIN currency
              LEFT JOIN receivable ON receivable.partner_id = customer.id
              LEFT JOIN draft ON draft.partner_id = customer.id
              LEFT JOIN ordered ON ordered.partner_id = customer.id
              LEFT JOIN paid ON paid.partner_id = customer.id
            %(sources)s""",
            lock=self._get_lock_query(partner_ids) if lock else SQL(),
            # A constant false condition: PostgreSQL does not even scan the orders and drafts.
            orders=SQL("FALSE") if receivable_only else SQL("TRUE"),
            open_item=self._get_open_item_ctes(partner_ids, company, date),
            currency=self._get_currency_cte(company),
            # Without the aging, PostgreSQL does not even compute each item's bucket.
            figures=SQL(", ").join(
                SQL("%s AS %s", expression, SQL.identifier(fname))
                for fname, expression in self._get_receivable_figures_sql(date).items()
                if aging or fname not in AGING_FIGURES
            ),
            sources=self._get_exposure_sources_sql(),
            paid=self._get_payment_history_query(company, date)
            if payment_history
            else SQL("SELECT NULL::integer AS partner_id, NULL::numeric AS avg_days_to_pay WHERE FALSE"),
            **{
                fname: rounded(source, fname)
                for source, fname in [
                    ("receivable", "receivable"),
                    ("draft", "draft_invoiced"),
                    ("ordered", "to_invoice"),
                    ("receivable", "overdue_amount"),
                    ("receivable", "unapplied_credit"),
                    ("receivable", "not_due"),
                    ("receivable", "aged_1_30"),
                    ("receivable", "aged_31_60"),
                    ("receivable", "aged_61_90"),
                    ("receivable", "aged_over_90"),
                    ("receivable", "due_soon"),
                ]
            },
            company=company.id,
            date=date,
        )

    @api.model
    def _get_currency_cte(self, company):
        """The ``currency`` CTE (without ``WITH``): the rounding of ``company``'s currency and its due-soon days."""
        return SQL(
            """currency AS (
                SELECT currency.rounding, company.customer_due_soon_days AS due_soon_days
                  FROM res_company company
                  JOIN res_currency currency ON currency.id = company.currency_id
                 WHERE company.id = %s
            )""",
            company.id,
        )

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
                fname: SQL("SUM(residual) FILTER (WHERE bucket = %s)", bucket)
                for fname, bucket in [
                    ("not_due", "not_due"),
                    ("aged_1_30", "1_30"),
                    ("aged_31_60", "31_60"),
                    ("aged_61_90", "61_90"),
                    ("aged_over_90", "over_90"),
                ]
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
                 WHERE partial.company_id = %(company)s
                   AND partial.max_date > %(since)s
                   AND partial.max_date <= %(date)s
                   AND move.move_type = 'out_invoice'
                   AND invoice_line.parent_state = 'posted'
                 GROUP BY member.commercial_partner_id
            """,
            company=company.id,
            since=date - timedelta(days=PAYMENT_HISTORY_DAYS),
            date=date,
        )
