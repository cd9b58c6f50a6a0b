"""The SLA of the claims: a deadline counted on working hours (weekends and holidays excluded, paused stages not
counted) from the most specific policy, the stages kept with their durations, breaches found by a search, and all of
it the workflow's, never a caller's."""

from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import CustomerManagementCase

CLAIM_USER_GROUPS = "customer_management.customer_management_group_claim_user,sales_team.group_sale_salesman"


def utc(day, hour, minute=0):
    """March 2025, in UTC: Mexico City is at UTC-6 all year, so 08:00 there is 14:00 here."""
    return datetime(2025, 3, day, hour, minute)


@tagged("post_install", "-at_install")
class TestClaimSla(CustomerManagementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Monday to Friday, 08:00-12:00 and 13:00-17:00 in Mexico City.
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Atención a clientes",
                "tz": "America/Mexico_City",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for period, hour_from, hour_to in (("morning", 8, 12), ("afternoon", 13, 17))
                ],
            }
        )
        # Monday March 17, 2025 (Benito Juárez's birthday) is a holiday: a leave of no resource.
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Natalicio de Benito Juárez",
                "calendar_id": cls.calendar.id,
                "date_from": utc(17, 6),
                "date_to": utc(18, 5, 59),
            }
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Servicio al cliente", "company_id": cls.company.id, "customer_claim_calendar_id": cls.calendar.id}
        )
        cls.damaged = cls.env["customer.claim.category"].create({"name": "Producto dañado"})
        # The demo policies would compete with the fixtures.
        cls.env["customer.claim.sla"].search([]).active = False
        cls.sla_normal = cls._create_policy("Normal", "0", 40.0)
        cls.sla_urgent = cls._create_policy("Urgente", "2", 8.0)
        cls.sla_urgent_damaged = cls._create_policy("Urgente, producto dañado", "2", 4.0, category_id=cls.damaged.id)
        cls.new = cls.env.ref("customer_management.customer_claim_stage_new")
        cls.in_progress = cls.env.ref("customer_management.customer_claim_stage_in_progress")
        cls.waiting = cls.env.ref("customer_management.customer_claim_stage_waiting")
        cls.resolved = cls.env.ref("customer_management.customer_claim_stage_resolved")
        cls.customer = cls._create_customer("Abarrotes La Esperanza")
        cls.claim_user = new_test_user(cls.env, login="cm_sla_claim_user", groups=CLAIM_USER_GROUPS)

    @classmethod
    def _create_policy(cls, name, priority, hours, **values):
        return cls.env["customer.claim.sla"].create(
            {"name": name, "priority": priority, "resolution_hours": hours, **values}
        )

    def _claim(self, at, **values):
        """An urgent claim of the team's, opened at ``at``."""
        with freeze_time(at):
            return self.env["customer.claim"].create(
                {"partner_id": self.customer.id, "team_id": self.team.id, "priority": "2", **values}
            )

    def _move(self, claim, stage, at, **values):
        with freeze_time(at):
            claim.write({"stage_id": stage.id, **values})

    def _close(self, claim, at):
        self._move(claim, self.resolved, at, resolution="<p>Se repuso la mercancía</p>")

    def _breached(self, claims, at):
        with freeze_time(at):
            claims.invalidate_recordset(["sla_breached"])
            return (
                self.env["customer.claim"].search([("id", "in", claims.ids), ("sla_breached", "=", True)]),
                claims.filtered("sla_breached"),
            )

    def test_deadline_skips_the_weekend_and_the_holiday(self):
        """Opened on Friday at 14:00 with 8 working hours: 3 on Friday, none on the weekend nor on the Monday
        holiday, 5 on Tuesday (lunch excluded): due on Tuesday at 14:00, Mexico City time."""
        claim = self._claim(utc(14, 20))
        self.assertRecordValues(
            claim, [{"sla_id": self.sla_urgent.id, "sla_deadline": utc(18, 20), "sla_hours_consumed": 0.0}]
        )
        self.assertEqual(self.calendar.get_work_hours_count(utc(14, 20), claim.sla_deadline), 8.0)

    def test_paused_time_pushes_the_deadline(self):
        """Two working days waiting on the customer push the deadline by exactly those 16 working hours."""
        claim = self._claim(utc(4, 15))  # Tuesday 09:00, due on Wednesday at 09:00
        self.assertEqual(claim.sla_deadline, utc(5, 15))
        self._move(claim, self.waiting, utc(4, 16))  # Tuesday 10:00, after 1 working hour
        self.assertRecordValues(claim, [{"sla_deadline": False, "sla_hours_consumed": 1.0, "sla_breached": False}])
        self._move(claim, self.in_progress, utc(6, 16))  # Thursday 10:00, 7 working hours left
        self.assertEqual(claim.sla_deadline, utc(7, 15))  # Friday 09:00
        self.assertEqual(self.calendar.get_work_hours_count(utc(5, 15), claim.sla_deadline), 16.0)
        self.assertEqual(claim.sla_hours_consumed, 1.0)

    def test_stage_history_lists_the_stages_with_their_working_hours(self):
        """Each stay in a stage is kept, with the working hours it counted: none while waiting on the customer."""
        claim = self._claim(utc(4, 15), priority="0")  # Tuesday 09:00
        self._move(claim, self.in_progress, utc(4, 17))  # Tuesday 11:00
        self._move(claim, self.waiting, utc(5, 17))  # Wednesday 11:00
        self._move(claim, self.in_progress, utc(6, 17))  # Thursday 11:00
        self._close(claim, utc(6, 21))  # Thursday 15:00
        stays = [
            (self.new, utc(4, 15), utc(4, 17), 2.0),
            (self.in_progress, utc(4, 17), utc(5, 17), 8.0),
            (self.waiting, utc(5, 17), utc(6, 17), 0.0),
            (self.in_progress, utc(6, 17), utc(6, 21), 3.0),
            (self.resolved, utc(6, 21), False, 0.0),
        ]
        self.assertRecordValues(
            claim.stage_history_ids,
            [
                {"stage_id": stage.id, "date_start": start, "date_end": end, "working_hours": hours}
                for stage, start, end, hours in stays
            ],
        )
        self.assertEqual(claim.stage_history_ids.mapped("is_paused"), [False, False, True, False, False])
        # Closed in time, its deadline kept to compare: the 30 hours left on Thursday at 11:00 end next Wednesday.
        self.assertRecordValues(
            claim,
            [
                {
                    "sla_id": self.sla_normal.id,
                    "sla_hours_consumed": 13.0,
                    "sla_deadline": utc(12, 15),
                    "sla_closed_late": False,
                }
            ],
        )

    def test_breached_search_finds_open_claims_past_their_deadline(self):
        """On Wednesday at 10:00 the claim due on Tuesday is breached, not the one due on Wednesday afternoon, nor
        one waiting on the customer (no deadline), nor one closed in time."""
        late = self._claim(utc(3, 15))  # Monday 09:00, due on Tuesday 09:00
        within = self._claim(utc(4, 20))  # Tuesday 14:00, due on Wednesday 14:00
        waiting = self._claim(utc(3, 15))
        self._move(waiting, self.waiting, utc(3, 16))
        closed = self._claim(utc(3, 15))
        self._close(closed, utc(3, 17))
        claims = late | within | waiting | closed
        self.assertEqual(late.sla_deadline, utc(4, 15))
        self.assertEqual(within.sla_deadline, utc(5, 20))
        found, computed = self._breached(claims, utc(5, 16))
        self.assertEqual(found, late)
        self.assertEqual(computed, late)
        with freeze_time(utc(5, 16)):
            self.assertEqual(
                self.env["customer.claim"].search([("id", "in", claims.ids), ("sla_breached", "=", False)]),
                within | waiting | closed,
            )
            self.assertEqual(
                self.env["customer.claim"].search([("id", "in", claims.ids), ("sla_breached", "!=", True)]),
                within | waiting | closed,
            )
        # Past Wednesday 14:00, the second one is breached too.
        found, _computed = self._breached(claims, utc(5, 21))
        self.assertEqual(found, late | within)
        with self.assertRaises(UserError):
            self.env["customer.claim"].search([("sla_breached", "in", [True])])

    def test_claim_closed_after_its_deadline_is_flagged_late(self):
        """Closed on Wednesday when due on Tuesday: closed late and breached, its deadline kept; reopened, it is open
        past its deadline."""
        claim = self._claim(utc(3, 15))
        self._close(claim, utc(5, 16))
        self.assertRecordValues(claim, [{"sla_deadline": utc(4, 15), "sla_closed_late": True}])
        found, computed = self._breached(claim, utc(20, 16))
        self.assertEqual(found, claim)
        self.assertEqual(computed, claim)
        self._move(claim, self.in_progress, utc(5, 17))
        self.assertRecordValues(claim, [{"sla_deadline": utc(4, 15), "sla_closed_late": False}])
        found, _computed = self._breached(claim, utc(5, 18))
        self.assertEqual(found, claim)

    def test_claim_breached_before_waiting_stays_breached(self):
        """Waiting on the customer does not clear a deadline already missed."""
        claim = self._claim(utc(3, 15))
        self._move(claim, self.waiting, utc(5, 16))
        self.assertRecordValues(claim, [{"sla_deadline": utc(4, 15), "sla_hours_consumed": 17.0}])
        found, _computed = self._breached(claim, utc(5, 17))
        self.assertEqual(found, claim)

    def test_most_specific_policy_applies(self):
        """The policy of the claim's category wins over one of any category, one of its company over a shared one;
        a change of priority or category on an open claim applies its new policy from its current stage."""
        claim = self._claim(utc(4, 15), category_id=self.damaged.id)  # Tuesday 09:00
        self.assertRecordValues(claim, [{"sla_id": self.sla_urgent_damaged.id, "sla_deadline": utc(4, 20)}])
        with freeze_time(utc(4, 16)):
            claim.category_id = False
        self.assertRecordValues(claim, [{"sla_id": self.sla_urgent.id, "sla_deadline": utc(5, 15)}])
        company_urgent = self._create_policy(
            "Urgente de la compañía", "2", 2.0, company_id=self.company.id, sequence=99
        )
        other_company = self._create_company("Distribuidora del Bajío")
        self._create_policy("Urgente de otra compañía", "2", 1.0, company_id=other_company.id, sequence=1)
        with freeze_time(utc(4, 16)):
            claim.priority = "0"
            self.assertEqual(claim.sla_id, self.sla_normal)
            claim.priority = "2"
        self.assertRecordValues(claim, [{"sla_id": company_urgent.id, "sla_deadline": utc(4, 17)}])

    def test_deadline_on_the_company_calendar_without_team_calendar(self):
        """A claim without a team counts on its company's working hours."""
        claim = self._claim(utc(4, 15), team_id=False)
        self.assertEqual(
            claim.sla_deadline, self.company.resource_calendar_id.plan_hours(8.0, utc(4, 15), compute_leaves=True)
        )

    def test_sla_and_history_are_the_workflows(self):
        """A claim user moves the claim through its stages, which counts its SLA, but cannot give its SLA fields nor
        write its stage history: nothing is written."""
        claim = self._claim(utc(4, 15))
        claims = self.env["customer.claim"].with_user(self.claim_user)
        history = self.env["customer.claim.stage.history"].with_user(self.claim_user)
        as_user = claim.with_user(self.claim_user)
        for values in (
            {"sla_deadline": "2030-01-01 00:00:00"},
            {"sla_id": self.sla_normal.id},
            {"sla_hours_consumed": 0.5},
            {"sla_closed_late": True},
            {"stage_history_ids": [Command.create({"stage_id": self.waiting.id, "date_start": utc(4, 15)})]},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                as_user.write(values)
            with self.subTest(values=values), self.assertRaises(UserError):
                claims.create({"partner_id": self.customer.id, **values})
        with self.assertRaises(AccessError):
            history.create({"claim_id": claim.id, "stage_id": self.waiting.id, "date_start": utc(4, 15)})
        with self.assertRaises(AccessError):
            history.browse(claim.stage_history_ids.ids).write({"working_hours": 0.0})
        with self.assertRaises(AccessError):
            history.browse(claim.stage_history_ids.ids).unlink()
        self.assertRecordValues(claim, [{"sla_id": self.sla_urgent.id, "sla_deadline": utc(5, 15)}])
        self.assertEqual(len(claim.stage_history_ids), 1)
        # Moving it counts the SLA as the workflow, and the user reads what it counted.
        with freeze_time(utc(4, 16)):
            as_user.stage_id = self.waiting
        self.assertEqual(as_user.stage_history_ids.mapped("working_hours"), [1.0, 0.0])
        self.assertRecordValues(claim, [{"sla_deadline": False, "sla_hours_consumed": 1.0}])

    def test_resolution_time_is_positive(self):
        """A policy resolves its claims in some working time."""
        for hours in (0.0, -4.0):
            with self.subTest(hours=hours), self.assertRaises(ValidationError):
                self._create_policy("Sin tiempo", "1", hours)
