"""The exposure engine's figures by name, its aging buckets and the branches of a company."""

from datetime import timedelta
from itertools import pairwise
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.customer_exposure import AGING_BUCKET_DAYS, AGING_BUCKETS, AGING_FIGURES, EMPTY_EXPOSURE, aging_figure
from .common import CustomerCreditCase


@tagged("post_install", "-at_install")
class TestExposureEngine(CustomerCreditCase):
    """The engine's figures by name, the one definition of the aging buckets, and the branches of a company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.aged_10 = cls._create_invoice(amount=300.0, days_due=-10)
        cls.aged_45 = cls._create_invoice(amount=400.0, days_due=-45)
        cls.branch = cls._create_company(
            "Comercializadora Sucursal Monterrey", users=cls.env.user, parent_id=cls.company.id, country_id=cls.mx.id
        )
        cls.env.cr.precommit.run()  # the branch's share of the parent's chart of accounts

    def _create_branch_invoice(self, amount, days_due):
        """A posted invoice of the customer in the branch, due ``days_due`` days from today (negative: past)."""
        invoice = (
            self.env["account.move"]
            .with_company(self.branch)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": self.today - timedelta(days=max(0, -days_due) + 1),
                    "invoice_date_due": self.today + timedelta(days=days_due),
                    "invoice_line_ids": [Command.create({"name": "Flete", "quantity": 1, "price_unit": amount})],
                }
            )
        )
        invoice.action_post()
        self.assertEqual(invoice.company_id, self.branch)
        return invoice

    def test_exposure_figures_are_named_by_the_query(self):
        """An exposure has one attribute per figure of the engine's query, the aging figures among them."""
        exposure = self._exposure()
        figures = self.env["customer.exposure"]._get_exposure_figures_sql(
            {"partner_ids": self.customer.ids, "company": self.company, "date": self.today, "aging": True,
             "lock": False, "payment_history": False, "receivable_only": False}
        )  # fmt: skip
        self.assertEqual(tuple(exposure._asdict()), tuple(figures))
        self.assertLessEqual(set(AGING_FIGURES), set(figures))
        self.assertAlmostEqual(exposure.aged_1_30, self.aged_10.amount_total)
        self.assertAlmostEqual(exposure.aged_31_60, self.aged_45.amount_total)
        self.assertAlmostEqual(exposure.total, exposure.receivable + exposure.draft_invoiced + exposure.to_invoice)

    def test_extension_adds_a_named_figure(self):
        """A module that extends the engine's CTEs, FROM and figures gets its figure on every exposure by name."""
        engine_class = type(self.env["customer.exposure"])
        ctes, joins, figures = (
            engine_class._get_exposure_ctes_sql,
            engine_class._get_exposure_from_sql,
            engine_class._get_exposure_figures_sql,
        )

        def extended_ctes(engine, options):
            return [
                *ctes(engine, options),
                SQL("item_count AS (SELECT partner_id, COUNT(*) AS open_items FROM open_item GROUP BY partner_id)"),
            ]

        def extended_from(engine, options):
            return SQL("%s LEFT JOIN item_count ON item_count.partner_id = customer.id", joins(engine, options))

        def extended_figures(engine, options):
            return {**figures(engine, options), "open_items": SQL("COALESCE(item_count.open_items, 0)")}

        with (
            patch.object(engine_class, "_get_exposure_ctes_sql", extended_ctes),
            patch.object(engine_class, "_get_exposure_from_sql", extended_from),
            patch.object(engine_class, "_get_exposure_figures_sql", extended_figures),
        ):
            exposure = self._exposure()
        self.assertEqual(exposure.open_items, 2)
        self.assertAlmostEqual(exposure.aged_31_60, self.aged_45.amount_total)
        self.assertEqual(EMPTY_EXPOSURE.open_items, 0)

    def test_empty_exposure_owes_nothing(self):
        """The exposure of a partner not saved yet is 0 in every figure."""
        self.assertEqual(EMPTY_EXPOSURE.total, 0.0)
        self.assertEqual(EMPTY_EXPOSURE.overdue_days, 0)
        for figure in AGING_FIGURES:
            self.assertEqual(getattr(EMPTY_EXPOSURE, figure), 0.0)

    def test_aging_buckets_are_defined_once_in_order(self):
        """Each bucket starts the day after the one before it ends, from not due to unbounded; the names derive."""
        self.assertEqual(AGING_BUCKETS, [(bucket.key, bucket.label) for bucket in AGING_BUCKET_DAYS])
        self.assertEqual((AGING_BUCKET_DAYS[0].min_days, AGING_BUCKET_DAYS[-1].max_days), (None, None))
        for previous, bucket in pairwise(AGING_BUCKET_DAYS):
            self.assertEqual(bucket.min_days, previous.max_days + 1)
        self.assertEqual(
            [aging_figure(key) for key, _label in AGING_BUCKETS],
            ["not_due", "aged_1_30", "aged_31_60", "aged_61_90", "aged_over_90"],
        )
        report = self.env["customer.receivable.report"]
        for key, _label in AGING_BUCKETS:
            self.assertIn(f"receivable_{key}", report._fields)

    def test_branch_items_count_for_the_parent_company(self):
        """A branch's posted invoice counts in the parent company's exposure, aging and open items, as in core's
        receivable balance of the customer."""
        before = self._exposure()
        invoice = self._create_branch_invoice(1000.0, days_due=-70)
        after = self._exposure()
        self.assertAlmostEqual(after.receivable, before.receivable + invoice.amount_total)
        self.assertAlmostEqual(after.aged_61_90, before.aged_61_90 + invoice.amount_total)
        self.assertAlmostEqual(after.overdue_amount, before.overdue_amount + invoice.amount_total)
        self.assertAlmostEqual(after.receivable, self.customer.with_company(self.company).credit)
        open_items = self.env["customer.exposure"]._get_open_items(self.customer, self.company)
        self.assertIn(invoice.id, [item["move_id"] for item in open_items])
        statement = self.env["report.customer_management.report_customer_statement"]._get_statements(
            self.customer, self.company, self.today - timedelta(days=90), self.today
        )[self.customer.id]
        self.assertIn(invoice.id, [line["move_id"] for line in statement["movements"]])
        self.assertAlmostEqual(statement["closing_balance"], after.receivable)

    def test_branch_orders_count_in_the_credit_exposure(self):
        """A confirmed order of the branch counts in the parent company's credit exposure."""
        self.customer.with_company(self.branch).credit_grace_days = 90  # the overdue invoices do not block it
        before = self._exposure()
        order = (
            self.env["sale.order"]
            .with_company(self.branch)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.service.id, "product_uom_qty": 1})],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.company_id, self.branch)
        self.assertAlmostEqual(self._exposure().to_invoice, before.to_invoice + order.amount_total)
