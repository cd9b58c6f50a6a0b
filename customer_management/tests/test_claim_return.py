"""The return flow of a claim, one traced chain: the claim returns goods of two orders on core's returns of their
deliveries, at most what each order line delivered; once they are back, the credit notes are core's reversals of
their invoices, at their price, for what came back only; every document links to the claim and back."""

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CustomerManagementCase


@tagged("post_install", "-at_install")
class TestClaimReturn(CustomerManagementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Papelería El Lápiz")
        cls.goods = cls.env["product.product"].create(
            {"name": "Caja de Cuadernos", "type": "consu", "is_storable": True, "list_price": 250.0}
        )
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.env["stock.quant"]._update_available_quantity(cls.goods, warehouse.lot_stock_id, 100.0)
        cls.invoices = {}
        cls.first = cls._delivered_and_invoiced(5, 250.0)
        cls.second = cls._delivered_and_invoiced(3, 240.0)
        cls.handler = new_test_user(
            cls.env,
            login="cm_return_handler",
            groups="sales_team.group_sale_salesman,stock.group_stock_user,account.group_account_invoice",
        )

    @classmethod
    def _delivered_and_invoiced(cls, quantity, price):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create({"product_id": cls.goods.id, "product_uom_qty": quantity, "price_unit": price})
                ],
            }
        )
        order.action_confirm()
        order.picking_ids.move_ids.write({"quantity": quantity, "picked": True})
        order.picking_ids.button_validate()
        invoice = order._create_invoices()
        invoice.action_post()
        cls.invoices[order] = invoice
        return order

    def _return_claim(self, *quantities, user=None):
        """A return claim of ``quantities`` of the first and second orders' lines."""
        lines = [
            Command.create({"sale_line_id": order.order_line.id, "quantity": quantity})
            for order, quantity in zip((self.first, self.second), quantities, strict=False)
            if quantity
        ]
        return (
            self.env["customer.claim"]
            .with_user(user or self.handler)
            .create({"partner_id": self.customer.id, "claim_type": "return", "line_ids": lines})
        )

    @staticmethod
    def _receive(pickings):
        for picking in pickings:
            for move in picking.move_ids:
                move.write({"quantity": move.product_uom_qty, "picked": True})
            picking.button_validate()

    def test_claim_return_credit_note_chain(self):
        claim = self._return_claim(4, 2)
        claim.action_create_return()
        returns = claim.picking_ids.with_env(self.env)
        self.assertEqual(len(returns), 2)  # one return per delivery
        self.assertEqual(set(returns.mapped("picking_type_code")), {"incoming"})
        # The orders' deliveries, whatever the order of their transfers (the returns are theirs now too).
        deliveries = (self.first | self.second).picking_ids.filtered(
            lambda picking: picking.picking_type_code == "outgoing"
        )
        self.assertEqual(len(deliveries), 2)
        self.assertEqual(returns.return_id, deliveries)
        self.assertEqual(
            sorted(returns.move_ids.mapped("product_uom_qty")),
            [2.0, 4.0],
        )
        self.assertTrue(all(returns.move_ids.mapped("to_refund")))
        self.assertEqual(claim.return_picking_count, 2)
        # Nothing came back yet: nothing to credit.
        with self.assertRefused(UserError, "Nothing of .* came back"):
            claim.action_create_credit_note()
        self.assertFalse(claim.credit_note_ids)

        self._receive(claim.picking_ids)
        # The goods are back: the responsible is asked to credit them.
        credit = self.env.ref("customer_management.mail_activity_type_claim_credit")
        self.assertRecordValues(
            claim.with_env(self.env).activity_ids, [{"activity_type_id": credit.id, "user_id": self.handler.id}]
        )
        self.assertEqual(claim.line_ids.mapped("qty_returned"), [4.0, 2.0])
        self.assertEqual((self.first.order_line.qty_delivered, self.second.order_line.qty_delivered), (1.0, 1.0))

        claim.action_create_credit_note()
        credit_notes = claim.credit_note_ids.with_env(self.env)
        self.assertEqual(len(credit_notes), 2)  # one reversal per invoice
        self.assertEqual(credit_notes.reversed_entry_id, self.invoices[self.first] | self.invoices[self.second])
        for order, quantity, price in ((self.first, 4.0, 250.0), (self.second, 2.0, 240.0)):
            note = credit_notes.filtered(lambda move, order=order: move.reversed_entry_id == self.invoices[order])
            self.assertEqual(note.move_type, "out_refund")
            self.assertRecordValues(
                note.invoice_line_ids,
                [{"product_id": self.goods.id, "quantity": quantity, "price_unit": price}],
            )
            self.assertEqual(note.invoice_line_ids.sale_line_ids, order.order_line)
        self.assertEqual(claim.line_ids.mapped("qty_credited"), [4.0, 2.0])
        self.assertEqual(self.first.order_line.qty_invoiced, 1.0)
        # Each document knows its claim.
        self.assertEqual(returns.customer_claim_id, claim)
        self.assertEqual(credit_notes.customer_claim_id, claim)
        self.assertEqual(returns[:1].action_open_customer_claim()["res_id"], claim.id)
        self.assertEqual(credit_notes[:1].action_open_customer_claim()["res_id"], claim.id)
        self.assertEqual(self.env["stock.picking"].search(claim.action_open_return_pickings()["domain"]), returns)
        self.assertEqual(self.env["account.move"].search(claim.action_open_credit_notes()["domain"]), credit_notes)
        self.assertFalse(claim.with_env(self.env).activity_ids)
        # On the customer 360, once posted: what came back in the last 12 months.
        credit_notes.action_post()
        self.customer.invalidate_recordset()
        self.assertAlmostEqual(self.customer.claim_returns_value_12m, 4 * 250.0 + 2 * 240.0)
        # Credited once.
        with self.assertRefused(UserError, "Nothing of .* came back"):
            claim.action_create_credit_note()

    def test_partial_reception_credits_what_came_back(self):
        claim = self._return_claim(4)
        claim.action_create_return()
        move = claim.picking_ids.move_ids
        move.write({"quantity": 3, "picked": True})
        claim.picking_ids.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=claim.picking_ids.ids
        ).button_validate()
        self.assertEqual(claim.picking_ids.state, "done")
        claim.action_create_credit_note()
        self.assertEqual(claim.credit_note_ids.invoice_line_ids.quantity, 3.0)

    def test_return_is_at_most_what_was_delivered_across_orders(self):
        with self.assertRefused(ValidationError, r"cannot return 6\.0 .* 5\.0 were delivered"):
            self._return_claim(6)
        self.assertFalse(self.env["customer.claim"].search([("partner_id", "=", self.customer.id)]))
        first = self._return_claim(4, 3)
        first.action_create_return()
        # Another claim has what the first's returns did not take: 1 of the first order, none of the second.
        with self.assertRefused(ValidationError, r"1\.0 were delivered and not returned yet"):
            self._return_claim(2)
        with self.assertRefused(ValidationError, r"0\.0 were delivered and not returned yet"):
            self._return_claim(0, 1)
        second = self._return_claim(1)
        second.action_create_return()
        self.assertEqual(second.picking_ids.move_ids.product_uom_qty, 1.0)
        # A line's quantity raised later is checked too, and one line per order line.
        with self.assertRaises(ValidationError):
            second.line_ids.quantity = 2
        with self.assertRefused(ValidationError, "returns an order line twice"):
            second.write({"line_ids": [Command.create({"sale_line_id": self.first.order_line.id, "quantity": 1})]})
        self.assertEqual(len(second.line_ids), 1)

    def test_return_and_replacement(self):
        claim = self._return_claim(2)
        claim.action_create_return_and_replacement()
        self.assertEqual(claim.return_picking_count, 1)
        self.assertEqual(claim.replacement_picking_count, 1)
        replacement = claim.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual(replacement.move_ids.product_uom_qty, 2.0)
        self.assertEqual(replacement.move_ids.sale_line_id, self.first.order_line)

    def test_only_a_return_with_something_to_return(self):
        claim = self.env["customer.claim"].create({"partner_id": self.customer.id, "claim_type": "claim"})
        with self.assertRefused(UserError, "is not a return"):
            claim.action_create_return()
        empty = self.env["customer.claim"].create({"partner_id": self.customer.id, "claim_type": "return"})
        with self.assertRefused(UserError, "Nothing of .* is left to return"):
            empty.action_create_return()
        self.assertFalse(empty.picking_ids)

    def test_links_are_the_workflows(self):
        """A caller links no transfer or credit note to a claim, nor numbers a claim itself."""
        claim = self._return_claim(1)
        picking = self.first.picking_ids
        invoice = self.invoices[self.first]
        with self.assertRefused(UserError, "is set by its workflow"):
            picking.with_user(self.handler).customer_claim_id = claim
        with self.assertRefused(UserError, "is set by its workflow"):
            invoice.with_user(self.handler).write({"customer_claim_id": claim.id})
        with self.assertRefused(UserError, "is set by its workflow"):
            self.env["customer.claim"].with_user(self.handler).create(
                {"partner_id": self.customer.id, "name": "RCL/FORGED/1"}
            )
        self.assertFalse(picking.customer_claim_id)
        self.assertFalse(invoice.customer_claim_id)
        self.assertTrue(claim.name.startswith("RCL/"))
