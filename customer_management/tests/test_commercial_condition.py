"""The history of a customer's commercial conditions: the versions in force, by date and by company."""

import json

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CommercialConditionCase


@tagged("post_install", "-at_install")
class TestConditionHistory(CommercialConditionCase):
    """A customer's terms are the version in force: started, scheduled, ended and restored by date."""

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
class TestConditionMultiCompany(CommercialConditionCase):
    """Each company keeps its own versions of a customer's terms."""

    def test_limit_per_company(self):
        """A version applies in its company only: each company has its own limit."""
        other = self._create_company("Distribuidora del Norte", country_id=self.mx.id)
        version = self._create_version(self.customer, company_id=other.id, credit_limit=3000.0)
        version.action_submit()
        self.assertEqual(self.customer.with_company(other).credit_limit, 3000.0)
        self.assertEqual(self.customer.with_company(self.company).credit_limit, 10000.0)
        conditions = self.customer._get_commercial_conditions(company=other)[self.customer.id]
        self.assertEqual(conditions["version_id"], version.id)

    def test_other_company_versions_invisible(self):
        """A user of one company does not see the versions of another."""
        other = self._create_company("Distribuidora del Norte", country_id=self.mx.id)
        self._create_version(self.customer, company_id=other.id, credit_limit=3000.0).action_submit()
        versions = (
            self.env["customer.commercial.condition"]
            .with_user(self.credit_manager)
            .search([("partner_id", "=", self.customer.id)])
        )
        self.assertEqual(versions.company_id, self.company)
