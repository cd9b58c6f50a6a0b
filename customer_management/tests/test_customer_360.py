"""The customer 360: the buying behaviour, the smart buttons, the products bought and the aging bar."""

import xmlrpc.client
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from ..models.res_partner_receivable import AGING_FIELDS
from .common import SALESPERSON_GROUPS, CustomerCreditCase, RpcCase

# What the behaviour refresh issues for any number of customers: the flushes it needs are empty here, the UPDATE.
BEHAVIOUR_REFRESH_QUERIES = 1


@tagged("post_install", "-at_install")
class TestCustomer360(CustomerCreditCase):
    """The buying behaviour, the smart buttons, the products bought and the aging bar of the customer 360."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.credit_limit = 0.0
        cls.contact = cls.env["res.partner"].create({"name": "Lucía Garza", "parent_id": cls.customer.id})
        cls.other_company = cls._create_company(
            "Distribuidora Sur", users=cls.env.user, currency_id=cls.company.currency_id.id, country_id=cls.mx.id
        )
        cls.untaxed = cls.env["product.product"].create(
            {"name": "Flete", "type": "service", "list_price": 100.0, "invoice_policy": "order"}
        )
        cls.now = fields.Datetime.now()

    def _confirmed_order(self, amount, days_ago=0, customer=None, product=None, company=None):
        """A confirmed order of ``amount`` before taxes, dated ``days_ago`` days back."""
        env = self.env(context=dict(self.env.context, allowed_company_ids=[(company or self.company).id]))
        order = self._create_order(customer, amount, product, company_id=(company or self.company).id).with_env(env)
        order.action_confirm()
        if days_ago:
            order.date_order = self.now - timedelta(days=days_ago)
        return order

    def _expected_behaviour(self, orders):
        """The behaviour figures of ``orders`` (confirmed, one company), computed here from the orders themselves."""
        start = fields.Datetime.to_datetime(fields.Date.today() - relativedelta(months=12))
        window = orders.filtered(lambda order: order.state == "sale" and order.date_order >= start)
        previous = orders.filtered(
            lambda order: order.state == "sale" and start - relativedelta(months=12) <= order.date_order < start
        )
        amount = sum(window.mapped("amount_untaxed"))
        previous_amount = sum(previous.mapped("amount_untaxed"))
        dates = sorted(window.mapped("date_order"))
        span = (dates[-1] - dates[0]).total_seconds() / 86400 if dates else 0.0
        return {
            "last_sale_date": max(orders.filtered(lambda order: order.state == "sale").mapped("date_order")).date(),
            "sales_amount_12m": amount,
            "sale_count_12m": len(window),
            "margin_12m": sum(window.mapped("margin")),
            "average_ticket_12m": amount / len(window) if window else 0.0,
            "purchase_frequency_days": round(span / (len(window) - 1), 1) if len(window) > 1 else 0.0,
            "sales_amount_prev_12m": previous_amount,
            "sales_trend_12m": round((amount - previous_amount) / previous_amount * 100, 1) if previous_amount else 0.0,
        }

    def _refresh(self, customers=None):
        self.env["res.partner"]._refresh_customer_behaviour(customers)

    def test_sales_by_month_match_the_orders(self):
        """The chart's months are the last 12, oldest first, each with its confirmed orders of this company (the
        customer's and its contacts'), 0 without any; older orders, quotations and other companies count nowhere."""
        this_month = self._confirmed_order(1000.0, customer=self.contact) | self._confirmed_order(250.0)
        two_months_ago = self._confirmed_order(500.0)
        two_months_ago.date_order = fields.Datetime.to_datetime(
            fields.Date.today().replace(day=1) - relativedelta(months=2)
        )
        self._confirmed_order(2000.0, days_ago=500)
        self._confirmed_order(700.0, company=self.other_company)
        self._create_order(amount=300.0)  # a quotation
        months = self.customer.get_customer_sales_by_month()
        self.assertEqual(len(months), 12)
        today = fields.Date.today()
        self.assertEqual(months[-1]["month"], today.strftime("%Y-%m"))
        self.assertEqual(months[0]["month"], (today - relativedelta(months=11)).strftime("%Y-%m"))
        by_month = {month["month"]: month["amount"] for month in months}
        self.assertAlmostEqual(by_month[today.strftime("%Y-%m")], sum(this_month.mapped("amount_untaxed")))
        self.assertAlmostEqual(by_month[two_months_ago.date_order.strftime("%Y-%m")], two_months_ago.amount_untaxed)
        self.assertEqual(sum(by_month.values()), sum((this_month | two_months_ago).mapped("amount_untaxed")))
        self.assertTrue(all(month["label"] for month in months))

    def test_sales_by_month_is_for_one_customer(self):
        """Asked for several customers at once, the chart's call is refused."""
        other = self.env["res.partner"].create({"name": "Otro Cliente", "is_company": True})
        with self.assertRaises(UserError):
            (self.customer | other).get_customer_sales_by_month()

    def test_behaviour_figures_match_the_orders(self):
        """The figures count the confirmed orders of the window, of the customer and its contacts, in this company."""
        orders = (
            self._confirmed_order(1000.0, customer=self.contact)
            | self._confirmed_order(500.0, days_ago=60)
            | self._confirmed_order(2000.0, days_ago=500)
            | self._confirmed_order(800.0, days_ago=900)
        )
        cancelled = self._confirmed_order(700.0)
        cancelled._action_cancel()
        self._create_order(amount=300.0)  # a quotation
        self._confirmed_order(900.0, product=self.untaxed, company=self.other_company)
        self._refresh()
        self.assertRecordValues(self.customer, [self._expected_behaviour(orders | cancelled)])
        self.assertEqual(self.customer.sale_count_12m, 2)
        self.assertAlmostEqual(self.customer.sales_trend_12m, -25.0)

    def test_behaviour_is_per_company(self):
        """Another company sees its own sales of the customer."""
        self._confirmed_order(1000.0)
        self._confirmed_order(900.0, product=self.untaxed, company=self.other_company)
        self._refresh()
        self.assertEqual(self.customer.sales_amount_12m, 1000.0)
        self.assertEqual(self.customer.with_company(self.other_company).sales_amount_12m, 900.0)
        self.assertEqual(self.contact.sales_amount_12m, 0.0, "the figures are the commercial entity's")

    def test_confirmation_refreshes_the_customer(self):
        """Confirming an order updates its customer's figures at once."""
        self._confirmed_order(1000.0, customer=self.contact)
        self.assertEqual(self.customer.sales_amount_12m, 1000.0)
        self.assertEqual(self.customer.sale_count_12m, 1)
        self.assertEqual(self.customer.last_sale_date, self.now.date())

    def test_cancellation_refreshes_the_customer(self):
        """Cancelling a confirmed order takes it out of its customer's figures at once."""
        self._confirmed_order(1000.0)
        order = self._confirmed_order(400.0)
        order._action_cancel()
        self.assertEqual(self.customer.sales_amount_12m, 1000.0)
        self.assertEqual(self.customer.sale_count_12m, 1)

    def test_cron_moves_the_window(self):
        """The daily refresh moves an order out of the last 12 months once it is older."""
        order = self._confirmed_order(1000.0)
        order.date_order = self.now - relativedelta(months=13)
        self.assertEqual(self.customer.sales_amount_12m, 1000.0, "nothing refreshed the figures yet")
        self.env.ref("customer_management.ir_cron_customer_behaviour").method_direct_trigger()
        self.assertRecordValues(
            self.customer, [{"sales_amount_12m": 0.0, "sale_count_12m": 0, "sales_amount_prev_12m": 1000.0}]
        )

    def test_cron_clears_customers_without_sales(self):
        """A customer whose only order was cancelled outside the hooks loses its figures at the next refresh."""
        order = self._confirmed_order(1000.0)
        order.state = "cancel"
        self.env["res.partner"]._cron_refresh_customer_behaviour()
        self.assertRecordValues(
            self.customer, [{"sales_amount_12m": 0.0, "sale_count_12m": 0, "last_sale_date": False}]
        )

    def test_refresh_writes_only_changed_customers(self):
        """A refresh with nothing new writes no customer; one order later, only its customer."""
        self._confirmed_order(1000.0)
        other = self._create_customer("Tienda Vecina")
        self._refresh()
        self.assertEqual(self.env["res.partner"]._refresh_customer_behaviour(), 0)
        self._create_order(other, 200.0).write({"state": "sale"})
        self.assertEqual(self.env["res.partner"]._refresh_customer_behaviour(), 1)
        self.assertEqual(other.sales_amount_12m, 200.0)

    def test_refresh_issues_no_query_per_customer(self):
        """Refreshing 30 customers issues as many queries as refreshing 3."""
        customers = self.env["res.partner"].create(
            [{"name": f"Tienda {index}", "is_company": True, "customer_rank": 1} for index in range(30)]
        )
        self.env["sale.order"].create(
            [
                {"partner_id": customer.id, "order_line": [Command.create({"product_id": self.untaxed.id})]}
                for customer in customers
            ]
        )._confirm_without_credit_check()
        self.env.flush_all()
        with self.assertQueryCount(BEHAVIOUR_REFRESH_QUERIES):
            self._refresh(customers[:3])
        with self.assertQueryCount(BEHAVIOUR_REFRESH_QUERIES):
            self._refresh(customers)
        with self.assertQueryCount(BEHAVIOUR_REFRESH_QUERIES):
            self.env["res.partner"]._cron_refresh_customer_behaviour()
        self.assertEqual(set(customers.mapped("sale_count_12m")), {1})

    def test_reading_behaviour_issues_no_query_per_customer(self):
        """Listing the behaviour of 50 customers issues as many queries as of 5."""
        customers = self.env["res.partner"].create(
            [{"name": f"Tienda {index}", "is_company": True, "customer_rank": 1} for index in range(50)]
        )
        spec = {fname: {} for fname in ("name", "last_sale_date", "sales_amount_12m", "sale_count_12m",
                                        "sales_trend_12m", "average_ticket_12m")}  # fmt: skip
        partners = self.env["res.partner"].with_user(self.seller_north)

        def count(limit):
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            partners.web_search_read([("id", "in", customers.ids)], spec, limit=limit)
            return self.cr.sql_log_count - start

        count(5)
        self.assertEqual(count(50), count(5))

    def test_search_and_sort_by_behaviour(self):
        """Salespeople filter the customers who bought in the last 30 days and sort them by sales."""
        small = self._create_customer("Miscelánea Chica")
        idle = self._create_customer("Tienda Dormida")
        self._confirmed_order(1000.0)
        self._confirmed_order(200.0, customer=small)
        self._confirmed_order(5000.0, customer=idle, days_ago=60)
        self._refresh()
        recent = fields.Date.today() - timedelta(days=30)
        found = self.env["res.partner"].search(
            [("last_sale_date", ">=", recent), ("id", "in", (self.customer | small | idle).ids)],
            order="sales_amount_12m desc",
        )
        self.assertEqual(found, self.customer | small)
        groups = self.env["res.partner"]._read_group(
            [("id", "in", (self.customer | small | idle).ids)], ["sale_count_12m"], ["__count"]
        )
        self.assertEqual(dict(groups), {1: 3})

    def test_smart_button_counts_and_actions(self):
        """Each smart button counts the customer's documents, its contacts' too, and opens the same ones."""
        self._create_order(customer=self.contact, amount=300.0)
        self._confirmed_order(1000.0, product=self.goods)
        downpayment_order = self._confirmed_order(2000.0)
        self._create_down_payment(downpayment_order, post=False, advance_payment_method="fixed", fixed_amount=500.0)
        invoice = self._create_invoice(self.contact, 800.0)
        self._create_invoice(amount=100.0, move_type="out_refund")
        self._register_payment(invoice, 200.0)
        expected = {
            "customer_quotation_count": 1,
            "customer_invoice_count": 2,
            "customer_refund_count": 1,
            "customer_advance_count": 1,
            "customer_payment_count": 1,
            "customer_delivery_count": 1,
            "customer_product_count": 2,  # the down payment is no product bought
        }
        self.env.flush_all()
        self.assertRecordValues(self.customer | self.contact, [expected, expected])
        actions = {
            fname: self.customer.with_context(customer_360_count=fname).action_open_customer_360() for fname in expected
        }
        for fname, action in actions.items():
            with self.subTest(button=fname):
                self.assertEqual(self.env[action["res_model"]].search_count(action["domain"]), expected[fname])

    def test_condition_count_is_the_customers_in_the_company(self):
        """The conditions button counts the customer's versions in the current company, on its contacts' form too,
        and opens the same versions; another company's are not counted."""
        other = self._create_company("Distribuidora del Sur")
        versions = self.env["customer.commercial.condition"]
        before = versions.search_count([("partner_id", "=", self.customer.id), ("company_id", "=", self.company.id)])
        self._create_version(self.customer, credit_limit=5000.0)
        versions.with_company(other).create(
            {"partner_id": self.customer.id, "company_id": other.id, "reason": "Otra empresa", "credit_limit": 7000.0}
        )
        self.env.flush_all()
        expected = {"commercial_condition_count": before + 1}
        self.assertRecordValues(self.customer | self.contact, [expected, expected])
        action = self.customer.with_context(customer_360_count="commercial_condition_count").action_open_customer_360()
        self.assertEqual(self.env[action["res_model"]].search_count(action["domain"]), before + 1)

    def test_unknown_button_is_refused(self):
        """Opening the documents of a button that does not exist is refused with a clear message."""
        with self.assertRaisesRegex(UserError, "Unknown customer 360 button"):
            self.customer.with_context(customer_360_count="name").action_open_customer_360()

    def test_products_bought_report(self):
        """The report sums each product the customer bought: quantity, amount, orders and the last date."""
        self._confirmed_order(1000.0, product=self.goods)
        self._confirmed_order(300.0, product=self.goods, customer=self.contact, days_ago=10)
        self._confirmed_order(2000.0)
        self._create_order(amount=5000.0)  # a quotation
        self.env.flush_all()
        rows = self.env["customer.product.report"].search([("partner_id", "=", self.customer.id)])
        self.assertRecordValues(
            rows,
            [
                {"product_id": self.service.id, "quantity": 2.0, "amount": 2000.0, "order_count": 1,
                 "last_date": self.now.date()},
                {"product_id": self.goods.id, "quantity": 13.0, "amount": 1300.0, "order_count": 2,
                 "last_date": self.now.date()},
            ],
        )  # fmt: skip

    def test_open_receivable_adds_up_the_engine_buckets(self):
        """The panel's open receivable is the engine's, and the aging fields its aging bar draws are the engine's
        buckets, a credit note counting negative in its own."""
        self._create_invoice(amount=1000.0, days_due=10)
        self._create_invoice(amount=500.0, days_due=-45)
        self._create_invoice(amount=200.0, days_due=-120)
        self._create_invoice(amount=100.0, days_due=-5, move_type="out_refund")
        exposure = self._exposure()
        shown = self.customer.read(list(AGING_FIELDS))[0]
        engine = (exposure.not_due, exposure.aged_1_30, exposure.aged_31_60, exposure.aged_61_90, exposure.aged_over_90)
        self.assertEqual(tuple(shown[fname] for fname in AGING_FIELDS), engine)
        self.assertTrue(exposure.aged_31_60 and exposure.aged_over_90 and exposure.aged_1_30 < 0)
        self.assertEqual(self.customer.customer_open_receivable, exposure.receivable)
        self.assertAlmostEqual(exposure.receivable, sum(engine), places=2)

    def test_salesperson_reads_its_customers_figures(self):
        """A salesperson reads the behaviour of a customer and what its own customers bought."""
        self.customer.user_id = self.seller_north
        other = self._create_customer("Cliente Ajeno", user_id=self.seller_west.id)
        self._confirmed_order(1000.0)
        self._confirmed_order(500.0, customer=other)
        self.env.flush_all()
        customer = self.customer.with_user(self.seller_north)
        self.assertEqual(customer.sales_amount_12m, 1000.0)
        self.assertEqual(customer.customer_product_count, 1)
        rows = (
            self.env["customer.product.report"]
            .with_user(self.seller_north)
            .search([("partner_id", "in", (self.customer | other).ids)])
        )
        self.assertEqual(rows.partner_id, self.customer)

    def test_portal_reads_nothing(self):
        """A portal user reads neither the behaviour fields nor the products bought."""
        self._confirmed_order(1000.0)
        portal = new_test_user(self.env, login="cm_portal_360", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.customer.with_user(portal).read(["sales_amount_12m"])
        with self.assertRaises(AccessError):
            self.env["customer.product.report"].with_user(portal).search([])

    def test_behaviour_cannot_be_written(self):
        """The behaviour figures are refused on write: only the refresh sets them."""
        with self.assertRaisesRegex(UserError, "sales_amount_12m"):
            self.customer.sales_amount_12m = 1.0

    def test_form_shows_the_360_page(self):
        """The customer's form shows its figures on the 360 page."""
        self._confirmed_order(1000.0)
        form = Form(self.customer)
        self.assertEqual(form.sales_amount_12m, 1000.0)
        self.assertEqual(form.sale_count_12m, 1)


@tagged("post_install", "-at_install")
class TestCustomer360Rpc(RpcCase):
    """The behaviour fields as integrators read them over XML-RPC: readable, never writable."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.customer_vat_policy = "none"
        cls.customer = cls.env["res.partner"].create({"name": "Ferretería RPC", "is_company": True})
        product = cls.env["product.product"].create({"name": "Tornillos", "type": "consu", "list_price": 50.0})
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 10, "price_unit": 50.0})],
            }
        )
        order._confirm_without_credit_check()
        cls.integrator = cls._create_rpc_user("cm_integrator_360", SALESPERSON_GROUPS)

    def test_integrator_reads_behaviour(self):
        """An integrator reads a customer's sales of the last 12 months and sorts customers by them."""
        [values] = self._xml_rpc(
            self.integrator,
            "res.partner",
            "read",
            [self.customer.id],
            ["sales_amount_12m", "sale_count_12m", "last_sale_date"],
        )
        self.assertEqual((values["sales_amount_12m"], values["sale_count_12m"]), (500.0, 1))
        self.assertEqual(values["last_sale_date"], fields.Date.to_string(fields.Date.today()))
        ids = self._xml_rpc(
            self.integrator, "res.partner", "search", [("sale_count_12m", ">", 0)], order="sales_amount_12m desc"
        )
        self.assertIn(self.customer.id, ids)

    def test_integrator_cannot_write_behaviour(self):
        """Writing a behaviour figure is refused with a clear message, and nothing is saved."""
        with self.assertRaises(xmlrpc.client.Fault) as error:
            self._xml_rpc(
                self.integrator, "res.partner", "write", [self.customer.id], {"sales_amount_12m": 1.0, "name": "Otro"}
            )
        self.assertIn("cannot be written", error.exception.faultString)
        self.assertRecordValues(self.customer, [{"sales_amount_12m": 500.0, "name": "Ferretería RPC"}])
