import ast
from datetime import timedelta
from unittest.mock import patch

from lxml import etree

from odoo import Command, fields
from odoo.models import PREFETCH_MAX
from odoo.tests import tagged, warmup

from ..models.res_partner_receivable import RECEIVABLE_FIELDS
from .common import CustomerManagementCase

# Query budgets, measured once: a change that exceeds one issues more queries than before; look for a query per
# record before raising it.
# The form's Conditions page (history, pricelist rules, promotions) and sale_loyalty's card count add queries per
# form, not per record; so does sale_loyalty's program matching at confirmation, per order, not per line.
# The list's credit status column costs 3 for the page: one engine query (its exposure only, no aging: the aging by
# customer is the receivables report's), the customers' credit terms in the company, its currency's rounding. The
# customer 360's behaviour columns come with the page's own query.
CUSTOMER_LIST_QUERIES = 16
# The form's engine figures (credit, aging, payment behaviour) come from one exposure query, with the
# company-dependent fields and the company's currency; with pricelists enabled (as in the demo), the pricelist rules
# add theirs. The count varies by one with the registry caches the tests before it leave. Every count of the form
# (the customer 360's smart buttons, the conditions, the broken promises) comes from one query; the Collections page
# adds its log and its payment promises; the delivery conditions their windows and their preferred and forbidden
# carriers (one query each); the after-sales figures the credited returns and the claims closed (one query each).
CUSTOMER_FORM_QUERIES = 54
# The customer 360 adds 2: the behaviour refresh of the order's customer (one UPDATE for the batch); the release
# requests 1, the read of the orders' pending requests, which a confirmation withdraws.
ORDER_CONFIRMATION_QUERIES = 49
# What the credit check adds to core's confirmation: the exposure query that also writes the customer's row, the
# customer's company-dependent fields (limit, hold, grace days) and the company's currency.
CREDIT_CHECK_QUERIES = 3
# Core's pricelist inverse (product's res.partner) looks the pricelist of the customer's country up once per customer
# whose pricelist is written: the one query per record of the flows that apply terms to customers.
PRICELIST_INVERSE_QUERIES = 1


@tagged("post_install", "-at_install")
class TestQueryCounts(CustomerManagementCase):
    """The customer list, the customer form and the order confirmation issue no query per record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.teams = cls.env["crm.team"].create([{"name": "Mayoreo"}, {"name": "Menudeo"}])
        zones = cls.zone_north | cls.zone_west | cls.zone_guadalajara | cls.zone_abroad
        channels = cls.channel_shop | cls.channel_horeca
        sellers = cls.seller_north | cls.seller_west
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Cliente {index:02d}",
                    "is_company": True,
                    "customer_rank": 1,
                    "country_id": cls.mx.id,
                    "state_id": cls.nuevo_leon.id,
                    "customer_segment": ("wholesale", "retail")[index % 2],
                    "payment_mode": ("credit", "cash")[index % 2],
                    "customer_zone_id": zones[index % len(zones)].id,
                    "customer_channel_id": channels[index % len(channels)].id,
                    "team_id": cls.teams[index % len(cls.teams)].id,
                    "user_id": sellers[index % len(sellers)].id,
                }
                for index in range(50)
            ]
        )
        action = cls.env["ir.actions.act_window"]._for_xml_id("customer_management.res_partner_action_customer")
        cls.list_domain = [*ast.literal_eval(action["domain"]), ("id", "in", cls.customers.ids)]
        cls.list_spec = cls._view_specification("list")
        cls.form_spec = cls._view_specification("form")
        cls.products = cls.env["product.product"].create(
            [{"name": f"Servicio {index}", "type": "service", "list_price": 100.0 + index} for index in range(10)]
        )

    @classmethod
    def _view_specification(cls, view_type):
        """The fields of the default view, as the web client asks for them (display names of the relations)."""
        result = cls.env["res.partner"].with_user(cls.cm_manager).get_views([[False, view_type]])
        fields = result["models"]["res.partner"]["fields"]
        arch = etree.fromstring(result["views"][view_type]["arch"])
        names = {node.get("name") for node in arch.iter("field")} & fields.keys()
        relational = ("many2one", "one2many", "many2many")
        return {name: {"fields": {"display_name": {}}} if fields[name]["type"] in relational else {} for name in names}

    def _count_queries(self, func):
        """The queries ``func`` issues on an empty ORM cache, its deferred writes included."""
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def _list(self, limit, spec=None):
        partners = self.env["res.partner"].with_user(self.cm_manager)
        return partners.web_search_read(self.list_domain, spec or self.list_spec, limit=limit, count_limit=10001)

    def _read_form(self, customers):
        return customers.with_user(self.cm_manager).web_read(self.form_spec)

    def _new_order(self, line_count):
        return (
            self.env["sale.order"]
            .with_user(self.cm_manager)
            .create(
                {
                    "partner_id": self.customers[0].id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 2})
                        for product in self.products[:line_count]
                    ],
                }
            )
        )

    def test_quotation_list_queries_do_not_grow_with_rows(self):
        """The quotations list with the credit badge (one engine query for the page) issues as many queries for 12
        quotations as for 3, blocked ones among them."""
        quotations_list = self.env.ref("sale.view_quotation_tree_with_onboarding")
        result = self.env["sale.order"].with_user(self.cm_manager).get_views([[quotations_list.id, "list"]])
        self.assertIn('name="credit_check_state"', result["views"]["list"]["arch"])
        spec = {"name": {}, "partner_id": {"fields": {"display_name": {}}}, "credit_check_state": {}, "state": {}}
        orders = self.env["sale.order"].create(
            [
                {"partner_id": customer.id, "order_line": [Command.create({"product_id": self.products[0].id})]}
                for customer in self.customers[:12]
            ]
        )
        # The cash customers' quotations are blocked until paid: the list looks their releases up.
        self.assertTrue(orders.filtered("credit_blocked"))

        def list_quotations(limit):
            domain = [("id", "in", orders.ids)]
            return self.env["sale.order"].with_user(self.cm_manager).web_search_read(domain, spec, limit=limit)

        self._count_queries(lambda: list_quotations(3))  # the registry's caches warm up
        self.assertEqual(
            self._count_queries(lambda: list_quotations(12)), self._count_queries(lambda: list_quotations(3))
        )

    def test_customer_list_queries_do_not_grow_with_rows(self):
        """Listing 50 classified customers issues as many queries as listing 5; so does reading them with the aging
        fields (one engine call), as an integrator's search_read does."""
        # The Customers list, which every user opens, has no aging figure (its credit status needs no aging): hidden
        # columns are fetched too.
        self.assertFalse(set(RECEIVABLE_FIELDS) & self.list_spec.keys())
        with_aging = {**self.list_spec, **{fname: {} for fname in RECEIVABLE_FIELDS}}
        for spec in (self.list_spec, with_aging):
            self._count_queries(lambda spec=spec: self._list(5, spec))  # the registry's caches warm up
            few = self._count_queries(lambda spec=spec: self._list(5, spec))
            many = self._count_queries(lambda spec=spec: self._list(50, spec))
            self.assertEqual(many, few)

    @warmup
    def test_customer_list_query_budget(self):
        """A page of the customer list stays within its query budget."""
        with self.assertQueryCount(CUSTOMER_LIST_QUERIES):
            self.env.invalidate_all()
            self._list(50)

    def test_customer_form_queries_do_not_grow_with_records(self):
        """Reading the form's fields of 50 customers issues as many queries as of 5 (every classification)."""
        self._count_queries(lambda: self._read_form(self.customers[:5]))
        few = self._count_queries(lambda: self._read_form(self.customers[:5]))
        many = self._count_queries(lambda: self._read_form(self.customers))
        self.assertEqual(many, few)

    @warmup
    def test_customer_form_query_budget(self):
        """Opening a customer's form stays within its query budget."""
        with self.assertQueryCount(CUSTOMER_FORM_QUERIES):
            self.env.invalidate_all()
            self._read_form(self.customers[:1])

    def test_order_confirmation_queries_do_not_grow_with_lines(self):
        """Confirming an order of 10 lines issues as many queries as one of a single line."""
        self._count_queries(self._new_order(1).action_confirm)
        one = self._count_queries(self._new_order(1).action_confirm)
        ten = self._count_queries(self._new_order(10).action_confirm)
        self.assertEqual(ten, one)

    @warmup
    def test_order_confirmation_query_budget(self):
        """Confirming a customer's order stays within its query budget."""
        order = self._new_order(5)
        with self.assertQueryCount(ORDER_CONFIRMATION_QUERIES):
            self.env.invalidate_all()
            order.action_confirm()

    def test_credit_check_query_budget(self):
        """The credit check adds at most its budget of queries to core's confirmation."""
        self._count_queries(self._new_order(5).action_confirm)  # the registry's caches warm up
        core_order = self._new_order(5)
        # Counted as assertQueryCount counts: the pending post-flush hooks (tracking) of the confirmation included.
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        core_order._confirm_without_credit_check()
        self.env.flush_all()
        self.env.cr.flush()
        core = self.cr.sql_log_count - start
        order = self._new_order(5)
        with self.assertQueryCount(core + CREDIT_CHECK_QUERIES):
            self.env.invalidate_all()
            order.action_confirm()

    def test_engine_figures_of_a_read_come_from_one_engine_query(self):
        """Reading the credit, the aging and the payment behaviour of customers together costs the queries of the
        credit figures alone, with the same figures as each read apart."""
        fnames = ["credit_exposure", "overdue_amount", "receivable_1_30", "avg_days_to_pay"]
        customers = self.customers.with_user(self.cm_manager)
        self._count_queries(lambda: customers.read(fnames))  # the registry's caches warm up
        credit_only = self._count_queries(lambda: customers.read(["credit_exposure"]))
        together = self._count_queries(lambda: customers.read(fnames))
        self.assertEqual(together, credit_only)
        apart = {}
        for fname in fnames:
            self.env.invalidate_all()
            apart[fname] = customers.mapped(fname)
        self.env.invalidate_all()
        rows = customers.read(fnames)
        self.assertEqual({fname: [row[fname] for row in rows] for fname in fnames}, apart)

    def test_read_of_more_customers_than_prefetched_is_one_engine_call(self):
        """A read of more customers than the ORM prefetches at once (an export) computes their credit figures in one
        engine call, not one per thousand records."""
        partners = self.env["res.partner"].create(
            [{"name": f"Cliente {index:04d}", "customer_rank": 1} for index in range(PREFETCH_MAX + 1)]
        )
        engine = type(self.env["customer.exposure"])
        self.env.invalidate_all()
        with patch.object(engine, "_get_exposure", autospec=True, side_effect=engine._get_exposure) as spy:
            rows = partners.read(["credit_exposure", "credit_status"])
        self.assertEqual(spy.call_count, 1)
        self.assertEqual({row["credit_status"] for row in rows}, {"ok"})


@tagged("post_install", "-at_install")
class TestBatchQueryCounts(CustomerManagementCase):
    """The approval flow and the daily job of commercial conditions, the classification's defaults and the promises'
    daily job issue no query of their own per record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["customer.commercial.condition"])
        cls.company.customer_wholesale_pricelist_id = cls.env["product.pricelist"].create({"name": "Mayoreo"})
        cls.company.customer_wholesale_payment_term_id = cls.term_30

    def _days(self, days):
        return self.today + timedelta(days=days)

    def _count_queries(self, func):
        """The queries ``func`` issues on an empty ORM cache, its deferred writes included.

        The tracking messages core posts at commit, one per tracked record, are left out: what is pending before
        ``func`` is posted first, so that it is not counted either.
        """
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def _assert_queries_do_not_grow(self, prepare, run, core_queries=0, few=2, many=6):
        """``run(records)`` issues as many queries on the records ``prepare(many)`` returns as on those of
        ``prepare(few)`` (a first batch warms the registry's caches up), but for the ``core_queries`` that core
        issues per unit of the batch."""
        counts = []
        for count in (few, few, many):
            records = prepare(count)
            counts.append(self._count_queries(lambda records=records: run(records)))
        self.assertEqual(
            counts[2] - counts[1], (many - few) * core_queries, f"queries on {few} and {many}: {counts[1:]}"
        )

    def _customers(self, count, **values):
        """``count`` customers of the north salesperson, each with terms approved 30 days ago."""
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Cliente {index:02d}",
                    "is_company": True,
                    "customer_rank": 1,
                    "country_id": self.mx.id,
                    "user_id": self.seller_north.id,
                    **values,
                }
                for index in range(count)
            ]
        )
        self._versions(customers, credit_limit=10000.0, payment_term_id=self.term_30.id, date_from=self._days(-30))
        return customers

    def _versions(self, customers, user=None, submit=True, **values):
        """A version of each of ``customers``' terms, created (and submitted) by ``user`` (the superuser)."""
        versions = (
            self.env["customer.commercial.condition"]
            .with_user(user or self.env.user)
            .create([{"partner_id": customer.id, "reason": "Negotiated", **values} for customer in customers])
        )
        if submit:
            versions.action_submit()
        return versions

    def test_submission_queries_do_not_grow_with_versions(self):
        """A salesperson submitting 6 raises for approval issues as many queries as submitting 2."""
        self._assert_queries_do_not_grow(
            lambda count: self._versions(self._customers(count), self.seller_north, submit=False, credit_limit=20000.0),
            lambda versions: versions.action_submit(),
        )

    def test_approval_queries_do_not_grow_with_versions(self):
        """Approving 6 requests that end the terms in force and apply to their customers issues as many queries as
        approving 2, but for core's pricelist lookup per customer."""
        self._assert_queries_do_not_grow(
            lambda count: self._versions(self._customers(count), self.seller_north, credit_limit=20000.0),
            lambda versions: versions.with_user(self.cm_manager).action_approve(),
            PRICELIST_INVERSE_QUERIES,
        )

    def test_replacement_queries_do_not_grow_with_versions(self):
        """Applying 6 versions that replace the versions in force since the same day issues as many queries as
        applying 2, but for core's pricelist lookup per customer."""

        def prepare(count):
            customers = self._customers(count)
            self._versions(customers, credit_limit=9000.0)
            return self._versions(customers, submit=False, credit_limit=8000.0)

        self._assert_queries_do_not_grow(
            prepare, lambda versions: versions.with_user(self.cm_manager).action_submit(), PRICELIST_INVERSE_QUERIES
        )

    def test_cancellation_queries_do_not_grow_with_versions(self):
        """Cancelling 6 scheduled versions, which lets the terms in force run on, issues as many queries as
        cancelling 2."""
        self._assert_queries_do_not_grow(
            lambda count: self._versions(self._customers(count), credit_limit=8000.0, date_from=self._days(10)),
            lambda versions: versions.with_user(self.credit_manager).action_cancel(),
        )

    def test_daily_job_queries_do_not_grow_with_versions(self):
        """The daily job starting 6 scheduled versions and restoring the terms after 6 temporary ones issues as many
        queries as for 2 of each, but for core's pricelist lookup per customer."""

        def prepare(count):
            scheduled = self._versions(self._customers(count), credit_limit=8000.0, date_from=self._days(10))
            temporary = self._versions(self._customers(count), credit_limit=9000.0, date_to=self._days(5))
            return scheduled | temporary

        conditions = self.env["customer.commercial.condition"]
        # Each unit of the batch is two customers, one starting its terms and one going back to them.
        self._assert_queries_do_not_grow(
            prepare, lambda _versions: conditions._cron_apply_conditions(self._days(10)), 2 * PRICELIST_INVERSE_QUERIES
        )

    def test_promise_job_queries_do_not_grow_with_promises(self):
        """Judging 6 payment promises whose date has passed issues as many queries as judging 2."""

        def prepare(count):
            customers = self.env["res.partner"].create(
                [{"name": f"Deudor {index:02d}", "is_company": True} for index in range(count)]
            )
            return self.env["customer.payment.promise"].create(
                [{"partner_id": customer.id, "amount": 500.0, "promised_date": self.today} for customer in customers]
            )

        promises = self.env["customer.payment.promise"]
        self._assert_queries_do_not_grow(prepare, lambda _promises: promises._cron_evaluate_promises(self._days(5)))

    def test_classification_queries_do_not_grow_with_customers(self):
        """Classifying 6 customers in one segment, whose defaults are written and recorded as versions, issues as
        many queries as classifying 2, but for core's pricelist lookup per customer."""
        self._assert_queries_do_not_grow(
            self._customers,
            lambda customers: customers.with_user(self.cm_manager).write({"customer_segment": "wholesale"}),
            PRICELIST_INVERSE_QUERIES,
        )

    def test_batch_approval_keeps_the_history_of_one_by_one_approvals(self):
        """Versions of one customer applied together, in date order, leave the history applying them one by one
        leaves: each sees those before it."""
        batch_customer, single_customer = self._customers(2)
        # (start, end) in days from today, the second one replaced by the third starting the same day.
        dates = [(-10, None), (0, 5), (0, None), (10, None)]

        def requests(customer):
            return self.env["customer.commercial.condition"].create(
                [
                    {
                        "partner_id": customer.id,
                        "reason": "Negotiated",
                        "credit_limit": 9000.0 - 1000.0 * index,
                        "date_from": self._days(start),
                        "date_to": end is not None and self._days(end),
                    }
                    for index, (start, end) in enumerate(dates)
                ]
            )

        batch, single = requests(batch_customer), requests(single_customer)
        batch.action_submit()
        for version in single:
            version.action_submit()

        def history(customer):
            versions = self.env["customer.commercial.condition"].search([("partner_id", "=", customer.id)])
            return [(version.credit_limit, version.date_from, version.date_to, version.state) for version in versions]

        self.assertEqual(history(batch_customer), history(single_customer))
        self.assertRecordValues(
            batch,
            [
                {"date_to": self._days(-1), "state": "superseded"},
                {"date_to": self._days(5), "state": "cancelled"},
                {"date_to": self._days(9), "state": "active"},
                {"date_to": False, "state": "scheduled"},
            ],
        )
        self.assertEqual(batch_customer.credit_limit, 7000.0)
