"""The customer policies: the tax ID and classification required, the cash customers' payment term."""

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import CustomerManagementCase


@tagged("post_install", "-at_install")
class TestCustomerPolicy(CustomerManagementCase):
    def test_invalid_mexican_rfc_is_refused(self):
        """base_vat refuses a malformed Mexican RFC, and nothing is saved."""
        count = self.env["res.partner"].search_count([])
        with self.assertRaises(ValidationError):
            self._create_customer(vat="NOT-AN-RFC")
        self.assertEqual(self.env["res.partner"].search_count([]), count)

    def test_valid_mexican_rfc_is_accepted(self):
        """A well-formed RFC with a real date passes."""
        customer = self._create_customer(vat="ALE950315AB1")
        self.assertEqual(customer.vat, "ALE950315AB1")

    def test_vat_required_for_national_companies(self):
        """Under the default policy a national company customer needs a tax ID."""
        self.company.customer_vat_policy = "national_company"
        with self.assertRaises(ValidationError) as caught:
            self._create_customer()
        self.assertIn("Tax ID", str(caught.exception))
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Abarrotes La Esperanza")]))

    def test_vat_policy_spares_international_and_individuals(self):
        """The national-company policy asks nothing of foreign companies or of individuals."""
        self.company.customer_vat_policy = "national_company"
        abroad = self._create_customer(country_id=self.us.id)
        person = self._create_customer("María López", is_company=False)
        self.assertTrue(abroad and person)

    def test_vat_policy_all_customers(self):
        """The strictest policy asks a tax ID of every customer."""
        self.company.customer_vat_policy = "all"
        with self.assertRaises(ValidationError):
            self._create_customer("María López", is_company=False, country_id=self.us.id)

    def test_policy_ignores_non_customers(self):
        """A contact that is not a customer is not subject to the customer policy."""
        self.company.customer_vat_policy = "all"
        supplier = self.env["res.partner"].create({"name": "Proveedor", "is_company": True, "country_id": self.mx.id})
        self.assertTrue(supplier)

    def test_removing_required_vat_is_refused(self):
        """Clearing the tax ID of a national company customer is refused and the tax ID stays."""
        customer = self._create_customer(vat="ALE950315AB1")
        self.company.customer_vat_policy = "national_company"
        with self.assertRaises(ValidationError):
            customer.vat = False
        self.assertEqual(customer.vat, "ALE950315AB1")

    def test_required_classification(self):
        """Segment, zone and channel can each be made mandatory; the message names what is missing."""
        self.company.write(
            {"customer_segment_required": True, "customer_zone_required": True, "customer_channel_required": True}
        )
        with self.assertRaises(ValidationError) as caught:
            self._create_customer(state_id=self.nuevo_leon.id)
        self.assertIn("Segment, Channel", str(caught.exception))
        customer = self._create_customer(
            state_id=self.nuevo_leon.id, customer_segment="retail", customer_channel_id=self.channel_shop.id
        )
        self.assertEqual(customer.customer_zone_id, self.zone_north)

    def test_cash_customer_gets_immediate_term(self):
        """A cash customer gets the immediate payment term unless one is given."""
        customer = self._create_customer(payment_mode="cash")
        self.assertEqual(customer.property_payment_term_id, self.immediate)
        given = self._create_customer("Con plazo", payment_mode="cash", property_payment_term_id=self.term_30.id)
        self.assertEqual(given.property_payment_term_id, self.term_30)

    def test_cash_term_set_in_the_classifying_company(self):
        """A shared cash customer gets the immediate term in the company that classifies it only (the other
        companies' terms are theirs to agree), a company's own customers in their company."""
        other = self._create_company("CM Second Company", customer_vat_policy="none")
        shared = self._create_customer("Compartido", company_id=False, payment_mode="cash")
        own = self._create_customer("Propio", company_id=other.id, payment_mode="cash")
        self.assertFalse(shared.with_company(other).property_payment_term_id)
        self.assertEqual(shared.with_company(self.company).property_payment_term_id, self.immediate)
        self.assertEqual(own.with_company(other).property_payment_term_id, self.immediate)
        self.assertFalse(own.with_company(self.company).property_payment_term_id)

    def test_resending_cash_keeps_chosen_term(self):
        """Writing cash again on a cash customer (an import, an integration) keeps the term chosen since."""
        customer = self._create_customer(payment_mode="cash")
        customer.property_payment_term_id = self.term_30
        customer.write({"payment_mode": "cash"})
        self.assertEqual(customer.property_payment_term_id, self.term_30)

    def test_switching_to_cash_sets_immediate_term(self):
        """Switching a credit customer to cash sets the immediate term."""
        customer = self._create_customer(payment_mode="credit", property_payment_term_id=self.term_30.id)
        customer.payment_mode = "cash"
        self.assertEqual(customer.property_payment_term_id, self.immediate)

    def test_form_cash_sets_immediate_term(self):
        """Choosing cash in the form shows the immediate term at once."""
        with Form(self.env["res.partner"]) as form:
            form.name = "Tienda Don Pepe"
            form.payment_mode = "cash"
            self.assertEqual(form.property_payment_term_id, self.immediate)

    def test_classification_company_must_match(self):
        """A customer of one company cannot be put in another company's zone."""
        other = self._create_company("CM Other Company")
        foreign_zone = self.env["customer.zone"].create({"name": "Foreign", "company_id": other.id})
        with self.assertRaises(ValidationError):
            self._create_customer(company_id=self.company.id, customer_zone_id=foreign_zone.id)
