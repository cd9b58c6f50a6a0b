"""The customer's discount, volume tiers and promotions, as its orders and its form show them."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import CustomerManagementCase


@tagged("post_install", "-at_install")
class TestCustomerDiscount(CustomerManagementCase):
    """The customer's discount, volume tiers and promotions, as its orders and its form show them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create({"name": "Aceite 1 L", "list_price": 40.0})
        cls.pricelist = cls.env["product.pricelist"].create(
            {
                "name": "Mayoreo",
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.product.id,
                            "min_quantity": qty,
                            "compute_price": "percentage",
                            "percent_price": percent,
                        }
                    )
                    for qty, percent in ((12, 5.0), (48, 10.0))
                ],
            }
        )
        cls.customer = cls._create_customer(customer_discount_percent=4.0)

    def _order_line(self, **values):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1, **values})],
            }
        )
        return order.order_line

    def test_order_line_takes_customer_discount(self):
        """A new order line of the customer gets its discount."""
        self.assertEqual(self._order_line().discount, 4.0)

    def test_manual_discount_is_kept(self):
        """A discount given on the line wins over the customer's."""
        self.assertEqual(self._order_line(discount=2.0).discount, 2.0)

    def test_discount_is_per_company(self):
        """The customer's discount in one company does not apply to another company's orders."""
        other = self._create_company("Distribuidora del Norte", country_id=self.mx.id)
        self.assertEqual(self.customer.with_company(other).customer_discount_percent, 0.0)

    def test_larger_pricelist_discount_wins(self):
        """When the pricelist shows a larger discount (a volume tier), that one applies, not both."""
        self.env.user.groups_id += self.env.ref("sale.group_discount_per_so_line")
        self.pricelist.item_ids.write({"compute_price": "percentage"})
        self.customer.property_product_pricelist = self.pricelist
        self.assertEqual(self._order_line(product_uom_qty=48).discount, 10.0)
        self.assertEqual(self._order_line(product_uom_qty=1).discount, 4.0)

    def test_form_shows_volume_tiers(self):
        """The customer's form lists its pricelist's rules with their minimum quantities."""
        self.customer.property_product_pricelist = self.pricelist
        self.assertEqual(
            sorted(self.customer.customer_pricelist_item_ids.mapped("min_quantity")),
            [12.0, 48.0],
        )

    def test_form_shows_running_promotions(self):
        """The customer sees the automatic promotions running today for its pricelist, not the others."""
        today = fields.Date.context_today(self.customer)
        self.customer.property_product_pricelist = self.pricelist
        other_pricelist = self.env["product.pricelist"].create({"name": "Menudeo"})
        promotion = {"program_type": "promotion", "trigger": "auto"}
        programs = self.env["loyalty.program"].create(
            [
                {**promotion, "name": "Buen Fin"},
                {**promotion, "name": "Mayoreo -5%", "pricelist_ids": [Command.link(self.pricelist.id)]},
                {**promotion, "name": "Menudeo -5%", "pricelist_ids": [Command.link(other_pricelist.id)]},
                {**promotion, "name": "Navidad pasada", "date_to": today - timedelta(days=1)},
                {"name": "Cupón", "program_type": "coupons"},
            ]
        )
        shown = self.customer.customer_loyalty_program_ids
        self.assertEqual(shown & programs, programs[:2])

    def test_promotion_card_holder_sees_program(self):
        """A program the customer holds a card of is shown, whatever its trigger."""
        program = self.env["loyalty.program"].create({"name": "Cupón bienvenida", "program_type": "coupons"})
        self.env["loyalty.card"].create({"program_id": program.id, "partner_id": self.customer.id})
        self.assertIn(program, self.customer.customer_loyalty_program_ids)
