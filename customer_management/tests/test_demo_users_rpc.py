"""The demo's own users over XML-RPC: each logs in with the password the README gives and does what its role does."""

import xmlrpc.client

from odoo.tests import tagged

from .common import RpcCase

DEMO_SALESPEOPLE = (
    "customer_management.res_users_salesperson_norte_demo",
    "customer_management.res_users_salesperson_centro_demo",
    "customer_management.res_users_salesperson_occidente_demo",
)


@tagged("post_install", "-at_install")
class TestDemoUsersRpc(RpcCase):
    """The demo salespeople classify their customers and quote them, as the README says a salesperson does."""

    def _demo_rpc(self, user, model, method, *args, **kwargs):
        # The demo's password: the login, as the README says.
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs)

    def test_demo_salespeople_classify_and_quote_their_customers(self):
        """Each demo salesperson logs in, reclassifies one of its customers (segment and channel), reads its credit
        status and creates a quotation for it; what it wrote is stored."""
        product = self.env.ref("customer_management.product_frijol_demo")
        channels = self.env["customer.channel"].search([])
        for xmlid in DEMO_SALESPEOPLE:
            user = self.env.ref(xmlid)
            with self.subTest(user=user.login):
                self.assertEqual(
                    self.xmlrpc_common.authenticate(self.env.cr.dbname, user.login, user.login, {}), user.id
                )
                self.assertTrue(user.has_group("base.group_partner_manager"))
                customer = self.env["res.partner"].search(
                    [("user_id", "=", user.id), ("is_company", "=", True), ("customer_segment", "!=", False)], limit=1
                )
                self.assertTrue(customer, "every demo salesperson has customers")
                segment = "retail" if customer.customer_segment == "wholesale" else "wholesale"
                channel = channels.filtered(lambda c, customer=customer: c != customer.customer_channel_id)[:1]
                self._demo_rpc(
                    user, "res.partner", "write", [customer.id],
                    {"customer_segment": segment, "customer_channel_id": channel.id},
                )  # fmt: skip
                [figures] = self._demo_rpc(user, "res.partner", "read", [customer.id], ["credit_status"])
                self.assertIn(figures["credit_status"], ("ok", "warning", "blocked"))
                line = {"product_id": product.id, "product_uom_qty": 2}
                order_id = self._demo_rpc(
                    user, "sale.order", "create", {"partner_id": customer.id, "order_line": [(0, 0, line)]}
                )
                self.env.invalidate_all()
                self.assertEqual((customer.customer_segment, customer.customer_channel_id), (segment, channel))
                order = self.env["sale.order"].browse(order_id)
                self.assertEqual((order.state, order.user_id, order.partner_id), ("draft", user, customer))

    def test_demo_dispatcher_follows_deliveries_and_cannot_change_terms(self):
        """The demo dispatcher logs in, reads a customer's deliveries and the conditions of its address, and is
        refused its credit limit: nothing is written."""
        user = self.env.ref("customer_management.res_users_dispatcher_demo")
        customer = self.env.ref("customer_management.partner_comercializadora_norte_demo")
        self.assertEqual(self.xmlrpc_common.authenticate(self.env.cr.dbname, user.login, user.login, {}), user.id)
        [figures] = self._demo_rpc(
            user, "res.partner", "read", [customer.id], ["customer_dispatched_delivery_count", "otif_rate"]
        )
        self.assertGreaterEqual(figures["customer_dispatched_delivery_count"], 2)
        tracked = self._demo_rpc(
            user,
            "stock.picking",
            "search_read",
            [("partner_id", "child_of", customer.id), ("carrier_tracking_ref", "!=", False)],
            fields=["carrier_id", "carrier_tracking_ref", "delivery_rules_text"],
        )
        self.assertEqual(sorted(row["carrier_tracking_ref"] for row in tracked), ["PEN-7734-0192", "PEN-7734-0457"])
        limit = customer.credit_limit
        with self.assertRaises(xmlrpc.client.Fault):
            self._demo_rpc(user, "res.partner", "write", [customer.id], {"credit_limit": limit + 1000})
        customer.invalidate_recordset()
        self.assertEqual(customer.credit_limit, limit)
