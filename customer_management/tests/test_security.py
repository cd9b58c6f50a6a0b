"""The access rights of the customer management groups, and core's credit-limit users."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import SALESPERSON_GROUPS, CustomerManagementCase


@tagged("post_install", "-at_install")
class TestSecurity(CustomerManagementCase):
    def test_salesperson_is_customer_management_user(self):
        """Every salesperson is a customer management user, not a manager."""
        self.assertTrue(self.seller_north.has_group("customer_management.customer_management_group_user"))
        self.assertFalse(self.seller_north.has_group("customer_management.customer_management_group_manager"))

    def test_group_hierarchy(self):
        """A manager is a credit manager, who is a user."""
        self.assertTrue(self.cm_manager.has_group("customer_management.customer_management_group_credit_manager"))
        self.assertTrue(self.cm_manager.has_group("customer_management.customer_management_group_user"))

    def test_salesperson_reads_but_cannot_edit_zones_or_channels(self):
        """A plain salesperson reads zones and channels and cannot create, edit or delete them."""
        zone = self.zone_north.with_user(self.seller_north)
        channel = self.channel_shop.with_user(self.seller_north)
        self.assertEqual(zone.name, "North")
        self.assertEqual(channel.name, "Shop")
        for operation in (
            lambda: zone.write({"name": "Mine"}),
            lambda: channel.write({"name": "Mine"}),
            lambda: zone.unlink(),
            lambda: channel.unlink(),
            lambda: self.env["customer.zone"].with_user(self.seller_north).create({"name": "New"}),
            lambda: self.env["customer.channel"].with_user(self.seller_north).create({"name": "New"}),
        ):
            with self.assertRaises(AccessError):
                operation()
        self.assertEqual(self.zone_north.name, "North")

    def test_salesperson_classifies_customers(self):
        """A salesperson classifies the customers it may edit."""
        customer = self._create_customer(user_id=self.seller_north.id).with_user(self.seller_north)
        customer.write(
            {"customer_segment": "retail", "customer_channel_id": self.channel_horeca.id, "payment_mode": "cash"}
        )
        self.assertEqual(customer.customer_segment, "retail")

    def test_manager_edits_zones_and_channels(self):
        """A customer management administrator maintains zones and channels."""
        self.zone_north.with_user(self.cm_manager).name = "Noreste"
        self.env["customer.channel"].with_user(self.cm_manager).create({"name": "Gobierno"})
        self.assertEqual(self.zone_north.name, "Noreste")

    def test_other_company_zones_are_invisible(self):
        """A user of one company does not see the zones and channels of another."""
        other = self._create_company("CM Isolated Company")
        hidden_zone = self.env["customer.zone"].create({"name": "Hidden", "company_id": other.id})
        hidden_channel = self.env["customer.channel"].create({"name": "Hidden", "company_id": other.id})
        shared_channel = self.env["customer.channel"].create({"name": "Shared"})
        user = new_test_user(
            self.env,
            login="cm_single_company",
            groups=SALESPERSON_GROUPS,
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        zones = self.env["customer.zone"].with_user(user).search([])
        channels = self.env["customer.channel"].with_user(user).search([])
        self.assertNotIn(hidden_zone, zones)
        self.assertIn(self.zone_north, zones)
        self.assertNotIn(hidden_channel, channels)
        self.assertIn(shared_channel, channels)
        with self.assertRaises(AccessError):
            hidden_zone.with_user(user).read(["name"])

    def test_zone_proposal_ignores_other_company_zones(self):
        """A customer of one company is never proposed another company's zone."""
        other = self._create_company("CM Zone Company", country_id=self.mx.id)
        self.env["customer.zone"].create(
            {
                "name": "Other Yucatán",
                "company_id": other.id,
                "country_ids": [Command.link(self.mx.id)],
                "state_ids": [Command.link(self.yucatan.id)],
            }
        )
        customer = self._create_customer(company_id=self.company.id, state_id=self.yucatan.id)
        self.assertEqual(customer.customer_zone_id, self.zone_mexico)

    def test_shared_zone_proposed_to_company_customers(self):
        """A zone shared between companies (no company) is proposed to every company's customers."""
        other = self._create_company("CM Shared Zone Company", customer_vat_policy="none")
        shared_zone = self.env["customer.zone"].create(
            {
                "name": "Shared Southeast",
                "company_id": False,
                "country_ids": [Command.link(self.mx.id)],
                "state_ids": [Command.link(self.yucatan.id)],
            }
        )
        customer = self._create_customer(company_id=other.id, state_id=self.yucatan.id)
        self.assertEqual(customer.customer_zone_id, shared_zone)

    def test_portal_user_cannot_read_zones(self):
        """Portal users have no access to the configuration."""
        portal = new_test_user(self.env, login="cm_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.env["customer.zone"].with_user(portal).search([])


@tagged("post_install", "-at_install")
class TestCoreCreditLimitUsers(CustomerManagementCase):
    """Core's credit-limit users: accounting administrators are credit managers, invoicing users are not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Abarrotes La Frontera", credit_limit=10000.0)
        cls.accounting_admin = new_test_user(
            cls.env, login="cm_accounting_admin", groups="base.group_partner_manager,account.group_account_manager"
        )
        cls.invoicing_user = new_test_user(
            cls.env, login="cm_invoicing_user", groups="base.group_partner_manager,account.group_account_invoice"
        )

    def test_group_mapping(self):
        """An accounting administrator is a credit manager; an invoicing user and a salesperson are not."""
        credit_manager = "customer_management.customer_management_group_credit_manager"
        self.assertTrue(self.accounting_admin.has_group(credit_manager))
        self.assertFalse(self.accounting_admin.has_group("customer_management.customer_management_group_manager"))
        self.assertFalse(self.invoicing_user.has_group(credit_manager))
        self.assertFalse(self.seller_north.has_group(credit_manager))

    def test_accounting_admin_sets_credit_limit(self):
        """An accounting administrator raises a customer's credit limit directly, as in core."""
        self.customer.with_user(self.accounting_admin).credit_limit = 25000.0
        self.assertEqual(self.customer.credit_limit, 25000.0)

    def test_invoicing_user_cannot_raise_credit_limit(self):
        """An invoicing user cannot raise a credit limit, only lower it."""
        with self.assertRaisesRegex(UserError, "Only a credit manager"):
            self.customer.with_user(self.invoicing_user).credit_limit = 25000.0
        self.assertEqual(self.customer.credit_limit, 10000.0)
        self.customer.with_user(self.invoicing_user).credit_limit = 8000.0
        self.assertEqual(self.customer.credit_limit, 8000.0)

    def test_accounting_admin_keeps_four_eyes(self):
        """Above the company's approval amount an accounting administrator needs another credit manager."""
        self.company.customer_credit_approval_amount = 50000.0
        with self.assertRaisesRegex(UserError, "second approval"):
            self.customer.with_user(self.accounting_admin).credit_limit = 90000.0
        version = (
            self.env["customer.commercial.condition"]
            .with_user(self.accounting_admin)
            .create({"partner_id": self.customer.id, "credit_limit": 90000.0, "reason": "Temporada"})
        )
        version.action_submit()
        self.assertEqual(version.state, "to_approve")
        with self.assertRaises(UserError):
            version.action_approve()
        version.with_user(self.credit_manager).action_approve()
        self.assertEqual(self.customer.credit_limit, 90000.0)
