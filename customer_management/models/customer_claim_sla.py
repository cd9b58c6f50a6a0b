"""Service levels of the claims: the working hours a claim is to be resolved in, and the deadline it is due by."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from . import customer_claim
from .customer_claim import CLAIM_PRIORITIES

# The changes of an open claim that may choose another policy.
SLA_POLICY_FIELDS = {"priority", "category_id", "team_id", "company_id"}
# Working hours are compared and kept to a few milliseconds: the calendar's sums of intervals are floats.
HOURS_DIGITS = 6


class CustomerClaimSla(models.Model):
    """A service level: the working hours in which the claims of a priority, of a category or of any, are to be
    resolved, counted on the working calendar of the claim's team, else of its company."""

    _name = "customer.claim.sla"
    _description = "Customer Claim SLA Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Leave empty to apply the policy in every company.")
    category_id = fields.Many2one(
        "customer.claim.category",
        string="Category",
        check_company=True,
        help="Leave empty for the claims of any category: a policy of the claim's own category wins over it.",
    )
    priority = fields.Selection(CLAIM_PRIORITIES, required=True, default="0")
    resolution_hours = fields.Float(
        string="Resolution Time",
        required=True,
        help="The working hours in which a claim is to be resolved, holidays and paused stages excluded.",
    )

    @api.constrains("resolution_hours")
    def _check_resolution_hours(self):
        for policy in self:
            if float_compare(policy.resolution_hours, 0.0, precision_digits=2) <= 0:
                raise ValidationError(
                    self.env._(
                        "The resolution time of the SLA policy %(policy)s must be more than 0 working hours.",
                        policy=policy.name,
                    )
                )

    @api.model
    def _get_claim_policies(self, claims):
        """{claim: the policy that applies to it (or none)}: of its priority, of its company or shared, of its
        category else of any category; the most specific first (category, then company), then by sequence."""
        policies = self.sudo().search(
            [
                ("priority", "in", list(set(claims.mapped("priority")))),
                ("company_id", "in", [False, *claims.company_id.ids]),
                ("category_id", "in", [False, *claims.category_id.ids]),
            ]
        )
        result = {}
        for claim in claims:
            candidates = policies.filtered(
                lambda policy, claim=claim: policy.priority == claim.priority
                and policy.company_id.id in (False, claim.company_id.id)
                and policy.category_id.id in (False, claim.category_id.id)
            )
            result[claim] = min(
                candidates,
                key=lambda policy: (not policy.category_id, not policy.company_id, policy.sequence, policy.id),
                default=self.browse(),
            )
        return result


class CustomerClaim(models.Model):
    """A claim is due by the deadline of its SLA policy, on the working calendar of its team or company; the time it
    waits in a paused stage does not count, and each stage it goes through is kept with the working time spent."""

    _inherit = "customer.claim"  # pylint: disable=consider-merging-classes-inherited
    # The SLA is counted by the stages the claim moves through, never given by a caller.
    _workflow_fields = (
        *customer_claim.CustomerClaim._workflow_fields,
        "sla_id",
        "sla_deadline",
        "sla_hours_consumed",
        "sla_closed_late",
        "stage_history_ids",
    )

    sla_id = fields.Many2one(
        "customer.claim.sla",
        string="SLA Policy",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The service level applied: of the claim's priority and category, chosen when it opens or changes.",
    )
    sla_resolution_hours = fields.Float(related="sla_id.resolution_hours", string="Resolution Time")
    sla_deadline = fields.Datetime(
        string="SLA Deadline",
        readonly=True,
        copy=False,
        index=True,
        help="When the claim is due, on its working calendar. Empty while it waits in a paused stage; kept when it "
        "closes, to compare.",
    )
    sla_hours_consumed = fields.Float(
        string="Hours Consumed",
        readonly=True,
        copy=False,
        help="The working hours the claim spent in its stages up to its last change of stage, paused ones excluded.",
    )
    sla_closed_late = fields.Boolean(
        string="Closed Late", readonly=True, copy=False, help="The claim was closed after its SLA deadline."
    )
    sla_breached = fields.Boolean(
        string="SLA Breached",
        compute="_compute_sla_breached",
        search="_search_sla_breached",
        help="Open past its deadline, or closed after it.",
    )
    is_paused = fields.Boolean(related="stage_id.is_paused", string="Paused")
    stage_history_ids = fields.One2many(
        "customer.claim.stage.history", "claim_id", string="Stage History", readonly=True, copy=False
    )

    @api.depends("stage_id.is_closed", "sla_closed_late", "sla_deadline")
    def _compute_sla_breached(self):
        now = fields.Datetime.now()
        for claim in self:
            claim.sla_breached = (
                claim.sla_closed_late if claim.is_closed else bool(claim.sla_deadline and claim.sla_deadline < now)
            )

    def _search_sla_breached(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Claims are searched by whether their SLA is breached: = or != True or False."))
        # Open past the deadline now, or closed late (a flag the claim only keeps while closed). Each side spelled
        # out: a negated domain would drop the claims without a deadline (NOT on NULL).
        now = fields.Datetime.now()
        if (operator == "=") == value:
            return [
                "|",
                ("sla_closed_late", "=", True),
                "&",
                ("stage_id.is_closed", "=", False),
                ("sla_deadline", "<", now),
            ]
        return [
            ("sla_closed_late", "=", False),
            "|",
            "|",
            ("stage_id.is_closed", "=", True),
            ("sla_deadline", "=", False),
            ("sla_deadline", ">=", now),
        ]

    def write(self, vals):
        result = super().write(vals)
        # A change of stage counts the SLA through _date_by_stage; another change may choose another policy.
        if SLA_POLICY_FIELDS & vals.keys() and "stage_id" not in vals:
            self.filtered(lambda claim: not claim.is_closed)._sla_update()
        return result

    def _date_by_stage(self):
        result = super()._date_by_stage()
        self._sla_track_stage()
        self._sla_update()
        return result

    @api.model
    def _customer_claim_sla_refresh(self):
        """Count the SLA of every claim anew: those without a stage history (opened before the SLA was counted) get
        their stay in their stage since they were created, then each its policy and deadline."""
        claims = self.sudo().search([])
        self.env["customer.claim.stage.history"].sudo().create(
            [
                claim._prepare_stage_history_vals(claim.create_date)
                for claim in claims.filtered(lambda claim: not claim.stage_history_ids)
            ]
        )
        claims._sla_update()

    def _prepare_stage_history_vals(self, date_start):
        self.ensure_one()
        return {
            "claim_id": self.id,
            "stage_id": self.stage_id.id,
            "date_start": date_start,
            "is_paused": self.stage_id.is_paused,
            "is_closed": self.stage_id.is_closed,
        }

    def _sla_track_stage(self):
        """End the claims' stay in the stage they left, with the working hours it counted, and open one in their new
        stage (the workflow's own write)."""
        now = fields.Datetime.now()
        history = self.env["customer.claim.stage.history"].sudo()
        current = {
            entry.claim_id.id: entry
            for entry in history.search([("claim_id", "in", self.ids), ("date_end", "=", False)])
        }
        new_vals = []
        for claim in self.sudo():
            entry = current.get(claim.id)
            if entry and entry.stage_id == claim.stage_id:
                continue
            if entry:
                counted = not (entry.is_paused or entry.is_closed)
                entry.write(
                    {
                        "date_end": now,
                        "working_hours": claim._sla_working_hours(entry.date_start, now) if counted else 0.0,
                    }
                )
            new_vals.append(claim._prepare_stage_history_vals(now))
        history.create(new_vals)

    def _sla_update(self):
        """Apply to the claims the policy that matches them and count, from their stage history, the working hours
        they consumed and the deadline they are due by (the workflow's own write)."""
        claims = self.sudo()
        policies = self.env["customer.claim.sla"]._get_claim_policies(claims)
        vals_by_claim = {}
        for claim in claims:
            policy = policies[claim]
            history = claim.stage_history_ids.sorted(lambda entry: (entry.date_start, entry.id))
            ended = history.filtered("date_end")
            deadline = claim._sla_get_deadline(policy, ended, (history - ended)[-1:])
            vals = {
                "sla_id": policy.id,
                "sla_hours_consumed": round(sum(ended.mapped("working_hours")), HOURS_DIGITS),
                "sla_deadline": deadline,
                "sla_closed_late": bool(
                    claim.is_closed and deadline and claim.date_closed and claim.date_closed > deadline
                ),
            }
            if vals != {fname: claim[fname].id if fname == "sla_id" else claim[fname] for fname in vals}:
                vals_by_claim[claim] = vals
        claims._write_grouped(vals_by_claim)

    def _sla_get_deadline(self, policy, ended, current):
        """When the claim of the stays ``ended`` and ``current`` in its stages is due under ``policy``: the moment
        its hours ran out if they did, else the end of its hours counted from its current stay; none while paused,
        that of its last stay when closed."""
        self.ensure_one()
        if not policy:
            return False
        consumed = 0.0
        for entry in ended:
            remaining = policy.resolution_hours - consumed
            if float_compare(entry.working_hours, remaining, precision_digits=HOURS_DIGITS) > 0:
                return self._sla_plan_hours(remaining, entry.date_start)
            consumed += entry.working_hours
        remaining = policy.resolution_hours - consumed
        if current.is_closed:
            # Closed in time: the deadline of the stay it was closed from, if that one counted.
            last = ended[-1:]
            if not last or last.is_paused or last.is_closed:
                return False
            return self._sla_plan_hours(remaining + last.working_hours, last.date_start)
        if not current or current.is_paused:
            return False
        return self._sla_plan_hours(remaining, current.date_start)

    def _get_sla_calendar(self):
        """The working hours of the claim: its team's for claims, else its company's."""
        self.ensure_one()
        return self.team_id.customer_claim_calendar_id or self.company_id.resource_calendar_id

    def _sla_working_hours(self, date_start, date_end):
        """The working hours from ``date_start`` to ``date_end`` on the claim's calendar, holidays excluded (all the
        hours without a calendar)."""
        calendar = self._get_sla_calendar()
        if not calendar:
            return (date_end - date_start).total_seconds() / 3600
        return round(calendar.get_work_hours_count(date_start, date_end, compute_leaves=True), HOURS_DIGITS)

    def _sla_plan_hours(self, hours, date_start):
        """The moment ``hours`` working hours after ``date_start`` on the claim's calendar, holidays excluded, to
        the second."""
        calendar = self._get_sla_calendar()
        date_end = calendar.plan_hours(hours, date_start, compute_leaves=True) if calendar else None
        if calendar and not date_end:
            return False  # A calendar without working time ahead: no deadline to meet.
        date_end = date_end or date_start + timedelta(hours=hours)
        return (date_end + timedelta(microseconds=500000)).replace(microsecond=0)
