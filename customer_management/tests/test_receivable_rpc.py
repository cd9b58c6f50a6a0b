"""The aging over XML-RPC: the partner's fields, the workspace and the searches an integrator reads."""

import xmlrpc.client
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import COLLECTOR_GROUPS, RpcCase


@tagged("post_install", "-at_install")
class TestReceivableRpc(RpcCase):
    """The aging over XML-RPC, as an integrator reads it: the partner's fields, the workspace, the searches."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = cls._create_rpc_user("cm_rpc_collector", COLLECTOR_GROUPS)
        cls.customer = cls.env["res.partner"].create({"name": "Cobranza RPC", "is_company": True})
        today = fields.Date.today()
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": today - timedelta(days=120),
                "invoice_date_due": today - timedelta(days=100),
                "invoice_line_ids": [
                    Command.create({"name": "Mercancía", "quantity": 1, "price_unit": 500.0, "tax_ids": []})
                ],
            }
        )
        cls.invoice.action_post()

    def test_read_aging_fields(self):
        """An integrator reads a customer's aging with ``read``."""
        [values] = self._xml_rpc(
            self.collector,
            "res.partner",
            "read",
            [self.customer.id],
            fields=["receivable_over_90", "overdue_amount", "oldest_overdue_days"],
        )
        self.assertEqual(
            (values["receivable_over_90"], values["overdue_amount"], values["oldest_overdue_days"]), (500.0, 500.0, 100)
        )

    def test_search_customers_overdue_more_than_90_days(self):
        """An integrator finds the customers overdue more than 90 days with a domain on the aging field."""
        ids = self._xml_rpc(
            self.collector, "res.partner", "search", [("receivable_over_90", ">", 0), ("id", "=", self.customer.id)]
        )
        self.assertEqual(ids, self.customer.ids)

    def test_read_the_workspace(self):
        """An integrator reads the receivables by customer from the report model."""
        rows = self._xml_rpc(
            self.collector,
            "customer.receivable.report",
            "search_read",
            [("partner_id", "=", self.customer.id)],
            fields=["receivable_over_90", "oldest_overdue_days"],
        )
        self.assertEqual([(row["receivable_over_90"], row["oldest_overdue_days"]) for row in rows], [(500.0, 100)])

    def test_search_with_a_text_is_refused_clearly(self):
        """A search comparing a figure to a text returns a translated error, not an SQL failure."""
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._xml_rpc(self.collector, "res.partner", "search", [("overdue_amount", ">", "mucho")])
        self.assertIn("compare to numbers", caught.exception.faultString)
