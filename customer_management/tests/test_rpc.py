"""The public fields over XML-RPC and JSON-RPC, as integrators use them against the running server."""

import xmlrpc.client

from odoo import Command
from odoo.tests import tagged

from .common import SALESPERSON_GROUPS, RpcCase


@tagged("post_install", "-at_install")
class TestExternalApi(RpcCase):
    """The public fields as integrators use them, over XML-RPC against the running server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"country_id": cls.env.ref("base.mx").id, "customer_vat_policy": "national_company"})
        cls.env["customer.zone"].search([]).active = False
        cls.zone = cls.env["customer.zone"].create(
            {
                "name": "RPC North",
                "code": "RPC-N",
                "country_ids": [Command.set(cls.env.ref("base.mx").ids)],
                "state_ids": [Command.set(cls.env.ref("base.state_mx_nl").ids)],
            }
        )
        cls.channel = cls.env["customer.channel"].create({"name": "RPC Distributor", "code": "RPC-D"})
        cls.integrator = cls._create_rpc_user("cm_integrator", SALESPERSON_GROUPS)

    def test_create_and_read_classified_customer(self):
        """An integrator creates a classified customer and reads back its classification."""
        partner_id = self._xml_rpc(
            self.integrator,
            "res.partner",
            "create",
            {
                "name": "Distribuidora Regiomontana",
                "is_company": True,
                "customer_rank": 1,
                "vat": "DRE010203AB4",
                "country_id": self.env.ref("base.mx").id,
                "state_id": self.env.ref("base.state_mx_nl").id,
                "customer_segment": "wholesale",
                "payment_mode": "cash",
                "customer_channel_id": self.channel.id,
            },
        )
        [values] = self._xml_rpc(
            self.integrator,
            "res.partner",
            "read",
            [partner_id],
            fields=["customer_segment", "payment_mode", "customer_scope", "customer_zone_id", "customer_channel_id"],
        )
        self.assertEqual(values["customer_segment"], "wholesale")
        self.assertEqual(values["payment_mode"], "cash")
        self.assertEqual(values["customer_scope"], "national")
        self.assertEqual(values["customer_zone_id"], [self.zone.id, "RPC North"])
        self.assertEqual(values["customer_channel_id"], [self.channel.id, "RPC Distributor"])
        found = self._xml_rpc(
            self.integrator, "res.partner", "search", [("customer_scope", "=", "national"), ("id", "=", partner_id)]
        )
        self.assertEqual(found, [partner_id])

    def test_bad_input_is_a_clear_fault_and_saves_nothing(self):
        """A national company without tax ID is refused over XML-RPC with the policy's message."""
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._xml_rpc(
                self.integrator,
                "res.partner",
                "create",
                {
                    "name": "Sin RFC S.A. de C.V.",
                    "is_company": True,
                    "customer_rank": 1,
                    "country_id": self.env.ref("base.mx").id,
                },
            )
        self.assertIn("Tax ID", caught.exception.faultString)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Sin RFC S.A. de C.V.")]))

    def test_salesperson_cannot_create_zone_over_rpc(self):
        """The access rules hold over XML-RPC."""
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._xml_rpc(self.integrator, "customer.zone", "create", {"name": "Rogue"})
        self.assertIn("not allowed to create 'Customer Zone'", caught.exception.faultString)

    def test_json_rpc_reads_and_refuses_like_xml_rpc(self):
        """Over JSON-RPC a classified customer is searchable by its classification, and bad input is a named error."""
        customer = self.env["res.partner"].create(
            {
                "name": "Cliente JSON",
                "is_company": True,
                "country_id": self.env.ref("base.us").id,
                "customer_segment": "retail",
                "customer_channel_id": self.channel.id,
            }
        )
        result = self._json_rpc(
            self.integrator,
            "res.partner",
            "search_read",
            [("customer_channel_id", "=", self.channel.id), ("customer_scope", "=", "international")],
            fields=["customer_segment", "customer_scope"],
        )["result"]
        self.assertEqual(result, [{"id": customer.id, "customer_segment": "retail", "customer_scope": "international"}])
        error = self._json_rpc(
            self.integrator, "res.partner", "write", [customer.id], {"customer_segment": "distributor"}
        )["error"]
        self.assertEqual(error["data"]["name"], "odoo.exceptions.ValidationError")
        self.assertIn("Segment", error["data"]["message"])
        self.assertEqual(customer.customer_segment, "retail")
        error = self._json_rpc(
            self.integrator,
            "res.partner",
            "write",
            [customer.id],
            {"country_id": self.env.ref("base.mx").id, "vat": False},
        )["error"]
        self.assertEqual(error["data"]["name"], "odoo.exceptions.ValidationError")
        self.assertIn("Tax ID", error["data"]["message"])

    def test_commercial_condition_bad_input_is_a_clear_fault(self):
        """Over XML-RPC a negative limit, an end before the start or a discount over 100% is refused, nothing saved."""
        customer = self.env["res.partner"].create({"name": "Cliente RPC", "is_company": True})
        base = {"partner_id": customer.id, "reason": "RPC"}
        for values, message in (
            ({"credit_limit": -10.0}, "cannot be negative"),
            ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, "cannot end"),
            ({"discount_percent": 150.0}, "between 0 and 100"),
        ):
            with self.assertRaises(xmlrpc.client.Fault) as caught:
                self._xml_rpc(self.integrator, "customer.commercial.condition", "create", {**base, **values})
            self.assertIn(message, caught.exception.faultString)
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._xml_rpc(self.integrator, "res.partner", "write", [customer.id], {"customer_discount_percent": 150.0})
        self.assertIn("between 0 and 100", caught.exception.faultString)
        self.assertFalse(self.env["customer.commercial.condition"].search([("partner_id", "=", customer.id)]))

    def test_salesperson_requests_raise_over_rpc(self):
        """An integrator with a salesperson's rights requests a raise, and cannot approve it."""
        customer = self.env["res.partner"].create({"name": "Cliente Crédito", "is_company": True})
        customer.credit_limit = 10000.0
        version_id = self._xml_rpc(
            self.integrator,
            "customer.commercial.condition",
            "create",
            {"partner_id": customer.id, "credit_limit": 25000.0, "reason": "Temporada alta"},
        )
        self._xml_rpc(self.integrator, "customer.commercial.condition", "action_submit", [version_id])
        [values] = self._xml_rpc(
            self.integrator, "customer.commercial.condition", "read", [version_id], fields=["state"]
        )
        self.assertEqual(values["state"], "to_approve")
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._xml_rpc(self.integrator, "customer.commercial.condition", "action_approve", [version_id])
        self.assertIn("Only a credit manager", caught.exception.faultString)
