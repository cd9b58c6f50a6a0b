from typing import NamedTuple

from odoo import api, fields, models
from odoo.tools import SQL


class Exposure(NamedTuple):
    """What a commercial partner owes a company, and could owe soon, in the company's currency."""

    receivable: float = 0.0
    draft_invoiced: float = 0.0
    to_invoice: float = 0.0
    overdue_amount: float = 0.0
    overdue_days: int = 0
    unapplied_credit: float = 0.0

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
    def _get_exposure(self, partners, company=None, date=None, lock=False):
        """The :class:`Exposure` of the commercial partner of each of ``partners`` in ``company``, by its id.

        - ``receivable``: the residual of the posted receivable items not reconciled (core's ``credit``, for this
          company only); credit notes and payments not applied count negative;
        - ``draft_invoiced``: the signed total of the draft customer invoices and credit notes;
        - ``to_invoice``: confirmed orders not invoiced, taxes included, per line as core's ``amount_to_invoice``
          (the line's total per unit times the quantity left to invoice) but counting the quantities on draft
          invoices as invoiced, since those are in ``draft_invoiced``; converted at the order's rate (core's
          ``credit_to_invoice`` converts at today's rate);
        - ``overdue_amount`` and ``overdue_days``: the open debit items due before ``date`` (today by default),
          and the days since the oldest one fell due;
        - ``unapplied_credit``: the open credit items (advances, payments not applied, credit notes), positive.

        Every commercial partner gets its figures, zeros when it owes nothing; callers use
        :data:`EMPTY_EXPOSURE` for partners not saved yet.

        With ``lock``, the same query first writes the commercial partners' rows (see :meth:`_get_lock_query`): a
        check that is going to add to their exposure serializes with any other one for the same customers.
        """
        company = company or self.env.company
        partner_ids = sorted({partner_id for partner_id in partners._origin.ids if partner_id})
        if not partner_ids:
            return {}
        # Today in the server's calendar, as core's due dates: the user's time zone would cost two queries per call.
        date = date or fields.Date.today()
        self._flush_exposure_sources()
        rows = self.env.execute_query(self._get_exposure_query(partner_ids, company, date, lock=lock))
        return {partner_id: Exposure(*figures) for partner_id, *figures in rows}

    @api.model
    def _flush_exposure_sources(self):
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["res.company"].flush_model(["currency_id"])
        self.env["res.currency"].flush_model(["rounding"])
        self.env["account.account"].flush_model(["account_type"])
        self.env["account.move.line"].flush_model(["partner_id"])
        self.env["account.move.line"].flush_model(
            ["account_id", "amount_residual", "company_id", "date", "date_maturity", "parent_state", "reconciled"]
        )
        self.env["account.move"].flush_model(
            ["amount_total_signed", "commercial_partner_id", "company_id", "move_type", "state"]
        )
        self.env["sale.order"].flush_model(
            ["company_id", "currency_rate", "invoice_status", "partner_invoice_id", "state"]
        )
        self.env["sale.order.line"].flush_model(
            ["order_id", "price_total", "product_id", "product_uom_qty", "qty_delivered", "qty_invoiced"]
        )
        self.env["product.template"].flush_model(["invoice_policy"])

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
    def _get_exposure_query(self, partner_ids, company, date, lock=False):
        """The query behind :meth:`_get_exposure`: one row per commercial partner of ``partner_ids``.

        Amounts are rounded by the company's currency in the query, as ``res.currency.round`` would.

        Later figures (aging buckets, due soon, days to pay) belong in the ``receivable`` CTE, where each open item
        is read once.
        """
        return SQL(
            """
            WITH %(lock)s
            customer AS (
                SELECT DISTINCT commercial_partner_id AS id FROM res_partner WHERE id = ANY(%(ids)s)
            ),
            member AS (
                SELECT partner.id, partner.commercial_partner_id
                  FROM res_partner partner
                  JOIN customer ON customer.id = partner.commercial_partner_id
            ),
            currency AS (
                SELECT currency.rounding
                  FROM res_company company
                  JOIN res_currency currency ON currency.id = company.currency_id
                 WHERE company.id = %(company)s
            ),
            receivable AS (
                SELECT member.commercial_partner_id AS partner_id,
                       SUM(line.amount_residual) AS receivable,
                       SUM(line.amount_residual) FILTER (
                           WHERE line.amount_residual > 0 AND COALESCE(line.date_maturity, line.date) < %(date)s
                       ) AS overdue_amount,
                       MIN(COALESCE(line.date_maturity, line.date)) FILTER (
                           WHERE line.amount_residual > 0 AND COALESCE(line.date_maturity, line.date) < %(date)s
                       ) AS oldest_due,
                       -SUM(line.amount_residual) FILTER (WHERE line.amount_residual < 0) AS unapplied_credit
                  FROM account_move_line line
                  JOIN member ON member.id = line.partner_id
                  JOIN account_account account ON account.id = line.account_id
                 WHERE line.company_id = %(company)s
                   AND line.parent_state = 'posted'
                   AND line.reconciled IS NOT TRUE
                   AND account.account_type = 'asset_receivable'
                 GROUP BY member.commercial_partner_id
            ),
            draft AS (
                SELECT move.commercial_partner_id AS partner_id, SUM(move.amount_total_signed) AS draft_invoiced
                  FROM account_move move
                 WHERE move.commercial_partner_id IN (SELECT id FROM customer)
                   AND move.company_id = %(company)s
                   AND move.state = 'draft'
                   AND move.move_type IN ('out_invoice', 'out_refund')
                 GROUP BY move.commercial_partner_id
            ),
            ordered AS (
                SELECT member.commercial_partner_id AS partner_id,
                       SUM(
                           order_line.price_total / order_line.product_uom_qty
                           * (CASE WHEN template.invoice_policy = 'delivery' THEN order_line.qty_delivered
                                   ELSE order_line.product_uom_qty END
                              - COALESCE(order_line.qty_invoiced, 0))
                           / COALESCE(NULLIF(sale.currency_rate, 0), 1)
                       ) AS to_invoice
                  FROM sale_order sale
                  JOIN member ON member.id = sale.partner_invoice_id
                  JOIN sale_order_line order_line ON order_line.order_id = sale.id
                  LEFT JOIN product_product product ON product.id = order_line.product_id
                  LEFT JOIN product_template template ON template.id = product.product_tmpl_id
                 WHERE sale.company_id = %(company)s
                   AND sale.state = 'sale'
                   AND sale.invoice_status IS DISTINCT FROM 'invoiced'
                   AND order_line.product_uom_qty <> 0
                 GROUP BY member.commercial_partner_id
            )
            SELECT customer.id,
                   ROUND(COALESCE(receivable.receivable, 0) / currency.rounding) * currency.rounding,
                   ROUND(COALESCE(draft.draft_invoiced, 0) / currency.rounding) * currency.rounding,
                   ROUND(COALESCE(ordered.to_invoice, 0)::numeric / currency.rounding) * currency.rounding,
                   ROUND(COALESCE(receivable.overdue_amount, 0) / currency.rounding) * currency.rounding,
                   COALESCE(%(date)s - receivable.oldest_due, 0),
                   ROUND(COALESCE(receivable.unapplied_credit, 0) / currency.rounding) * currency.rounding
              FROM customer
             CROSS JOIN currency
              LEFT JOIN receivable ON receivable.partner_id = customer.id
              LEFT JOIN draft ON draft.partner_id = customer.id
              LEFT JOIN ordered ON ordered.partner_id = customer.id
            """,
            lock=self._get_lock_query(partner_ids) if lock else SQL(),
            ids=partner_ids,
            company=company.id,
            date=date,
        )
