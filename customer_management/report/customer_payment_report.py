"""The payments analysis: what each customer paid of its invoices and how punctually, for the ranking by payments."""

from odoo import api, fields, models
from odoo.tools import SQL

from .report_query import build_report_query


class CustomerPaymentReport(models.Model):
    """One row per payment of a customer invoice: the part of a payment (or of a bank statement line, or any
    journal entry that is not an invoice or a credit note) reconciled with the invoice's receivable, in the
    company's currency, with the days it came after the invoice's due date (before it: negative).

    The days late of a group are weighted by the amounts paid: a large invoice paid late weighs more than a small
    one. Credit notes reconciled with an invoice are not payments: they are left out."""

    _name = "customer.payment.report"
    _inherit = ["customer.analysis.report.mixin"]
    _description = "Payments Analysis by Customer"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "invoice_id"

    invoice_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    date = fields.Date(string="Payment Date", readonly=True)
    date_due = fields.Date(string="Due Date", readonly=True)
    amount = fields.Monetary(string="Collected", readonly=True, help="Paid, in the company's currency.")
    days_late = fields.Float(
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="The days the payments came after the due dates (before them: negative), weighted by the amounts paid.",
    )
    paid_late = fields.Monetary(
        string="Collected Late", readonly=True, help="What was paid after its due date, in the company's currency."
    )

    @property
    def _table_query(self):
        return self._query()

    @api.model
    def _query(self):
        """The reconciliations of the customer invoices' receivable lines with lines of other entries than invoices
        and credit notes (payments, bank statement lines, miscellaneous entries), dated by the later of the two."""
        return build_report_query(self)

    @api.model
    def _select(self):
        return SQL(
            """partial.id,
                   invoice.id AS invoice_id,
                   invoice.commercial_partner_id AS partner_id,
                   invoice.invoice_user_id AS user_id,
                   invoice.team_id,
                   %(dimensions)s,
                   partial.company_id,
                   company.currency_id,
                   partial.max_date AS date,
                   COALESCE(invoice_line.date_maturity, invoice_line.date) AS date_due,
                   partial.amount::float8 AS amount,
                   (partial.max_date - COALESCE(invoice_line.date_maturity, invoice_line.date))::float8 AS days_late,
                   CASE WHEN partial.max_date > COALESCE(invoice_line.date_maturity, invoice_line.date)
                        THEN partial.amount::float8 ELSE 0.0::float8
                   END AS paid_late""",
            dimensions=self._select_customer_dimensions(),
        )

    @api.model
    def _from(self):
        return SQL(
            """account_partial_reconcile partial
              JOIN account_move_line invoice_line ON invoice_line.id = partial.debit_move_id
              JOIN account_move invoice ON invoice.id = invoice_line.move_id
              JOIN account_move_line payment_line ON payment_line.id = partial.credit_move_id
              JOIN account_move payment ON payment.id = payment_line.move_id
         LEFT JOIN res_partner customer ON customer.id = invoice.commercial_partner_id
         LEFT JOIN res_company company ON company.id = partial.company_id"""
        )

    @api.model
    def _where(self):
        return SQL(
            """invoice.move_type = 'out_invoice'
               AND invoice.state = 'posted'
               AND payment.move_type = 'entry'"""
        )

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        # The days late of a group weigh each payment by its amount, as core's purchase report weighs its prices.
        if aggregate_spec != "days_late:avg":
            return super()._read_group_select(aggregate_spec, query)
        return SQL(
            "SUM(%(days)s * %(amount)s) / NULLIF(SUM(%(amount)s), 0)",
            days=self._field_to_sql(self._table, "days_late", query),
            amount=self._field_to_sql(self._table, "amount", query),
        )
