"""Stock moves: whatever delivers goods of a sale order passes the delivery's credit control."""

from odoo import api, models
from odoo.exceptions import UserError

from .sale_order import DELIVERY_JUDGED, is_credit_judged


class StockMove(models.Model):
    """Whatever delivers goods of a sale order to its customer passes the delivery's credit control."""

    _inherit = "stock.move"

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        # A move created done delivers at once: it is judged as one whose state is written.
        if not self.env.su:
            moves.filtered(lambda move: move.state == "done")._check_customer_credit()
        return moves

    def write(self, vals):
        # The picking's button judges its moves; a caller writing a move's state itself is judged here (server code
        # that writes as superuser answers for itself, as core's own does).
        if vals.get("state") == "done" and not self.env.su:
            self.filtered(lambda move: not is_credit_judged(move, DELIVERY_JUDGED))._check_customer_credit()
        return super().write(vals)

    def _check_customer_credit(self):
        """Refuse to deliver goods of the orders whose customer's credit is blocked, unless the order was released,
        where the company checks deliveries.

        The orders are those of the moves' sale lines as well as of their pickings: a picking unlinked from its order
        still delivers the order's goods. An order already counts in the customer's exposure (confirmed, not invoiced):
        it is not added again.
        """
        deliveries = self.filtered(
            lambda move: (move.location_dest_id.usage == "customer" or move.picking_code == "outgoing")
            and move.company_id.customer_credit_check_delivery
        )
        orders = deliveries.sale_line_id.order_id | deliveries.picking_id.sale_id
        orders._refuse_credit_blocks(
            orders._get_credit_checks(with_amount=False),
            lambda order: self.env._("The delivery of %(order)s cannot be validated:", order=order.name),
        )
        # Goods with no order behind them (a delivery made by hand, or unlinked from its order) are judged by the
        # customer they go to: nothing ships to a customer whose credit is blocked.
        unordered = deliveries.filtered(lambda move: not move.sale_line_id and not move.picking_id.sale_id)
        for company, moves in unordered.grouped("company_id").items():
            customers = (moves.picking_id.partner_id | moves.partner_id).commercial_partner_id
            customers._refuse_credit_blocks(
                company,
                lambda customer: self.env._(
                    "The delivery to %(customer)s cannot be validated:", customer=customer.name
                ),
            )


class StockMoveLine(models.Model):
    """A move line's state is its move's: a caller does not write it (core writes it as superuser, through the move)."""

    _inherit = "stock.move.line"

    def write(self, vals):
        if "state" in vals and not self.env.su:
            raise UserError(self.env._("The state of a stock move line follows its move: validate the transfer."))
        return super().write(vals)
