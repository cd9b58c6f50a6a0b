"""Delivery windows and restrictions over XML-RPC, as a salesperson: bad input refused with a clear error and
nothing written; the company's policy refuses a delivery date outside the windows; forbidden carriers refused."""

from odoo import Command
from odoo.tests import tagged

from .common import SALESPERSON_GROUPS, CreditSecurityRpcCase


@tagged("post_install", "-at_install")
class TestDeliveryWindowsRpc(CreditSecurityRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.address = cls.env["res.partner"].create(
            {"name": "Andén Sur", "type": "delivery", "parent_id": cls.customer.id, "tz": "America/Santiago"}
        )
        cls.window = cls.env["customer.delivery.window"].create(
            {"partner_id": cls.address.id, "weekday": "0", "hour_from": 8.0, "hour_to": 12.0}
        )
        product = cls.env["product.product"].create({"name": "Flete Sur", "type": "service"})
        cls.carrier = cls.env["delivery.carrier"].create({"name": "Fletes Prohibidos", "product_id": product.id})
        cls.customer.delivery_forbidden_carrier_ids = cls.carrier
        cls.order.partner_shipping_id = cls.address

    def _windows(self):
        return self.env["customer.delivery.window"].search([("partner_id", "=", self.address.id)])

    def test_bad_windows_are_refused_and_nothing_written(self):
        for values, message in (
            ({"weekday": "1", "hour_from": 25.0, "hour_to": 26.0}, "is an hour from 00:00 to 23:59"),
            ({"weekday": "1", "hour_from": 9.0, "hour_to": 9.0}, "opens and closes at the same hour"),
            ({"weekday": "0", "hour_from": 11.0, "hour_to": 14.0}, "overlap"),
            ({"weekday": "8", "hour_from": 9.0, "hour_to": 10.0}, "Weekday"),
            ({"weekday": "1", "hour_from": "nueve", "hour_to": 10.0}, "From"),
        ):
            with self.subTest(values=values):
                fault = self._refused(
                    self.seller, "customer.delivery.window", "create", {"partner_id": self.address.id, **values}
                )
                self.assertIn(message, fault)
        fault = self._refused(self.seller, "customer.delivery.window", "write", self.window.ids, {"hour_to": 8.0})
        self.assertIn("opens and closes at the same hour", fault)
        self.assertRecordValues(self._windows(), [{"weekday": "0", "hour_from": 8.0, "hour_to": 12.0}])
        fault = self._refused(self.seller, "res.partner", "write", self.address.ids, {"tz": "Mars/Olympus_Mons"})
        self.assertIn("Timezone", fault)
        self.assertEqual(self.address.tz, "America/Santiago")

    def test_window_on_a_contact_person_is_refused(self):
        person = self.env["res.partner"].create(
            {"name": "Rosa Vidal", "type": "contact", "parent_id": self.customer.id}
        )
        fault = self._refused(
            self.seller,
            "res.partner",
            "write",
            person.ids,
            {"delivery_window_ids": [(0, 0, {"weekday": "2", "hour_from": 8.0, "hour_to": 9.0})]},
        )
        self.assertIn("is not a delivery address", fault)
        self.assertFalse(self.env["customer.delivery.window"].search([("partner_id", "=", person.id)]))

    def test_refuse_policy_refuses_a_date_outside_over_rpc(self):
        self.company.customer_delivery_window_policy = "refuse"
        # Tuesday 10:00 in Santiago (-03 in December).
        fault = self._refused(
            self.seller, "sale.order", "write", self.order.ids, {"commitment_date": "2027-01-05 13:00:00"}
        )
        self.assertIn("outside the delivery windows", fault)
        self.assertFalse(self.order.commitment_date)
        # Monday 10:00 in Santiago is in its window.
        self._call(self.seller, "sale.order", "write", self.order.ids, {"commitment_date": "2027-01-04 13:00:00"})
        self.assertEqual(str(self.order.commitment_date), "2027-01-04 13:00:00")
        # The policy is the company's: no context key lets a caller past it.
        self._refused(
            self.seller,
            "sale.order",
            "write",
            self.order.ids,
            {"commitment_date": "2027-01-05 13:00:00"},
            context={"customer_delivery_window_policy": "warn", "skip_delivery_window": True},
        )
        self.assertEqual(str(self.order.commitment_date), "2027-01-04 13:00:00")

    def test_forbidden_carrier_is_refused_over_rpc(self):
        fault = self._refused(self.seller, "sale.order", "write", self.order.ids, {"carrier_id": self.carrier.id})
        self.assertIn("Fletes Prohibidos may not deliver to", fault)
        self.assertFalse(self.order.carrier_id)

    def test_only_managers_configure_vehicle_types(self):
        self._refused(self.seller, "customer.vehicle.type", "create", {"name": "Tráiler", "max_weight": 30000.0})
        self.assertFalse(self.env["customer.vehicle.type"].search([("name", "=", "Tráiler")]))
        vehicle_id = self._call(
            self.admin_cm, "customer.vehicle.type", "create", {"name": "Tráiler", "max_weight": 30000.0}
        )
        self._call(self.seller, "res.partner", "write", self.address.ids, {"delivery_vehicle_type_id": vehicle_id})
        self.assertEqual(self.address.delivery_vehicle_type_id.id, vehicle_id)

    def test_windows_of_another_company_are_not_read(self):
        """A window of an address of another company is out of reach of a user of this one."""
        other = self._create_company("Distribuidora Andina")
        address = self.env["res.partner"].create(
            {"name": "Bodega Andina", "type": "delivery", "company_id": other.id, "parent_id": False}
        )
        window = self.env["customer.delivery.window"].create(
            {"partner_id": address.id, "weekday": "3", "hour_from": 8.0, "hour_to": 9.0}
        )
        self.assertEqual(window.company_id, other)
        found = self._call(self.seller, "customer.delivery.window", "search", [("id", "=", window.id)])
        self.assertEqual(found, [])
        other_seller = self._create_rpc_user(
            "cm_window_other_seller", SALESPERSON_GROUPS, company_id=other.id, company_ids=[Command.set(other.ids)]
        )
        self.assertEqual(
            self._call(other_seller, "customer.delivery.window", "search", [("id", "=", window.id)]), [window.id]
        )
