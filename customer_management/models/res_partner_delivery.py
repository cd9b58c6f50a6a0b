"""Logistics on the partner: delivery windows and restrictions of each delivery address, the customer's as the
default of its addresses."""

import logging
from collections import namedtuple

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .customer_behaviour import refreshed_field
from .customer_delivery_window import format_slot, is_in_windows, next_slot
from .customer_otif import OTIF_FIELDS
from .res_partner import ResPartner as ClassificationPartner

_logger = logging.getLogger(__name__)

DELIVERY_SUMMARY_FIELDS = (
    *OTIF_FIELDS,
    "customer_pending_delivery_count",
    "customer_late_delivery_count",
    "customer_dispatched_delivery_count",
    "tz",
    "delivery_window_ids",
    "delivery_appointment_required",
    "delivery_appointment_contact_id",
    "delivery_appointment_lead_hours",
    "delivery_vehicle_type_id",
    "delivery_unloading_note",
    "delivery_documents",
    "delivery_preferred_carrier_ids",
    "delivery_forbidden_carrier_ids",
)

DeliveryRules = namedtuple(
    "DeliveryRules",
    [
        "address",  # the delivery address they are the rules of
        "windows",  # customer.delivery.window: the address's own, else its customer's
        "tz",  # the time zone the windows are read in
        "appointment_required",
        "appointment_contact",
        "appointment_lead_hours",
        "vehicle_type",
        "unloading_note",
        "documents",
        "preferred_carriers",
        "forbidden_carriers",  # the address's and its customer's
    ],
)


class ResPartner(models.Model):
    """Delivery windows and restrictions of a delivery address; on the customer, those of its addresses that have
    none of their own."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited
    # The time zone the windows are read in is checked as the module's fields are: an unknown one gets a clear error.
    _customer_input_extra_fields = (*ClassificationPartner._customer_input_extra_fields, "tz")

    delivery_window_ids = fields.One2many(
        "customer.delivery.window",
        "partner_id",
        string="Delivery Windows",
        help="When the address receives deliveries, in its time zone; on the customer, the windows of its "
        "addresses that have none of their own.",
    )
    delivery_appointment_required = fields.Boolean(
        string="Appointment Required", help="Deliveries are booked with the address beforehand."
    )
    delivery_appointment_contact_id = fields.Many2one(
        "res.partner", string="Appointment Contact", help="Who books the deliveries at the address."
    )
    delivery_appointment_lead_hours = fields.Integer(
        string="Appointment Lead Time (Hours)", help="How many hours before the delivery it is booked."
    )
    delivery_vehicle_type_id = fields.Many2one(
        "customer.vehicle.type",
        string="Largest Vehicle",
        help="The largest vehicle the address can receive; empty: any.",
    )
    delivery_unloading_note = fields.Text(
        string="Dock and Unloading", help="Dock, unloading hours, equipment, access: what the driver must know."
    )
    delivery_documents = fields.Text(
        string="Documents Required", help="The documents the delivery must carry (invoice, delivery slip, permits)."
    )
    delivery_preferred_carrier_ids = fields.Many2many(
        "delivery.carrier",
        "res_partner_delivery_preferred_carrier_rel",
        "partner_id",
        "carrier_id",
        string="Preferred Carriers",
    )
    delivery_forbidden_carrier_ids = fields.Many2many(
        "delivery.carrier",
        "res_partner_delivery_forbidden_carrier_rel",
        "partner_id",
        "carrier_id",
        string="Forbidden Carriers",
        help="Carriers that may not deliver to the address: refused on its orders and deliveries.",
    )

    customer_pending_delivery_count = fields.Integer(
        string="Pending Deliveries",
        compute="_compute_customer_360_counts",
        groups="stock.group_stock_user",
        help="Deliveries to the customer's addresses not done yet.",
    )
    customer_late_delivery_count = fields.Integer(
        string="Late Deliveries",
        compute="_compute_customer_360_counts",
        groups="stock.group_stock_user",
        help="Deliveries to the customer's addresses not done yet whose scheduled date has passed.",
    )
    customer_dispatched_delivery_count = fields.Integer(
        string="Dispatched Deliveries",
        compute="_compute_customer_360_counts",
        groups="stock.group_stock_user",
        help="Deliveries to the customer's addresses done, with their carrier and tracking reference.",
    )

    # OTIF of the customer's deliveries in each company (see customer.otif): company-dependent, stored so that the
    # customers list sorts by it, written by _refresh_customer_otif only.
    otif_rate = refreshed_field(
        fields.Float,
        string="OTIF (%)",
        digits=(16, 1),
        help="The share of the customer's orders whose first delivery of the company's OTIF period was both on time "
        "and in full.",
    )
    otif_on_time_rate = refreshed_field(
        fields.Float,
        string="On Time (%)",
        digits=(16, 1),
        help="The share of those first deliveries done on or before the day promised, in the address's time zone.",
    )
    otif_in_full_rate = refreshed_field(
        fields.Float,
        string="In Full (%)",
        digits=(16, 1),
        help="The share of those first deliveries that delivered the whole demand: nothing short, nothing left to a "
        "backorder.",
    )
    otif_delivery_count = refreshed_field(
        fields.Integer,
        string="Deliveries Measured",
        help="The orders whose first delivery falls in the company's OTIF period; 0: no OTIF yet.",
    )

    @api.constrains("delivery_preferred_carrier_ids", "delivery_forbidden_carrier_ids")
    def _check_delivery_carriers(self):
        for partner in self:
            both = partner.delivery_preferred_carrier_ids & partner.delivery_forbidden_carrier_ids
            if both:
                raise ValidationError(
                    self.env._(
                        "%(carriers)s cannot be both preferred and forbidden for %(partner)s.",
                        carriers=", ".join(both.mapped("name")),
                        partner=partner.display_name,
                    )
                )

    @api.constrains("delivery_appointment_lead_hours")
    def _check_delivery_appointment_lead_hours(self):
        for partner in self:
            if partner.delivery_appointment_lead_hours < 0:
                raise ValidationError(
                    self.env._(
                        "The appointment lead time of %(partner)s cannot be negative (%(hours)s hours).",
                        partner=partner.display_name,
                        hours=partner.delivery_appointment_lead_hours,
                    )
                )

    @api.model
    def _get_customer_360_counters(self):
        # The customer's deliveries, pending, late and dispatched, open in one list with their carrier, tracking
        # reference and backorders.
        deliveries = "customer_management.stock_picking_action_customer_deliveries"
        outgoing = [("picking_type_code", "=", "outgoing")]
        pending = [*outgoing, ("state", "not in", ("draft", "done", "cancel"))]
        counters = super()._get_customer_360_counters()
        model, domain, _xmlid = counters["customer_delivery_count"]
        return {
            **counters,
            "customer_delivery_count": (model, domain, deliveries),
            "customer_pending_delivery_count": ("stock.picking", pending, deliveries),
            "customer_late_delivery_count": (
                "stock.picking",
                [*pending, ("scheduled_date", "<", fields.Datetime.now())],
                deliveries,
            ),
            "customer_dispatched_delivery_count": ("stock.picking", [*outgoing, ("state", "=", "done")], deliveries),
        }

    @api.model
    def _get_refreshed_fields(self):
        return super()._get_refreshed_fields() | set(OTIF_FIELDS)

    @api.model
    def _cron_refresh_customer_otif(self):
        """Recompute the OTIF of every customer: the period moves every day."""
        changed = self._refresh_customer_otif()
        _logger.info("Customer OTIF refreshed: %s customers changed.", changed)

    @api.model
    def _refresh_customer_otif(self, customers=None):
        """Recompute the OTIF fields of ``customers`` (commercial partners; every customer by default); see
        ``customer.otif``. Returns the number of customers whose figures changed."""
        return self.env["customer.otif"]._refresh(customers)

    @api.model
    def _get_customer_summary_sections(self):
        return {**super()._get_customer_summary_sections(), "logistics": DELIVERY_SUMMARY_FIELDS}

    def _get_delivery_rules(self):
        """The :class:`DeliveryRules` of this delivery address: its own windows and restrictions, its customer's
        where it has none (its windows as a whole, its restrictions one by one; forbidden carriers add up)."""
        self.ensure_one()
        # sudo: the rules bind whoever sells or ships to the address, whatever the contacts they may read.
        address = self.sudo()
        customer = address.commercial_partner_id

        def own_or_customer(fname):
            return address[fname] or customer[fname]

        return DeliveryRules(
            address=self,
            windows=address.delivery_window_ids or customer.delivery_window_ids,
            tz=address._get_delivery_tz(),
            appointment_required=address.delivery_appointment_required or customer.delivery_appointment_required,
            appointment_contact=own_or_customer("delivery_appointment_contact_id"),
            appointment_lead_hours=own_or_customer("delivery_appointment_lead_hours"),
            vehicle_type=own_or_customer("delivery_vehicle_type_id"),
            unloading_note=own_or_customer("delivery_unloading_note"),
            documents=own_or_customer("delivery_documents"),
            preferred_carriers=own_or_customer("delivery_preferred_carrier_ids"),
            forbidden_carriers=address.delivery_forbidden_carrier_ids | customer.delivery_forbidden_carrier_ids,
        )

    def _get_delivery_tz(self):
        """The time zone of the address's windows: its own, else its customer's, else its company's, else UTC."""
        self.ensure_one()
        for partner in (self, self.commercial_partner_id, (self.company_id or self.env.company).partner_id):
            if partner.tz in pytz.all_timezones_set:
                return partner.tz
        return "UTC"

    def _get_delivery_window_problem(self, moment):
        """Why ``moment`` (naive UTC) is not a time the address receives deliveries, with its next slot; False when
        it is, or when the address has no windows."""
        self.ensure_one()
        rules = self._get_delivery_rules()
        if not moment or not rules.windows or is_in_windows(rules.windows, moment, rules.tz):
            return False
        # From now for a moment past: a slot to deliver in, not one gone by.
        slot = next_slot(rules.windows, max(moment, fields.Datetime.now()), rules.tz)
        return self.env._(
            "%(moment)s (%(tz)s) is outside the delivery windows of %(address)s (%(windows)s); the next slot is "
            "%(slot)s.",
            moment=format_slot(self.env, moment, rules.tz),
            tz=rules.tz,
            address=self.display_name,
            windows=", ".join(rules.windows.mapped("display_name")),
            slot=format_slot(self.env, slot, rules.tz),
        )

    def _get_forbidden_carrier_problem(self, carrier):
        """Why ``carrier`` may not deliver to the address; False when it may."""
        self.ensure_one()
        if carrier and carrier in self._get_delivery_rules().forbidden_carriers:
            return self.env._(
                "%(carrier)s may not deliver to %(address)s: it is one of its forbidden carriers.",
                carrier=carrier.name,
                address=self.display_name,
            )
        return False

    def _get_delivery_rules_text(self):
        """The address's windows and restrictions as a salesperson or a dispatcher reads them, a line each; False
        when it has none."""
        self.ensure_one()
        rules = self._get_delivery_rules()
        lines = []
        if rules.windows:
            lines.append(
                self.env._(
                    "Windows (%(tz)s): %(windows)s",
                    tz=rules.tz,
                    windows=", ".join(rules.windows.mapped("display_name")),
                )
            )
        if rules.appointment_required:
            lines.append(
                self.env._(
                    "Appointment required, %(hours)s hours ahead, with %(contact)s",
                    hours=rules.appointment_lead_hours,
                    contact=rules.appointment_contact.display_name or self.env._("the address"),
                )
            )
        if rules.vehicle_type:
            lines.append(self.env._("Largest vehicle: %(vehicle)s", vehicle=rules.vehicle_type.display_name))
        if rules.unloading_note:
            lines.append(self.env._("Dock and unloading: %(note)s", note=rules.unloading_note))
        if rules.documents:
            lines.append(self.env._("Documents required: %(documents)s", documents=rules.documents))
        if rules.preferred_carriers:
            lines.append(
                self.env._(
                    "Preferred carriers: %(carriers)s", carriers=", ".join(rules.preferred_carriers.mapped("name"))
                )
            )
        if rules.forbidden_carriers:
            lines.append(
                self.env._(
                    "Forbidden carriers: %(carriers)s", carriers=", ".join(rules.forbidden_carriers.mapped("name"))
                )
            )
        return "\n".join(lines) or False
