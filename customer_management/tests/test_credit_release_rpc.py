"""Credit releases over XML-RPC: a release covers the order for its own customer only."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CreditSecurityRpcCase


@tagged("post_install", "-at_install")
class TestCreditReleaseRpc(CreditSecurityRpcCase):
    """A release is recorded for the order's customer and covers no other customer the order moves to."""

    def _release_wizard(self):
        """The id of a credit manager's release wizard of the quotation over the limit, with its reason."""
        return self._call(
            self.credit_manager,
            "customer.credit.release.wizard",
            "create",
            {"order_id": self.order.id, "reason": "Pedido especial autorizado"},
        )

    def test_release_does_not_follow_the_order_to_another_customer(self):
        """A release covers its own customer: the order moved to another customer is blocked again."""
        wizard_id = self._release_wizard()
        # The release is recorded, then the order is not confirmed: its customer is changed before.
        self.env["customer.credit.release"].sudo().create(
            {
                "order_id": self.order.id,
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "reason": "Pedido especial autorizado",
                "order_amount": 500000.0,
            }
        )
        self.assertTrue(wizard_id)
        other = self.env["res.partner"].create({"name": "Cliente Pequeño", "is_company": True})
        other.credit_limit = 10.0
        self.order.write({"partner_id": other.id, "partner_invoice_id": other.id})
        self._refused(self.seller, "sale.order", "action_confirm", [self.order.id])
        self.assertEqual(self.order.state, "draft")

    def test_release_for_the_invoiced_customer_does_not_cover_another_order_customer(self):
        """A release recorded for an order of one customer does not cover the order moved to another customer and
        invoiced to the first."""
        wizard_id = self._release_wizard()
        self._call(self.credit_manager, "customer.credit.release.wizard", "action_release", [wizard_id])
        self.assertEqual(self.order.state, "sale")
        self._call(
            self.seller, "sale.order", "action_cancel", [self.order.id], context={"disable_cancel_warning": True}
        )
        self._call(self.seller, "sale.order", "action_draft", [self.order.id])
        small = self.env["res.partner"].create({"name": "Cliente Chico", "is_company": True})
        small.credit_limit = 10.0
        self._call(
            self.seller,
            "sale.order",
            "write",
            [self.order.id],
            {"partner_id": small.id, "partner_invoice_id": self.customer.id},
        )
        self.assertIn("Cliente Chico", self._refused(self.seller, "sale.order", "action_confirm", [self.order.id]))
        self.assertEqual(self.order.state, "draft")

    def test_release_of_another_customer_is_invalid(self):
        """Even the module's own code cannot record a release for another customer than the order's."""
        other = self.env["res.partner"].create({"name": "Otro Cliente", "is_company": True})
        with self.assertRaisesRegex(ValidationError, "must be for its customer"):
            self.env["customer.credit.release"].sudo().create(
                {"order_id": self.order.id, "partner_id": other.id, "company_id": self.company.id, "reason": "x"}
            )
