"""The orders' proposals from their customer: sales team and delivery conditions."""

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import CustomerManagementCase


@tagged("post_install", "-at_install")
class TestSaleOrderProposals(CustomerManagementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "Mayoreo Norte"})
        cls.fob = cls.env.ref("account.incoterm_FOB")
        cls.customer = cls._create_customer(
            team_id=cls.team.id, customer_incoterm_id=cls.fob.id, customer_picking_policy="one"
        )
        cls.warehouse_a = cls.env["res.partner"].create(
            {"name": "Bodega A", "parent_id": cls.customer.id, "type": "delivery"}
        )
        cls.warehouse_b = cls.env["res.partner"].create(
            {"name": "Bodega B", "parent_id": cls.customer.id, "type": "delivery"}
        )

    def _new_order(self, partner):
        with Form(self.env["sale.order"]) as form:
            form.partner_id = partner
        return form.record

    def test_order_takes_customer_team(self):
        """A new order is proposed the customer's sales team, not the salesperson's default one."""
        self.assertEqual(self._new_order(self.customer).team_id, self.team)

    def test_order_of_contact_takes_company_team(self):
        """An order for a contact takes its company's team."""
        contact = self.env["res.partner"].create({"name": "Compras", "parent_id": self.customer.id})
        self.assertEqual(self._new_order(contact).team_id, self.team)

    def test_order_takes_delivery_conditions(self):
        """A new order takes the customer's incoterm and shipping policy."""
        order = self._new_order(self.customer)
        self.assertEqual(order.incoterm, self.fob)
        self.assertEqual(order.picking_policy, "one")

    def test_order_created_from_code_takes_delivery_conditions(self):
        """An order created by code or RPC, not through the form, takes them too."""
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        self.assertEqual(order.incoterm, self.fob)
        self.assertEqual(order.picking_policy, "one")
        self.assertEqual(order.team_id, self.team)

    def test_explicit_conditions_win_over_customer(self):
        """Conditions given when creating the order are kept."""
        order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "picking_policy": "direct", "incoterm": False}
        )
        self.assertEqual(order.picking_policy, "direct")
        self.assertFalse(order.incoterm)

    def test_changing_customer_resets_conditions(self):
        """Switching the order to a customer without conditions brings back the defaults."""
        plain = self._create_customer("Sin condiciones")
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.customer
            self.assertEqual(form.picking_policy, "one")
            form.partner_id = plain
            self.assertEqual(form.picking_policy, "direct")
            self.assertFalse(form.incoterm)

    def test_order_without_conditions_keeps_core_defaults(self):
        """A customer without delivery conditions gets core's defaults."""
        plain = self._create_customer("Sin condiciones")
        order = self._new_order(plain)
        self.assertFalse(order.incoterm)
        self.assertEqual(order.picking_policy, "direct")

    def test_order_takes_default_delivery_address(self):
        """The customer's default delivery address is proposed instead of its first one."""
        self.assertEqual(self._new_order(self.customer).partner_shipping_id, self.warehouse_a)
        self.customer.customer_delivery_address_id = self.warehouse_b
        self.assertEqual(self._new_order(self.customer).partner_shipping_id, self.warehouse_b)

    def test_default_delivery_address_must_be_own(self):
        """Another customer's address cannot be the default delivery address."""
        other = self._create_customer("Otro cliente")
        with self.assertRaises(ValidationError):
            other.customer_delivery_address_id = self.warehouse_a
