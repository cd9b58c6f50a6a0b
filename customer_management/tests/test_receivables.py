"""The receivable figures of the customers, and who reads them, against a query written apart."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from ..models.res_partner_receivable import RECEIVABLE_FIELDS
from .common import COLLECTOR_GROUPS, CustomerCreditCase

# The partner fields of the aging, by the name the independent query gives their figure.
AGING_FIELDS = {
    "not_due": "receivable_not_due",
    "1_30": "receivable_1_30",
    "31_60": "receivable_31_60",
    "61_90": "receivable_61_90",
    "over_90": "receivable_over_90",
    "overdue": "overdue_amount",
    "due_soon": "due_soon_amount",
    "oldest_days": "oldest_overdue_days",
}


@tagged("post_install", "-at_install")
class TestReceivables(CustomerCreditCase):
    """The receivable figures of the customers, in the fields, the workspace and the searches, equal a hand-written
    query over the journal items, whatever made the items: partial payments, credit notes, down payments, payments
    not applied, other currencies and other companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.customer_due_soon_days = 7
        cls.customer.user_id = cls.seller_north
        cls.contact = cls.env["res.partner"].create({"name": "Laura Garza", "parent_id": cls.customer.id})
        cls.team = cls.env["crm.team"].create(
            {"name": "Cobranza Occidente", "member_ids": [Command.link(cls.seller_west.id)]}
        )
        cls.team_customer = cls._create_customer("Abarrotes Occidente", user_id=cls.cm_manager.id, team_id=cls.team.id)
        cls.other_customer = cls._create_customer("Ferretería del Bajío", user_id=cls.cm_manager.id)

        # A down payment of 30% of an order, confirmed while the customer owes nothing yet.
        order = cls._create_order(amount=1000.0)
        order.action_confirm()
        cls.down_payment = cls._create_down_payment(order, advance_payment_method="percentage", amount=30.0)
        # A partial payment, an invoice of a contact, invoices in every bucket, one due soon and one due later.
        cls._create_aged_invoices(due_soon_days=3, due_later_customer=cls.contact)
        # A credit note left open, and one reconciled with the invoice it corrects.
        cls.open_refund = cls._create_invoice(amount=50.0, move_type="out_refund")
        cls.corrected = cls._create_invoice(amount=700.0, days_due=-20)
        applied_refund = cls._create_invoice(amount=70.0, move_type="out_refund")
        (cls.corrected | applied_refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        # A payment registered but not applied to any invoice yet.
        cls.outstanding = cls.env["account.payment"].create(
            {"payment_type": "inbound", "partner_type": "customer", "partner_id": cls.customer.id, "amount": 80.0}
        )
        cls.outstanding.action_post()
        # An invoice in euros: its residual counts in the company's currency.
        cls.euro = cls.env.ref("base.EUR")
        cls.euro.active = True
        cls.env["res.currency.rate"].create(
            {
                "name": fields.Date.context_today(cls.customer) - timedelta(days=30),
                "rate": 0.5,
                "currency_id": cls.euro.id,
                "company_id": cls.company.id,
            }
        )
        cls.in_euros = cls._create_invoice(amount=1000.0, days_due=-5, post=False)
        cls.in_euros.currency_id = cls.euro
        cls.in_euros.action_post()
        cls.team_invoice = cls._create_invoice(customer=cls.team_customer, amount=900.0, days_due=-100)
        cls.other_invoice = cls._create_invoice(customer=cls.other_customer, amount=250.0, days_due=-30)

        # Another company with its own chart, selling to the same customer.
        cls.company_2 = cls._create_company(
            "Distribuidora del Sur", users=cls.env.user, chart=True, currency_id=cls.currency.id, country_id=cls.mx.id
        )
        cls.company_2.customer_due_soon_days = 30
        cls.company_2_invoice = cls._create_company_2_invoice(amount=1234.0, days_due=-95)
        cls.company_2_due_soon = cls._create_company_2_invoice(amount=66.0, days_due=20)
        cls.customers = cls.customer | cls.team_customer | cls.other_customer

    @classmethod
    def _create_company_2_invoice(cls, amount, days_due):
        today = fields.Date.context_today(cls.customer)
        move = (
            cls.env["account.move"]
            .with_company(cls.company_2)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "invoice_date": today - timedelta(days=max(0, -days_due) + 1),
                    "invoice_date_due": today + timedelta(days=days_due),
                    "invoice_line_ids": [
                        Command.create({"name": "Flete", "quantity": 1, "price_unit": amount, "tax_ids": []})
                    ],
                }
            )
        )
        move.action_post()
        return move

    def _sql_figures(self, company):
        """The figures per customer, by a query written apart from the engine: date ranges, not the bucket CASE."""
        self.env.flush_all()
        today = fields.Date.context_today(self.customer)
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT partner.commercial_partner_id AS partner_id,
                       SUM(line.amount_residual) AS total,
                       SUM(line.amount_residual) FILTER (WHERE due.day >= %(today)s) AS not_due,
                       SUM(line.amount_residual) FILTER (WHERE due.day BETWEEN %(today)s - 30 AND %(today)s - 1)
                           AS "1_30",
                       SUM(line.amount_residual) FILTER (WHERE due.day BETWEEN %(today)s - 60 AND %(today)s - 31)
                           AS "31_60",
                       SUM(line.amount_residual) FILTER (WHERE due.day BETWEEN %(today)s - 90 AND %(today)s - 61)
                           AS "61_90",
                       SUM(line.amount_residual) FILTER (WHERE due.day < %(today)s - 90) AS over_90,
                       SUM(line.amount_residual) FILTER (WHERE line.amount_residual > 0 AND due.day < %(today)s)
                           AS overdue,
                       SUM(line.amount_residual) FILTER (
                           WHERE line.amount_residual > 0 AND due.day BETWEEN %(today)s AND %(today)s + %(soon)s
                       ) AS due_soon,
                       MAX(%(today)s - due.day) FILTER (WHERE line.amount_residual > 0 AND due.day < %(today)s)
                           AS oldest_days
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  JOIN res_partner partner ON partner.id = line.partner_id
                 CROSS JOIN LATERAL (SELECT COALESCE(line.date_maturity, line.date) AS day) due
                 WHERE account.account_type = 'asset_receivable'
                   AND line.parent_state = 'posted'
                   AND NOT line.reconciled
                   AND line.company_id = %(company)s
                   AND partner.commercial_partner_id = ANY(%(customers)s)
                 GROUP BY partner.commercial_partner_id
                """,
                today=today,
                soon=company.customer_due_soon_days,
                company=company.id,
                customers=self.customers.ids,
            )
        )
        return {row.pop("partner_id"): {key: value or 0 for key, value in row.items()} for row in rows}

    def _assert_figures(self, actual, expected):
        for key, value in expected.items():
            self.assertAlmostEqual(actual[key], float(value), places=2, msg=key)

    def test_fixtures_cover_every_kind_of_open_item(self):
        """The open items include a partial payment, a credit note, a down payment, a payment and euros."""
        items = {item["move_id"] for item in self.env["customer.exposure"]._get_open_items(self.customer)}
        for move in (self.aged_45, self.open_refund, self.corrected, self.down_payment, self.in_euros):
            self.assertIn(move.id, items)
        self.assertIn(self.outstanding.move_id.id, items)
        self.assertTrue(self.down_payment.invoice_line_ids.is_downpayment)
        self.assertAlmostEqual(self.in_euros.amount_residual_signed, self.in_euros.amount_residual * 2)

    def test_engine_equals_the_independent_query(self):
        """The engine's aging, overdue, due soon and oldest overdue equal the hand-written query."""
        expected = self._sql_figures(self.company)
        exposures = self.env["customer.exposure"]._get_exposure(self.customers, self.company, aging=True)
        for customer in self.customers:
            exposure = exposures[customer.id]
            actual = {
                "total": exposure.receivable,
                "not_due": exposure.not_due,
                "1_30": exposure.aged_1_30,
                "31_60": exposure.aged_31_60,
                "61_90": exposure.aged_61_90,
                "over_90": exposure.aged_over_90,
                "overdue": exposure.overdue_amount,
                "due_soon": exposure.due_soon,
                "oldest_days": exposure.overdue_days,
            }
            self._assert_figures(actual, expected[customer.id])

    def test_receivable_only_skips_the_orders(self):
        """The engine's aging without the orders gives the same aging, and no order or draft figure; the credit
        figures without the aging are the same, and no aging."""
        engine = self.env["customer.exposure"]
        full = engine._get_exposure(self.customer, self.company, aging=True)[self.customer.id]
        aging = engine._get_exposure(self.customer, self.company, receivable_only=True, aging=True)[self.customer.id]
        self.assertGreater(full.to_invoice, 0)
        self.assertEqual((aging.to_invoice, aging.draft_invoiced), (0.0, 0.0))
        self.assertEqual(aging._replace(to_invoice=full.to_invoice, draft_invoiced=full.draft_invoiced), full)
        credit = engine._get_exposure(self.customer, self.company)[self.customer.id]
        aging_figures = ("not_due", "aged_1_30", "aged_31_60", "aged_61_90", "aged_over_90", "due_soon")
        self.assertEqual(credit, full._replace(**dict.fromkeys(aging_figures, 0.0)))
        self.assertTrue(all(getattr(full, figure) for figure in aging_figures))

    def test_partner_fields_equal_the_independent_query(self):
        """The customer's receivable fields, read by its contact too, equal the hand-written query."""
        expected = self._sql_figures(self.company)
        for partner in (*self.customers, self.contact):
            figures = expected[partner.commercial_partner_id.id]
            actual = {key: partner[fname] for key, fname in AGING_FIELDS.items()}
            self._assert_figures(actual, {key: figures[key] for key in AGING_FIELDS})

    def test_aging_adds_up_to_core_receivable(self):
        """The five buckets of the fields add up to core's receivable balance."""
        customer = self.customer
        buckets = ("receivable_not_due", "receivable_1_30", "receivable_31_60", "receivable_61_90")
        total = sum(customer[fname] for fname in buckets) + customer.receivable_over_90
        self.assertAlmostEqual(total, customer.credit, places=2)

    def test_report_rows_equal_the_independent_query(self):
        """The workspace has one row per customer and company, with the hand-written query's figures."""
        expected = self._sql_figures(self.company)
        self.env.flush_all()
        rows = self.env["customer.receivable.report"].search(
            [("partner_id", "in", self.customers.ids), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(rows.partner_id, self.customers)
        for row in rows:
            actual = {"total": row.receivable, **{key: row[fname] for key, fname in AGING_FIELDS.items()}}
            self._assert_figures(actual, expected[row.partner_id.id])

    def test_report_row_opens_the_customer_items(self):
        """A customer's row opens the open items of that customer in that company."""
        self.env.flush_all()
        row = self.env["customer.receivable.report"].search(
            [("partner_id", "=", self.customer.id), ("company_id", "=", self.company_2.id)]
        )
        action = row.action_open_items()
        items = self.env["customer.receivable.item.report"].search(action["domain"])
        self.assertEqual(items.move_id, self.company_2_invoice | self.company_2_due_soon)

    def test_item_report_lists_each_open_item(self):
        """The open items show each residual in the company's currency and in the item's own currency."""
        self.env.flush_all()
        items = self.env["customer.receivable.item.report"].search(
            [("partner_id", "=", self.customer.id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            set(items.move_id.ids),
            {item["move_id"] for item in self.env["customer.exposure"]._get_open_items(self.customer)},
        )
        euros = items.filtered(lambda item: item.move_id == self.in_euros)
        self.assertRecordValues(
            euros,
            [
                {
                    "residual": self.in_euros.amount_residual_signed,
                    "residual_currency": self.in_euros.amount_residual,
                    "move_currency_id": self.euro.id,
                    "bucket": "1_30",
                    "days_overdue": 5,
                    "is_overdue": True,
                    "user_id": self.seller_north.id,
                }
            ],
        )
        self.assertEqual(items.filtered(lambda item: item.move_id == self.due_soon).is_due_soon, True)
        action = euros.action_open_move()
        self.assertEqual((action["res_model"], action["res_id"]), ("account.move", self.in_euros.id))

    def test_figures_are_per_company(self):
        """Another company sees only its own items, with its own due-soon days."""
        expected = self._sql_figures(self.company_2)[self.customer.id]
        self.assertAlmostEqual(expected["over_90"], self.company_2_invoice.amount_residual)
        customer = self.customer.with_company(self.company_2)
        actual = {key: customer[fname] for key, fname in AGING_FIELDS.items()}
        self._assert_figures(actual, {key: expected[key] for key in AGING_FIELDS})
        self.env.flush_all()
        row = self.env["customer.receivable.report"].search(
            [("partner_id", "=", self.customer.id), ("company_id", "=", self.company_2.id)]
        )
        self._assert_figures({"total": row.receivable, "due_soon": row.due_soon_amount}, {
            "total": expected["total"], "due_soon": expected["due_soon"]})  # fmt: skip

    def test_search_overdue_more_than_90_days(self):
        """The filter "Overdue more than 90 days" finds the customers and their contacts with such items."""
        found = self.env["res.partner"].search([("receivable_over_90", ">", 0), ("id", "in", self._all_ids())])
        self.assertEqual(found, self.customer | self.contact | self.team_customer)

    def test_search_due_soon_and_overdue(self):
        """The filters "Due soon" and "Overdue" find the customers with such items in the current company."""
        partners = self.env["res.partner"]
        self.assertEqual(
            partners.search([("due_soon_amount", ">", 0), ("id", "in", self._all_ids())]), self.customer | self.contact
        )
        self.assertEqual(
            partners.search([("overdue_amount", ">", 0), ("id", "in", self._all_ids())]),
            self.customer | self.contact | self.team_customer | self.other_customer,
        )
        self.assertEqual(
            partners.search([("oldest_overdue_days", ">", 100), ("id", "in", self._all_ids())]),
            self.customer | self.contact,
        )

    def test_search_zero_includes_customers_without_receivable(self):
        """Searching for nothing overdue finds the customers that owe nothing at all."""
        clean = self._create_customer("Sin Deuda")
        found = self.env["res.partner"].search([("overdue_amount", "=", 0), ("id", "in", [*self._all_ids(), clean.id])])
        self.assertEqual(found, clean)

    def test_every_bucket_is_searchable(self):
        """Each aging field filters the customers by its own bucket: a search equals the fields' values."""
        partners = self.env["res.partner"].browse(self._all_ids())
        for fname in RECEIVABLE_FIELDS:
            expected = partners.filtered(lambda partner, fname=fname: partner[fname] > 0)
            found = self.env["res.partner"].search([(fname, ">", 0), ("id", "in", partners.ids)])
            self.assertEqual(found, expected, fname)

    def test_customer_list_sorts_by_the_receivable_fields(self):
        """The customer list sorts by every receivable field, alone or with others, as their values sort."""
        partners = self.env["res.partner"].browse([*self._all_ids(), self._create_customer("Sin Deuda").id])
        sortable = self.env["res.partner"].fields_get(list(RECEIVABLE_FIELDS), ["sortable"])
        for fname in RECEIVABLE_FIELDS:
            self.assertTrue(sortable[fname]["sortable"], fname)
            ascending = self.env["res.partner"].search([("id", "in", partners.ids)], order=f"{fname}, id").ids
            self.assertEqual(ascending, partners.sorted(lambda partner, fname=fname: (partner[fname], partner.id)).ids)
            descending = self.env["res.partner"].search([("id", "in", partners.ids)], order=f"{fname} desc, id").ids
            self.assertEqual(
                descending, partners.sorted(lambda partner, fname=fname: (-partner[fname], partner.id)).ids
            )
            self.assertNotEqual(ascending, descending, fname)
        found = self.env["res.partner"].search(
            [("id", "in", partners.ids)], order="receivable_over_90 desc, overdue_amount, id"
        )
        self.assertEqual(
            found.ids,
            partners.sorted(lambda partner: (-partner.receivable_over_90, partner.overdue_amount, partner.id)).ids,
        )

    def test_search_and_sort_see_changes_not_flushed_yet(self):
        """An invoice posted in the same transaction counts at once in the searches and the sorts."""
        late = self._create_customer("Pago Tardío")
        self._create_invoice(customer=late, amount=5000.0, days_due=-100)
        partners = self.env["res.partner"]
        self.assertEqual(partners.search([("receivable_over_90", ">", 4000), ("id", "=", late.id)]), late)
        found = partners.search([("id", "in", [*self._all_ids(), late.id])], order="receivable_over_90 desc", limit=1)
        self.assertEqual(found, late)

    def test_search_refuses_a_text(self):
        """A search on a receivable figure with a text says so instead of failing in SQL."""
        with self.assertRaises(UserError):
            self.env["res.partner"].search([("overdue_amount", ">", "mucho")])

    def test_average_days_to_pay(self):
        """The average days to pay weighs the days from invoice to reconciliation by the amounts reconciled."""
        partials = (self.aged_45 | self.corrected).line_ids.matched_credit_ids
        self.assertEqual(len(partials), 2)  # the partial payment and the credit note
        days = sum(partial.amount * (partial.max_date - partial.debit_move_id.date).days for partial in partials)
        expected = days / sum(partials.mapped("amount"))
        self.assertAlmostEqual(self.customer.avg_days_to_pay, round(expected, 1), places=1)
        self.assertAlmostEqual(self.contact.avg_days_to_pay, round(expected, 1), places=1)

    def _all_ids(self):
        return [*self.customers.ids, self.contact.id]


@tagged("post_install", "-at_install")
class TestReceivableAccess(CustomerCreditCase):
    """Collectors and accountants see every customer's receivables; a salesperson those of its customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create(
            {"name": "Cobranza Norte", "member_ids": [Command.link(cls.seller_west.id)]}
        )
        cls.customer.user_id = cls.seller_north
        cls.team_customer = cls._create_customer("Abarrotes del Equipo", user_id=cls.cm_manager.id, team_id=cls.team.id)
        cls.customers = cls.customer | cls.team_customer
        for customer in cls.customers:
            cls._create_invoice(customer=customer, amount=100.0, days_due=-10)
        cls.collector = new_test_user(
            cls.env,
            login="cm_collector",
            groups=COLLECTOR_GROUPS,
        )
        cls.accountant = new_test_user(
            cls.env, login="cm_accountant", groups="base.group_user,account.group_account_invoice"
        )
        cls.portal = new_test_user(cls.env, login="cm_portal", groups="base.group_portal")
        cls.env.flush_all()

    def _visible(self, user, model="customer.receivable.report"):
        return self.env[model].with_user(user).search([("partner_id", "in", self.customers.ids)]).partner_id

    def test_collector_and_accountant_see_every_customer(self):
        """Collectors and accountants read the receivables of every customer, by customer and by item."""
        for user in (self.collector, self.accountant):
            self.assertEqual(self._visible(user), self.customers)
            self.assertEqual(self._visible(user, "customer.receivable.item.report"), self.customers)

    def test_salesperson_sees_its_own_customers(self):
        """A salesperson reads the receivables of the customers it sells to, not the others'."""
        self.assertEqual(self._visible(self.seller_north), self.customer)
        self.assertEqual(self._visible(self.seller_north, "customer.receivable.item.report"), self.customer)

    def test_team_member_sees_its_team_customers(self):
        """A member of a sales team reads the receivables of the team's customers."""
        self.assertEqual(self._visible(self.seller_west), self.team_customer)

    def test_portal_user_sees_nothing(self):
        """A portal user cannot read the receivable workspace."""
        for model in ("customer.receivable.report", "customer.receivable.item.report"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.portal).search([])

    def test_other_company_rows_are_hidden(self):
        """A user of another company only does not see this company's receivables."""
        other = self._create_company("CM Otra Empresa", users=self.collector)
        self.collector.company_id = other
        reports = (
            self.env["customer.receivable.report"].with_user(self.collector).with_context(allowed_company_ids=other.ids)
        )
        self.assertFalse(reports.search([("partner_id", "in", self.customers.ids)]))


@tagged("post_install", "-at_install")
class TestReceivableNavigation(TransactionCase):
    """Where the receivables are found: the aging stacked by bucket, the accountants' reporting, one Customers
    entry in Sales."""

    def test_items_graph_stacks_the_aging_by_bucket(self):
        """The receivable items open in a bar graph of the customers, stacked by aging bucket."""
        items = self.env["customer.receivable.item.report"]
        arch = items.get_views([(False, "graph")])["views"]["graph"]["arch"]
        self.assertIn('stacked="1"', arch)
        self.assertIn('name="bucket"', arch)
        self.assertIn("graph", self.env.ref("customer_management.customer_receivable_item_report_action").view_mode)
        items._read_group([], ["partner_id", "bucket"], ["residual:sum"])  # what the graph asks for

    def test_menus(self):
        """Core's Orders > Customers gives way to the module's Customers; the receivables are in Accounting's
        Reporting."""
        self.assertFalse(self.env.ref("sale.res_partner_menu").active)
        reporting = self.env.ref("account.account_reports_management_menu")
        for xmlid in ("menu_accounting_receivable_customers", "menu_accounting_receivable_items"):
            self.assertEqual(self.env.ref(f"customer_management.customer_management_{xmlid}").parent_id, reporting)
