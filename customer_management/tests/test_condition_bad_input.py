"""Bad input on commercial conditions: impossible terms are refused on a version and on the customer."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CommercialConditionCase


@tagged("post_install", "-at_install")
class TestConditionBadInput(CommercialConditionCase):
    """Versions of impossible terms are refused, and nothing is saved."""

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

    def test_dates_in_messages_follow_the_users_format(self):
        """The refusal gives its dates as the user reads them (es_MX: day/month/year), not in ISO."""
        self.env["res.lang"]._activate_lang("es_MX")
        with self.assertRaises(ValidationError) as caught:
            self.env["customer.commercial.condition"].with_context(lang="es_MX").create(
                {"partner_id": self.customer.id, "reason": "Fechas", "date_from": "2026-02-15", "date_to": "2026-01-10"}
            )
        self.assertIn("10/01/2026", str(caught.exception))
        self.assertIn("15/02/2026", str(caught.exception))
        self.assertNotIn("2026-01-10", str(caught.exception))

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
