"""Delivery windows and restrictions: read in the address's time zone across daylight-saving changes, overnight and
over the week's end; bad windows refused; the order's delivery date and carrier checked on the server."""

from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from ..models.customer_delivery_window import is_in_windows, next_slot
from .common import SALESPERSON_GROUPS, CustomerManagementCase


class DeliveryWindowCase(CustomerManagementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Abarrotes La Ventana", tz="America/Mexico_City")
        cls.dock = cls.env["res.partner"].create(
            {"name": "Bodega Norte", "type": "delivery", "parent_id": cls.customer.id, "tz": "Europe/Madrid"}
        )
        cls.carrier_product = cls.env["product.product"].create({"name": "Flete", "type": "service"})
        cls.carrier, cls.other_carrier = cls.env["delivery.carrier"].create(
            [
                {"name": "Fletes Rápidos", "product_id": cls.carrier_product.id},
                {"name": "Transportes Lentos", "product_id": cls.carrier_product.id},
            ]
        )

    def _refused(self, message):
        """Expect a ``ValidationError`` matching ``message``, with what it wrote rolled back."""
        return self.assertRefused(ValidationError, message)

    def _windows(self, partner, *windows):
        """Windows of ``partner`` from ``(weekday, hour_from, hour_to)``."""
        return self.env["customer.delivery.window"].create(
            [
                {"partner_id": partner.id, "weekday": str(weekday), "hour_from": start, "hour_to": end}
                for weekday, start, end in windows
            ]
        )


@tagged("post_install", "-at_install")
class TestDeliveryWindowTime(DeliveryWindowCase):
    """A window is read on the address's local calendar: the same local hours on either side of a daylight-saving
    change, overnight windows that end the next morning, Sunday's that end on Monday, both ends included."""

    def test_madrid_window_across_the_spring_change(self):
        """Monday 08:00-12:00 in Madrid is 07:00-11:00 UTC in winter and 06:00-10:00 UTC once clocks go forward
        (29 March 2026); the next slot after Friday's window is Monday 08:00 local, summer time."""
        windows = self._windows(self.dock, (0, 8, 12))
        tz = "Europe/Madrid"
        self.assertFalse(is_in_windows(windows, datetime(2026, 3, 23, 6, 30), tz))  # 07:30 CET
        self.assertTrue(is_in_windows(windows, datetime(2026, 3, 23, 7, 0), tz))  # 08:00 CET
        self.assertTrue(is_in_windows(windows, datetime(2026, 3, 23, 11, 0), tz))  # 12:00 CET, the end included
        self.assertFalse(is_in_windows(windows, datetime(2026, 3, 23, 11, 1), tz))
        self.assertTrue(is_in_windows(windows, datetime(2026, 3, 30, 6, 30), tz))  # 08:30 CEST
        self.assertFalse(is_in_windows(windows, datetime(2026, 3, 30, 10, 30), tz))  # 12:30 CEST
        self.assertEqual(next_slot(windows, datetime(2026, 3, 27, 13, 0), tz), datetime(2026, 3, 30, 6, 0))
        self.assertEqual(next_slot(windows, datetime(2026, 3, 23, 6, 30), tz), datetime(2026, 3, 23, 7, 0))
        self.assertEqual(next_slot(windows, datetime(2026, 3, 23, 8, 0), tz), datetime(2026, 3, 23, 8, 0))

    def test_santiago_overnight_window_across_the_spring_change(self):
        """Saturday 22:00-06:00 in Santiago, the night clocks go from 24:00 to 01:00 (5-6 September 2026): it
        opens at 02:00 UTC (-04) and closes at 09:00 UTC (-03), seven hours later."""
        windows = self._windows(self.dock, (5, 22, 6))
        tz = "America/Santiago"
        self.assertFalse(is_in_windows(windows, datetime(2026, 9, 6, 1, 59), tz))
        self.assertTrue(is_in_windows(windows, datetime(2026, 9, 6, 2, 0), tz))
        self.assertTrue(is_in_windows(windows, datetime(2026, 9, 6, 4, 30), tz))  # 01:30 -03, after the jump
        self.assertTrue(is_in_windows(windows, datetime(2026, 9, 6, 9, 0), tz))  # 06:00 -03
        self.assertFalse(is_in_windows(windows, datetime(2026, 9, 6, 9, 30), tz))
        self.assertEqual(next_slot(windows, datetime(2026, 9, 6, 9, 30), tz), datetime(2026, 9, 13, 1, 0))

    def test_sunday_night_window_ends_on_monday(self):
        """Sunday 23:00-02:00 takes a delivery at 01:00 on Monday, and not at 03:00."""
        windows = self._windows(self.dock, (6, 23, 2))
        tz = "Europe/Madrid"
        self.assertTrue(is_in_windows(windows, datetime(2026, 6, 14, 23, 0), tz))  # Monday 01:00 CEST
        self.assertFalse(is_in_windows(windows, datetime(2026, 6, 15, 1, 0), tz))  # Monday 03:00 CEST
        self.assertEqual(next_slot(windows, datetime(2026, 6, 15, 1, 0), tz), datetime(2026, 6, 21, 21, 0))

    def test_address_without_windows_takes_its_customers(self):
        """An address without windows takes its customer's, in its own time zone; with windows, its own only."""
        self._windows(self.customer, (1, 9, 17))
        rules = self.dock._get_delivery_rules()
        self.assertEqual(rules.windows, self.customer.delivery_window_ids)
        self.assertEqual(rules.tz, "Europe/Madrid")
        own = self._windows(self.dock, (2, 7, 9))
        self.assertEqual(self.dock._get_delivery_rules().windows, own)
        self.assertEqual(self.customer._get_delivery_rules().tz, "America/Mexico_City")


@tagged("post_install", "-at_install")
class TestDeliveryWindowInput(DeliveryWindowCase):
    """Bad windows and restrictions are refused with a clear error naming what is wrong, and nothing is saved."""

    def test_bad_windows_are_refused(self):
        self._windows(self.dock, (4, 22, 6))  # Friday night to Saturday 06:00
        for window, message in (
            ((0, 25, 26), "From of a delivery window is an hour from 00:00 to 23:59"),
            ((0, 8, 24.5), "To of a delivery window is an hour from 00:00 to 24:00"),
            ((0, -1, 8), "From of a delivery window"),
            ((0, 9, 9), "opens and closes at the same hour"),
            ((5, 5, 9), "overlap"),  # Saturday morning, inside Friday night's window
            ((4, 23, 23.5), "overlap"),
        ):
            with self.subTest(window=window), self._refused(message):
                self._windows(self.dock, window)
        self.assertEqual(len(self.dock.delivery_window_ids), 1)
        # Touching windows do not overlap; a whole day is a window.
        self._windows(self.dock, (5, 6, 12), (3, 0, 24))
        self.assertEqual(len(self.dock.delivery_window_ids), 3)

    def test_window_of_a_contact_person_is_refused(self):
        """Windows belong to delivery addresses or to the customer itself, not to a contact person."""
        person = self.env["res.partner"].create(
            {"name": "Carmen Ruiz", "type": "contact", "parent_id": self.customer.id}
        )
        with self._refused("is not a delivery address"):
            self._windows(person, (0, 8, 12))
        self.assertFalse(person.delivery_window_ids)

    def test_bad_restrictions_are_refused(self):
        with self._refused("both preferred and forbidden"):
            self.dock.write(
                {
                    "delivery_preferred_carrier_ids": [Command.set(self.carrier.ids)],
                    "delivery_forbidden_carrier_ids": [Command.set(self.carrier.ids)],
                }
            )
        with self._refused("cannot be negative"):
            self.dock.delivery_appointment_lead_hours = -4
        with self._refused("cannot be negative"):
            self.env["customer.vehicle.type"].create({"name": "Camioneta", "max_weight": -1})
        with self._refused("Timezone"):
            self.dock.tz = "Mars/Olympus_Mons"
        self.assertEqual(self.dock.tz, "Europe/Madrid")


@tagged("post_install", "-at_install")
class TestOrderDeliveryWindow(DeliveryWindowCase):
    """An order's delivery date falls in its address's windows: refused or warned by the company's policy, with
    the next slot proposed; a forbidden carrier is refused on the order and on its delivery."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create({"name": "Caja de Galletas", "list_price": 100.0})
        cls.env["customer.delivery.window"].create(
            {"partner_id": cls.dock.id, "weekday": "0", "hour_from": 8.0, "hour_to": 12.0}
        )

    def _order(self, **values):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "partner_shipping_id": self.dock.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 2})],
                **values,
            }
        )

    def test_refuse_policy_refuses_a_date_outside(self):
        self.company.customer_delivery_window_policy = "refuse"
        with self._refused("outside the delivery windows of .*Bodega Norte"):
            self._order(commitment_date=datetime(2027, 3, 23, 9, 0))  # a Tuesday
        order = self._order(commitment_date=datetime(2027, 3, 22, 8, 0))  # Monday 09:00 in Madrid
        with self._refused("the next slot is"):
            order.commitment_date = datetime(2027, 3, 22, 12, 0)  # 13:00 in Madrid
        self.assertEqual(order.commitment_date, datetime(2027, 3, 22, 8, 0))

    def test_warn_policy_warns_and_proposes_the_next_slot(self):
        self.company.customer_delivery_window_policy = "warn"
        order = self._order(commitment_date=datetime(2027, 3, 23, 9, 0))
        self.assertIn("outside the delivery windows", order.delivery_window_warning)
        self.assertEqual(order.delivery_next_slot, datetime(2027, 3, 29, 6, 0))  # Monday 08:00 CEST
        order.action_use_next_delivery_slot()
        self.assertEqual(order.commitment_date, datetime(2027, 3, 29, 6, 0))
        self.assertFalse(order.delivery_window_warning)
        self.assertIn("Windows (Europe/Madrid): Monday 08:00-12:00", order.delivery_rules_text)

    def test_form_shows_the_warning(self):
        """The quotation's form takes the customer's delivery address, shows its conditions and warns of a date
        outside its windows."""
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.customer
            form.commitment_date = datetime(2027, 3, 23, 16, 0)
            self.assertIn(
                "outside the delivery windows of Abarrotes La Ventana, Bodega Norte", form.delivery_window_warning
            )
            self.assertIn("Windows (Europe/Madrid): Monday 08:00-12:00", form.delivery_rules_text)
            with form.order_line.new() as line:
                line.product_id = self.product

    def test_forbidden_carrier_is_refused_on_order_and_delivery(self):
        self.customer.delivery_forbidden_carrier_ids = self.carrier
        with self._refused("Fletes Rápidos may not deliver to"):
            self._order(carrier_id=self.carrier.id)
        goods = self.env["product.product"].create({"name": "Caja", "type": "consu", "is_storable": True})
        order = self._order(carrier_id=self.other_carrier.id, commitment_date=datetime(2027, 3, 22, 8, 0))
        order.order_line.product_id = goods
        order.action_confirm()
        picking = order.picking_ids
        self.assertIn("Forbidden carriers: Fletes Rápidos", picking.delivery_rules_text)
        with self._refused("may not deliver to"):
            picking.carrier_id = self.carrier
        self.assertEqual(picking.carrier_id, self.other_carrier)

    def test_salesperson_edits_windows_only_managers_configure_vehicles(self):
        seller = new_test_user(self.env, login="cm_window_seller", groups=SALESPERSON_GROUPS)
        stock_user = new_test_user(self.env, login="cm_window_stock", groups="base.group_user,stock.group_stock_user")
        self.env["customer.delivery.window"].with_user(seller).create(
            {"partner_id": self.dock.id, "weekday": "2", "hour_from": 8.0, "hour_to": 10.0}
        )
        self.assertEqual(len(self.dock.with_user(stock_user).delivery_window_ids), 2)
        with self.assertRaises(AccessError):
            self.env["customer.vehicle.type"].with_user(seller).create({"name": "Tráiler", "max_weight": 30000})
        with self.assertRaises(AccessError):
            self.dock.delivery_window_ids.with_user(stock_user).write({"hour_to": 11.0})


@tagged("post_install", "-at_install")
class TestPickingDeliveryWindow(DeliveryWindowCase):
    """A delivery is scheduled in its address's windows: the procurement's date moves to the next slot, a date a
    user gives outside them is refused or warned by the company's policy; the customer counts its pending and late
    deliveries; the delivery slip carries the address's conditions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.goods = cls.env["product.product"].create(
            {"name": "Caja de Chiles", "type": "consu", "is_storable": True, "list_price": 50.0}
        )
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.env["stock.quant"]._update_available_quantity(cls.goods, warehouse.lot_stock_id, 100.0)
        cls.dock.write(
            {
                "delivery_appointment_required": True,
                "delivery_appointment_lead_hours": 24,
                "delivery_unloading_note": "Andén 3, descarga a cargo del chofer",
            }
        )
        cls.env["customer.delivery.window"].create(
            [
                {"partner_id": cls.dock.id, "weekday": weekday, "hour_from": 8.0, "hour_to": 12.0}
                for weekday in ("0", "3")  # Monday and Thursday mornings, in Madrid
            ]
        )

    def _confirmed_order(self, commitment_date):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "partner_shipping_id": self.dock.id,
                "commitment_date": commitment_date,
                "order_line": [Command.create({"product_id": self.goods.id, "product_uom_qty": 3})],
            }
        )
        order.action_confirm()
        return order

    def test_procurement_date_moves_to_the_next_slot(self):
        """An order promised on Tuesday afternoon is delivered on Thursday at 08:00 in Madrid, even when the
        policy refuses dates outside the windows (the date is the system's, not a user's)."""
        self.company.customer_delivery_window_policy = "refuse"
        order = self._confirmed_order(datetime(2027, 3, 22, 8, 0))  # Monday 09:00 CET, in the window
        self.assertEqual(order.picking_ids.scheduled_date, datetime(2027, 3, 22, 8, 0))
        # Without a promised date, the procurement's (now) moves to the next Monday or Thursday morning.
        order = self._confirmed_order(False)
        picking = order.picking_ids
        self.assertIn(picking.scheduled_date.weekday(), (0, 3))
        self.assertFalse(picking.delivery_window_warning)
        self.assertTrue(self.dock._get_delivery_rules().windows)
        self.company.customer_delivery_window_policy = "warn"
        order = self._confirmed_order(datetime(2027, 3, 23, 15, 0))
        self.assertEqual(order.picking_ids.scheduled_date, datetime(2027, 3, 25, 7, 0))  # Thursday 08:00 CET
        self.assertFalse(order.picking_ids.delivery_window_warning)

    def test_user_date_outside_is_refused_or_warned(self):
        order = self._confirmed_order(datetime(2027, 3, 22, 8, 0))  # Monday 09:00 CET
        picking = order.picking_ids
        self.company.customer_delivery_window_policy = "refuse"
        with self._refused("outside the delivery windows"):
            picking.scheduled_date = datetime(2027, 3, 23, 9, 0)
        self.assertEqual(picking.scheduled_date, datetime(2027, 3, 22, 8, 0))
        # The moves' date is the transfer's scheduled date: no way around the policy through them.
        with self._refused("outside the delivery windows"):
            picking.move_ids.date = datetime(2027, 3, 23, 9, 0)
        self.assertEqual(picking.move_ids.date, datetime(2027, 3, 22, 8, 0))
        self.assertEqual(picking.scheduled_date, datetime(2027, 3, 22, 8, 0))
        self.company.customer_delivery_window_policy = "warn"
        picking.scheduled_date = datetime(2027, 3, 23, 9, 0)
        self.assertIn("the next slot is", picking.delivery_window_warning)

    def test_appointment_filter_and_counters(self):
        order = self._confirmed_order(datetime(2027, 3, 22, 8, 0))
        picking = order.picking_ids
        self.assertTrue(picking.delivery_appointment_required)
        found = self.env["stock.picking"].search([("delivery_appointment_required", "=", True)])
        self.assertIn(picking, found)
        self.customer.delivery_appointment_required = False
        self.dock.delivery_appointment_required = False
        self.assertFalse(picking.delivery_appointment_required)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.customer_pending_delivery_count, 1)
        self.assertEqual(self.customer.customer_late_delivery_count, 0)
        picking.scheduled_date = datetime(2020, 1, 6, 8, 0)  # a Monday, long past
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.customer_late_delivery_count, 1)
        action = self.customer.with_context(
            customer_360_count="customer_late_delivery_count"
        ).action_open_customer_360()
        self.assertEqual(self.env["stock.picking"].search(action["domain"]), picking)
        # Dispatched: done, with its carrier and tracking reference in the customer's list of deliveries.
        self.assertEqual(self.customer.customer_dispatched_delivery_count, 0)
        picking.write({"carrier_tracking_ref": "MX-4471-22"})
        picking.move_ids.quantity = 3
        picking.button_validate()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.customer_pending_delivery_count, 0)
        self.assertEqual(self.customer.customer_dispatched_delivery_count, 1)
        action = self.customer.with_context(
            customer_360_count="customer_dispatched_delivery_count"
        ).action_open_customer_360()
        self.assertEqual(self.env["stock.picking"].search(action["domain"]), picking)
        columns = self.env["stock.picking"].get_views([(action["view_id"][0], "list")])["views"]["list"]["arch"]
        for fname in ("carrier_id", "carrier_tracking_ref", "backorder_id", "date_done"):
            self.assertIn(f'name="{fname}"', columns)

    def test_transfer_heavier_than_the_vehicle_is_warned(self):
        """A delivery heavier than the largest vehicle its address receives says so on the transfer, in kg."""
        self.goods.weight = 40.0
        self.dock.delivery_vehicle_type_id = self.env["customer.vehicle.type"].create(
            {"name": "Camioneta 3.5 t", "max_weight": 100.0}
        )
        picking = self._confirmed_order(datetime(2027, 3, 22, 8, 0)).picking_ids  # 3 boxes, 120 kg
        self.assertIn("weighs 120 kg, more than the 100 kg", picking.delivery_vehicle_warning)
        self.assertIn("Camioneta 3.5 t", picking.delivery_vehicle_warning)
        picking.move_ids.product_uom_qty = 2
        self.assertFalse(picking.delivery_vehicle_warning)
        # Once it has left, there is nothing to warn about, whatever its weight.
        picking.move_ids.product_uom_qty = 3
        picking.move_ids.quantity = 3
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.delivery_vehicle_warning)

    def test_delivery_slip_carries_the_conditions(self):
        order = self._confirmed_order(datetime(2027, 3, 22, 8, 0))
        html = self.env["ir.actions.report"]._render_qweb_html("stock.report_deliveryslip", order.picking_ids.ids)[0]
        html = html.decode()
        self.assertIn("Delivery Conditions", html)
        self.assertIn("Andén 3, descarga a cargo del chofer", html)
        self.assertIn("Appointment required, 24 hours ahead", html)
        self.assertIn("Monday 08:00-12:00, Thursday 08:00-12:00", html)
