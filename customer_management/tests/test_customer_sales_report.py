"""The sales and payments analyses: the rankings by sales, by margin and by payments, each against an independent
computation, the customer's classification as a dimension, and who sees what."""

import io
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL
from odoo.tools.pdf import PdfReader

from .common import CustomerCreditCase

RANKING_REPORT = "customer_management.action_report_customer_ranking"
STATEMENT_MODULE = "odoo.addons.customer_management.report.customer_statement"


class CustomerSalesCase(CustomerCreditCase):
    """Two customers with confirmed orders and a quotation: the big one buys 5,000, the small one 500."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service.standard_price = 600.0
        cls.goods.standard_price = 80.0
        cls.big = cls._create_customer(
            "Distribuidora La Montaña",
            customer_segment="wholesale",
            customer_channel_id=cls.channel_shop.id,
            state_id=cls.nuevo_leon.id,
        )
        cls.big_buyer = cls.env["res.partner"].create({"name": "Rosa Elena Garza", "parent_id": cls.big.id})
        cls.small = cls._create_customer("Tienda Don Pepe", customer_segment="retail", state_id=cls.jalisco.id)
        # The big customer: 4,000 of services (a margin of 400 a unit of 1,000) and 1,000 of goods (20 a unit of
        # 100) in two orders, one placed by its buyer; the small one: 500 of goods.
        cls.big_order = cls._create_order(cls.big, amount=3000.0, user_id=cls.seller_north.id)
        cls.big_order.order_line = [
            Command.create({"display_type": "line_section", "name": "Abarrotes"}),
            Command.create({"product_id": cls.goods.id, "product_uom_qty": 10, "price_unit": 100.0}),
        ]
        cls.buyer_order = cls._create_order(cls.big_buyer, amount=1000.0, user_id=cls.seller_north.id)
        cls.small_order = cls._create_order(cls.small, amount=500.0, product=cls.goods, user_id=cls.seller_west.id)
        (cls.big_order | cls.buyer_order | cls.small_order).action_confirm()
        # A quotation is no sale.
        cls.quotation = cls._create_order(cls.small, amount=9000.0)
        cls.customers = cls.big | cls.small


@tagged("post_install", "-at_install")
class TestCustomerSalesReport(CustomerSalesCase):
    def _ranking(self, env=None, measure="amount"):
        report = (env or self.env)["customer.sales.report"]
        return report._read_group(
            [("partner_id", "in", self.customers.ids)],
            ["partner_id"],
            ["amount:sum", "margin:sum", "margin_percent:avg", "order_count:count_distinct", "quantity:sum"],
            order=f"{measure}:sum desc",
        )

    def test_ranking_by_sales_is_the_orders_lines(self):
        """The ranking by sales gives each customer (its contacts' orders included) what an independent query over
        the confirmed orders' lines gives, best first."""
        self.env.cr.execute(
            SQL(
                """SELECT partner.commercial_partner_id, SUM(line.price_subtotal), SUM(line.margin),
                          COUNT(DISTINCT line.order_id), SUM(line.product_uom_qty)
                     FROM sale_order_line line
                     JOIN sale_order ON sale_order.id = line.order_id
                     JOIN res_partner partner ON partner.id = sale_order.partner_id
                    WHERE sale_order.state = 'sale' AND line.display_type IS NULL
                      AND partner.commercial_partner_id IN %s
                 GROUP BY partner.commercial_partner_id
                 ORDER BY 2 DESC""",
                tuple(self.customers.ids),
            )
        )
        expected = self.env.cr.fetchall()
        ranking = self._ranking()
        self.assertEqual([partner.id for partner, *_ in ranking], [self.big.id, self.small.id])
        for (partner, amount, margin, _percent, orders, quantity), row in zip(ranking, expected, strict=True):
            self.assertEqual(partner.id, row[0])
            self.assertAlmostEqual(amount, float(row[1]))
            self.assertAlmostEqual(margin, float(row[2]))
            self.assertEqual(orders, row[3])
            self.assertAlmostEqual(quantity, float(row[4]))
        self.assertEqual(ranking[0][1:5], (5000.0, 1800.0, 36.0, 2))

    def test_margin_percent_is_the_groups_margin_over_its_amount(self):
        """The margin percentage of a customer is its margin over its sales (1,800 of 5,000: 36%), not the average of
        its lines' percentages (40%, 20%, 40%: 33.3%)."""
        [(_partner, amount, margin, percent, *_)] = self.env["customer.sales.report"]._read_group(
            [("partner_id", "=", self.big.id)], ["partner_id"], ["amount:sum", "margin:sum", "margin_percent:avg"]
        )
        self.assertAlmostEqual(percent, 100 * margin / amount)
        self.assertAlmostEqual(percent, 36.0)

    def test_ranking_by_margin_orders_by_profit(self):
        """Sorted by margin, a customer that buys less but at a better margin comes first."""
        self.small_order.order_line.price_unit = 500.0  # 500 of goods become 2,500, with 2,100 of margin.
        self.env.flush_all()
        ranking = self._ranking(measure="margin")
        self.assertEqual([(partner, margin) for partner, _amount, margin, *_ in ranking], [
            (self.small, 2500.0 - 5 * 80.0), (self.big, 1800.0)
        ])  # fmt: skip

    def test_customer_classification_is_a_dimension(self):
        """Sales are counted under the customer's segment, channel, state and country, its contacts' orders too."""
        report = self.env["customer.sales.report"]
        domain = [("partner_id", "in", self.customers.ids)]
        by_segment = dict(report._read_group(domain, ["customer_segment"], ["amount:sum"]))
        self.assertEqual(by_segment, {"wholesale": 5000.0, "retail": 500.0})
        by_state = dict(report._read_group(domain, ["state_id"], ["amount:sum"]))
        self.assertEqual(by_state, {self.nuevo_leon: 5000.0, self.jalisco: 500.0})
        by_channel = dict(report._read_group(domain, ["customer_channel_id"], ["amount:sum"]))
        self.assertEqual(by_channel[self.channel_shop], 5000.0)
        by_category = dict(report._read_group(domain, ["categ_id"], ["quantity:sum"]))
        self.assertEqual(sum(by_category.values()), 3 + 10 + 1 + 5)

    def test_salesperson_sees_its_own_sales(self):
        """A salesperson who sees its own documents ranks its own sales only; a sales manager every sale."""
        seller = self.env(user=self.seller_west)
        self.assertEqual([partner for partner, *_ in self._ranking(seller)], [self.small])
        manager = self.env(user=self.cm_manager)
        self.assertEqual([partner for partner, *_ in self._ranking(manager)], [self.big, self.small])


@tagged("post_install", "-at_install")
class TestCustomerPaymentReport(CustomerCreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Paid today: 1,000 (before taxes) due 10 days ago, and 3,000 due in 20 days; a credit note settles a third
        # invoice, which is no payment.
        cls.late = cls._create_invoice(amount=1000.0, days_due=-10)
        cls.early = cls._create_invoice(amount=3000.0, days_due=20)
        cls._register_payment(cls.late, cls.late.amount_total)
        cls._register_payment(cls.early, cls.early.amount_total)
        cls.credited = cls._create_invoice(amount=500.0, days_due=-5)
        refund = cls.credited._reverse_moves()
        refund.action_post()  # Reconciled with the invoice as it is posted.

    def test_ranking_by_payments_weighs_the_days_late_by_the_amounts(self):
        """The customer collected what its payments paid, 10 days late on a quarter of it and 20 early on the rest:
        on average -12.5 days, weighted by the amounts."""
        report = self.env["customer.payment.report"]
        self.assertEqual(self.credited.payment_state, "reversed")
        rows = report.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(rows.invoice_id, self.late | self.early)
        self.assertEqual(sorted(rows.mapped("days_late")), [-20.0, 10.0])
        [(amount, paid_late, days_late)] = report._read_group(
            [("partner_id", "=", self.customer.id)], [], ["amount:sum", "paid_late:sum", "days_late:avg"]
        )
        total = self.late.amount_total + self.early.amount_total
        self.assertAlmostEqual(amount, total)
        self.assertAlmostEqual(paid_late, self.late.amount_total)
        self.assertAlmostEqual(days_late, (10 * self.late.amount_total - 20 * self.early.amount_total) / total)
        self.assertAlmostEqual(days_late, -12.5)

    def test_salesperson_sees_its_own_invoices_payments(self):
        """A salesperson sees the payments of its own invoices only."""
        self.late.invoice_user_id = self.seller_north
        self.early.invoice_user_id = self.seller_west
        self.env.flush_all()
        rows = self.env(user=self.seller_north)["customer.payment.report"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(rows.invoice_id, self.late)


# wkhtmltopdf reads the report's assets from the server: an HttpCase lets those requests in on the test's transaction.
@tagged("post_install", "-at_install")
class TestCustomerRankingPdf(CustomerSalesCase, HttpCase):
    """The ranking PDF: the first customers of the period by the chosen figure, in the user's language."""

    def _wizard(self, env=None, **values):
        today = fields.Date.context_today(self.env["res.partner"])
        return (env or self.env)["customer.ranking.wizard"].create(
            {"date_from": today.replace(day=1, month=1), "date_to": today, **values}
        )

    def test_ranking_rows_are_the_analysis_best_first(self):
        """By sales the big customer comes first; limited to one, only it, with the totals of both (the salespeople
        keep the demo's sales out); by margin, of the west's salesperson, the small one."""
        ranking = self._wizard(limit=1, salesperson_ids=[Command.set((self.seller_north | self.seller_west).ids)])
        result = ranking._get_ranking()
        self.assertEqual([(rank, partner) for rank, partner, _figures in result["rows"]], [(1, self.big)])
        self.assertEqual(result["rows"][0][2][:2], [5000.0, 1800.0])
        self.assertEqual(result["total"][0], 5500.0)
        margin = self._wizard(ranking="margin", salesperson_ids=[Command.set(self.seller_west.ids)])
        self.assertEqual([partner for _rank, partner, _figures in margin._get_ranking()["rows"]], [self.small])

    def test_bad_ranking_is_refused(self):
        """No customers to rank, too many, or a period that ends before it starts: refused, nothing created."""
        today = fields.Date.context_today(self.env["res.partner"])
        wizards = self.env["customer.ranking.wizard"]
        for values, message in (
            ({"limit": 0}, "from 1 to 500"),
            ({"limit": 501}, "from 1 to 500"),
            ({"date_from": today, "date_to": today.replace(day=1, month=1) - fields.date.resolution}, "start before"),
        ):
            with (
                self.subTest(values=values),
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                self._wizard(**values)
        self.assertFalse(wizards.search([]))

    def test_pdf_in_spanish_for_a_spanish_user(self):
        """The real PDF, rendered by wkhtmltopdf for a Spanish-speaking manager, ranks the customers in Spanish."""
        self.env["res.lang"]._activate_lang("es_MX")
        self.cm_manager.lang = "es_MX"
        manager = self.env(user=self.cm_manager, context={"lang": "es_MX"})
        wizard = self._wizard(manager)
        # Without its stylesheet, so that the PDF keeps its text (see the statement's PDF test).
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        reports = manager["ir.actions.report"].with_context(force_report_rendering=True)
        with patch(f"{STATEMENT_MODULE}._wkhtmltopdf_prints_headers", return_value=False):
            pdf, report_format = reports._render_qweb_pdf(RANKING_REPORT, wizard.ids)
        self.assertEqual(report_format, "pdf")
        text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
        for expected in ("Clasificación de clientes por ventas", "Margen", self.big.name, self.small.name):
            self.assertIn(expected, text)
        self.assertLess(text.index(self.big.name), text.index(self.small.name))


@tagged("post_install", "-at_install")
class TestCustomerRankingTour(HttpCase):
    """The credit manager ranks the customers by their payments in the browser, in Spanish."""

    def test_credit_manager_ranks_customers_by_payments(self):
        self.start_tour(
            "/odoo/action-customer_management.customer_payment_report_action_ranking",
            "customer_management_credit_ranks_payments_tour",
            login="patricia.morales",
        )
