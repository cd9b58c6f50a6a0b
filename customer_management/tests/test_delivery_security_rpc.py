"""Deliveries to a customer on hold over XML-RPC: goods leave through a validation that judges them only."""

from odoo import Command
from odoo.tests import tagged

from .common import CreditSecurityRpcCase


@tagged("post_install", "-at_install")
class TestDeliverySecurityRpc(CreditSecurityRpcCase):
    """A stock user ships nothing to a customer on credit hold, by the order's delivery or by any other path."""

    def _held_delivery(self, login, qty):
        """A stock user ``login``, and a confirmed order of ``qty`` goods in stock with its delivery, of the
        customer then put on hold, in a company that checks deliveries: ``(stock user, order, picking)``."""
        self.company.customer_credit_check_delivery = True
        stock_user = self._create_rpc_user(login, "base.group_user,stock.group_stock_user")
        goods = self.env["product.product"].create({"name": f"Caja {login}", "type": "consu", "is_storable": True})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.company.id)], limit=1)
        self.env["stock.quant"]._update_available_quantity(goods, warehouse.lot_stock_id, 10.0)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": goods.id, "product_uom_qty": qty})],
            }
        )
        order.action_confirm()
        self.customer.sudo().credit_hold = True
        return stock_user, order, order.picking_ids

    def test_delivery_of_a_blocked_order_by_other_paths_is_refused(self):
        """A stock user delivers nothing of an order on hold: neither a picking unlinked from the order nor a move
        whose state it writes."""
        stock_user, order, picking = self._held_delivery("cm_sec_stock", 5)
        picking.move_ids.quantity = 5.0
        self._refused(stock_user, "stock.picking", "button_validate", picking.ids)
        picking.sale_id = False
        self.assertIn("on credit hold", self._refused(stock_user, "stock.picking", "button_validate", picking.ids))
        self._refused(stock_user, "stock.move", "write", picking.move_ids.ids, {"state": "done", "picked": True})
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(order.order_line.qty_delivered, 0.0)

    def test_delivery_unlinked_from_its_order_is_judged_by_its_customer(self):
        """Goods unlinked from their order still do not ship to a customer on hold."""
        stock_user, _order, picking = self._held_delivery("cm_sec_stock_2", 2)
        picking.move_ids.write({"quantity": 2.0, "sale_line_id": False})
        picking.sale_id = False
        self.assertIn("on credit hold", self._refused(stock_user, "stock.picking", "button_validate", picking.ids))
        self.assertNotEqual(picking.state, "done")

    def test_moves_and_transfers_are_done_by_validation_only(self):
        """A stock move created done is judged, a move line's state and a transfer's done state are refused."""
        stock_user, order, picking = self._held_delivery("cm_sec_stock_3", 5)
        goods, warehouse = order.order_line.product_id, picking.picking_type_id.warehouse_id
        moves = self.env["stock.move"].search_count([])
        self._refused(
            stock_user,
            "stock.move",
            "create",
            {
                "name": "Entrega directa",
                "product_id": goods.id,
                "product_uom_qty": 5,
                "product_uom": goods.uom_id.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "sale_line_id": order.order_line.id,
                "state": "done",
            },
        )
        self.assertEqual(self.env["stock.move"].search_count([]), moves)
        picking.action_assign()
        self._refused(stock_user, "stock.move.line", "write", picking.move_line_ids.ids, {"state": "done"})
        self._refused(stock_user, "stock.picking", "write", picking.ids, {"state": "done"})
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(order.order_line.qty_delivered, 0.0)
