"""The customer's scope: national or international by its country and its company's."""

from odoo.tests import tagged

from .common import CustomerManagementCase


@tagged("post_install", "-at_install")
class TestCustomerScope(CustomerManagementCase):
    def test_same_country_as_company_is_national(self):
        """A customer in the company's country is national."""
        customer = self._create_customer()
        self.assertEqual(customer.customer_scope, "national")

    def test_other_country_is_international(self):
        """A customer in another country is international."""
        customer = self._create_customer(country_id=self.us.id)
        self.assertEqual(customer.customer_scope, "international")

    def test_no_country_has_no_scope(self):
        """Without a country the scope is unknown rather than guessed."""
        customer = self._create_customer(country_id=False)
        self.assertFalse(customer.customer_scope)

    def test_country_change_recomputes_scope(self):
        """Moving the customer abroad and back changes its scope each time."""
        customer = self._create_customer()
        customer.country_id = self.co
        self.assertEqual(customer.customer_scope, "international")
        customer.country_id = self.mx
        self.assertEqual(customer.customer_scope, "national")

    def test_scope_follows_partner_company_country(self):
        """A partner of another company is compared with that company's country."""
        us_company = self._create_company("CM US Branch", country_id=self.us.id, customer_vat_policy="none")
        customer = self._create_customer(country_id=self.us.id, company_id=us_company.id)
        self.assertEqual(customer.customer_scope, "national")

    def test_company_country_change_recomputes_existing_customers(self):
        """When the company moves country, its existing customers' scope follows."""
        colombian = self._create_customer("Tienda Bogotá", country_id=self.co.id, company_id=self.company.id)
        mexican = self._create_customer("Tienda Monterrey", company_id=self.company.id)
        self.company.country_id = self.co
        self.assertEqual(colombian.customer_scope, "national")
        self.assertEqual(mexican.customer_scope, "international")

    def test_shared_partner_judged_against_main_company(self):
        """A partner shared between companies is judged against the main company, whichever company is active."""
        us_company = self._create_company("CM US Sister", country_id=self.us.id)
        shared = self._create_customer("Cliente compartido", company_id=False)
        self.assertEqual(shared.with_company(us_company).customer_scope, "national")
        self.env.ref("base.main_company").country_id = self.us
        self.assertEqual(shared.customer_scope, "international")

    def test_contact_takes_scope_of_commercial_entity(self):
        """A contact without a country of its own has its company's scope, and follows it."""
        customer = self._create_customer(country_id=self.us.id)
        contact = self.env["res.partner"].create({"name": "Juan Pérez", "parent_id": customer.id, "type": "other"})
        contact.country_id = False
        self.assertEqual(contact.customer_scope, "international")
        customer.country_id = self.mx
        self.assertEqual(contact.customer_scope, "national")

    def test_scope_is_searchable_and_groupable(self):
        """The stored scope can be searched and grouped by."""
        national = self._create_customer("Nacional")
        international = self._create_customer("Internacional", country_id=self.us.id)
        found = self.env["res.partner"].search(
            [("customer_scope", "=", "international"), ("id", "in", (national | international).ids)]
        )
        self.assertEqual(found, international)
        groups = dict(
            self.env["res.partner"]._read_group(
                [("id", "in", (national | international).ids)], ["customer_scope"], ["__count"]
            )
        )
        self.assertEqual(groups, {"national": 1, "international": 1})
