"""The engine's aging: each open item in the bucket of its own due date, adding up to the receivable."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import CustomerCreditCase


@tagged("post_install", "-at_install")
class TestReceivableAging(CustomerCreditCase):
    """The engine's aging: each open item in the bucket of its own due date, adding up to the receivable."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.customer_due_soon_days = 7
        cls._create_aged_invoices()
        cls.refund = cls._create_invoice(amount=50.0, move_type="out_refund")

    def _aging(self):
        exposure = self._exposure()
        return {
            "not_due": exposure.not_due,
            "1_30": exposure.aged_1_30,
            "31_60": exposure.aged_31_60,
            "61_90": exposure.aged_61_90,
            "over_90": exposure.aged_over_90,
        }

    def test_buckets_follow_each_item_due_date(self):
        """Each open item is aged by the days past its own due date; partial payments age what is left."""
        aging = self._aging()
        self.assertAlmostEqual(
            aging["not_due"], self.due_soon.amount_residual + self.due_later.amount_residual - self.refund.amount_total
        )
        self.assertAlmostEqual(aging["1_30"], self.aged_10.amount_residual)
        self.assertAlmostEqual(aging["31_60"], self.aged_45.amount_residual)
        self.assertAlmostEqual(aging["61_90"], self.aged_75.amount_residual)
        self.assertAlmostEqual(aging["over_90"], self.aged_120.amount_residual)

    def test_buckets_add_up_to_core_receivable(self):
        """The buckets, the credit note included (negative, not due), add up to core's receivable balance."""
        self.assertAlmostEqual(sum(self._aging().values()), self.customer.credit)

    def test_due_soon_counts_debits_due_within_the_days(self):
        """Due soon is what falls due from today to the company's due-soon days, and follows the setting."""
        self.assertAlmostEqual(self._exposure().due_soon, self.due_soon.amount_residual)
        self.company.customer_due_soon_days = 60
        self.assertAlmostEqual(
            self._exposure().due_soon, self.due_soon.amount_residual + self.due_later.amount_residual
        )

    def test_open_items_give_the_detail(self):
        """The open items list each invoice's residual, due date, days overdue and bucket."""
        items = {item["move_id"]: item for item in self.env["customer.exposure"]._get_open_items(self.customer)}
        today = fields.Date.context_today(self.customer)
        self.assertEqual(items[self.aged_75.id]["bucket"], "61_90")
        self.assertEqual(items[self.aged_75.id]["days_overdue"], 75)
        self.assertEqual(items[self.aged_75.id]["due_date"], today - timedelta(days=75))
        self.assertAlmostEqual(items[self.aged_45.id]["residual"], self.aged_45.amount_residual)
        self.assertEqual(items[self.due_later.id]["days_overdue"], 0)

    def test_average_days_to_pay_weights_by_amount(self):
        """The days from invoice to payment, weighted by the amounts paid, come with the payment history only."""
        self.assertEqual(self._exposure().avg_days_to_pay, 0.0)
        exposure = self.env["customer.exposure"]._get_exposure(self.customer, self.company, payment_history=True)
        # The only payment: 150 paid today on the invoice dated 46 days ago.
        today = fields.Date.context_today(self.customer)
        self.assertEqual(exposure[self.customer.id].avg_days_to_pay, (today - self.aged_45.invoice_date).days)
