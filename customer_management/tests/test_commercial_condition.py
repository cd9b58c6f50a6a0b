import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SALESPERSON_GROUPS, CustomerManagementCase


class CommercialConditionCase(CustomerManagementCase):
    """A customer with a month-old version of its terms."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["customer.commercial.condition"])
        cls.customer = cls._create_customer("Abarrotes El Sol", user_id=cls.seller_north.id)
        cls.base_version = cls._create_version(
            cls.customer, credit_limit=10000.0, payment_term_id=cls.term_30.id, date_from=cls.today - timedelta(days=30)
        )
        cls.base_version.action_submit()

    def _days(self, days):
        return self.today + timedelta(days=days)

    def _versions(self, customer=None, company=None):
        return self.env["customer.commercial.condition"].search(
            [("partner_id", "=", (customer or self.customer).id), ("company_id", "=", (company or self.company).id)]
        )


@tagged("post_install", "-at_install")
class TestConditionHistory(CommercialConditionCase):
    def test_approved_version_sets_partner_terms(self):
        """An approved version already started is active and its terms are the customer's current values."""
        self.assertEqual(self.base_version.state, "active")
        self.assertRecordValues(self.customer, [{"credit_limit": 10000.0, "property_payment_term_id": self.term_30.id}])

    def test_version_applies_every_term(self):
        """An active version writes its term, pricelist, discount and payment mode on the customer."""
        pricelist = self.env["product.pricelist"].create({"name": "Especial"})
        version = self._create_version(
            self.customer,
            payment_term_id=self.immediate.id,
            pricelist_id=pricelist.id,
            discount_percent=7.5,
            payment_mode="cash",
        )
        version.action_submit()
        self.assertRecordValues(
            self.customer,
            [
                {
                    "credit_limit": 10000.0,
                    "property_payment_term_id": self.immediate.id,
                    "property_product_pricelist": pricelist.id,
                    "customer_discount_percent": 7.5,
                    "payment_mode": "cash",
                }
            ],
        )

    def test_version_keeps_the_terms_it_does_not_give(self):
        """A version created with only a new limit keeps the payment term and pricelist in force."""
        pricelist = self.customer.property_product_pricelist
        version = self._create_version(self.customer, credit_limit=8000.0)
        self.assertRecordValues(
            version, [{"credit_limit": 8000.0, "payment_term_id": self.term_30.id, "pricelist_id": pricelist.id}]
        )
        version.action_submit()
        self.assertRecordValues(
            self.customer,
            [
                {
                    "credit_limit": 8000.0,
                    "property_payment_term_id": self.term_30.id,
                    "property_product_pricelist": pricelist.id,
                }
            ],
        )

    def test_new_version_form_starts_from_terms_in_force(self):
        """In the form, choosing the customer fills in its terms in force, ready to change what changes."""
        with Form(self.env["customer.commercial.condition"]) as form:
            form.partner_id = self.customer
            self.assertEqual(form.credit_limit, 10000.0)
            self.assertEqual(form.payment_term_id, self.term_30)
            form.credit_limit = 9000.0
            form.reason = "Ajuste"
        self.assertRecordValues(form.record, [{"credit_limit": 9000.0, "payment_term_id": self.term_30.id}])

    def test_direct_edit_creates_version(self):
        """Changing a term on the customer records an active version and supersedes the previous one."""
        self.customer.write({"credit_limit": 8000.0, "customer_discount_percent": 5.0})
        current = self._versions()[0]
        self.assertRecordValues(
            current,
            [
                {
                    "state": "active",
                    "credit_limit": 8000.0,
                    "discount_percent": 5.0,
                    "payment_term_id": self.term_30.id,
                    "date_from": self.today,
                    "origin": "customer_edit",
                    "approved_by_id": self.env.user.id,
                }
            ],
        )
        self.assertRecordValues(self.base_version, [{"state": "superseded", "date_to": self._days(-1)}])

    def test_same_day_edits_keep_last(self):
        """A version replaced on the day it started is cancelled: the last change of the day is in force."""
        self.customer.credit_limit = 8000.0
        first = self._versions()[0]
        self.customer.credit_limit = 7000.0
        self.assertEqual(first.state, "cancelled")
        self.assertEqual(self._versions()[0].state, "active")
        self.assertEqual(self.customer._get_commercial_conditions()[self.customer.id]["credit_limit"], 7000.0)

    def test_scheduled_version_starts_on_its_date(self):
        """A version approved with a future start waits, and the daily job applies it on that day."""
        future = self._create_version(self.customer, credit_limit=6000.0, date_from=self._days(10))
        future.action_submit()
        self.assertEqual(future.state, "scheduled")
        self.assertEqual(self.customer.credit_limit, 10000.0)
        self.assertRecordValues(self.base_version, [{"state": "active", "date_to": self._days(9)}])
        self.env["customer.commercial.condition"]._cron_apply_conditions(self._days(10))
        self.assertEqual(self._versions()[0], future, "the job restores nothing when a successor starts")
        self.assertEqual(future.state, "active")
        self.assertEqual(self.base_version.state, "superseded")
        self.assertEqual(self.customer.credit_limit, 6000.0)

    def test_cancelled_scheduled_version_reopens_current(self):
        """Cancelling a scheduled version lets the current terms run on, with no end."""
        future = self._create_version(self.customer, credit_limit=6000.0, date_from=self._days(10))
        future.action_submit()
        future.with_user(self.credit_manager).action_cancel()
        self.assertRecordValues(self.base_version, [{"state": "active", "date_to": False}])

    def test_ended_version_restores_previous_terms(self):
        """A temporary version ends by itself: the job restores the terms in force before it."""
        december = self._create_version(self.customer, credit_limit=9000.0, date_to=self._days(5))
        december.action_submit()
        self.assertEqual(self.customer.credit_limit, 9000.0)
        self.env["customer.commercial.condition"]._cron_apply_conditions(self._days(6))
        restored = self._versions()[0]
        self.assertEqual(december.state, "superseded")
        self.assertRecordValues(
            restored,
            [
                {
                    "state": "active",
                    "credit_limit": 10000.0,
                    "payment_term_id": self.term_30.id,
                    "date_from": self._days(6),
                    "origin": "restored",
                    "reason": december.reason,
                }
            ],
        )
        self.assertEqual(self.customer.credit_limit, 10000.0)

    def test_conditions_on_a_date(self):
        """_get_commercial_conditions answers the terms in force on a past, present or future date."""
        future = self._create_version(self.customer, credit_limit=6000.0, date_from=self._days(10))
        future.action_submit()
        get = self.customer._get_commercial_conditions
        self.assertFalse(get(self._days(-31))[self.customer.id])
        self.assertEqual(get(self._days(-30))[self.customer.id]["credit_limit"], 10000.0)
        self.assertEqual(get()[self.customer.id]["version_id"], self.base_version.id)
        self.assertEqual(get(self._days(10))[self.customer.id]["credit_limit"], 6000.0)

    def test_conditions_contract(self):
        """_get_commercial_conditions's contract, for other modules: per partner id given, the JSON-serialisable terms
        of the version in force, with the version's id and dates, and exactly these keys."""
        version = self.base_version
        terms = self.customer._get_commercial_conditions()
        self.assertEqual(list(terms), [self.customer.id])
        self.assertEqual(
            terms[self.customer.id],
            {
                "version_id": version.id,
                "credit_limit": 10000.0,
                "payment_term_id": version.payment_term_id.id,
                "pricelist_id": version.pricelist_id.id,
                "currency_id": self.company.currency_id.id,
                "discount_percent": version.discount_percent,
                "payment_mode": False,  # the test customer is not classified
                "date_from": version.date_from.isoformat(),
                "date_to": False,
            },
        )
        json.dumps(terms)

    def test_contact_answers_its_company_terms(self):
        """A contact's conditions are those of its commercial entity."""
        contact = self.env["res.partner"].create({"name": "Laura Garza", "parent_id": self.customer.id})
        self.assertEqual(contact._get_commercial_conditions()[contact.id]["version_id"], self.base_version.id)

    def test_back_dated_version_fills_history(self):
        """A version approved with an earlier start completes the history and leaves the current terms alone."""
        older = self._create_version(self.customer, credit_limit=2000.0, date_from=self._days(-90))
        older.action_submit()
        self.assertRecordValues(older, [{"state": "superseded", "date_to": self._days(-31)}])
        self.assertEqual(self.base_version.state, "active")
        self.assertEqual(self.customer.credit_limit, 10000.0)

    def test_approved_version_cannot_be_deleted(self):
        """The history is never deleted, not even by an administrator."""
        with self.assertRaises(UserError):
            self.base_version.with_user(self.cm_manager).unlink()
        self.assertTrue(self.base_version.exists())

    def test_approved_version_terms_cannot_change(self):
        """The terms of an approved version are frozen: a change is a new version."""
        with self.assertRaises(UserError):
            self.base_version.with_user(self.credit_manager).credit_limit = 1.0
        self.assertEqual(self.base_version.credit_limit, 10000.0)

    def test_pricelist_sets_currency(self):
        """The version trades in its pricelist's currency."""
        usd = self.env.ref("base.USD")
        usd.active = True
        pricelist = self.env["product.pricelist"].create({"name": "Dólares", "currency_id": usd.id})
        version = self._create_version(self.customer, pricelist_id=pricelist.id)
        self.assertEqual(version.currency_id, usd)

    def test_installation_records_terms_of_existing_customers(self):
        """Customers that existed before the module get their current terms as a first version, once."""
        existing = (
            self.env["res.partner"]
            .sudo()
            .with_context(customer_condition_apply=True)
            .create({"name": "Ferretería Los Pinos", "is_company": True, "customer_rank": 1, "credit_limit": 8000.0})
        )
        self.assertFalse(self._versions(existing))
        (existing | self.customer)._record_installation_conditions()
        (existing | self.customer)._record_installation_conditions()
        self.assertRecordValues(
            self._versions(existing),
            [{"state": "active", "credit_limit": 8000.0, "date_from": self.today, "origin": "installation"}],
        )
        self.assertEqual(self._versions(), self.base_version, "a customer with a history keeps it as it is")


@tagged("post_install", "-at_install")
class TestConditionApproval(CommercialConditionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.customer_credit_approval_amount = 50000.0
        cls.accountant_seller = new_test_user(
            cls.env, login="cm_accountant_seller", groups=f"{SALESPERSON_GROUPS},account.group_account_invoice"
        )

    def _request(self, user, credit_limit, **values):
        version = self._create_version(self.customer, credit_limit=credit_limit, requested_by_id=user.id, **values)
        version.with_user(user).action_submit()
        return version

    def test_salesperson_lowers_limit_at_once(self):
        """A salesperson lowers a credit limit without approval."""
        version = self._request(self.seller_north, 4000.0)
        self.assertEqual(version.state, "active")
        self.assertEqual(self.customer.credit_limit, 4000.0)

    def test_salesperson_raise_waits_for_approval(self):
        """A salesperson's raise is a request: the limit does not change until approved."""
        version = self._request(self.seller_north, 20000.0)
        self.assertEqual(version.state, "to_approve")
        self.assertEqual(self.customer.credit_limit, 10000.0)

    def test_salesperson_requests_raise_from_form(self):
        """A salesperson fills a version in the form, sees the pricelist's currency, and submits a raise."""
        pricelist = self.env["product.pricelist"].create({"name": "Mayoreo"})
        with Form(self.env["customer.commercial.condition"].with_user(self.seller_north)) as form:
            form.partner_id = self.customer
            form.credit_limit = 15000.0
            form.pricelist_id = pricelist
            self.assertEqual(form.currency_id, pricelist.currency_id)
            form.reason = "Más volumen"
        version = form.record
        version.action_submit()
        self.assertRecordValues(version, [{"state": "to_approve", "requested_by_id": self.seller_north.id}])
        self.assertTrue(self.customer.with_user(self.seller_north).web_read({"commercial_condition_ids": {}}))

    def test_salesperson_cannot_approve(self):
        """A salesperson cannot approve a request, its own or another's."""
        version = self._request(self.seller_north, 20000.0)
        with self.assertRaises(AccessError):
            version.with_user(self.seller_west).action_approve()
        self.assertEqual(version.state, "to_approve")

    def test_salesperson_cannot_raise_limit_on_customer(self):
        """Even with access to invoicing, a salesperson cannot raise the limit on the customer form."""
        with self.assertRaises(UserError):
            self.customer.with_user(self.accountant_seller).credit_limit = 20000.0
        self.assertEqual(self.customer.credit_limit, 10000.0)

    def test_salesperson_changes_only_own_requests(self):
        """A salesperson cannot change another salesperson's request."""
        version = self._create_version(self.customer, credit_limit=20000.0, requested_by_id=self.seller_north.id)
        with self.assertRaises(AccessError):
            version.with_user(self.seller_west).write({"credit_limit": 30000.0})

    def test_credit_manager_raises_within_amount(self):
        """A credit manager raises a limit up to the approval amount directly on the customer."""
        self.customer.with_user(self.credit_manager).credit_limit = 40000.0
        self.assertEqual(self.customer.credit_limit, 40000.0)
        self.assertEqual(self._versions()[0].approved_by_id, self.credit_manager)

    def test_credit_manager_raise_above_amount_refused_on_customer(self):
        """Above the approval amount, a direct raise is refused with a hint to request it."""
        with self.assertRaises(UserError) as caught:
            self.customer.with_user(self.credit_manager).credit_limit = 60000.0
        self.assertIn("second approval", str(caught.exception))
        self.assertEqual(self.customer.credit_limit, 10000.0)

    def test_raise_above_amount_needs_another_credit_manager(self):
        """Above the amount a credit manager's request needs a second credit manager: no self-approval."""
        version = self._request(self.credit_manager, 60000.0)
        self.assertEqual(version.state, "to_approve")
        with self.assertRaises(UserError):
            version.with_user(self.credit_manager).action_approve()
        version.with_user(self.credit_manager_2).action_approve()
        self.assertRecordValues(version, [{"state": "active", "approved_by_id": self.credit_manager_2.id}])
        self.assertEqual(self.customer.credit_limit, 60000.0)

    def test_salesperson_raise_above_amount_needs_two_credit_managers(self):
        """Above the amount a salesperson's request waits for two credit managers; the first approval is recorded."""
        version = self._request(self.seller_north, 60000.0)
        version.with_user(self.credit_manager).action_approve()
        self.assertRecordValues(
            version, [{"state": "to_approve", "first_approved_by_id": self.credit_manager.id, "approved_by_id": False}]
        )
        self.assertEqual(self.customer.credit_limit, 10000.0)
        with self.assertRaises(UserError):
            version.with_user(self.credit_manager).action_approve()
        version.with_user(self.credit_manager_2).action_approve()
        self.assertRecordValues(version, [{"state": "active", "approved_by_id": self.credit_manager_2.id}])
        self.assertEqual(self.customer.credit_limit, 60000.0)

    def test_salesperson_raise_within_amount_needs_one_credit_manager(self):
        """Up to the amount one credit manager approves a salesperson's request."""
        version = self._request(self.seller_north, 40000.0)
        version.with_user(self.credit_manager).action_approve()
        self.assertRecordValues(version, [{"state": "active", "first_approved_by_id": False}])

    def test_administrator_approves_salesperson_raise_alone(self):
        """An administrator approves a salesperson's request above the amount alone."""
        version = self._request(self.seller_north, 0.0)
        version.with_user(self.cm_manager).action_approve()
        self.assertEqual(version.state, "active")
        self.assertEqual(self.customer.credit_limit, 0.0)

    def test_administrator_approves_own_request(self):
        """An administrator may approve its own request."""
        version = self._request(self.cm_manager, 60000.0)
        version.with_user(self.cm_manager).action_approve()
        self.assertEqual(version.state, "active")

    def test_refused_request_changes_nothing(self):
        """A refused request leaves the customer's terms as they were."""
        version = self._request(self.seller_north, 20000.0)
        version.with_user(self.credit_manager).action_refuse()
        self.assertEqual(version.state, "refused")
        self.assertEqual(self.customer.credit_limit, 10000.0)

    def test_no_approval_amount_means_credit_managers_decide(self):
        """With no approval amount, a credit manager's raise applies at once, whatever its size."""
        self.company.customer_credit_approval_amount = 0.0
        version = self._request(self.credit_manager, 900000.0)
        self.assertEqual(version.state, "active")


@tagged("post_install", "-at_install")
class TestConditionBadInput(CommercialConditionCase):
    def _assert_refused(self, values):
        count = self.env["customer.commercial.condition"].search_count([])
        with self.assertRaises(ValidationError):
            self._create_version(self.customer, **values)
        self.assertEqual(self.env["customer.commercial.condition"].search_count([]), count)

    def test_negative_limit_refused(self):
        """A negative credit limit is refused, on a version and on the customer."""
        self._assert_refused({"credit_limit": -1.0})
        with self.assertRaises(ValidationError):
            self.customer.credit_limit = -1.0
        self.assertEqual(self.customer.credit_limit, 10000.0)

    def test_end_before_start_refused(self):
        """A version cannot end before it starts."""
        self._assert_refused({"date_from": self._days(5), "date_to": self._days(1)})

    def test_discount_out_of_range_refused(self):
        """A discount must be between 0 and 100%, on a version and on the customer."""
        self._assert_refused({"discount_percent": 101.0})
        self._assert_refused({"discount_percent": -5.0})
        with self.assertRaises(ValidationError):
            self.customer.customer_discount_percent = 150.0
        self.assertEqual(self.customer.customer_discount_percent, 0.0)

    def test_overlapping_approved_versions_refused(self):
        """Two approved versions of a customer cannot be in force on the same day."""
        self.customer.credit_limit = 8000.0
        with self.assertRaises(ValidationError):
            self.base_version.date_to = self._days(3)
        self.assertEqual(self.base_version.date_to, self._days(-1))

    def test_pricelist_in_other_currency_refused(self):
        """A version cannot trade in another currency than its pricelist's."""
        foreign = self.env.ref("base.EUR")
        foreign.active = True
        pricelist = self.env["product.pricelist"].create({"name": "Euros", "currency_id": foreign.id})
        self.assertNotEqual(self.company.currency_id, foreign)
        self._assert_refused({"pricelist_id": pricelist.id, "currency_id": self.company.currency_id.id})

    def test_submit_without_reason_refused(self):
        """A version is submitted with its reason."""
        version = self._create_version(self.customer, credit_limit=5000.0, reason=False)
        with self.assertRaises(UserError):
            version.action_submit()
        self.assertEqual(version.state, "draft")

    def test_rpc_cannot_create_approved_version(self):
        """A version given a state other than draft is refused, and nothing is created."""
        versions = self.customer.commercial_condition_ids
        with self.assertRaises(UserError):
            self.env["customer.commercial.condition"].with_user(self.seller_north).create(
                {"partner_id": self.customer.id, "reason": "x", "credit_limit": 90000.0, "state": "active"}
            )
        self.assertEqual(self.customer.commercial_condition_ids, versions)
        self.assertEqual(self.customer.credit_limit, 10000.0)


@tagged("post_install", "-at_install")
class TestConditionMultiCompany(CommercialConditionCase):
    def test_limit_per_company(self):
        """A version applies in its company only: each company has its own limit."""
        other = self.env["res.company"].create({"name": "Distribuidora del Norte", "country_id": self.mx.id})
        version = self._create_version(self.customer, company_id=other.id, credit_limit=3000.0)
        version.action_submit()
        self.assertEqual(self.customer.with_company(other).credit_limit, 3000.0)
        self.assertEqual(self.customer.with_company(self.company).credit_limit, 10000.0)
        conditions = self.customer._get_commercial_conditions(company=other)[self.customer.id]
        self.assertEqual(conditions["version_id"], version.id)

    def test_other_company_versions_invisible(self):
        """A user of one company does not see the versions of another."""
        other = self.env["res.company"].create({"name": "Distribuidora del Norte", "country_id": self.mx.id})
        self._create_version(self.customer, company_id=other.id, credit_limit=3000.0).action_submit()
        versions = (
            self.env["customer.commercial.condition"]
            .with_user(self.credit_manager)
            .search([("partner_id", "=", self.customer.id)])
        )
        self.assertEqual(versions.company_id, self.company)


@tagged("post_install", "-at_install")
class TestSegmentDefaults(CustomerManagementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wholesale_pricelist = cls.env["product.pricelist"].create({"name": "Mayoreo"})
        cls.retail_pricelist = cls.env["product.pricelist"].create({"name": "Menudeo"})
        cls.term_15 = cls.env.ref("account.account_payment_term_15days")
        cls.company.write(
            {
                "customer_wholesale_pricelist_id": cls.wholesale_pricelist.id,
                "customer_wholesale_payment_term_id": cls.term_30.id,
                "customer_retail_pricelist_id": cls.retail_pricelist.id,
                "customer_retail_payment_term_id": cls.term_15.id,
            }
        )

    def test_classified_customer_gets_segment_defaults(self):
        """A wholesale customer gets the wholesale pricelist and term, recorded as a version."""
        customer = self._create_customer(customer_segment="wholesale", payment_mode="credit")
        self.assertRecordValues(
            customer,
            [{"property_product_pricelist": self.wholesale_pricelist.id, "property_payment_term_id": self.term_30.id}],
        )
        self.assertEqual(customer.commercial_condition_ids.origin, "segment_defaults")

    def test_cash_customer_pays_immediately(self):
        """A cash customer gets the immediate term whatever its segment."""
        customer = self._create_customer(customer_segment="wholesale", payment_mode="cash")
        self.assertRecordValues(
            customer,
            [
                {
                    "property_product_pricelist": self.wholesale_pricelist.id,
                    "property_payment_term_id": self.immediate.id,
                }
            ],
        )

    def test_given_terms_override_defaults(self):
        """Terms given with the classification win over the segment's defaults."""
        customer = self._create_customer(customer_segment="retail", property_payment_term_id=self.term_30.id)
        self.assertRecordValues(
            customer,
            [{"property_product_pricelist": self.retail_pricelist.id, "property_payment_term_id": self.term_30.id}],
        )

    def test_reclassified_customer_gets_new_defaults(self):
        """Moving a customer to the retail segment proposes the retail terms."""
        customer = self._create_customer(customer_segment="wholesale")
        customer.customer_segment = "retail"
        self.assertEqual(customer.property_product_pricelist, self.retail_pricelist)
        self.assertEqual(customer.property_payment_term_id, self.term_15)

    def test_defaults_can_be_overridden(self):
        """After the defaults, another term may be set, and the customer keeps it."""
        customer = self._create_customer(customer_segment="wholesale")
        customer.property_payment_term_id = self.immediate
        self.assertEqual(customer.property_payment_term_id, self.immediate)
        self.assertEqual(
            customer.commercial_condition_ids.filtered(lambda v: v.state == "active").payment_term_id, self.immediate
        )

    def test_form_proposes_segment_defaults(self):
        """Choosing a segment in the form shows its pricelist and term at once."""
        with Form(self.env["res.partner"]) as form:
            form.name = "Cremería La Vaquita"
            form.company_type = "company"
            form.customer_segment = "retail"
            self.assertEqual(form.property_payment_term_id, self.term_15)
        self.assertEqual(form.record.property_product_pricelist, self.retail_pricelist)


@tagged("post_install", "-at_install")
class TestConditionFourEyes(CommercialConditionCase):
    def test_requester_cannot_be_someone_else(self):
        """Who submits is the requester: a credit manager cannot name another to approve its own raise."""
        self.company.customer_credit_approval_amount = 50000.0
        values = {"partner_id": self.customer.id, "credit_limit": 90000.0, "reason": "Temporada"}
        versions = self.env["customer.commercial.condition"].with_user(self.credit_manager)
        with self.assertRaises(UserError):
            versions.create({**values, "requested_by_id": self.credit_manager_2.id})
        version = versions.create(values)
        with self.assertRaises(UserError):
            version.requested_by_id = self.credit_manager_2
        version.action_submit()
        self.assertEqual(version.requested_by_id, self.credit_manager)
        with self.assertRaises(UserError):
            version.action_approve()
