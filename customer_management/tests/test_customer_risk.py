"""The customers' RFM segment, inactivity and risk score against cases computed by hand, the follow-up activities of
the salespeople, the 360 and summary figures, and the company's risk settings refused when they make no sense."""

import xmlrpc.client
from datetime import timedelta

from odoo import Command, fields
from odoo.addons.base.controllers.rpc import RPC_FAULT_CODE_WARNING
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SALESPERSON_GROUPS, CustomerCreditCase, CustomerManagementCase, RpcCase

DEFAULT_WEIGHTS = {
    "customer_risk_weight_overdue": 25.0,
    "customer_risk_weight_days_late": 15.0,
    "customer_risk_weight_oldest_overdue": 15.0,
    "customer_risk_weight_broken_promises": 15.0,
    "customer_risk_weight_credit_utilisation": 10.0,
    "customer_risk_weight_sales_trend": 10.0,
    "customer_risk_weight_claims": 5.0,
    "customer_risk_weight_otif": 5.0,
}


@tagged("post_install", "-at_install")
class TestCustomerRisk(CustomerCreditCase):
    """The risk score and its components, the inactivity and the activities in the test's company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        # Refreshed before: the states the next refreshes find changed are news for the salespeople.
        cls.company.sudo().write(
            {
                **DEFAULT_WEIGHTS,
                "customer_inactivity_days": 90,
                "customer_risk_refreshed_on": cls.today - timedelta(days=1),
            }
        )
        cls.activity_type = cls.env.ref("customer_management.mail_activity_type_customer_risk")

    def _refresh(self, customers=None):
        customers = customers or self.customer
        self.env["res.partner"]._refresh_customer_behaviour(customers)
        return self.env["res.partner"]._refresh_customer_risk(self.company)

    def _confirmed_order(self, customer, amount, days_ago):
        order = self._create_order(customer=customer, amount=amount)
        order.action_confirm()
        order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return order

    def _activities(self, customer):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", customer.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def test_risk_components_against_a_case_by_hand(self):
        """Overdue ratio, weighted days late, oldest overdue, broken promises, credit used and claims, and the
        weighted score and level they make."""
        invoices = (
            self._create_invoice(amount=1000.0, days_due=30)  # not due
            | self._create_invoice(amount=3000.0, days_due=-10)  # 10 days late
            | self._create_invoice(amount=1000.0, days_due=-40)  # 40 days late
        )
        promise = self.env["customer.payment.promise"].create(
            {"partner_id": self.customer.id, "amount": 500.0, "promised_date": self.today}
        )
        self.env["customer.payment.promise"]._cron_evaluate_promises(self.today + timedelta(days=2))
        self.assertEqual(promise.state, "broken")
        self.env["customer.claim"].create({"partner_id": self.customer.id})
        self._refresh()

        tax = invoices[0].amount_total / invoices[0].amount_untaxed
        receivable = sum(invoices.mapped("amount_total"))
        utilisation = receivable / 10000.0
        # 25 * 4000/5000 + 15 * 17.5/90 + 15 * 40/180 + 15 * 1/3 + 10 * credit used + 0 (trend) + 5 * 1/5 + 0 (OTIF)
        expected = 20.0 + 15 * 17.5 / 90 + 15 * 40 / 180 + 5.0 + 10 * min(utilisation, 1) + 1.0
        self.assertAlmostEqual(tax * 5000.0, receivable, places=2)
        self.assertRecordValues(
            self.customer,
            [
                {
                    "risk_overdue_ratio": 80.0,
                    "risk_days_late": 17.5,  # (3000 * 10 + 1000 * 40) / 4000
                    "risk_oldest_overdue_days": 40,
                    "risk_broken_promise_count": 1,
                    "risk_credit_utilisation": round(utilisation * 100, 1),
                    "risk_sales_trend_90d": 0.0,
                    "risk_claim_count_12m": 1,
                    "risk_level": "medium",
                }
            ],
        )
        self.assertAlmostEqual(self.customer.risk_score, expected, delta=0.051)

    def test_map_colours_the_customers_by_their_risk(self):
        """The customer map offers the risk as a measure, its markers valued by the customers' risk score."""
        self._create_invoice(amount=3000.0, days_due=-60)
        self._refresh()
        data = self.env["res.partner"].get_customer_map_data([("id", "=", self.customer.id)], "risk")
        self.assertIn("risk", [measure["key"] for measure in data["measures"]])
        self.assertEqual([marker["value"] for marker in data["markers"]], [self.customer.risk_score])
        self.assertGreater(self.customer.risk_score, 0)

    def test_weights_change_the_score(self):
        """With the overdue ratio alone weighted, the score is that ratio in percent."""
        self._create_invoice(amount=1000.0, days_due=30)
        self._create_invoice(amount=1000.0, days_due=-5)
        self.company.write({fname: 0.0 for fname in DEFAULT_WEIGHTS} | {"customer_risk_weight_overdue": 2.0})
        self._refresh()
        self.assertRecordValues(
            self.customer, [{"risk_overdue_ratio": 50.0, "risk_score": 50.0, "risk_level": "medium"}]
        )

    def test_sales_trend_of_the_last_90_days(self):
        """Sales falling from 1000 to 400 between the two 90-day windows: a trend of -60%, counting 0.6 of its
        weight; a customer without debts otherwise."""
        self._confirmed_order(self.customer, 1000.0, days_ago=120)
        self._confirmed_order(self.customer, 400.0, days_ago=10)
        self.company.write({fname: 0.0 for fname in DEFAULT_WEIGHTS} | {"customer_risk_weight_sales_trend": 1.0})
        self._refresh()
        self.assertRecordValues(
            self.customer, [{"risk_sales_trend_90d": -60.0, "risk_score": 60.0, "risk_level": "high"}]
        )

    def test_customer_without_documents_is_low_risk(self):
        """No receivable, no sales, no promises: every component 0, a score of 0, low."""
        self._refresh()
        self.assertRecordValues(
            self.customer,
            [
                {
                    "risk_score": 0.0,
                    "risk_level": "low",
                    "risk_overdue_ratio": 0.0,
                    "rfm_segment": False,
                    "is_inactive": False,
                }
            ],
        )

    def test_inactive_after_the_company_days(self):
        """A customer whose last sale is older than the company's days is inactive; one that never bought is not."""
        never = self._create_customer("Abarrotes Sin Compras")
        self._confirmed_order(self.customer, 500.0, days_ago=100)
        self._refresh(self.customer | never)
        self.assertRecordValues(self.customer | never, [{"is_inactive": True}, {"is_inactive": False}])
        inactive = self.env["res.partner"].search([("is_inactive", "=", True)])
        self.assertIn(self.customer, inactive)
        self.assertNotIn(never, inactive)
        self.company.customer_inactivity_days = 120
        self._refresh(self.customer | never)
        self.assertRecordValues(self.customer | never, [{"is_inactive": False}, {"is_inactive": False}])

    def test_one_activity_per_episode_across_two_runs(self):
        """A customer that becomes inactive, and one that becomes high-risk, get one activity for their salesperson,
        not another at the next run."""
        self.customer.user_id = self.seller_north
        self._confirmed_order(self.customer, 500.0, days_ago=100)
        risky = self._create_customer("Deudora Crónica", user_id=self.seller_west.id)
        risky.credit_limit = 100.0
        self._create_invoice(customer=risky, amount=1000.0, days_due=-200)
        self._refresh(self.customer | risky)
        self._refresh(self.customer | risky)
        self.assertRecordValues(risky, [{"risk_level": "high", "risk_oldest_overdue_days": 200}])
        self.assertIn(risky, self.env["res.partner"].search([("risk_level", "=", "high")]))
        inactive_activity = self._activities(self.customer)
        risky_activity = self._activities(risky)
        self.assertRecordValues(
            inactive_activity | risky_activity, [{"user_id": self.seller_north.id}, {"user_id": self.seller_west.id}]
        )
        self.assertIn("Inactive", inactive_activity.summary)
        self.assertIn("High risk", risky_activity.summary)

    def test_first_refresh_of_a_company_notifies_nobody(self):
        """The first refresh of a company learns which customers are already inactive or high-risk, without an
        activity for each; a customer that becomes inactive after it is notified."""
        self.company.sudo().customer_risk_refreshed_on = False
        self.customer.user_id = self.seller_north
        self._confirmed_order(self.customer, 500.0, days_ago=100)
        other = self._create_customer("Abarrotes El Olvido", user_id=self.seller_west.id)
        self._confirmed_order(other, 300.0, days_ago=60)
        self._refresh(self.customer | other)
        self.assertTrue(self.customer.is_inactive)
        self.assertEqual(self.company.customer_risk_refreshed_on, self.today)
        self.assertFalse(self._activities(self.customer))
        self.company.customer_inactivity_days = 45
        self._refresh(self.customer | other)
        self.assertTrue(other.is_inactive)
        self.assertFalse(self._activities(self.customer))
        self.assertEqual(len(self._activities(other)), 1)

    def test_a_new_episode_is_notified_again(self):
        """A customer that leaves the inactive state and enters it again gets a second activity."""
        self.customer.user_id = self.seller_north
        self._confirmed_order(self.customer, 500.0, days_ago=100)
        self._refresh()
        self.company.customer_inactivity_days = 200
        self._refresh()
        self.assertFalse(self.customer.is_inactive)
        self.company.customer_inactivity_days = 90
        self._refresh()
        self.assertEqual(len(self._activities(self.customer)), 2)

    def _count_refresh_queries(self):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.env["customer.risk"]._refresh(self.company)
        return self.env.cr.sql_log_count - before

    def test_recompute_is_a_constant_number_of_queries(self):
        """The refresh of a company costs as many queries for one customer as for twenty more."""
        self._create_invoice(amount=100.0, days_due=-5)
        self._refresh()
        queries = self._count_refresh_queries()
        for index in range(20):
            self._create_invoice(customer=self._create_customer(f"Cliente {index}"), amount=100.0, days_due=-5)
        self.assertEqual(self._count_refresh_queries(), queries)
        # The company's settings, the UPDATE between its JIT setting and back, and the record of the refresh.
        self.assertLessEqual(queries, 9)

    def test_engine_figures_are_not_writable(self):
        """The risk figures are the engine's: a caller's value is refused."""
        for fname, value in (
            ("risk_score", 5.0),
            ("risk_level", "low"),
            ("rfm_segment", "champions"),
            ("is_inactive", True),
        ):
            with self.subTest(field=fname), self.assertRefused(UserError, "cannot be written"):
                self.customer.write({fname: value})

    def test_summary_and_360_show_the_risk(self):
        """The summary's ``risk`` section has the score, level, components, RFM and inactivity; a salesperson of its
        own documents reads the RFM and inactivity only, as the 360 shows them."""
        self._create_invoice(amount=1000.0, days_due=-5)
        self._refresh()
        risk = self.customer.get_customer_summary()[0]["risk"]
        self.assertEqual(risk["risk_overdue_ratio"], 100.0)
        self.assertEqual(risk["risk_level"], self.customer.risk_level)
        self.assertTrue({"risk_score", "risk_days_late", "otif_rate", "rfm_segment", "is_inactive"} <= risk.keys())
        seller_risk = self.customer.with_user(self.seller_north).get_customer_summary()[0]["risk"]
        self.assertNotIn("risk_score", seller_risk)
        self.assertIn("rfm_segment", seller_risk)
        self.assertIn("is_inactive", seller_risk)
        form = Form(self.customer.with_user(self.credit_manager))
        self.assertEqual(form.risk_overdue_ratio, 100.0)

    def test_recompute_button_for_managers_only(self):
        """A manager recomputes now; a salesperson may not."""
        self._create_invoice(amount=1000.0, days_due=-5)
        self.env["res.partner"].with_user(self.cm_manager).action_refresh_customer_risk()
        self.assertEqual(self.customer.risk_overdue_ratio, 100.0)
        with self.assertRefused(AccessError, "managers"):
            self.env["res.partner"].with_user(self.seller_north).action_refresh_customer_risk()

    def test_bad_settings_are_refused(self):
        """A negative weight, all weights zero, or an inactivity of 0 days are refused, and nothing is saved."""
        for values in (
            {"customer_risk_weight_claims": -1.0},
            {fname: 0.0 for fname in DEFAULT_WEIGHTS},
            {"customer_inactivity_days": 0},
            {"customer_inactivity_days": -5},
        ):
            with self.subTest(values=values), self.assertRefused(ValidationError, "weight|inactive"):
                self.company.write(values)
        self.assertRecordValues(self.company, [{**DEFAULT_WEIGHTS, "customer_inactivity_days": 90}])

    def test_bad_settings_refused_from_the_settings(self):
        """The settings form refuses a negative weight and saves nothing."""
        with self.assertRefused(ValidationError, "cannot be negative"):
            self.env["res.config.settings"].create({"customer_risk_weight_otif": -3.0}).execute()
        self.assertEqual(self.company.customer_risk_weight_otif, 5.0)


@tagged("post_install", "-at_install")
class TestCustomerRfm(CustomerManagementCase):
    """RFM quintiles in a company of its own, whose customers are the test's only ones."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rfm_company = cls._create_company("Distribuidora RFM", users=cls.env.user)
        cls.service = cls.env["product.product"].create(
            {"name": "Flete", "type": "service", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        cls.customers = cls.env["res.partner"]
        # c1..c5: i orders of 100 * i each, the last 60 - 10 * i days ago; c6 as c3 (a tie); one that bought 400
        # days ago only; one that never bought.
        for index in range(1, 6):
            cls.customers |= cls._customer_with_sales(f"Cliente {index}", index, 100.0 * index, 60 - 10 * index)
        cls.tie = cls._customer_with_sales("Cliente Empate", 3, 300.0, 30)
        cls.old = cls._customer_with_sales("Cliente Antiguo", 1, 100.0, 400)
        cls.never = cls._create_customer("Cliente Nuevo Sin Compras")

    @classmethod
    def _customer_with_sales(cls, name, count, amount, days_ago):
        customer = cls._create_customer(name)
        for _index in range(count):
            order = (
                cls.env["sale.order"]
                .with_company(cls.rfm_company)
                .create(
                    {
                        "partner_id": customer.id,
                        "company_id": cls.rfm_company.id,
                        "order_line": [Command.create({"product_id": cls.service.id, "price_unit": amount})],
                    }
                )
            )
            order.action_confirm()
            order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return customer

    def _refresh(self):
        everyone = self.customers | self.tie | self.old | self.never
        self.env["res.partner"]._refresh_customer_behaviour(everyone)
        self.env["res.partner"]._refresh_customer_risk(self.rfm_company)
        return everyone.with_company(self.rfm_company)

    def test_rfm_quintiles_and_segments(self):
        """Six customers that bought: the two lowest share quintile 1 (NTILE of six rows), the tie shares the highest
        quintile of the two, the best two are champions; an old buyer is lost, one that never bought has none."""
        c1, c2, c3, c4, c5 = self._refresh().filtered(lambda partner: partner in self.customers)
        scores = [{"rfm_recency_score": s, "rfm_frequency_score": s, "rfm_monetary_score": s} for s in (1, 1, 3, 4, 5)]
        segments = ["lost", "lost", "loyal", "champions", "champions"]
        self.assertRecordValues(
            (c1 | c2 | c3 | c4 | c5).with_company(self.rfm_company),
            [{**score, "rfm_segment": segment} for score, segment in zip(scores, segments, strict=True)],
        )
        self.assertRecordValues(
            (self.tie | self.old | self.never).with_company(self.rfm_company),
            [
                {"rfm_segment": "loyal", "rfm_recency_score": 3, "rfm_frequency_score": 3, "rfm_monetary_score": 3},
                {"rfm_segment": "lost", "rfm_recency_score": 0, "rfm_frequency_score": 0, "rfm_monetary_score": 0},
                {"rfm_segment": False, "rfm_recency_score": 0, "rfm_frequency_score": 0, "rfm_monetary_score": 0},
            ],
        )

    def test_inactivity_at_the_boundary(self):
        """With 30 days, the customers whose last sale is 40 and 50 days old are inactive, 30 days old is not."""
        self.rfm_company.customer_inactivity_days = 30
        self._refresh()
        c1, c2, c3, c4, c5 = self.customers.with_company(self.rfm_company)
        self.assertEqual(
            [c.is_inactive for c in (c1, c2, c3, c4, c5, self.old.with_company(self.rfm_company))],
            [True, True, False, False, False, True],
        )
        self.assertFalse(self.never.with_company(self.rfm_company).is_inactive)

    def test_other_company_keeps_its_own_figures(self):
        """The RFM of the test's company does not see the other company's sales."""
        self._refresh()
        self.assertFalse(self.customers[4].with_company(self.env.ref("base.main_company")).rfm_segment)


@tagged("post_install", "-at_install")
class TestCustomerRiskRpc(RpcCase):
    """Bad risk settings over XML-RPC: a translated refusal, never a server error, nothing written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin_user = cls._create_rpc_user("cm_risk_admin", f"{SALESPERSON_GROUPS},base.group_system")
        cls.company = cls.env.company

    def test_bad_settings_over_rpc_are_refused(self):
        """A negative weight, all weights zero and 0 inactivity days are refused as warnings; nothing changes."""
        before = self.company.read(["customer_risk_weight_claims", "customer_inactivity_days"])[0]
        zero = dict.fromkeys(DEFAULT_WEIGHTS, 0.0)
        for values, message in (
            ({"customer_risk_weight_claims": -1.0}, "cannot be negative"),
            (zero, "must be positive"),
            ({"customer_inactivity_days": 0}, "at least one day"),
        ):
            with self.subTest(values=values), self.assertRaises(xmlrpc.client.Fault) as caught:
                self._xml_rpc(self.admin_user, "res.company", "write", [self.company.id], values)
            self.assertEqual(caught.exception.faultCode, RPC_FAULT_CODE_WARNING)
            self.assertIn(message, caught.exception.faultString)
            self.assertNotIn("Traceback", caught.exception.faultString)
        self.env.invalidate_all()
        self.assertEqual(self.company.read(["customer_risk_weight_claims", "customer_inactivity_days"])[0], before)
