"""OTIF (on time, in full) against a count by hand of deliveries made for it: late, partial with and without a
backorder, cancelled, out of the period, late only in the customer's time zone."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import CustomerManagementCase


@tagged("post_install", "-at_install")
class TestOtif(CustomerManagementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.customer_otif_days = 90
        cls.customer = cls._create_customer("Abarrotes Puntuales", tz="America/Mexico_City")
        cls.goods = cls.env["product.product"].create({"name": "Caja de Frijol", "type": "consu", "is_storable": True})
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.env["stock.quant"]._update_available_quantity(cls.goods, warehouse.lot_stock_id, 1000.0)
        cls.now = fields.Datetime.now()

    def _delivered(self, promised, qty=10, delivered=10, backorder=True, done=None):
        """An order of ``qty`` promised at ``promised``, its first delivery done with ``delivered`` (the rest to a
        backorder or cancelled), at ``done`` when given."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "commitment_date": promised,
                "order_line": [Command.create({"product_id": self.goods.id, "product_uom_qty": qty})],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.write({"quantity": delivered, "picked": True})
        context = {"skip_backorder": True}
        if not backorder:
            context["picking_ids_not_to_backorder"] = picking.ids
        picking.with_context(**context).button_validate()
        self.assertEqual(picking.state, "done")
        if done:
            picking.date_done = done
        return order

    def _otif(self):
        self.env["res.partner"]._refresh_customer_otif(self.customer)
        return self.customer.read(["otif_rate", "otif_on_time_rate", "otif_in_full_rate", "otif_delivery_count"])[0]

    def test_otif_against_a_count_by_hand(self):
        ahead = self.now + timedelta(days=5)
        self._delivered(ahead)  # on time, in full
        self._delivered(self.now - timedelta(days=3))  # late, in full
        partial = self._delivered(ahead, delivered=6)  # on time, the rest to a backorder: not in full
        backorder = partial.picking_ids.filtered("backorder_id")
        self.assertTrue(backorder)
        backorder.move_ids.write({"quantity": 4, "picked": True})
        backorder.button_validate()  # a backorder is never a first delivery
        self._delivered(ahead, delivered=6, backorder=False)  # on time, the rest cancelled: not in full
        cancelled = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.goods.id, "product_uom_qty": 1})],
            }
        )
        cancelled.action_confirm()
        cancelled._action_cancel()  # no delivery done: not measured
        self._delivered(ahead, done=self.now - timedelta(days=120))  # out of the period
        # Promised on a day at 20:00 in Mexico City (02:00 UTC the next day), done the next day at 01:00 there
        # (07:00 UTC): the same day in UTC, a day late for the customer.
        promised = (self.now - timedelta(days=10)).replace(hour=2, minute=0, second=0, microsecond=0)
        self._delivered(promised, done=promised + timedelta(hours=5))

        # Measured: 5 orders. On time: 3 (the two late ones are not). In full: 3 (the two partial ones are not).
        # On time and in full: 1.
        self.assertEqual(
            self._otif(),
            {
                "id": self.customer.id,
                "otif_rate": 20.0,
                "otif_on_time_rate": 60.0,
                "otif_in_full_rate": 60.0,
                "otif_delivery_count": 5,
            },
        )

    def test_validation_refreshes_and_period_is_the_companys(self):
        """Validating a delivery refreshes its customer's OTIF; a shorter period leaves older deliveries out."""
        self._delivered(self.now + timedelta(days=2))
        self.assertEqual(self.customer.otif_delivery_count, 1)
        self.assertEqual(self.customer.otif_rate, 100.0)
        self._delivered(self.now - timedelta(days=40), done=self.now - timedelta(days=30))
        self.assertEqual(self._otif()["otif_rate"], 50.0)
        self.company.customer_otif_days = 20
        self.assertEqual(self._otif()["otif_delivery_count"], 1)
        customers = self.env["res.partner"].search(
            [("id", "=", self.customer.id), ("otif_rate", ">=", 100.0)], order="otif_rate desc"
        )
        self.assertEqual(customers, self.customer)

    def test_stock_user_who_cannot_read_the_order_validates(self):
        """A stock user who sells too, its own orders only, validates the delivery of another salesperson's order;
        the customer's OTIF follows."""
        stock_user = new_test_user(
            self.env, login="cm_otif_stock", groups="stock.group_stock_manager,sales_team.group_sale_salesman"
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.seller_north.id,
                "commitment_date": self.now + timedelta(days=2),
                "order_line": [Command.create({"product_id": self.goods.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        picking = order.picking_ids.with_user(stock_user)
        self.assertFalse(order.with_user(stock_user).has_access("read"))
        picking.move_ids.write({"quantity": 2, "picked": True})
        self.env.invalidate_all()  # the order as the stock user reads it, not from the fixtures' cache
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(self.customer.otif_delivery_count, 1)

    def test_otif_is_not_written_by_a_caller(self):
        with self.assertRaisesRegex(UserError, "cannot be written"):
            self.customer.with_user(self.seller_north).write({"otif_rate": 100.0})
        with self.assertRaisesRegex(UserError, "cannot be written"):
            self.customer.write({"otif_delivery_count": 3})
        self.assertFalse(self.customer.otif_delivery_count)

    def test_summary_has_the_logistics(self):
        self._delivered(self.now + timedelta(days=2))
        summary = self.customer.get_customer_summary()[0]["logistics"]
        self.assertEqual(summary["otif_rate"], 100.0)
        self.assertEqual(summary["otif_delivery_count"], 1)
        self.assertIn("delivery_window_ids", summary)
        self.assertEqual(summary["tz"], "America/Mexico_City")
