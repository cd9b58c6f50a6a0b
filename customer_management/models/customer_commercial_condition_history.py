"""Commercial conditions: the customer's history, each approved version put in its place and in force on its dates."""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import format_date

from .customer_commercial_condition import APPROVED_STATES, CONDITION_APPLY


def dates_overlap(date_from, date_to, other_from, other_to):
    """Whether two validities, from ``date_from`` to ``date_to`` (False: no end) and from ``other_from`` to
    ``other_to``, share a day."""
    return (not other_to or date_from <= other_to) and (not date_to or other_from <= date_to)


# One class per concern of the model, as the partner's (see the README's architecture).
class CustomerCommercialCondition(models.Model):
    _inherit = "customer.commercial.condition"  # pylint: disable=consider-merging-classes-inherited

    def _overlaps(self, other):
        """Whether the validity of two versions shares a day."""
        self.ensure_one()
        return dates_overlap(self.date_from, self.date_to, other.date_from, other.date_to)

    def _get_history(self):
        """The approved versions of these versions' customers in their companies, latest first, per (customer,
        company), in one query."""
        # sudo: the customer's whole history, also the versions the user cannot read.
        return (
            self.sudo()
            .search(
                [
                    ("partner_id", "in", self.partner_id.ids),
                    ("company_id", "in", self.company_id.ids),
                    ("state", "in", APPROVED_STATES),
                ]
            )
            .grouped(lambda version: (version.partner_id, version.company_id))
        )

    def _get_previous_versions(self, history=None):
        """The approved version in force before each of these for its customer and company, ``{version: previous}``
        (empty for the first one); ``history`` is these versions' :meth:`_get_history` when it is known."""
        if history is None:
            history = self._get_history()
        return {
            version: next(
                (
                    other
                    for other in history.get((version.partner_id, version.company_id), ())
                    if other.date_from < version.date_from and other != version
                ),
                self.sudo().browse(),
            )
            for version in self
        }

    def _approve(self, date=None):
        """Record the approval; versions started on ``date`` (today) apply now, the others wait for their date."""
        versions = self.sudo()
        versions._make_room(date, self._prepare_approval_vals())
        versions.filtered(lambda version: version.state == "active")._apply_to_partner()

    def _prepare_approval_vals(self):
        """The values recording the current user's approval, now."""
        return {"approved_by_id": self.env.user.id, "approval_date": fields.Datetime.now()}

    def _make_room(self, date=None, vals=None):
        """Put these versions in their place in their customers' history, and in the state their dates give on
        ``date`` (today): scheduled, active or superseded, written with ``vals``.

        A version in force ends the day before the new one starts; one starting the same day is replaced
        (cancelled); the new one ends the day before the next approved version starts, so a back-dated version
        fills a gap in the history without replacing what came after it. The versions take their place in date
        order, each seeing those before it as approved, as if approved one by one; the history is read in one query
        and written once per distinct values, whatever the number of versions.
        """
        date = date or fields.Date.context_today(self)
        # sudo: the customer's whole history is adjusted, also the versions the user cannot read.
        versions = self.sudo()
        history = {key: list(others) for key, others in versions._get_history().items()}
        approved = {other for others in history.values() for other in others}
        # The values each version ends with, read back while the batch takes its place and written at the end.
        changes = defaultdict(dict)

        def value(version, fname):
            return changes.get(version, {}).get(fname, version[fname])

        replaced = {}
        for version in versions.sorted("date_from"):
            changes[version].update(vals or {})
            others = history.setdefault((version.partner_id, version.company_id), [])
            others = [other for other in others if other != version and value(other, "state") in APPROVED_STATES]
            later = min((other.date_from for other in others if other.date_from > version.date_from), default=None)
            date_to = value(version, "date_to")
            if later and (not date_to or date_to >= later):
                date_to = changes[version]["date_to"] = later - timedelta(days=1)
            for other in others:
                overlaps = dates_overlap(version.date_from, date_to, other.date_from, value(other, "date_to"))
                if other.date_from < version.date_from:
                    if overlaps:
                        changes[other]["date_to"] = version.date_from - timedelta(days=1)
                    # A version in force stays so until its successor starts.
                    if value(other, "state") == "active" and version.date_from <= date:
                        changes[other]["state"] = "superseded"
                elif overlaps:
                    changes[other]["state"] = "cancelled"
                    replaced[other.id] = version.date_from
            if version.date_from > date:
                changes[version]["state"] = "scheduled"
            elif date_to and date_to < date:
                changes[version]["state"] = "superseded"
            else:
                changes[version]["state"] = "active"
            if version not in approved:
                history[version.partner_id, version.company_id].append(version)
        # The approved versions end or change state before the new ones are approved: no two overlap at any time.
        versions._write_grouped({other: values for other, values in changes.items() if other in approved})
        versions._write_grouped({version: values for version, values in changes.items() if version not in approved})
        if replaced:
            versions.browse(replaced)._message_log_batch(
                {
                    other_id: self.env._(
                        "Replaced by conditions starting on %(date)s.", date=format_date(self.env, date_from)
                    )
                    for other_id, date_from in replaced.items()
                }
            )

    def _reopen_previous_versions(self):
        """Let the versions cut short for these cancelled ones run until the next approved version."""
        history = self._get_history()
        previous = self._get_previous_versions(history)
        ends = {}
        for version in self:
            reopened = previous[version]
            if reopened and ends.get(reopened, reopened.date_to) == version.date_from - timedelta(days=1):
                following = min(
                    (
                        other.date_from
                        for other in history[version.partner_id, version.company_id]
                        if other.date_from > reopened.date_from
                    ),
                    default=None,
                )
                ends[reopened] = following - timedelta(days=1) if following else False
        # sudo: the customer's history follows the cancellation, whoever may cancel.
        self.sudo()._write_grouped({reopened: {"date_to": date_to} for reopened, date_to in ends.items()})

    @api.model
    def _record_partner_conditions(self, origins):
        """Record the partners' current terms as versions in force from today, one per (partner, company).

        ``origins`` maps (partner, company) to the origin of the version (a key of :data:`ORIGINS`). The terms are
        already on the partners: the versions are approved by the user who set them, within the rights checked there.
        """
        if not origins:
            return self.browse()
        today = fields.Date.context_today(self)
        terms = {key: key[0]._prepare_commercial_condition_vals(key[1]) for key in origins}
        # Defaults of a segment that leave the terms as the version in force has them change nothing: no version.
        unchanged = [key for key, origin in origins.items() if origin == "segment_defaults"]
        if unchanged:
            partners = self.env["res.partner"].union(*(partner for partner, _company in unchanged))
            active = {
                (version.partner_id, version.company_id): version._prepare_version_vals()
                for version in self.sudo().search([("partner_id", "in", partners.ids), ("state", "=", "active")])
            }
            origins = {
                key: origin
                for key, origin in origins.items()
                if key not in active or any(active[key].get(fname) != value for fname, value in terms[key].items())
            }
        vals_list = [
            {
                **terms[partner, company],
                "partner_id": partner.id,
                "company_id": company.id,
                "date_from": today,
                "origin": origin,
                "requested_by_id": self.env.user.id,
            }
            for (partner, company), origin in origins.items()
        ]
        versions = self.sudo().create(vals_list)
        versions._make_room(today, self._prepare_approval_vals())
        return versions

    def _apply_to_partner(self):
        """Write the versions' terms on their customers, as the customers' current values in their company: one
        write per company and set of terms, whatever the number of customers."""
        batches = defaultdict(list)
        for version in self:
            batches[version.company_id, tuple(version._prepare_partner_vals().items())].append(version.partner_id.id)
        for (company, vals), partner_ids in batches.items():
            partners = self.env["res.partner"].browse(partner_ids).with_company(company)
            # sudo: the terms were approved; the partner's company-dependent fields follow them.
            partners.with_context(**{CONDITION_APPLY: True}).sudo().write(dict(vals))

    @api.model
    def _cron_apply_conditions(self, date=None):
        """Start the scheduled versions due on ``date`` and restore the terms of versions that ended."""
        date = date or fields.Date.context_today(self)
        versions = self.sudo()
        due = versions.search([("state", "=", "scheduled"), ("date_from", "<=", date)], order="date_from, id")
        due._make_room(date)
        due.filtered(lambda version: version.state == "active")._apply_to_partner()
        ended = versions.search([("state", "=", "active"), ("date_to", "<", date)])
        previous = ended._get_previous_versions()
        continuations = [
            {
                **(previous[version] or version)._prepare_version_vals(),
                "partner_id": version.partner_id.id,
                "company_id": version.company_id.id,
                "date_from": version.date_to + timedelta(days=1),
                "date_to": False,
                "origin": "restored",
                # The ended version's own reason says which temporary conditions ended.
                "reason": version.reason,
                "requested_by_id": self.env.user.id,
            }
            for version in ended
        ]
        ended.write({"state": "superseded"})
        versions.create(continuations)._approve(date)
