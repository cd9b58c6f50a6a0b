"""The credit check of orders over XML-RPC: every way to confirm an order or make it grow is judged."""

from odoo import Command
from odoo.tests import tagged

from .common import CreditSecurityRpcCase


@tagged("post_install", "-at_install")
class TestOrderCreditRpc(CreditSecurityRpcCase):
    """An order over its customer's credit is confirmed by no context key, state, line, packaging, computed
    figure or other customer, and grows within the credit only."""

    def _service(self, price, name="Servicio Variable"):
        return self.env["product.product"].create(
            {"name": name, "type": "service", "list_price": price, "taxes_id": [Command.clear()]}
        )

    def _order_for(self, customer, product, qty=1.0, **values):
        return self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": self.seller.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty})],
                **values,
            }
        )

    def test_context_key_does_not_skip_credit_check(self):
        """The former skip flag in the context does not confirm an order over the limit."""
        fault = self._refused(
            self.seller,
            "sale.order",
            "action_confirm",
            [self.order.id],
            context={"customer_management_skip_credit_check": True},
        )
        self.assertIn("credit limit", fault)
        self.assertEqual(self.order.state, "draft")

    def test_writing_the_state_passes_the_credit_check(self):
        """Writing state 'sale' on an order over the limit, or creating one confirmed, is refused."""
        self._refused(self.seller, "sale.order", "write", [self.order.id], {"state": "sale"})
        self.assertEqual(self.order.state, "draft")
        orders = self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)])
        self._refused(
            self.seller,
            "sale.order",
            "create",
            {"partner_id": self.customer.id, "state": "sale", "order_line": [[0, 0, {"product_id": self.product.id}]]},
        )
        self.assertEqual(self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)]), orders)

    def test_cancelled_order_confirmed_by_writing_the_state_is_judged(self):
        """A cancelled order over the limit is not confirmed by writing its state."""
        self._call(self.seller, "sale.order", "action_cancel", [self.order.id])
        self.assertEqual(self.order.state, "cancel")
        self.assertIn(
            "credit limit", self._refused(self.seller, "sale.order", "write", [self.order.id], {"state": "sale"})
        )
        self.assertEqual(self.order.state, "cancel")

    def test_confirmed_order_grows_within_credit_only(self):
        """A confirmed order cannot grow past its customer's limit by new lines or a larger quantity."""
        order = self._order_for(self.customer, self._service(1000.0, "Servicio Chico"))
        self._call(self.seller, "sale.order", "action_confirm", [order.id])
        self.assertEqual(order.state, "sale")
        self._refused(
            self.seller, "sale.order", "write", [order.id], {"order_line": [[0, 0, {"product_id": self.product.id}]]}
        )
        self._refused(self.seller, "sale.order.line", "write", order.order_line.ids, {"product_uom_qty": 50})
        self.assertRecordValues(order, [{"amount_total": 1000.0}])
        self._call(self.seller, "sale.order.line", "write", order.order_line.ids, {"product_uom_qty": 2})
        self.assertEqual(order.amount_total, 2000.0)

    def test_line_moved_into_a_confirmed_order_is_judged(self):
        """Moving a quotation's line into a confirmed order makes it grow: refused past the limit."""
        confirmed = self._order_for(self.customer, self._service(500.0, "Servicio Menor"))
        confirmed.action_confirm()
        line = self.order.order_line
        self._refused(self.seller, "sale.order.line", "write", line.ids, {"order_id": confirmed.id})
        self._refused(self.seller, "sale.order", "write", [confirmed.id], {"order_line": [[4, line.id]]})
        self.assertEqual(line.order_id, self.order)
        self.assertEqual(confirmed.amount_total, 500.0)

    def test_confirmed_order_does_not_grow_by_packaging(self):
        """A confirmed order does not grow past the limit through its lines' packaging."""
        small = self.env["product.product"].create(
            {"name": "Caja Empacada", "type": "consu", "list_price": 1000.0, "taxes_id": [Command.clear()]}
        )
        packaging = self.env["product.packaging"].create({"name": "Tarima", "product_id": small.id, "qty": 10.0})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.seller.id,
                "order_line": [Command.create({"product_id": small.id})],
            }
        )
        self._call(self.seller, "sale.order", "action_confirm", [order.id])
        self._refused(
            self.seller,
            "sale.order.line",
            "write",
            order.order_line.ids,
            {"product_packaging_id": packaging.id, "product_packaging_qty": 3},
        )
        self.assertEqual(order.amount_total, 1000.0)

    def test_computed_order_fields_the_engine_reads_are_not_written(self):
        """A salesperson cannot lower what a customer owes by writing an order's computed figures; sending back
        the values it read is accepted."""
        order = self._order_for(self.customer, self._service(900.0, "Servicio Computado"))
        self._call(self.seller, "sale.order", "action_confirm", [order.id])
        exposure = self.customer.sudo().credit_exposure
        line = order.order_line
        for model, ids, vals in (
            ("sale.order", order.ids, {"invoice_status": "invoiced"}),
            ("sale.order", order.ids, {"currency_rate": 1e6}),
            ("sale.order", order.ids, {"currency_rate": "abc"}),
            ("sale.order.line", line.ids, {"qty_invoiced": 1.0}),
            ("sale.order.line", line.ids, {"price_total": 0.01}),
        ):
            self.assertIn("computed", self._refused(self.seller, model, "write", ids, vals))
        self.assertEqual(self.customer.sudo().credit_exposure, exposure)
        self._call(self.seller, "sale.order.line", "write", line.ids, {"qty_invoiced": 0.0, "price_total": 900.0})

    def test_invoice_address_without_limit_does_not_lift_the_customer_limit(self):
        """Invoicing an order to a customer without a limit still checks the order's customer's limit."""
        shell_id = self._call(self.seller, "res.partner", "create", {"name": "Sin Límite", "is_company": True})
        self._call(self.seller, "sale.order", "write", [self.order.id], {"partner_invoice_id": shell_id})
        self.assertIn("Abarrotes Seguros", self._refused(self.seller, "sale.order", "action_confirm", [self.order.id]))
        self.assertEqual(self.order.state, "draft")

    def test_orders_invoiced_on_delivery_count_before_they_ship(self):
        """A confirmed order of goods invoiced on delivery counts in the exposure before it ships: the next order
        that the two do not fit is refused."""
        goods = self.env["product.product"].create(
            {"name": "Caja por Entrega", "type": "consu", "invoice_policy": "delivery", "list_price": 6000.0,
             "taxes_id": [Command.clear()]}
        )  # fmt: skip
        first, second = self.env["sale.order"].create(
            [{"partner_id": self.customer.id, "user_id": self.seller.id,
              "order_line": [Command.create({"product_id": goods.id})]}] * 2
        )  # fmt: skip
        self._call(self.seller, "sale.order", "action_confirm", [first.id])
        self.assertEqual(self.customer.sudo().credit_exposure, self.invoice.amount_total + first.amount_total)
        self._refused(self.seller, "sale.order", "action_confirm", [second.id])
        self.assertEqual(second.state, "draft")

    def test_order_crediting_the_customer_makes_no_room(self):
        """An order with a negative total adds nothing to the exposure and makes no room for a large order."""
        service = self._service(100.0)
        credit_order = self._order_for(self.customer, service, qty=-100)
        self._call(self.seller, "sale.order", "action_confirm", [credit_order.id])
        self.assertEqual(self.customer.sudo().credit_exposure, self.invoice.amount_total)
        large = self._order_for(self.customer, self._service(9800.0, "Servicio Grande"))
        self._refused(self.seller, "sale.order", "action_confirm", [large.id])
        self.assertEqual(large.state, "draft")

    def test_order_billed_elsewhere_counts_for_its_own_customer(self):
        """An order invoiced to a customer without a limit counts in its own customer's exposure once confirmed."""
        unlimited_id = self._call(self.seller, "res.partner", "create", {"name": "Factura a Otro", "is_company": True})
        first = self._order_for(self.customer, self._service(9000.0), partner_invoice_id=unlimited_id)
        self._call(self.seller, "sale.order", "action_confirm", [first.id])
        self.assertEqual(self.customer.sudo().credit_exposure, self.invoice.amount_total + 9000.0)
        second = self._order_for(self.customer, self._service(1000.0, "Servicio Mil"), partner_invoice_id=unlimited_id)
        self._refused(self.seller, "sale.order", "action_confirm", [second.id])
        self.assertEqual(second.state, "draft")

    def test_confirmed_order_moved_to_a_blocked_customer_is_refused(self):
        """A confirmed order does not move onto a customer whose credit cannot take it."""
        order = self._order_for(self.customer, self._service(900.0))
        self._call(self.seller, "sale.order", "action_confirm", [order.id])
        small = self.env["res.partner"].create({"name": "Cliente Diminuto", "is_company": True})
        small.credit_limit = 10.0
        for vals in ({"partner_invoice_id": small.id}, {"partner_id": small.id, "partner_invoice_id": small.id}):
            self.assertIn("cannot move", self._refused(self.seller, "sale.order", "write", [order.id], vals))
        self.assertEqual(order.partner_invoice_id, self.customer)
