"""Deliveries and their address: a scheduled date in the address's windows (the next slot for the one the
procurement computes, refused or warned by the company's policy for one a user gives), a carrier the address does
not forbid, and its windows and restrictions shown."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import formatLang

from .customer_delivery_window import next_slot

DONE_STATES = ("done", "cancel")


class StockPicking(models.Model):
    """An outgoing transfer is scheduled in its address's windows, by a carrier the address does not forbid, and
    shows the address's delivery conditions."""

    _inherit = "stock.picking"  # pylint: disable=consider-merging-classes-inherited

    delivery_rules_text = fields.Text(
        string="Delivery Conditions",
        compute="_compute_delivery_rules_text",
        help="The windows and restrictions of the delivery address (its customer's where it has none).",
    )
    delivery_window_warning = fields.Text(
        compute="_compute_delivery_window_warning",
        help="Why the scheduled date is not a time the address receives deliveries, with its next slot.",
    )
    delivery_vehicle_warning = fields.Text(
        compute="_compute_delivery_vehicle_warning",
        help="Why the transfer is heavier than the largest vehicle its address receives.",
    )
    delivery_appointment_required = fields.Boolean(
        string="Requires Appointment",
        compute="_compute_delivery_appointment_required",
        store=True,
        help="The delivery address (or its customer) books its deliveries beforehand.",
    )

    @api.depends("partner_id", "picking_type_code")
    def _compute_delivery_rules_text(self):
        for picking in self:
            address = picking._get_delivery_address()
            picking.delivery_rules_text = address._get_delivery_rules_text() if address else False

    @api.depends("partner_id", "picking_type_code", "scheduled_date", "state")
    def _compute_delivery_window_warning(self):
        for picking in self:
            address = picking._get_delivery_address()
            picking.delivery_window_warning = (
                address
                and picking.state not in DONE_STATES
                and address._get_delivery_window_problem(picking.scheduled_date)
            )

    @api.depends("partner_id", "picking_type_code", "weight", "state")
    def _compute_delivery_vehicle_warning(self):
        kilogram = self.env.ref("uom.product_uom_kgm")
        weight_uom = self.env["product.template"]._get_weight_uom_id_from_ir_config_parameter()
        for picking in self:
            address = picking._get_delivery_address()
            vehicle = self.env["customer.vehicle.type"]
            if address and picking.state not in DONE_STATES:
                vehicle = address._get_delivery_rules().vehicle_type
            weight = weight_uom._compute_quantity(picking.weight, kilogram) if vehicle else 0.0
            picking.delivery_vehicle_warning = (
                bool(vehicle.max_weight)
                and weight > vehicle.max_weight
                and self.env._(
                    "%(transfer)s weighs %(weight)s kg, more than the %(max_weight)s kg of the largest vehicle "
                    "%(address)s receives (%(vehicle)s): split it into several trips.",
                    transfer=picking.display_name,
                    weight=formatLang(self.env, weight, digits=0),
                    max_weight=formatLang(self.env, vehicle.max_weight, digits=0),
                    address=address.display_name,
                    vehicle=vehicle.name,
                )
            )

    @api.depends(
        "partner_id.delivery_appointment_required",
        "partner_id.commercial_partner_id.delivery_appointment_required",
        "picking_type_code",
    )
    def _compute_delivery_appointment_required(self):
        for picking in self:
            address = picking._get_delivery_address()
            picking.delivery_appointment_required = bool(address) and address._get_delivery_rules().appointment_required

    def _action_done(self):
        result = super()._action_done()
        # The customers' OTIF follows their deliveries: one UPDATE for the customers of the batch. sudo: a stock
        # user validates deliveries of orders it may not read.
        customers = self.sudo().sale_id.partner_id.commercial_partner_id
        self.env["res.partner"].sudo()._refresh_customer_otif(customers)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        pickings = super().create(vals_list)
        # The dates given: the procurement gives none, its transfers are put in the windows once their moves are in.
        given = [picking.id for picking, vals in zip(pickings, vals_list, strict=True) if vals.get("scheduled_date")]
        pickings.browse(given)._check_delivery_window()
        return pickings

    def write(self, vals):
        result = super().write(vals)
        # A date a user gives, or a new address: the procurement's dates are put in the windows as it computes them.
        if {"scheduled_date", "partner_id"} & vals.keys():
            self._check_delivery_window()
        return result

    def _check_delivery_window(self):
        """Refuse, when the company's policy says so, a scheduled date of these transfers outside their address's
        windows."""
        for picking in self:
            if picking.company_id.customer_delivery_window_policy != "refuse" or picking.state in DONE_STATES:
                continue
            address = picking._get_delivery_address()
            problem = address and address._get_delivery_window_problem(picking.scheduled_date)
            if problem:
                raise ValidationError(problem)

    @api.constrains("carrier_id", "partner_id")
    def _check_delivery_carrier(self):
        for picking in self:
            address = picking._get_delivery_address()
            problem = address and address._get_forbidden_carrier_problem(picking.carrier_id)
            if problem:
                raise ValidationError(problem)

    def _get_delivery_address(self):
        """The address the transfer delivers to, when it is a delivery to a partner; else an empty recordset."""
        self.ensure_one()
        if self.picking_type_code != "outgoing":
            return self.env["res.partner"]
        return self.partner_id._origin

    def _schedule_in_delivery_windows(self):
        """Move the scheduled date of these transfers, computed by the procurement, to the next slot of their
        address's windows when it falls outside them."""
        for picking in self:
            address = picking._get_delivery_address()
            if not address or picking.state in DONE_STATES or not picking.scheduled_date:
                continue
            rules = address._get_delivery_rules()
            slot = next_slot(rules.windows, picking.scheduled_date, rules.tz)
            if slot and slot != picking.scheduled_date:
                picking.scheduled_date = slot


class StockMove(models.Model):
    _inherit = "stock.move"  # pylint: disable=consider-merging-classes-inherited

    def write(self, vals):
        result = super().write(vals)
        # A date given to the moves is their transfer's scheduled date: the transfer's policy holds for it too (the
        # moves done are dated by their validation, not by a user).
        if "date" in vals and "state" not in vals:
            self.picking_id._check_delivery_window()
        return result

    def _assign_picking_post_process(self, new=False):
        result = super()._assign_picking_post_process(new=new)
        self.picking_id._schedule_in_delivery_windows()
        return result
