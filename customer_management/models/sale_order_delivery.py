"""Sale orders and their delivery address: its windows and restrictions shown, the delivery date and the carrier
checked against them."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .customer_delivery_window import next_slot

OPEN_ORDER_STATES = ("draft", "sent", "sale")


class SaleOrder(models.Model):
    """The delivery date of an order falls in its address's windows (refused or warned by the company's policy) and
    its carrier is not one the address forbids."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    delivery_rules_text = fields.Text(
        string="Delivery Conditions",
        compute="_compute_delivery_rules_text",
        help="The windows and restrictions of the delivery address (its customer's where it has none).",
    )
    delivery_window_warning = fields.Text(
        compute="_compute_delivery_window_warning",
        help="Why the delivery date is not a time the address receives deliveries, with its next slot.",
    )
    delivery_next_slot = fields.Datetime(
        string="Next Delivery Slot",
        compute="_compute_delivery_window_warning",
        help="The first time from the delivery date (or now) that the address receives deliveries.",
    )

    @api.depends("partner_shipping_id")
    def _compute_delivery_rules_text(self):
        for order in self:
            address = order.partner_shipping_id
            order.delivery_rules_text = address._get_delivery_rules_text() if address else False

    @api.depends("partner_shipping_id", "commitment_date", "state")
    def _compute_delivery_window_warning(self):
        now = fields.Datetime.now()
        for order in self:
            address = order.partner_shipping_id
            warning = slot = False
            if address and order.state in OPEN_ORDER_STATES:
                address = address._origin or address
                rules = address._get_delivery_rules()
                slot = next_slot(rules.windows, max(order.commitment_date or now, now), rules.tz) or False
                warning = address._get_delivery_window_problem(order.commitment_date)
            order.delivery_next_slot = slot
            order.delivery_window_warning = warning

    @api.constrains("commitment_date", "partner_shipping_id", "state")
    def _check_delivery_window(self):
        for order in self:
            if order.state not in OPEN_ORDER_STATES or order.company_id.customer_delivery_window_policy != "refuse":
                continue
            problem = order.partner_shipping_id and order.partner_shipping_id._get_delivery_window_problem(
                order.commitment_date
            )
            if problem:
                raise ValidationError(problem)

    @api.constrains("carrier_id", "partner_shipping_id")
    def _check_delivery_carrier(self):
        for order in self:
            problem = order.partner_shipping_id and order.partner_shipping_id._get_forbidden_carrier_problem(
                order.carrier_id
            )
            if problem:
                raise ValidationError(problem)

    def action_use_next_delivery_slot(self):
        """Set the delivery date to the next time the address receives deliveries."""
        self._ensure_one_for_action()
        if not self.delivery_next_slot:
            raise UserError(
                self.env._("%(address)s has no delivery windows.", address=self.partner_shipping_id.display_name)
            )
        self.commitment_date = self.delivery_next_slot
        return True
