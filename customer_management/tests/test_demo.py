"""The demo data: a realistic distributor's customers."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo database shows a realistic distributor's customers."""

    def _demo_customers(self):
        return self.env["res.partner"].search(
            [("customer_segment", "!=", False), "|", ("is_company", "=", True), ("parent_id", "=", False)]
        )

    def test_demo_customers_are_classified(self):
        """At least 40 customers over 4 zones and 4 channels, both segments and payment modes, both scopes."""
        customers = self._demo_customers()
        if not self.env.ref("customer_management.customer_channel_horeca_demo", raise_if_not_found=False):
            self.fail("The test database must be installed with demo data (make test does it)")
        self.assertGreaterEqual(len(customers), 40)
        self.assertGreaterEqual(len(customers.customer_zone_id), 4)
        self.assertGreaterEqual(len(customers.customer_channel_id), 4)
        self.assertEqual(set(customers.mapped("customer_segment")), {"wholesale", "retail"})
        self.assertEqual(set(customers.mapped("payment_mode")), {"credit", "cash"})
        self.assertEqual(set(customers.mapped("customer_scope")), {"national", "international"})

    def test_demo_customers_have_contacts_and_addresses(self):
        """Demo customers have contacts and several delivery addresses."""
        children = self._demo_customers().child_ids
        self.assertGreaterEqual(len(children.filtered(lambda child: child.type == "contact")), 10)
        addresses = children.filtered(lambda child: child.type == "delivery")
        self.assertGreaterEqual(len(addresses), 10)
        self.assertTrue(
            any(len(customer_addresses) >= 2 for customer_addresses in addresses.grouped("parent_id").values())
        )

    def test_demo_conditions_show_a_history(self):
        """The demo shows superseded, active, requested and scheduled conditions, and volume tiers."""
        versions = self.env["customer.commercial.condition"].search([])
        self.assertTrue({"superseded", "active", "to_approve", "scheduled"} <= set(versions.mapped("state")))
        wholesale = self.env.ref("customer_management.product_pricelist_wholesale_demo")
        self.assertGreaterEqual(len(wholesale.item_ids.filtered("min_quantity")), 3)

    def test_demo_quotations_show_the_credit_control(self):
        """The demo has quotations blocked by a hold, by the credit limit and by the cash rule, each saying why."""
        expected = {
            "sale_order_coahuilense_demo": "hold",
            "sale_order_farmacias_desierto_demo": "limit",
            "sale_order_san_nicolas_demo": "cash",
        }
        for xmlid, reason in expected.items():
            order = self.env.ref(f"customer_management.{xmlid}")
            _exposure, problems = order._get_credit_check()
            self.assertIn(reason, [problem[0] for problem in problems], xmlid)
            self.assertTrue(order.credit_blocked, xmlid)
            self.assertIn(order.partner_id.name, order.partner_credit_warning)

    def test_demo_shows_receivables_and_behaviour(self):
        """The demo customers owe in at least three aging buckets, have a year of sales, a promise and a log."""
        customers = self._demo_customers()
        exposures = self.env["customer.exposure"]._get_exposure(customers, aging=True).values()
        buckets = {
            bucket
            for exposure in exposures
            for bucket in ("not_due", "aged_1_30", "aged_31_60", "aged_61_90", "aged_over_90")
            if getattr(exposure, bucket) > 0
        }
        self.assertGreaterEqual(len(buckets), 3, buckets)
        self.assertTrue(any(exposure.overdue_amount > 0 for exposure in exposures))
        self.assertGreaterEqual(len(customers.filtered(lambda customer: customer.sales_amount_12m > 0)), 3)
        self.assertTrue(self.env["customer.payment.promise"].search_count([("partner_id", "in", customers.ids)]))
        self.assertTrue(self.env["customer.collection.log"].search_count([("partner_id", "in", customers.ids)]))
