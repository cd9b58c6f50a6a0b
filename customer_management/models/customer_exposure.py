"""The exposure engine: what each customer owes and will owe a company, for any number of customers in one query."""

import functools
from collections import namedtuple
from typing import NamedTuple

from odoo import api, fields, models
from odoo.tools import SQL


class AgingBucket(NamedTuple):
    """An aging bucket: the open items ``min_days`` to ``max_days`` days past their own due date (None: unbounded)."""

    key: str
    label: str
    min_days: int | None
    max_days: int | None

    @property
    def figure(self):
        """The engine's figure of the bucket."""
        return aging_figure(self.key)


# The one definition of the aging of an open receivable item, by the days since its own due date (its date when it
# has none): in order, each bucket starting the day after the one before it ends. The engine's figures, the partner's
# fields, the receivable reports and the statements derive from it.
AGING_BUCKET_DAYS = (
    AgingBucket("not_due", "Not Due", None, 0),
    AgingBucket("1_30", "1-30 Days", 1, 30),
    AgingBucket("31_60", "31-60 Days", 31, 60),
    AgingBucket("61_90", "61-90 Days", 61, 90),
    AgingBucket("over_90", "Over 90 Days", 91, None),
)
AGING_BUCKETS = [(bucket.key, bucket.label) for bucket in AGING_BUCKET_DAYS]


def aging_figure(key):
    """The name of the engine's figure (an attribute of an :class:`Exposure`) of the aging bucket ``key``."""
    return key if key == "not_due" else f"aged_{key}"


def aging_field(key):
    """The name of the field of the aging bucket ``key`` on the partner and the receivable report."""
    return f"receivable_{key}"


# The figures of the aging, computed only when asked for.
AGING_FIGURES = (*(bucket.figure for bucket in AGING_BUCKET_DAYS), "due_soon")
# The window of payments behind the average days to pay.
PAYMENT_HISTORY_DAYS = 365


def round_sql(expression, currency="currency"):
    """The SQL of ``expression`` (NULL counting 0) rounded as ``res.currency.round`` rounds it, by the ``rounding`` of
    the table ``currency`` (an alias of ``res_currency`` or a CTE with a ``rounding`` column)."""
    rounding = SQL.identifier(currency, "rounding")
    return SQL("ROUND(COALESCE(%s, 0)::numeric / %s) * %s", expression, rounding, rounding)


class Exposure:
    """What a commercial partner owes a company, and could owe soon, in the company's currency: a named tuple of the
    figures the engine's query selects (:meth:`CustomerExposure._get_exposure_figures_sql`, which a module extends
    to add a figure), read by name (``exposure.receivable``, ``exposure.aged_1_30``).

    Two exposures are equal when they have the same figures, whatever their order.
    """

    __slots__ = ()

    @property
    def total(self):
        """The credit exposure: open receivable, draft invoices and confirmed orders not invoiced yet."""
        return self.receivable + self.draft_invoiced + self.to_invoice

    @property
    def overdue_uncovered(self):
        """What is overdue less the open credits (payments on account, credit notes not applied) that can settle
        it, at least 0: a customer whose credits cover its overdue invoices owes nothing overdue."""
        return max(self.overdue_amount - self.unapplied_credit, 0.0)

    def __eq__(self, other):
        if not isinstance(other, Exposure):
            return NotImplemented
        return self._asdict() == other._asdict()

    def __hash__(self):
        return hash(frozenset(self._asdict().items()))


@functools.cache
def exposure_type(names):
    """The :class:`Exposure` named tuple of the figures ``names`` (a tuple), one per set of figures."""
    return type("Exposure", (Exposure, namedtuple("ExposureFigures", names)), {"__slots__": ()})


class _EmptyExposure(exposure_type(())):
    """The exposure of a customer that owes nothing: every figure 0, those of the extensions too."""

    __slots__ = ()

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return 0 if name == "overdue_days" else 0.0


EMPTY_EXPOSURE = _EmptyExposure()


class CustomerExposure(models.AbstractModel):
    """The one exposure engine: every figure of what customers owe, for a batch of them, in one SQL query."""

    _name = "customer.exposure"
    _description = "Customer Exposure Engine"

    @api.model
    def _get_exposure(
        self, partners, company=None, date=None, lock=False, payment_history=False, receivable_only=False, aging=False
    ):
        """The :class:`Exposure` of the commercial partner of each of ``partners`` in ``company``, by its id: its
        figures by name (:meth:`_get_exposure_figures_sql`, which other modules extend).

        ``company`` counts with the branches of its root company, as core's ``credit`` (see
        :meth:`_get_company_ids_sql`): its items, drafts, orders and payments.

        - ``receivable``: the residual of the posted receivable items not reconciled (core's ``credit``); credit
          notes and payments not applied count negative;
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
        # The figures by the names of the query's columns: an extension's figures come with the engine's ones.
        _partner_id, *names = (column.name for column in self.env.cr.description)
        make = exposure_type(tuple(names))._make
        return {row[0]: make(row[1:]) for row in rows}

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
            "res.company": ["currency_id", "customer_due_soon_days", "parent_path"],
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
    def _get_company_ids_sql(self, company):
        """The SQL array of the ids of the companies whose items count for ``company``: as core's ``credit``, its root
        company and the branches of the root (the companies whose ``parent_path`` starts with the root's)."""
        return SQL(
            """ARRAY(SELECT branch.id
                       FROM res_company branch, res_company company
                      WHERE company.id = %s
                        AND branch.parent_path LIKE split_part(company.parent_path, '/', 1) || %s)""",
            company.id,
            "/%",
        )

    @api.model
    def _get_member_ctes(self, partner_ids):
        """The ``customer`` and ``member`` CTEs (without ``WITH``): the commercial partners of ``partner_ids`` (None:
        every partner) and the partners that belong to them, with their ``commercial_partner_id``."""
        # None: every partner, for the searches on the receivable figures; every company, for the receivable reports.
        selected = SQL("id = ANY(%s)", partner_ids) if partner_ids is not None else SQL("TRUE")
        # Every partner is a member of some customer: no join for every partner.
        of_customers = (
            SQL("JOIN customer ON customer.id = partner.commercial_partner_id") if partner_ids is not None else SQL()
        )
        return SQL(
            """
            customer AS (
                SELECT DISTINCT commercial_partner_id AS id FROM res_partner WHERE %(selected)s
            ),
            member AS (
                SELECT partner.id, partner.commercial_partner_id
                  FROM res_partner partner
                  %(of_customers)s
            )""",
            selected=selected,
            of_customers=of_customers,
        )

    @api.model
    def _get_member_sql(self, column, cte="member"):
        """``column`` is one of the partners of the ``cte`` CTE (``member`` or ``customer``).

        As an array, not a join: PostgreSQL then reads the items of those partners only through the indexes (core's
        index of the open items, by account and partner), where a join scans every journal item of every customer.
        """
        return SQL("%s = ANY(ARRAY(SELECT id FROM %s))", column, SQL.identifier(cte))

    @api.model
    def _get_exposure_query(
        self, partner_ids, company, date, lock=False, payment_history=False, receivable_only=False, aging=False
    ):
        """The query behind :meth:`_get_exposure`: one row per commercial partner of ``partner_ids``, its id then its
        figures, each in a column named after it (:meth:`_get_exposure_figures_sql`).

        Amounts are rounded by the company's currency in the query, as ``res.currency.round`` would. Every figure
        of the open receivable comes from the ``open_item`` CTE, where each open item is read once.
        """
        options = {
            "partner_ids": partner_ids,
            "company": company,
            "date": date,
            "lock": lock,
            "payment_history": payment_history,
            "receivable_only": receivable_only,
            "aging": aging,
        }
        return SQL(
            """
            WITH %(lock)s
            %(ctes)s
            SELECT customer.id AS partner_id, %(figures)s
              FROM %(from)s
            %(sources)s""",
            lock=self._get_lock_query(partner_ids) if lock else SQL(),
            ctes=SQL(",\n").join(self._get_exposure_ctes_sql(options)),
            figures=SQL(",\n").join(
                SQL("%s AS %s", expression, SQL.identifier(figure))
                for figure, expression in self._get_exposure_figures_sql(options).items()
            ),
            sources=self._get_exposure_sources_sql(),
            **{"from": self._get_exposure_from_sql(options)},
        )

    @api.model
    def _get_exposure_figures_sql(self, options):
        """The figures of an :class:`Exposure` by name: SQL expressions over :meth:`_get_exposure_from_sql`, one row
        per commercial partner.

        The extension point of the engine's figures: a module adds a figure with its expression (and, when it needs
        one, a CTE in :meth:`_get_exposure_ctes_sql` joined in :meth:`_get_exposure_from_sql`); the exposures then
        have it as an attribute. ``options``: ``partner_ids``, ``company``, ``date`` and the flags of
        :meth:`_get_exposure` (``lock``, ``payment_history``, ``receivable_only``, ``aging``).
        """
        # Without the aging, PostgreSQL does not even compute each item's bucket.
        aging = {
            figure: round_sql(SQL.identifier("receivable", figure)) if options["aging"] else SQL("0")
            for figure in AGING_FIGURES
        }
        return {
            "receivable": round_sql(SQL("receivable.receivable")),
            "draft_invoiced": round_sql(SQL("draft.draft_invoiced")),
            "to_invoice": round_sql(SQL("ordered.to_invoice")),
            "overdue_amount": round_sql(SQL("receivable.overdue_amount")),
            "overdue_days": SQL("COALESCE(%s - receivable.oldest_due, 0)", options["date"]),
            "unapplied_credit": round_sql(SQL("receivable.unapplied_credit")),
            **aging,
            "avg_days_to_pay": SQL("COALESCE(ROUND(paid.avg_days_to_pay, 1), 0)"),
        }

    @api.model
    def _get_exposure_from_sql(self, options):
        """The ``FROM`` of the engine's figures: every commercial partner (``customer``), the company's ``currency``
        and the CTEs of :meth:`_get_exposure_ctes_sql` that have one row per ``partner_id``."""
        return SQL(
            """customer
             CROSS JOIN currency
              LEFT JOIN receivable ON receivable.partner_id = customer.id
              LEFT JOIN draft ON draft.partner_id = customer.id
              LEFT JOIN ordered ON ordered.partner_id = customer.id
              LEFT JOIN paid ON paid.partner_id = customer.id"""
        )

    @api.model
    def _get_exposure_ctes_sql(self, options):
        """The CTEs (without ``WITH``, each ``name AS (...)``) behind the engine's figures, in order; ``options`` as
        in :meth:`_get_exposure_figures_sql`.

        Those with one row per customer are ``MATERIALIZED``: each is planned on its own, rather than inlined into
        the figures' joins, which took more time to plan than to run for a customer or a page of them.
        """
        company = options["company"]
        date = options["date"]
        # A constant false condition: PostgreSQL does not even scan the orders and drafts.
        orders = SQL("FALSE") if options["receivable_only"] else SQL("TRUE")
        in_company = self._get_company_ids_sql(company)
        paid = (
            self._get_payment_history_query(company, date)
            if options["payment_history"]
            else SQL("SELECT NULL::integer AS partner_id, NULL::numeric AS avg_days_to_pay WHERE FALSE")
        )
        return [
            self._get_open_item_ctes(options["partner_ids"], company, date),
            self._get_currency_cte(company),
            SQL(
                """receivable AS MATERIALIZED (
                SELECT open_item.partner_id, %s
                  FROM open_item
                 CROSS JOIN currency
                 GROUP BY open_item.partner_id
            )""",
                SQL(", ").join(
                    SQL("%s AS %s", expression, SQL.identifier(fname))
                    for fname, expression in self._get_receivable_figures_sql(date).items()
                    if options["aging"] or fname not in AGING_FIGURES
                ),
            ),
            SQL(
                """draft AS MATERIALIZED (
                SELECT move.commercial_partner_id AS partner_id, SUM(move.amount_total_signed) AS draft_invoiced
                  FROM account_move move
                 WHERE %(customers)s
                   AND move.company_id = ANY(%(company)s)
                   AND move.state = 'draft'
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND %(orders)s
                 GROUP BY move.commercial_partner_id
            ),
            order_owner AS (
                -- An order draws on its invoice address's customer and, when it is another one, on its own
                -- customer's credit too: it counts once for each of them. With its rate, so that its lines join
                -- it alone (the confirmed orders not fully invoiced have indexes of their own, see sale.order).
                SELECT member.commercial_partner_id AS partner_id, sale.id AS order_id, sale.currency_rate
                  FROM sale_order sale
                  JOIN member ON member.id = sale.partner_invoice_id
                 WHERE %(invoiced_members)s AND sale.company_id = ANY(%(company)s) AND sale.state = 'sale'
                   AND sale.invoice_status IS DISTINCT FROM 'invoiced' AND %(orders)s
                 UNION
                SELECT member.commercial_partner_id, sale.id, sale.currency_rate
                  FROM sale_order sale
                  JOIN member ON member.id = sale.partner_id
                 WHERE %(ordering_members)s AND sale.company_id = ANY(%(company)s) AND sale.state = 'sale'
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
                           / COALESCE(NULLIF(order_owner.currency_rate, 0), 1)
                       ) AS to_invoice
                  FROM order_owner
                  JOIN sale_order_line order_line ON order_line.order_id = order_owner.order_id
                  LEFT JOIN product_product product ON product.id = order_line.product_id
                  LEFT JOIN product_template template ON template.id = product.product_tmpl_id
                 WHERE order_line.product_uom_qty <> 0
                 GROUP BY order_owner.partner_id, order_owner.order_id
            ),
            ordered AS MATERIALIZED (
                -- An order that credits the customer (negative lines, discounts over a hundred percent) owes
                -- nothing: it never makes room for other orders.
                SELECT partner_id, SUM(GREATEST(to_invoice, 0)) AS to_invoice
                  FROM order_to_invoice
                 GROUP BY partner_id
            )""",
                company=in_company,
                orders=orders,
                customers=self._get_member_sql(SQL("move.commercial_partner_id"), "customer"),
                invoiced_members=self._get_member_sql(SQL("sale.partner_invoice_id")),
                ordering_members=self._get_member_sql(SQL("sale.partner_id")),
            ),
            SQL("paid AS MATERIALIZED (%s)", paid),
        ]

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
