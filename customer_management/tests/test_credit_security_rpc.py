"""Who writes a customer's credit standing over XML-RPC: its hold, grace days, limit, entity and company terms."""

from odoo import Command
from odoo.tests import tagged

from .common import SALESPERSON_GROUPS, CreditSecurityRpcCase


@tagged("post_install", "-at_install")
class TestCreditSecurityRpc(CreditSecurityRpcCase):
    """A customer's hold, grace days and limit stay with the credit managers, on create as on write, and each
    company writes its own terms."""

    def _create_company_user(self, login, company):
        """A salesperson of ``company`` only."""
        return self._create_rpc_user(
            login, SALESPERSON_GROUPS, company_id=company.id, company_ids=[Command.set(company.ids)]
        )

    def test_hold_and_grace_days_stay_with_credit_managers(self):
        """A salesperson lifts no hold and grants no grace days; a credit manager does."""
        self.customer.sudo().credit_hold = True
        self._refused(self.seller, "res.partner", "write", [self.customer.id], {"credit_hold": False})
        self._refused(self.seller, "res.partner", "write", [self.customer.id], {"credit_grace_days": 90})
        self.assertRecordValues(self.customer.sudo(), [{"credit_hold": True, "credit_grace_days": 0}])
        self._call(self.credit_manager, "res.partner", "write", [self.customer.id], {"credit_hold": False})
        self.assertFalse(self.customer.sudo().credit_hold)

    def test_create_with_credit_control_fields_is_refused(self):
        """A salesperson creates no customer on hold, with grace days or with a limit; nothing is created."""
        for vals in ({"credit_hold": True}, {"credit_grace_days": 30}, {"credit_limit": 5000.0}):
            self._refused(
                self.seller, "res.partner", "create", {"name": "Cliente Nuevo Seguro", "is_company": True, **vals}
            )
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Cliente Nuevo Seguro")]))
        partner_id = self._call(
            self.seller, "res.partner", "create", {"name": "Cliente Nuevo Seguro", "credit_hold": False}
        )
        self.assertTrue(partner_id)

    def test_credit_manager_puts_on_hold_without_contact_rights_of_its_own(self):
        """A credit manager given only its credit groups puts a customer on hold (the group brings the right to
        edit contacts)."""
        manager = self._create_rpc_user(
            "cm_sec_credit_only", "base.group_user,customer_management.customer_management_group_credit_manager"
        )
        self._call(
            manager, "res.partner", "write", [self.customer.id], {"credit_hold": True, "credit_hold_reason": "Mora"}
        )
        self.assertTrue(self.customer.sudo().credit_hold)

    def test_customer_moved_under_a_wider_entity_needs_a_credit_manager(self):
        """A salesperson cannot make a limited or cash customer the contact of an entity without a limit."""
        shell_id = self._call(self.seller, "res.partner", "create", {"name": "Matriz Sin Límite", "is_company": True})
        for customer in (self.customer, self.cash_customer):
            self._refused(
                self.seller, "res.partner", "write", [customer.id], {"parent_id": shell_id, "is_company": False}
            )
            self.assertFalse(customer.parent_id)

    def test_classification_in_one_company_writes_its_terms_only(self):
        """Classifying a shared customer in company B writes company B's terms, and records no version in A."""
        company_b = self._create_company("Distribuidora Sur", currency_id=self.company.currency_id.id)
        term_a = self.env.ref("account.account_payment_term_30days")
        term_b = self.env["account.payment.term"].create({"name": "B 15 días", "company_id": company_b.id})
        self.company.customer_wholesale_payment_term_id = term_a
        company_b.customer_wholesale_payment_term_id = term_b
        user_b = self._create_company_user("cm_sec_seller_b", company_b)
        shared = self.env["res.partner"].create({"name": "Cliente Compartido", "is_company": True})
        immediate = self.env.ref("account.account_payment_term_immediate")
        shared.with_company(self.company).sudo().property_payment_term_id = immediate
        versions_a = self.env["customer.commercial.condition"].search(
            [("partner_id", "=", shared.id), ("company_id", "=", self.company.id)]
        )
        self._call(user_b, "res.partner", "write", [shared.id], {"customer_segment": "wholesale"})
        self.assertEqual(shared.with_company(self.company).sudo().property_payment_term_id, immediate)
        self.assertEqual(shared.with_company(company_b).sudo().property_payment_term_id, term_b)
        self.assertEqual(
            self.env["customer.commercial.condition"].search(
                [("partner_id", "=", shared.id), ("company_id", "=", self.company.id)]
            ),
            versions_a,
        )

    def test_other_company_zone_name_but_not_zone(self):
        """A shared customer's zone of another company shows its name on the customer (as core shows any related
        name) but the zone itself stays closed to the other company's users."""
        company_b = self._create_company("Distribuidora Este")
        user_b = self._create_company_user("cm_sec_zone_b", company_b)
        zone = self.env["customer.zone"].create({"name": "Zona Privada A", "company_id": self.company.id})
        shared = self.env["res.partner"].create({"name": "Compartido Zona", "is_company": True})
        shared.customer_zone_id = zone
        [row] = self._call(user_b, "res.partner", "read", [shared.id], ["customer_zone_id"])
        self.assertEqual(row["customer_zone_id"], [zone.id, "Zona Privada A"])
        self._refused(user_b, "customer.zone", "read", [zone.id], ["name", "user_id"])
