"""Claims over XML-RPC, as a salesperson: a claim filed for a customer's contact is the customer's; bad input
(closing without a resolution, a line on another customer's order, a closing date given) refused with a clear error
and nothing written; another company's claims out of reach."""

from odoo import Command
from odoo.tests import tagged

from .common import CreditSecurityRpcCase


@tagged("post_install", "-at_install")
class TestClaimsRpc(CreditSecurityRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls.env["res.partner"].create({"name": "Eléctrica del Bajío", "is_company": True})
        cls.goods = cls.env["product.product"].create({"name": "Cable THW 12", "list_price": 900.0})
        cls.sold = cls.env["sale.order"].create(
            {"partner_id": cls.buyer.id, "order_line": [Command.create({"product_id": cls.goods.id})]}
        )
        cls.sold.action_confirm()
        cls.neighbour = cls.env["res.partner"].create({"name": "Iluminación Norteña", "is_company": True})
        cls.foreign = cls.env["sale.order"].create(
            {"partner_id": cls.neighbour.id, "order_line": [Command.create({"product_id": cls.goods.id})]}
        )
        cls.foreign.action_confirm()
        cls.resolved = cls.env.ref("customer_management.customer_claim_stage_resolved")

    def _claims(self):
        return self.env["customer.claim"].search([("partner_id", "=", self.buyer.id)])

    def test_salesperson_files_a_claim_and_cannot_close_it_empty(self):
        claim_id = self._call(
            self.seller,
            "customer.claim",
            "create",
            {
                "partner_id": self.buyer.id,
                "claim_type": "claim",
                "description": "<p>Rollo con el aislante dañado</p>",
                "line_ids": [(0, 0, {"sale_line_id": self.sold.order_line.id, "quantity": 1})],
            },
        )
        claim = self.env["customer.claim"].browse(claim_id)
        self.assertEqual((claim.partner_id, claim.line_ids.product_id), (self.buyer, self.goods))
        stage = claim.stage_id
        fault = self._refused(self.seller, "customer.claim", "write", [claim_id], {"stage_id": self.resolved.id})
        self.assertIn("Write the resolution of", fault)
        self.assertEqual(claim.stage_id, stage)
        self.assertFalse(claim.date_closed)
        fault = self._refused(
            self.seller, "customer.claim", "write", [claim_id], {"date_closed": "2026-01-01 00:00:00"}
        )
        self.assertIn("is set by its workflow", fault)
        self.assertFalse(claim.date_closed)
        self._call(
            self.seller,
            "customer.claim",
            "write",
            [claim_id],
            {"stage_id": self.resolved.id, "resolution": "<p>Se cambió el rollo</p>"},
        )
        self.assertTrue(claim.date_closed)

    def test_bad_claims_are_refused_and_nothing_written(self):
        for values, message in (
            (
                {"line_ids": [(0, 0, {"sale_line_id": self.foreign.order_line.id, "quantity": 1})]},
                "is not one of Eléctrica del Bajío",
            ),
            ({"line_ids": [(0, 0, {"product_id": self.goods.id, "quantity": -2})]}, "must be positive"),
            ({"claim_type": "refund"}, "Type"),
            (
                {
                    "claim_type": "return",
                    "line_ids": [(0, 0, {"sale_line_id": self.sold.order_line.id, "quantity": 1})],
                },
                "were delivered and not returned yet",
            ),
            ({"name": "RCL/FORGED/1"}, "is set by its workflow"),
            ({"date_closed": "2026-01-01 00:00:00"}, "is set by its workflow"),
            ({"stage_id": self.resolved.id}, "Write the resolution of"),
        ):
            with self.subTest(values=values):
                fault = self._refused(self.seller, "customer.claim", "create", {"partner_id": self.buyer.id, **values})
                self.assertIn(message, fault)
                self.assertFalse(self._claims())

    def test_credit_note_of_nothing_received_is_refused(self):
        """A return whose goods did not come back has nothing to credit: refused, no credit note written."""
        goods = self.env["product.product"].create({"name": "Contacto Doble", "is_storable": True, "list_price": 80.0})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        self.env["stock.quant"]._update_available_quantity(goods, warehouse.lot_stock_id, 10.0)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.buyer.id,
                "order_line": [Command.create({"product_id": goods.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        order.picking_ids.move_ids.write({"quantity": 2, "picked": True})
        order.picking_ids.button_validate()
        claim_id = self._call(
            self.seller,
            "customer.claim",
            "create",
            {
                "partner_id": self.buyer.id,
                "claim_type": "return",
                "line_ids": [(0, 0, {"sale_line_id": order.order_line.id, "quantity": 2})],
            },
        )
        fault = self._refused(
            self.seller,
            "customer.claim",
            "write",
            [claim_id],
            {"line_ids": [(1, self.env["customer.claim"].browse(claim_id).line_ids.id, {"quantity": 3})]},
        )
        self.assertIn("2.0 were delivered and not returned yet", fault)
        fault = self._refused(self.seller, "customer.claim", "action_create_credit_note", [claim_id])
        self.assertIn("came back that is not credited yet", fault)
        claim = self.env["customer.claim"].browse(claim_id)
        self.assertEqual(claim.line_ids.quantity, 2.0)
        self.assertFalse(claim.credit_note_ids)
        self.assertFalse(
            self.env["account.move"].search([("move_type", "=", "out_refund"), ("partner_id", "=", self.buyer.id)])
        )

    def test_portal_users_and_other_companies_do_not_reach_claims(self):
        claim = self.env["customer.claim"].create({"partner_id": self.buyer.id})
        self._refused(self.portal, "customer.claim", "read", claim.ids, ["name"])
        other_company = self.env["res.company"].create({"name": "Filial Sur"})
        foreign_claim = (
            self.env["customer.claim"]
            .with_company(other_company)
            .create({"partner_id": self.buyer.id, "company_id": other_company.id})
        )
        found = self._call(self.seller, "customer.claim", "search", [("partner_id", "=", self.buyer.id)])
        self.assertEqual(found, claim.ids)
        self._refused(self.seller, "customer.claim", "read", foreign_claim.ids, ["name"])

    def test_service_log_bad_input_and_others_contacts(self):
        """A contact on another customer's claim, or without outcome nor note, is refused; another agent's contact
        is read, not rewritten nor deleted; a portal user does not reach the log."""
        claim = self.env["customer.claim"].create({"partner_id": self.buyer.id})
        for values, message in (
            ({"partner_id": self.neighbour.id, "claim_id": claim.id, "outcome": "solved"}, "not of the customer"),
            ({"partner_id": self.buyer.id, "kind": "call"}, "needs its outcome or a note"),
            ({"partner_id": self.buyer.id, "outcome": "paid"}, "Outcome"),
        ):
            with self.subTest(values=values):
                fault = self._refused(self.seller, "customer.service.log", "create", values)
                self.assertIn(message, fault)
        logs = self.env["customer.service.log"].search([("partner_id", "in", (self.buyer | self.neighbour).ids)])
        self.assertFalse(logs)
        log_id = self._call(
            self.seller, "customer.service.log", "create", {"claim_id": claim.id, "outcome": "informed"}
        )
        [read] = self._call(self.other_seller, "customer.service.log", "read", [log_id], ["partner_id", "outcome"])
        self.assertEqual(read["partner_id"][0], self.buyer.id)
        self._refused(self.other_seller, "customer.service.log", "write", [log_id], {"outcome": "solved"})
        self._refused(self.other_seller, "customer.service.log", "unlink", [log_id])
        self._refused(self.portal, "customer.service.log", "search_read", [], ["note"])
        self.assertRecordValues(self.env["customer.service.log"].browse(log_id), [{"outcome": "informed"}])
