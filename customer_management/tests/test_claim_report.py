"""The claims analysis: each claim counted once by customer and by each of its products, its resolution time and
SLA compliance weighed once, and only the claims of the user's companies."""

from datetime import datetime

from odoo import Command
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import SQL

from .common import CustomerManagementCase

CLAIM_USER_GROUPS = "customer_management.customer_management_group_claim_user,sales_team.group_sale_salesman"
# Monday March 3, 2025 at 15:00 UTC: when the claims are opened.
OPENED = datetime(2025, 3, 3, 15, 0)


@tagged("post_install", "-at_install")
class TestClaimReport(CustomerManagementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.resolved = cls.env.ref("customer_management.customer_claim_stage_resolved")
        # The demo policies would compete with the fixture: only urgent claims have an SLA, of 8 working hours.
        cls.env["customer.claim.sla"].search([]).active = False
        cls.sla_urgent = cls.env["customer.claim.sla"].create(
            {"name": "Urgente", "priority": "2", "resolution_hours": 8}
        )
        cls.damaged = cls.env["customer.claim.category"].create({"name": "Producto dañado"})
        cls.missing = cls.env["customer.claim.category"].create({"name": "Faltante"})
        cls.drill = cls.env["product.product"].create({"name": "Taladro Percutor"})
        cls.bit = cls.env["product.product"].create({"name": "Broca 1/4"})
        cls.esperanza = cls._create_customer("Abarrotes La Esperanza")
        cls.tornillo = cls._create_customer("Tlapalería El Tornillo")
        cls.customers = cls.esperanza | cls.tornillo
        cls.claim_user = new_test_user(cls.env, login="cm_report_claim_user", groups=CLAIM_USER_GROUPS)

        # Two products, closed 5 hours after it was opened: within its SLA.
        cls.two_products = cls._claim(
            cls.esperanza,
            cls.damaged,
            "2",
            [(cls.drill, 2.0), (cls.bit, 5.0)],
        )
        # No product, closed 11 days after it was opened: past its SLA.
        cls.no_product = cls._claim(cls.esperanza, cls.missing, "2", [])
        # Not urgent (no SLA), still open.
        cls.open_claim = cls._claim(cls.tornillo, cls.damaged, "0", [(cls.drill, 1.0)])
        cls.other_company = cls._create_company("Distribuidora del Bajío")
        cls.other_company_claim = cls._claim(
            cls.esperanza, False, "2", [(cls.drill, 7.0)], company_id=cls.other_company.id
        )
        cls._close(cls.two_products, datetime(2025, 3, 3, 20, 0))
        cls._close(cls.no_product, datetime(2025, 3, 14, 15, 0))

    @classmethod
    def _claim(cls, customer, category, priority, lines, **values):
        """A claim of ``customer`` about the ``(product, quantity)`` of ``lines``, opened at :data:`OPENED`."""
        with freeze_time(OPENED):
            claim = cls.env["customer.claim"].create(
                {
                    "partner_id": customer.id,
                    "category_id": category.id if category else False,
                    "priority": priority,
                    "line_ids": [
                        Command.create({"product_id": product.id, "quantity": quantity}) for product, quantity in lines
                    ],
                    **values,
                }
            )
        # The creation is dated by the transaction, which freeze_time does not move.
        cls.env.flush_all()
        cls.env.cr.execute(SQL("UPDATE customer_claim SET create_date = %s WHERE id = %s", OPENED, claim.id))
        claim.invalidate_recordset(["create_date"])
        return claim

    @classmethod
    def _close(cls, claim, at):
        with freeze_time(at):
            claim.write({"stage_id": cls.resolved.id, "resolution": "<p>Se repuso la mercancía</p>"})

    def _pivot(self, groupby, user=None):
        """The report grouped by ``groupby`` as the pivot reads it, each measure by its field's aggregator, for
        ``user`` (the claim user by default), limited to the test's customers: ``{group: {measure: value}}``."""
        report = self.env["customer.claim.report"].with_user(user or self.claim_user)
        measures = ("claim_count", "quantity", "resolution_hours", "sla_compliance")
        specs = [f"{fname}:{report._fields[fname].aggregator}" for fname in measures]
        self.env.flush_all()
        return {
            group: dict(zip(measures, values, strict=True))
            for group, *values in report._read_group([("partner_id", "in", self.customers.ids)], [groupby], specs)
        }

    def test_fixture_closes_one_claim_in_time_and_one_late(self):
        """What the other tests count: the workflow judged the first closing in time, the second one late."""
        self.assertRecordValues(
            self.two_products | self.no_product | self.open_claim,
            [
                {"sla_id": self.sla_urgent.id, "sla_closed_late": False, "is_closed": True},
                {"sla_id": self.sla_urgent.id, "sla_closed_late": True, "is_closed": True},
                {"sla_id": False, "sla_closed_late": False, "is_closed": False},
            ],
        )

    def test_claims_count_once_under_each_of_their_products(self):
        """A claim about two products counts once under each, a claim about none under no product; the quantities
        are those of the lines."""
        by_product = self._pivot("product_id")
        self.assertEqual(
            {product: (row["claim_count"], row["quantity"]) for product, row in by_product.items()},
            {
                self.drill: (2, 3.0),
                self.bit: (1, 5.0),
                self.env["product.product"]: (1, 0.0),
            },
        )

    def test_claims_count_once_per_customer(self):
        """By customer, and in all, each claim counts once, however many products it is about."""
        by_customer = self._pivot("partner_id")
        self.assertEqual({partner: row["claim_count"] for partner, row in by_customer.items()}, {
            self.esperanza: 2,
            self.tornillo: 1,
        })  # fmt: skip
        by_company = self._pivot("company_id")
        self.assertEqual({company: row["claim_count"] for company, row in by_company.items()}, {self.company: 3})

    def test_resolution_time_weighs_each_closed_claim_once(self):
        """Closed after 5 and after 264 hours: 134.5 on average for their customer, the claim about two products
        weighing once; nothing for a customer whose only claim is open."""
        by_claim = self._pivot("claim_id")
        self.assertAlmostEqual(by_claim[self.two_products]["resolution_hours"], 5.0, places=4)
        self.assertAlmostEqual(by_claim[self.no_product]["resolution_hours"], 264.0, places=4)
        self.assertFalse(by_claim[self.open_claim]["resolution_hours"])
        by_customer = self._pivot("partner_id")
        self.assertAlmostEqual(by_customer[self.esperanza]["resolution_hours"], 134.5, places=4)
        self.assertFalse(by_customer[self.tornillo]["resolution_hours"])

    def test_sla_compliance_of_the_closed_claims_with_a_policy(self):
        """One closed in time (100), one closed late (0): 50% for their customer; a claim without a policy, or
        still open, is not judged."""
        by_claim = self._pivot("claim_id")
        self.assertEqual(by_claim[self.two_products]["sla_compliance"], 100.0)
        self.assertEqual(by_claim[self.no_product]["sla_compliance"], 0.0)
        self.assertFalse(by_claim[self.open_claim]["sla_compliance"])
        by_customer = self._pivot("partner_id")
        self.assertEqual(by_customer[self.esperanza]["sla_compliance"], 50.0)
        self.assertFalse(by_customer[self.tornillo]["sla_compliance"])

    def test_claims_of_another_company_are_not_shown(self):
        """The claim of a company the user does not work in is left out of what the user reads, not of the report;
        once the user works in it, it shows while that company is allowed."""
        self.assertEqual(self._pivot("company_id").keys(), {self.company})
        self.assertEqual(self._pivot("company_id", user=self.env.user).keys(), {self.company, self.other_company})
        self.claim_user.company_ids |= self.other_company
        report = self.env["customer.claim.report"].with_user(self.claim_user)
        domain = [("partner_id", "in", self.customers.ids)]
        self.assertEqual(
            report.with_context(allowed_company_ids=self.company.ids).search(domain).claim_id,
            self.two_products | self.no_product | self.open_claim,
        )
        self.assertEqual(
            report.with_context(allowed_company_ids=(self.company | self.other_company).ids).search(domain).claim_id,
            self.two_products | self.no_product | self.open_claim | self.other_company_claim,
        )
