"""The exposure engine: what a customer owes a company and could owe soon, in one query."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.sql import index_exists

from .common import CustomerCreditCase


@tagged("post_install", "-at_install")
class TestCreditExposure(CustomerCreditCase):
    """The exposure engine: what a customer owes a company and could owe soon, in one query."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order(amount=2000.0)
        cls.order.action_confirm()
        cls.paid_in_part = cls._create_invoice(amount=1000.0, days_due=15)
        cls._register_payment(cls.paid_in_part, 400.0)
        cls.overdue = cls._create_invoice(amount=500.0, days_due=-20)
        cls.refund = cls._create_invoice(amount=100.0, move_type="out_refund")
        cls.draft = cls._create_invoice(amount=300.0, post=False)
        cls.company.customer_credit_grace_days = 30

    def test_exposure_adds_receivable_drafts_and_orders(self):
        """The exposure is the open receivable plus the draft invoices plus the confirmed orders not invoiced."""
        expected_receivable = (
            self.paid_in_part.amount_residual + self.overdue.amount_residual - self.refund.amount_residual
        )
        exposure = self._exposure()
        self.assertAlmostEqual(exposure.receivable, expected_receivable)
        self.assertAlmostEqual(exposure.draft_invoiced, self.draft.amount_total)
        self.assertAlmostEqual(exposure.to_invoice, self.order.amount_total)
        self.assertAlmostEqual(exposure.total, expected_receivable + self.draft.amount_total + self.order.amount_total)
        self.assertAlmostEqual(self.customer.credit_exposure, exposure.total)

    def test_open_documents_have_indexes(self):
        """The engine finds the confirmed orders not fully invoiced of its customers, by invoice address and by
        customer, and their draft invoices, through partial indexes of their own: a few of all documents."""
        for column in ("partner_invoice_id", "partner_id"):
            self.assertTrue(index_exists(self.env.cr, f"sale_order_customer_open_{column}_index"))
        # And the draft invoices and credit notes, by customer.
        self.assertTrue(index_exists(self.env.cr, "account_move_customer_draft_invoice_index"))

    def test_receivable_matches_core_credit(self):
        """The open receivable is core's receivable balance of the customer."""
        self.assertAlmostEqual(self._exposure().receivable, self.customer.credit)

    def test_order_counts_with_taxes_and_once(self):
        """A confirmed order counts taxes included, and once: its draft invoice moves it from orders to drafts."""
        self.assertGreater(self.order.amount_total, self.order.amount_untaxed)
        before = self._exposure()
        invoice = self.order._create_invoices()
        after = self._exposure()
        self.assertAlmostEqual(after.to_invoice, 0.0)
        self.assertAlmostEqual(after.draft_invoiced, before.draft_invoiced + invoice.amount_total)
        self.assertAlmostEqual(after.total, before.total)

    def test_overdue_amount_and_days(self):
        """The overdue amount is what fell due before today, and the days count from the oldest due date."""
        exposure = self._exposure()
        self.assertAlmostEqual(exposure.overdue_amount, self.overdue.amount_residual)
        self.assertEqual(exposure.overdue_days, 20)
        self.assertEqual(self.customer.oldest_overdue_days, 20)

    def test_credit_note_is_unapplied_credit(self):
        """An open credit note lowers the receivable and counts as credit not applied."""
        self.assertAlmostEqual(self._exposure().unapplied_credit, self.refund.amount_total)

    def test_contacts_count_for_their_commercial_entity(self):
        """An order of a contact counts for its company, and the contact shows its company's figures."""
        contact = self.env["res.partner"].create({"name": "Compras", "parent_id": self.customer.id})
        before = self._exposure()
        order = self._create_order(customer=contact, amount=500.0)
        order.action_confirm()
        self.assertAlmostEqual(self._exposure().to_invoice, before.to_invoice + order.amount_total)
        self.assertAlmostEqual(contact.credit_exposure, self.customer.credit_exposure)

    def test_exposure_is_per_company(self):
        """Another company sees neither the receivable nor the orders of this one, and has its own limit."""
        other = self._create_company("Distribuidora del Sur", currency_id=self.currency.id)
        self.customer.with_company(other).credit_limit = 500.0
        exposure = self._exposure(company=other)
        self.assertEqual(exposure.total, 0.0)
        customer = self.customer.with_company(other)
        self.assertEqual(customer.credit_exposure, 0.0)
        self.assertEqual(customer.credit_available, 500.0)
        self.assertEqual(self.customer.credit_available, 10000.0 - self._exposure().total)

    def test_engine_answers_many_customers_in_one_query(self):
        """Reading the exposure of many customers issues as many queries as of one."""
        customers = self.customer | self.env["res.partner"].create(
            [{"name": f"Cliente {index}", "is_company": True} for index in range(20)]
        )
        self.env["customer.exposure"]._get_exposure(customers, self.company)  # caches and flushes warm up
        with self.assertQueryCount(1):
            self.env["customer.exposure"]._get_exposure(customers, self.company)
        with self.assertQueryCount(1):
            self.env["customer.exposure"]._get_exposure(customers[:1], self.company)

    def test_status_follows_utilisation_and_problems(self):
        """The status is ok below the threshold, warning from it, blocked over the limit or on hold; it follows each
        change of the customer's limit, hold and grace days at once (no cache to invalidate)."""
        total = self._exposure().total
        self.customer.credit_limit = total * 2
        self.assertEqual(self.customer.credit_status, "ok")
        self.customer.credit_limit = total / 0.9
        self.assertEqual(self.customer.credit_status, "warning")
        self.customer.credit_limit = total - 1
        self.assertEqual(self.customer.credit_status, "blocked")
        self.customer.write({"credit_limit": total * 2, "credit_hold": True})
        self.assertEqual(self.customer.credit_status, "blocked")

    def test_status_blocked_when_overdue_beyond_grace(self):
        """Overdue beyond the grace days blocks; the customer's own grace days take precedence."""
        self.customer.credit_limit = 0.0
        self.company.customer_credit_grace_days = 0
        self.assertEqual(self.customer.credit_status, "blocked")
        self.customer.credit_grace_days = 25
        self.assertEqual(self.customer.credit_status, "ok")

    def test_settings_out_of_range_are_refused(self):
        """A warning threshold outside 0..100 or negative grace days are refused."""
        with self.assertRaises(ValidationError):
            self.company.customer_credit_warning_percent = 120.0
        with self.assertRaises(ValidationError):
            self.company.customer_credit_grace_days = -1
        with self.assertRaises(ValidationError):
            self.customer.credit_grace_days = -5
