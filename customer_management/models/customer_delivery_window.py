"""Delivery windows: the weekdays and hours at which a customer's address receives goods, in its own time zone."""

from datetime import datetime, time, timedelta
from itertools import combinations

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_datetime

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]
WEEK_HOURS = 7 * 24


def window_intervals(windows):
    """The hours of the week (0 = Monday 00:00, 168 = the next Monday 00:00) that ``windows`` cover, as
    ``[(start, end)]``, each window once: a window ending at or before its start is overnight (22:00-06:00 on
    Friday is Friday 22:00 to Saturday 06:00), and Sunday's overnight window ends on Monday."""
    intervals = []
    for window in windows:
        start = int(window.weekday) * 24 + window.hour_from
        length = (
            window.hour_to - window.hour_from
            if window.hour_to > window.hour_from
            else 24 - window.hour_from + window.hour_to
        )
        intervals.append((start, start + length))
    return intervals


def _week_hour(local):
    return local.weekday() * 24 + local.hour + local.minute / 60 + local.second / 3600


def is_in_windows(windows, moment, tz):
    """Whether ``moment`` (naive UTC, as Odoo stores datetimes) falls in one of ``windows`` read in time zone
    ``tz``, both ends included (a window until 18:00 takes a delivery at 18:00)."""
    hour = _week_hour(pytz.utc.localize(moment).astimezone(pytz.timezone(tz)))
    # An overnight window of Sunday goes on past the week's end: Monday's early hours are also hour + 168.
    return any(
        start <= week_hour <= end for start, end in window_intervals(windows) for week_hour in (hour, hour + WEEK_HOURS)
    )


def next_slot(windows, moment, tz):
    """The first moment at or after ``moment`` (naive UTC) that falls in one of ``windows`` read in ``tz``, as naive
    UTC; ``moment`` itself when it falls in one; None without windows.

    Computed on the local calendar, so that a window opening at 08:00 opens at 08:00 local time on either side of
    a daylight-saving change; an opening hour that a change skips opens at the first hour after it."""
    if not windows:
        return None
    if is_in_windows(windows, moment, tz):
        return moment
    zone = pytz.timezone(tz)
    local = pytz.utc.localize(moment).astimezone(zone).replace(tzinfo=None)
    candidates = []
    # The opening of each window over the next eight days (a week and the rest of today).
    for days in range(8):
        day = local.date() + timedelta(days=days)
        for window in windows:
            if int(window.weekday) != day.weekday():
                continue
            hours, minutes = divmod(round(window.hour_from * 60), 60)
            opening = datetime.combine(day, time(hours % 24, minutes))
            if opening >= local:
                candidates.append(opening)
    if not candidates:
        return None
    opening = min(candidates)
    try:
        aware = zone.localize(opening, is_dst=None)
    except pytz.NonExistentTimeError:
        # The clocks skip the opening hour: the window opens when they show it again, an hour later.
        aware = zone.localize(opening + timedelta(hours=1), is_dst=False)
    except pytz.AmbiguousTimeError:
        aware = zone.localize(opening, is_dst=True)
    return aware.astimezone(pytz.utc).replace(tzinfo=None)


class CustomerDeliveryWindow(models.Model):
    """A weekday and hours at which an address receives deliveries, in the address's time zone."""

    _name = "customer.delivery.window"
    _inherit = ["customer.input.checked.mixin"]
    _description = "Customer Delivery Window"
    _order = "partner_id, weekday, hour_from, id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Address",
        required=True,
        index=True,
        ondelete="cascade",
        help="The delivery address, or the customer itself for the addresses that have no windows of their own.",
    )
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    weekday = fields.Selection(WEEKDAYS, required=True)
    hour_from = fields.Float(string="From", required=True, help="Opening hour, in the address's time zone.")
    hour_to = fields.Float(
        string="To",
        required=True,
        help="Closing hour, in the address's time zone, included; earlier than the opening hour for a window "
        "overnight (22:00-06:00 ends the next morning).",
    )

    @api.depends("weekday", "hour_from", "hour_to")
    def _compute_display_name(self):
        weekdays = dict(self._fields["weekday"]._description_selection(self.env))
        for window in self:
            window.display_name = (
                f"{weekdays.get(window.weekday, '')} {_format_hour(window.hour_from)}-{_format_hour(window.hour_to)}"
            )

    @api.constrains("hour_from", "hour_to")
    def _check_hours(self):
        for window in self:
            # Opening from 00:00 to 23:59, closing from 00:00 (overnight, at midnight) to 24:00.
            for fname, top in (("hour_from", 24 - 1 / 60), ("hour_to", 24)):
                if not 0 <= window[fname] <= top:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of a delivery window is an hour from 00:00 to %(top)s, not %(value)s.",
                            field=self._fields[fname]._description_string(self.env),
                            top=_format_hour(top),
                            value=window[fname],
                        )
                    )
            if window.hour_from == window.hour_to:
                raise ValidationError(
                    self.env._(
                        "The delivery window %(window)s of %(address)s opens and closes at the same hour.",
                        window=window.display_name,
                        address=window.partner_id.display_name,
                    )
                )

    @api.constrains("partner_id")
    def _check_partner(self):
        for window in self:
            partner = window.partner_id
            if partner.type != "delivery" and partner != partner.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not a delivery address: delivery windows belong to delivery addresses, or to "
                        "the customer itself for all its addresses.",
                        partner=partner.display_name,
                    )
                )

    @api.constrains("partner_id", "weekday", "hour_from", "hour_to")
    def _check_overlap(self):
        for partner in self.partner_id:
            windows = partner.delivery_window_ids.sorted(lambda window: (window.weekday, window.hour_from))
            pairs = combinations(zip(windows, window_intervals(windows), strict=True), 2)
            for (window, (start, end)), (other, (other_start, other_end)) in pairs:
                # Over the week's end too: Sunday night's window runs into Monday morning.
                if any(
                    start < other_end + shift and other_start + shift < end for shift in (-WEEK_HOURS, 0, WEEK_HOURS)
                ):
                    raise ValidationError(
                        self.env._(
                            "The delivery windows %(window)s and %(other)s of %(address)s overlap.",
                            window=window.display_name,
                            other=other.display_name,
                            address=partner.display_name,
                        )
                    )


def _format_hour(hour):
    hours, minutes = divmod(round(hour * 60), 60)
    return f"{hours:02d}:{minutes:02d}"


def format_slot(env, moment, tz):
    """``moment`` (naive UTC) as the address's local date and time, in the user's format."""
    return format_datetime(env, moment, tz=tz, dt_format="short")
