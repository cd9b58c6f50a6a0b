"""The credit control over XML-RPC: the same refusals and the same rights as in the web client."""

import xmlrpc.client

from odoo import Command
from odoo.tests import tagged

from .common import SALESPERSON_GROUPS, RpcCase


@tagged("post_install", "-at_install")
class TestCreditRpc(RpcCase):
    """The credit control over XML-RPC: the same refusals and the same rights as in the web client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.customer_cash_policy = "block"
        cls.seller = cls._create_rpc_user("cm_rpc_seller", SALESPERSON_GROUPS)
        cls.credit_manager = cls._create_rpc_user(
            "cm_rpc_credit",
            f"{SALESPERSON_GROUPS},sales_team.group_sale_salesman_all_leads,"
            "customer_management.customer_management_group_credit_manager",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Abarrotes RPC", "is_company": True, "payment_mode": "credit"}
        )
        cls.customer.credit_limit = 100.0
        product = cls.env["product.product"].create(
            {"name": "Servicio RPC", "type": "service", "list_price": 500.0, "taxes_id": [Command.clear()]}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.seller.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
            }
        )

    def test_confirmation_over_limit_is_a_fault_with_figures(self):
        """Confirming over the limit over XML-RPC is refused with the message and its figures."""
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._xml_rpc(self.seller, "sale.order", "action_confirm", [self.order.id])
        self.assertIn("credit limit", caught.exception.faultString)
        self.assertIn("500.00", caught.exception.faultString)
        self.assertEqual(self.order.state, "draft")

    def test_release_without_reason_is_a_fault_and_saves_nothing(self):
        """A release without a reason over XML-RPC is refused with the message, and nothing is saved."""
        wizard_id = self._xml_rpc(
            self.credit_manager, "customer.credit.release.wizard", "create", {"order_id": self.order.id}
        )
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._xml_rpc(self.credit_manager, "customer.credit.release.wizard", "action_release", [wizard_id])
        self.assertIn("reason is required", caught.exception.faultString)
        self.assertFalse(self.env["customer.credit.release"].search([("order_id", "=", self.order.id)]))
        self.assertEqual(self.order.state, "draft")

    def test_release_with_reason_confirms(self):
        """A credit manager releases and confirms a blocked order over XML-RPC."""
        wizard_id = self._xml_rpc(
            self.credit_manager,
            "customer.credit.release.wizard",
            "create",
            {"order_id": self.order.id, "reason": "Pago anticipado confirmado por teléfono"},
        )
        self._xml_rpc(self.credit_manager, "customer.credit.release.wizard", "action_release", [wizard_id])
        self.assertEqual(self.order.state, "sale")
        self.assertEqual(self.order.credit_release_ids.user_id, self.credit_manager)

    def test_salesperson_cannot_release_over_rpc(self):
        """A salesperson calling the release over XML-RPC gets an access error."""
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._xml_rpc(
                self.seller, "customer.credit.release.wizard", "create", {"order_id": self.order.id, "reason": "x"}
            )
        self.assertIn("not allowed to create", caught.exception.faultString)
        with self.assertRaises(xmlrpc.client.Fault):
            self._xml_rpc(
                self.seller,
                "customer.credit.release",
                "create",
                {"order_id": self.order.id, "partner_id": self.customer.id, "company_id": self.env.company.id,
                 "reason": "x"},
            )  # fmt: skip
        self.assertFalse(self.order.credit_release_ids)

    def test_salesperson_cannot_put_customer_on_hold_over_rpc(self):
        """A salesperson cannot put a customer on hold over XML-RPC."""
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._xml_rpc(self.seller, "res.partner", "write", [self.customer.id], {"credit_hold": True})
        self.assertIn("credit manager", caught.exception.faultString)
        self.assertFalse(self.customer.credit_hold)
