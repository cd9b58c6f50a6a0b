import xmlrpc.client
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import COLLECTOR_GROUPS, CREDIT_MANAGER_GROUPS, SALESPERSON_GROUPS, RpcCase

# The figures a customer's credit is made of, and who may read them (README, Security).
CREDIT_STANDING = ("customer_credit_limit", "credit_status", "credit_hold", "credit_grace_days")
RECEIVABLE_FIGURES = ("credit_exposure", "credit_available", "overdue_amount", "receivable_1_30", "avg_days_to_pay")


@tagged("post_install", "-at_install")
class TestCreditSecurityRpc(RpcCase):
    """The credit control and the approvals from outside: a real server, non-admin users, XML-RPC. Every refused call
    is a fault, and after it nothing was written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {"customer_credit_approval_amount": 50000.0, "customer_cash_policy": "block", "customer_vat_policy": "none"}
        )

        def user(login, groups, **values):
            return new_test_user(cls.env, login=login, password=f"{login}_pw", groups=groups, **values)

        cls.seller = user("cm_sec_seller", SALESPERSON_GROUPS)
        cls.other_seller = user("cm_sec_other_seller", SALESPERSON_GROUPS)
        cls.seller_all = user("cm_sec_seller_all", f"{SALESPERSON_GROUPS},sales_team.group_sale_salesman_all_leads")
        cls.collector = user("cm_sec_collector", COLLECTOR_GROUPS)
        cls.credit_manager = user("cm_sec_credit", f"{SALESPERSON_GROUPS},{CREDIT_MANAGER_GROUPS}")
        cls.credit_manager_2 = user("cm_sec_credit_2", f"{SALESPERSON_GROUPS},{CREDIT_MANAGER_GROUPS}")
        cls.accountant = user(
            "cm_sec_accountant", "base.group_user,base.group_partner_manager,account.group_account_invoice"
        )
        cls.admin_cm = user(
            "cm_sec_admin", f"{SALESPERSON_GROUPS},customer_management.customer_management_group_manager"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Abarrotes Seguros", "is_company": True, "payment_mode": "credit", "user_id": cls.other_seller.id}
        )
        cls.customer.credit_limit = 10000.0
        cls.cash_customer = cls.env["res.partner"].create(
            {"name": "Tienda de Contado", "is_company": True, "payment_mode": "cash", "user_id": cls.seller.id}
        )
        cls.portal = user("cm_sec_portal", "base.group_portal")
        cls.portal.partner_id.parent_id = cls.customer
        cls.product = cls.env["product.product"].create(
            {"name": "Servicio Seguro", "type": "service", "list_price": 500000.0, "taxes_id": [Command.clear()]}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.seller.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 1})],
            }
        )
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_line_ids": [Command.create({"name": "Servicio", "quantity": 1, "price_unit": 300.0})],
            }
        )
        cls.invoice.action_post()

    def _refused(self, user, model, method, *args, **kwargs):
        """The fault of a call that must be refused; the test's records are read afresh afterwards."""
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._xml_rpc(user, model, method, *args, **kwargs)
        self.env.invalidate_all()
        for raw in ("TypeError", "ValueError", "psycopg2"):
            self.assertNotIn(raw, caught.exception.faultString.splitlines()[-1])
        return caught.exception.faultString

    def _call(self, user, model, method, *args, **kwargs):
        result = self._xml_rpc(user, model, method, *args, **kwargs)
        self.env.invalidate_all()
        return result

    def _create_company_user(self, login, company):
        """A salesperson of ``company`` only."""
        return new_test_user(
            self.env,
            login=login,
            password=f"{login}_pw",
            groups=SALESPERSON_GROUPS,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    def _service(self, price, name="Servicio Variable"):
        return self.env["product.product"].create(
            {"name": name, "type": "service", "list_price": price, "taxes_id": [Command.clear()]}
        )

    def _order_for(self, customer, product, qty=1.0, **values):
        return self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": self.seller.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty})],
                **values,
            }
        )

    def _held_delivery(self, login, qty):
        """A stock user ``login``, and a confirmed order of ``qty`` goods in stock with its delivery, of the
        customer then put on hold, in a company that checks deliveries: ``(stock user, order, picking)``."""
        self.company.customer_credit_check_delivery = True
        stock_user = new_test_user(
            self.env, login=login, password=f"{login}_pw", groups="base.group_user,stock.group_stock_user"
        )
        goods = self.env["product.product"].create({"name": f"Caja {login}", "type": "consu", "is_storable": True})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.company.id)], limit=1)
        self.env["stock.quant"]._update_available_quantity(goods, warehouse.lot_stock_id, 10.0)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": goods.id, "product_uom_qty": qty})],
            }
        )
        order.action_confirm()
        self.customer.sudo().credit_hold = True
        return stock_user, order, order.picking_ids

    def _versions(self, customer=None):
        return self.env["customer.commercial.condition"].search([("partner_id", "=", (customer or self.customer).id)])

    def _create_version(self, user, **values):
        return self._call(
            user,
            "customer.commercial.condition",
            "create",
            {"partner_id": self.customer.id, "reason": "Negociado", **values},
        )

    # Context keys are input

    def test_context_key_does_not_skip_credit_check(self):
        """The former skip flag in the context does not confirm an order over the limit."""
        fault = self._refused(
            self.seller,
            "sale.order",
            "action_confirm",
            [self.order.id],
            context={"customer_management_skip_credit_check": True},
        )
        self.assertIn("credit limit", fault)
        self.assertEqual(self.order.state, "draft")

    def test_context_key_does_not_lift_limit_guard(self):
        """The module's apply flag in the context does not let a credit manager raise above the second approval."""
        versions = self._versions()
        fault = self._refused(
            self.credit_manager,
            "res.partner",
            "write",
            [self.customer.id],
            {"credit_limit": 1000000.0},
            context={"customer_condition_apply": True},
        )
        self.assertIn("second approval", fault)
        self.assertEqual(self.customer.sudo().credit_limit, 10000.0)
        self.assertEqual(self._versions(), versions)

    def test_requester_cannot_be_reassigned_to_approve_own_request(self):
        """A credit manager cannot name another requester of its own request, with or without the flag, nor approve
        it."""
        version_id = self._create_version(self.credit_manager, credit_limit=80000.0)
        self._call(self.credit_manager, "customer.commercial.condition", "action_submit", [version_id])
        version = self.env["customer.commercial.condition"].browse(version_id)
        self.assertEqual(version.state, "to_approve")
        for context in ({}, {"customer_condition_apply": True}):
            self._refused(
                self.credit_manager,
                "customer.commercial.condition",
                "write",
                [version_id],
                {"requested_by_id": self.credit_manager_2.id},
                context=context,
            )
        self.assertEqual(version.requested_by_id, self.credit_manager)
        self.assertIn(
            "your own request",
            self._refused(self.credit_manager, "customer.commercial.condition", "action_approve", [version_id]),
        )
        self.assertEqual(version.state, "to_approve")
        self.assertEqual(self.customer.sudo().credit_limit, 10000.0)

    # Approval states cannot be forged

    def test_salesperson_cannot_forge_approval_of_own_draft(self):
        """On its own draft a salesperson writes no state, approver or approval date; the cron applies nothing."""
        version_id = self._create_version(self.seller, credit_limit=90000.0)
        for vals in (
            {"state": "scheduled"},
            {"state": "active"},
            {"approved_by_id": self.credit_manager.id},
            {"approval_date": fields.Datetime.to_string(fields.Datetime.now())},
            {"origin": "installation"},
        ):
            self._refused(self.seller, "customer.commercial.condition", "write", [version_id], vals)
        version = self.env["customer.commercial.condition"].browse(version_id)
        self.assertRecordValues(version, [{"state": "draft", "approved_by_id": False, "approval_date": False}])
        self.env["customer.commercial.condition"]._cron_apply_conditions()
        self.assertEqual(self.customer.sudo().credit_limit, 10000.0)

    def test_workflow_fields_are_refused_on_create(self):
        """A version created with a state, an approver or a recorded origin is refused and not created."""
        versions = self._versions()
        for vals in (
            {"state": "active"},
            {"approved_by_id": self.credit_manager.id},
            {"origin": "installation"},
            {"requested_by_id": self.other_seller.id},
        ):
            self._refused(
                self.seller,
                "customer.commercial.condition",
                "create",
                {"partner_id": self.customer.id, "reason": "x", "credit_limit": 5000.0, **vals},
            )
        self.assertEqual(self._versions(), versions)

    # "No limit" is the largest raise

    def test_no_limit_on_partner_needs_approval(self):
        """Lowering a limit to 0 (no limit) is a raise: refused to an accountant and, above the approval amount, to
        a credit manager alone."""
        self.assertIn(
            "credit manager",
            self._refused(self.accountant, "res.partner", "write", [self.customer.id], {"credit_limit": 0.0}),
        )
        self.assertIn(
            "second approval",
            self._refused(self.credit_manager, "res.partner", "write", [self.customer.id], {"credit_limit": 0.0}),
        )
        self.assertEqual(self.customer.sudo().credit_limit, 10000.0)

    def test_no_limit_version_waits_for_approval(self):
        """A version to no limit waits for approval, and the large order stays blocked."""
        version_id = self._create_version(self.seller, credit_limit=0.0)
        self._call(self.seller, "customer.commercial.condition", "action_submit", [version_id])
        self.assertEqual(self.env["customer.commercial.condition"].browse(version_id).state, "to_approve")
        self.assertEqual(self.customer.sudo().credit_limit, 10000.0)
        self._refused(self.seller, "sale.order", "action_confirm", [self.order.id])
        self.assertEqual(self.order.state, "draft")

    def test_cash_to_credit_needs_credit_manager(self):
        """A salesperson cannot move a cash customer to credit, directly or with a version that it applies alone."""
        self.assertIn(
            "cash to credit",
            self._refused(self.seller, "res.partner", "write", [self.cash_customer.id], {"payment_mode": "credit"}),
        )
        self.assertEqual(self.cash_customer.payment_mode, "cash")
        version_id = self._call(
            self.seller,
            "customer.commercial.condition",
            "create",
            {"partner_id": self.cash_customer.id, "reason": "Ya paga a tiempo", "payment_mode": "credit"},
        )
        self._call(self.seller, "customer.commercial.condition", "action_submit", [version_id])
        self.assertEqual(self.env["customer.commercial.condition"].browse(version_id).state, "to_approve")
        self.assertEqual(self.cash_customer.payment_mode, "cash")
        self._call(self.credit_manager, "res.partner", "write", [self.cash_customer.id], {"payment_mode": "credit"})
        self.assertEqual(self.cash_customer.payment_mode, "credit")

    def test_hold_and_grace_days_stay_with_credit_managers(self):
        """A salesperson lifts no hold and grants no grace days; a credit manager does."""
        self.customer.sudo().credit_hold = True
        self._refused(self.seller, "res.partner", "write", [self.customer.id], {"credit_hold": False})
        self._refused(self.seller, "res.partner", "write", [self.customer.id], {"credit_grace_days": 90})
        self.assertRecordValues(self.customer.sudo(), [{"credit_hold": True, "credit_grace_days": 0}])
        self._call(self.credit_manager, "res.partner", "write", [self.customer.id], {"credit_hold": False})
        self.assertFalse(self.customer.sudo().credit_hold)

    # Create is a write too

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

    # Field visibility

    def test_credit_figures_readers(self):
        """Each credit figure is read by the groups the README names, and refused to the others."""
        readers = {
            self.portal: (),
            self.seller: CREDIT_STANDING,
            self.seller_all: CREDIT_STANDING + RECEIVABLE_FIGURES,
            self.collector: CREDIT_STANDING + RECEIVABLE_FIGURES,
            self.credit_manager: CREDIT_STANDING + RECEIVABLE_FIGURES,
            self.accountant: CREDIT_STANDING + RECEIVABLE_FIGURES,
        }
        for user, readable in readers.items():
            # The customer itself is readable: what is refused is the figure.
            self._call(user, "res.partner", "read", [self.customer.id], ["name"])
            for fname in CREDIT_STANDING + RECEIVABLE_FIGURES:
                with self.subTest(user=user.login, field=fname):
                    if fname in readable:
                        self._call(user, "res.partner", "read", [self.customer.id], [fname])
                    else:
                        self.assertIn(fname, self._refused(user, "res.partner", "read", [self.customer.id], [fname]))

    def test_own_salesperson_neither_searches_nor_summarises_receivables(self):
        """A salesperson of its own documents cannot search by what customers owe, and its summary leaves it out."""
        self.assertIn(
            "overdue_amount",
            self._refused(self.seller, "res.partner", "search_count", [("overdue_amount", ">", 0)]),
        )
        self._refused(self.seller, "res.partner", "search", [], order="receivable_1_30 desc")
        [summary] = self._call(self.seller, "res.partner", "get_customer_summary", [self.customer.id])
        self.assertEqual(summary["exposure"], {"credit_hold": False, "credit_status": "ok"})
        self.assertEqual(summary["aging"], {})
        self.assertEqual(summary["conditions"]["customer_credit_limit"], 10000.0)
        [summary] = self._call(self.collector, "res.partner", "get_customer_summary", [self.customer.id])
        self.assertIn("credit_exposure", summary["exposure"])
        self.assertIn("overdue_amount", summary["aging"])

    # Multi-company

    def test_classification_in_one_company_writes_its_terms_only(self):
        """Classifying a shared customer in company B writes company B's terms, and records no version in A."""
        company_b = self.env["res.company"].create(
            {"name": "Distribuidora Sur", "currency_id": self.company.currency_id.id}
        )
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
        company_b = self.env["res.company"].create({"name": "Distribuidora Este"})
        user_b = self._create_company_user("cm_sec_zone_b", company_b)
        zone = self.env["customer.zone"].create({"name": "Zona Privada A", "company_id": self.company.id})
        shared = self.env["res.partner"].create({"name": "Compartido Zona", "is_company": True})
        shared.customer_zone_id = zone
        [row] = self._call(user_b, "res.partner", "read", [shared.id], ["customer_zone_id"])
        self.assertEqual(row["customer_zone_id"], [zone.id, "Zona Privada A"])
        self._refused(user_b, "customer.zone", "read", [zone.id], ["name", "user_id"])

    # Workflow fields of the collection records

    def test_collection_records_refuse_workflow_values_on_create(self):
        """Promises created kept, broken or paid, and log entries of the dunning, are refused; nothing is created."""
        promise = {
            "partner_id": self.customer.id,
            "amount": 100.0,
            "promised_date": fields.Date.to_string(fields.Date.today()),
        }
        for vals in ({"state": "kept"}, {"state": "broken"}, {"amount_paid": 1e9}, {"user_id": self.seller.id}):
            self._refused(self.collector, "customer.payment.promise", "create", {**promise, **vals})
        self.assertFalse(self.env["customer.payment.promise"].search([("partner_id", "=", self.customer.id)]))
        level = self.env["customer.dunning.level"].search([], limit=1)
        for vals in ({"kind": "dunning"}, {"outcome": "sent"}, {"dunning_level_id": level.id}):
            self._refused(self.collector, "customer.collection.log", "create", {"partner_id": self.customer.id, **vals})
        self.assertFalse(self.env["customer.collection.log"].search([("partner_id", "=", self.customer.id)]))
        promise_id = self._call(self.collector, "customer.payment.promise", "create", promise)
        self._refused(self.collector, "customer.payment.promise", "write", [promise_id], {"state": "kept"})
        self.assertEqual(self.env["customer.payment.promise"].browse(promise_id).state, "open")

    # Mismatched relations

    def test_mismatched_relations_are_refused(self):
        """A promise on another customer's invoice, a version of a contact, a dunning template of another model and a
        release made by hand are refused; nothing is written."""
        other = self.env["res.partner"].create({"name": "Otro Cliente", "is_company": True})
        self.assertIn(
            "do not belong",
            self._refused(
                self.credit_manager,
                "customer.payment.promise",
                "create",
                {
                    "partner_id": other.id,
                    "amount": 100.0,
                    "promised_date": fields.Date.to_string(fields.Date.today()),
                    "invoice_ids": [[6, 0, self.invoice.ids]],  # as an integrator sends Command.set
                },
            ),
        )
        self.assertFalse(self.env["customer.payment.promise"].search([("partner_id", "=", other.id)]))
        contact = self.env["res.partner"].create({"name": "Contacto", "parent_id": self.customer.id})
        self.assertIn(
            "not of its contact",
            self._refused(
                self.seller,
                "customer.commercial.condition",
                "create",
                {"partner_id": contact.id, "reason": "x", "credit_limit": 100.0},
            ),
        )
        self.assertFalse(self._versions(contact))
        partner_template = self.env["mail.template"].create(
            {"name": "Plantilla", "model_id": self.env.ref("base.model_res_partner").id}
        )
        self.assertIn(
            "must be for invoices",
            self._refused(
                self.admin_cm,
                "customer.dunning.level",
                "create",
                {"name": "Nivel Raro", "sequence": 1000, "days_overdue": 400, "mail_template_id": partner_template.id},
            ),
        )
        self.assertFalse(self.env["customer.dunning.level"].search([("name", "=", "Nivel Raro")]))
        self._refused(
            self.credit_manager,
            "customer.credit.release",
            "create",
            {"order_id": self.order.id, "partner_id": other.id, "company_id": self.company.id, "reason": "x"},
        )
        self.assertFalse(self.order.credit_release_ids)

    def test_release_of_another_customer_is_invalid(self):
        """Even the module's own code cannot record a release for another customer than the order's."""
        other = self.env["res.partner"].create({"name": "Otro Cliente", "is_company": True})
        with self.assertRaisesRegex(ValidationError, "must be for its customer"):
            self.env["customer.credit.release"].sudo().create(
                {"order_id": self.order.id, "partner_id": other.id, "company_id": self.company.id, "reason": "x"}
            )

    # Submitting does not depend on mail settings

    def test_requester_without_email_submits(self):
        """A salesperson without an email address submits a raise for approval."""
        no_mail = new_test_user(
            self.env, login="cm_sec_no_mail", password="cm_sec_no_mail_pw", groups=SALESPERSON_GROUPS, email=False
        )
        self.assertFalse(no_mail.email)
        version_id = self._create_version(no_mail, credit_limit=20000.0)
        self._call(no_mail, "customer.commercial.condition", "action_submit", [version_id])
        self.assertEqual(self.env["customer.commercial.condition"].browse(version_id).state, "to_approve")

    # Other ways to confirm or grow an order

    def test_writing_the_state_passes_the_credit_check(self):
        """Writing state 'sale' on an order over the limit, or creating one confirmed, is refused."""
        self._refused(self.seller, "sale.order", "write", [self.order.id], {"state": "sale"})
        self.assertEqual(self.order.state, "draft")
        orders = self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)])
        self._refused(
            self.seller,
            "sale.order",
            "create",
            {"partner_id": self.customer.id, "state": "sale", "order_line": [[0, 0, {"product_id": self.product.id}]]},
        )
        self.assertEqual(self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)]), orders)

    def test_confirmed_order_grows_within_credit_only(self):
        """A confirmed order cannot grow past its customer's limit by new lines or a larger quantity."""
        order = self._order_for(self.customer, self._service(1000.0, "Servicio Chico"))
        self._call(self.seller, "sale.order", "action_confirm", [order.id])
        self.assertEqual(order.state, "sale")
        self._refused(
            self.seller, "sale.order", "write", [order.id], {"order_line": [[0, 0, {"product_id": self.product.id}]]}
        )
        self._refused(self.seller, "sale.order.line", "write", order.order_line.ids, {"product_uom_qty": 50})
        self.assertRecordValues(order, [{"amount_total": 1000.0}])
        self._call(self.seller, "sale.order.line", "write", order.order_line.ids, {"product_uom_qty": 2})
        self.assertEqual(order.amount_total, 2000.0)

    def test_invoice_address_without_limit_does_not_lift_the_customer_limit(self):
        """Invoicing an order to a customer without a limit still checks the order's customer's limit."""
        shell_id = self._call(self.seller, "res.partner", "create", {"name": "Sin Límite", "is_company": True})
        self._call(self.seller, "sale.order", "write", [self.order.id], {"partner_invoice_id": shell_id})
        self.assertIn("Abarrotes Seguros", self._refused(self.seller, "sale.order", "action_confirm", [self.order.id]))
        self.assertEqual(self.order.state, "draft")

    def test_customer_moved_under_a_wider_entity_needs_a_credit_manager(self):
        """A salesperson cannot make a limited or cash customer the contact of an entity without a limit."""
        shell_id = self._call(self.seller, "res.partner", "create", {"name": "Matriz Sin Límite", "is_company": True})
        for customer in (self.customer, self.cash_customer):
            self._refused(
                self.seller, "res.partner", "write", [customer.id], {"parent_id": shell_id, "is_company": False}
            )
            self.assertFalse(customer.parent_id)

    def test_release_does_not_follow_the_order_to_another_customer(self):
        """A release covers its own customer: the order moved to another customer is blocked again."""
        wizard_id = self._call(
            self.credit_manager,
            "customer.credit.release.wizard",
            "create",
            {"order_id": self.order.id, "reason": "Pedido especial autorizado"},
        )
        # The release is recorded, then the order is not confirmed: its customer is changed before.
        self.env["customer.credit.release"].sudo().create(
            {
                "order_id": self.order.id,
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "reason": "Pedido especial autorizado",
                "order_amount": 500000.0,
            }
        )
        self.assertTrue(wizard_id)
        other = self.env["res.partner"].create({"name": "Cliente Pequeño", "is_company": True})
        other.credit_limit = 10.0
        self.order.write({"partner_id": other.id, "partner_invoice_id": other.id})
        self._refused(self.seller, "sale.order", "action_confirm", [self.order.id])
        self.assertEqual(self.order.state, "draft")

    def test_workflow_defaults_from_the_context_are_refused(self):
        """Defaults given in the context for workflow fields are ignored: the fields' own defaults apply."""
        version_id = self._call(
            self.credit_manager,
            "customer.commercial.condition",
            "create",
            {"partner_id": self.customer.id, "reason": "Negociado", "credit_limit": 0.0},
            context={"default_state": "to_approve", "default_requested_by_id": self.credit_manager_2.id},
        )
        version = self.env["customer.commercial.condition"].browse(version_id)
        self.assertRecordValues(version, [{"state": "draft", "requested_by_id": self.credit_manager.id}])
        promise_id = self._call(
            self.collector,
            "customer.payment.promise",
            "create",
            {
                "partner_id": self.customer.id,
                "amount": 500.0,
                "promised_date": fields.Date.to_string(fields.Date.today()),
            },
            context={"default_state": "kept", "default_amount_paid": 500.0, "default_user_id": self.credit_manager.id},
        )
        promise = self.env["customer.payment.promise"].browse(promise_id)
        self.assertRecordValues(promise, [{"state": "open", "amount_paid": 0.0, "user_id": self.collector.id}])
        log_id = self._call(
            self.collector,
            "customer.collection.log",
            "create",
            {"partner_id": self.customer.id},
            context={"default_kind": "dunning", "default_outcome": "sent"},
        )
        self.assertRecordValues(
            self.env["customer.collection.log"].browse(log_id), [{"kind": "call", "outcome": False}]
        )

    def test_approved_version_keeps_its_dates(self):
        """A credit manager cannot stretch or cut an approved version's end date by hand."""
        version_id = self._create_version(self.credit_manager, credit_limit=9000.0, date_to="2099-01-31")
        self._call(self.credit_manager, "customer.commercial.condition", "action_submit", [version_id])
        version = self.env["customer.commercial.condition"].browse(version_id)
        self.assertEqual(version.state, "active")
        self._refused(self.credit_manager, "customer.commercial.condition", "write", [version_id], {"date_to": False})
        self.assertEqual(fields.Date.to_string(version.date_to), "2099-01-31")

    def test_release_figures_are_receivable_figures(self):
        """An own-documents salesperson reads a release's reason, not the customer's exposure in it."""
        self._refused(self.seller, "customer.credit.release", "search_read", [], ["exposure"])
        self._call(self.seller, "customer.credit.release", "search_read", [], ["reason", "order_amount"])

    def test_statement_runs_record_their_own_progress(self):
        """A collector queues a statement run, and cannot mark it or its statements sent by hand."""
        today = fields.Date.to_string(fields.Date.today())
        run_id = self._call(
            self.collector,
            "customer.statement.run",
            "create",
            {"date_from": today, "date_to": today, "line_ids": [[0, 0, {"partner_id": self.customer.id}]]},
        )
        run = self.env["customer.statement.run"].browse(run_id)
        self._refused(self.collector, "customer.statement.run", "write", [run_id], {"state": "done"})
        self._refused(self.collector, "customer.statement.run.line", "write", run.line_ids.ids, {"state": "sent"})
        self.assertRecordValues(run, [{"state": "draft", "user_id": self.collector.id}])
        self.assertEqual(run.line_ids.state, "pending")
        self._call(self.collector, "customer.statement.run", "action_queue", [run_id])
        self.assertEqual(run.state, "queued")

    def test_dunning_runs_are_recorded_by_the_dunning_only(self):
        """Nobody, an administrator neither, creates, changes or deletes a dunning run over XML-RPC; they read it."""
        run = self.env["customer.dunning.run"]._run_dunning(self.company, fields.Date.today(), partners=self.customer)
        self.assertTrue(run, "the company's default dunning levels make a run")
        recorded = run.read(["entry_count", "user_id", "company_id"])
        today = fields.Date.to_string(fields.Date.today())
        forged = {"name": "DUN/FALSA", "company_id": self.company.id, "user_id": self.collector.id, "date": today}
        for user in (self.collector, self.credit_manager, self.admin_cm):
            self._refused(user, "customer.dunning.run", "create", forged)
            self._refused(user, "customer.dunning.run", "write", run.ids, {"entry_count": 99, "user_id": user.id})
            self._refused(user, "customer.dunning.run", "unlink", run.ids)
        self.assertFalse(self.env["customer.dunning.run"].search([("name", "=", "DUN/FALSA")]))
        self.assertEqual(run.read(["entry_count", "user_id", "company_id"]), recorded)
        [values] = self._call(self.collector, "customer.dunning.run", "read", run.ids, ["name", "entry_count"])
        self.assertEqual(values["name"], run.name)

    # Second round from outside: temporary raises, deliveries, moved lines, figures in messages, the chatter

    def _temporary_raise(self, limit=200000.0, days=7):
        """A raise approved for ``days`` days from today, by an administrator, over terms in force for a month."""
        today = fields.Date.today()
        self._versions().filtered(lambda version: version.state == "active").sudo().date_from = today - timedelta(30)
        version_id = self._create_version(
            self.admin_cm, credit_limit=limit, date_to=fields.Date.to_string(today + timedelta(days=days))
        )
        self._call(self.admin_cm, "customer.commercial.condition", "action_submit", [version_id])
        self._call(self.admin_cm, "customer.commercial.condition", "action_approve", [version_id])
        version = self.env["customer.commercial.condition"].browse(version_id)
        self.assertEqual(version.state, "active")
        return version

    def test_temporary_raise_cannot_be_made_permanent_alone(self):
        """A salesperson's version keeping a temporary raise beyond its end waits for approval, today or later."""
        temporary = self._temporary_raise()
        tomorrow = fields.Date.to_string(fields.Date.today() + timedelta(days=1))
        for date_from in (fields.Date.to_string(fields.Date.today()), tomorrow):
            version_id = self._create_version(self.seller, credit_limit=200000.0, date_from=date_from)
            self._call(self.seller, "customer.commercial.condition", "action_submit", [version_id])
            self.assertEqual(self.env["customer.commercial.condition"].browse(version_id).state, "to_approve")
        self.assertRecordValues(temporary, [{"state": "active", "date_to": fields.Date.today() + timedelta(days=7)}])

    def test_salesperson_cannot_back_date_conditions(self):
        """A salesperson cannot submit conditions dated before today: the history is what was in force."""
        yesterday = fields.Date.to_string(fields.Date.today() - timedelta(days=1))
        version_id = self._create_version(self.seller, credit_limit=5000.0, date_from=yesterday)
        self.assertIn(
            "before today", self._refused(self.seller, "customer.commercial.condition", "action_submit", [version_id])
        )
        self.assertEqual(self.env["customer.commercial.condition"].browse(version_id).state, "draft")

    def test_delivery_of_a_blocked_order_by_other_paths_is_refused(self):
        """A stock user delivers nothing of an order on hold: neither a picking unlinked from the order nor a move
        whose state it writes."""
        stock_user, order, picking = self._held_delivery("cm_sec_stock", 5)
        picking.move_ids.quantity = 5.0
        self._refused(stock_user, "stock.picking", "button_validate", picking.ids)
        picking.sale_id = False
        self.assertIn("on credit hold", self._refused(stock_user, "stock.picking", "button_validate", picking.ids))
        self._refused(stock_user, "stock.move", "write", picking.move_ids.ids, {"state": "done", "picked": True})
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(order.order_line.qty_delivered, 0.0)

    def test_line_moved_into_a_confirmed_order_is_judged(self):
        """Moving a quotation's line into a confirmed order makes it grow: refused past the limit."""
        confirmed = self._order_for(self.customer, self._service(500.0, "Servicio Menor"))
        confirmed.action_confirm()
        line = self.order.order_line
        self._refused(self.seller, "sale.order.line", "write", line.ids, {"order_id": confirmed.id})
        self._refused(self.seller, "sale.order", "write", [confirmed.id], {"order_line": [[4, line.id]]})
        self.assertEqual(line.order_id, self.order)
        self.assertEqual(confirmed.amount_total, 500.0)

    def test_messages_give_figures_to_receivable_readers_only(self):
        """The refusal and the banner tell an own-documents salesperson the limit and the order, not what the
        customer owes; a salesperson of all documents reads the exposure."""
        fault = self._refused(self.seller, "sale.order", "action_confirm", [self.order.id])
        self.assertIn("credit limit", fault)
        self.assertNotIn("exposure", fault)
        [row] = self._call(self.seller, "sale.order", "read", [self.order.id], ["partner_credit_warning"])
        self.assertNotIn("exposure", row["partner_credit_warning"])
        [row] = self._call(self.seller_all, "sale.order", "read", [self.order.id], ["partner_credit_warning"])
        self.assertIn("exposure", row["partner_credit_warning"])

    def test_figures_are_not_totalled_by_read_group(self):
        """Totalling or grouping by a figure is refused cleanly: an access error to whom may not read it, and to
        the others a figure computed when read cannot be totalled."""
        self.assertIn(
            "credit_exposure",
            self._refused(self.seller, "res.partner", "read_group", [], ["credit_exposure:sum"], ["user_id"]),
        )
        self.assertIn(
            "cannot be grouped or totalled",
            self._refused(self.collector, "res.partner", "read_group", [], ["credit_exposure:sum"], ["user_id"]),
        )

    def test_nobody_posts_in_anothers_name_on_conditions(self):
        """The conditions' chatter is the approvals' trail: a post in another's name is refused."""
        version_id = self._create_version(self.seller, credit_limit=20000.0)
        messages = self.env["customer.commercial.condition"].browse(version_id).message_ids
        self._refused(
            self.seller,
            "customer.commercial.condition",
            "message_post",
            [version_id],
            body="Aprobado",
            author_id=self.credit_manager.partner_id.id,
        )
        self.assertEqual(self.env["customer.commercial.condition"].browse(version_id).message_ids, messages)

    def test_another_credit_manager_copies_a_version(self):
        """A copy of a version is a new draft requested by whoever copies it."""
        version_id = self._create_version(self.credit_manager, credit_limit=20000.0)
        copy_id = self._call(self.credit_manager_2, "customer.commercial.condition", "copy", [version_id])
        self.assertRecordValues(
            self.env["customer.commercial.condition"].browse(copy_id),
            [{"state": "draft", "requested_by_id": self.credit_manager_2.id}],
        )

    def test_credit_manager_without_email_applies_conditions(self):
        """A credit manager without an email address puts conditions in force, replacing the same day's."""
        no_mail = new_test_user(
            self.env,
            login="cm_sec_credit_no_mail",
            password="cm_sec_credit_no_mail_pw",
            groups=f"{SALESPERSON_GROUPS},{CREDIT_MANAGER_GROUPS}",
            email=False,
        )
        version_id = self._create_version(no_mail, credit_limit=20000.0)
        self._call(no_mail, "customer.commercial.condition", "action_submit", [version_id])
        self.assertEqual(self.env["customer.commercial.condition"].browse(version_id).state, "active")
        self.assertEqual(self.customer.sudo().credit_limit, 20000.0)

    # Third round from outside: cancelled orders, computed fields, packaging, releases, orphan deliveries

    def test_cancelled_order_confirmed_by_writing_the_state_is_judged(self):
        """A cancelled order over the limit is not confirmed by writing its state."""
        self._call(self.seller, "sale.order", "action_cancel", [self.order.id])
        self.assertEqual(self.order.state, "cancel")
        self.assertIn(
            "credit limit", self._refused(self.seller, "sale.order", "write", [self.order.id], {"state": "sale"})
        )
        self.assertEqual(self.order.state, "cancel")

    def test_computed_order_fields_the_engine_reads_are_not_written(self):
        """A salesperson cannot lower what a customer owes by writing an order's computed figures; sending back
        the values it read is accepted."""
        order = self._order_for(self.customer, self._service(900.0, "Servicio Computado"))
        self._call(self.seller, "sale.order", "action_confirm", [order.id])
        exposure = self.customer.sudo().credit_exposure
        line = order.order_line
        for model, ids, vals in (
            ("sale.order", order.ids, {"invoice_status": "invoiced"}),
            ("sale.order", order.ids, {"currency_rate": 1e6}),
            ("sale.order", order.ids, {"currency_rate": "abc"}),
            ("sale.order.line", line.ids, {"qty_invoiced": 1.0}),
            ("sale.order.line", line.ids, {"price_total": 0.01}),
        ):
            self.assertIn("computed", self._refused(self.seller, model, "write", ids, vals))
        self.assertEqual(self.customer.sudo().credit_exposure, exposure)
        self._call(self.seller, "sale.order.line", "write", line.ids, {"qty_invoiced": 0.0, "price_total": 900.0})

    def test_confirmed_order_does_not_grow_by_packaging(self):
        """A confirmed order does not grow past the limit through its lines' packaging."""
        small = self.env["product.product"].create(
            {"name": "Caja Empacada", "type": "consu", "list_price": 1000.0, "taxes_id": [Command.clear()]}
        )
        packaging = self.env["product.packaging"].create({"name": "Tarima", "product_id": small.id, "qty": 10.0})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.seller.id,
                "order_line": [Command.create({"product_id": small.id})],
            }
        )
        self._call(self.seller, "sale.order", "action_confirm", [order.id])
        self._refused(
            self.seller,
            "sale.order.line",
            "write",
            order.order_line.ids,
            {"product_packaging_id": packaging.id, "product_packaging_qty": 3},
        )
        self.assertEqual(order.amount_total, 1000.0)

    def test_release_for_the_invoiced_customer_does_not_cover_another_order_customer(self):
        """A release recorded for an order of one customer does not cover the order moved to another customer and
        invoiced to the first."""
        wizard_id = self._call(
            self.credit_manager,
            "customer.credit.release.wizard",
            "create",
            {"order_id": self.order.id, "reason": "Pedido especial autorizado"},
        )
        self._call(self.credit_manager, "customer.credit.release.wizard", "action_release", [wizard_id])
        self.assertEqual(self.order.state, "sale")
        self._call(
            self.seller, "sale.order", "action_cancel", [self.order.id], context={"disable_cancel_warning": True}
        )
        self._call(self.seller, "sale.order", "action_draft", [self.order.id])
        small = self.env["res.partner"].create({"name": "Cliente Chico", "is_company": True})
        small.credit_limit = 10.0
        self._call(
            self.seller,
            "sale.order",
            "write",
            [self.order.id],
            {"partner_id": small.id, "partner_invoice_id": self.customer.id},
        )
        self.assertIn("Cliente Chico", self._refused(self.seller, "sale.order", "action_confirm", [self.order.id]))
        self.assertEqual(self.order.state, "draft")

    def test_delivery_unlinked_from_its_order_is_judged_by_its_customer(self):
        """Goods unlinked from their order still do not ship to a customer on hold."""
        stock_user, _order, picking = self._held_delivery("cm_sec_stock_2", 2)
        picking.move_ids.write({"quantity": 2.0, "sale_line_id": False})
        picking.sale_id = False
        self.assertIn("on credit hold", self._refused(stock_user, "stock.picking", "button_validate", picking.ids))
        self.assertNotEqual(picking.state, "done")

    def test_first_approval_does_not_survive_a_new_submission(self):
        """A first approval is for the terms it saw: reopened and submitted again, the request needs two approvals
        again."""
        version_id = self._create_version(self.seller, credit_limit=300000.0)
        conditions = "customer.commercial.condition"
        self._call(self.seller, conditions, "action_submit", [version_id])
        self._call(self.credit_manager, conditions, "action_approve", [version_id])
        version = self.env[conditions].browse(version_id)
        self.assertEqual(version.first_approved_by_id, self.credit_manager)
        self._call(self.seller, conditions, "action_cancel", [version_id])
        self._call(self.seller, conditions, "action_draft", [version_id])
        self._call(self.seller, conditions, "write", [version_id], {"credit_limit": 9000000.0})
        self._call(self.seller, conditions, "action_submit", [version_id])
        self.assertFalse(version.first_approved_by_id)
        self._call(self.credit_manager_2, conditions, "action_approve", [version_id])
        self.assertEqual(version.state, "to_approve")
        self.assertEqual(self.customer.sudo().credit_limit, 10000.0)

    def test_no_message_in_anothers_name_by_address_or_directly(self):
        """Neither an email address nor a message created by hand puts another's name in a version's history."""
        version_id = self._create_version(self.seller, credit_limit=20000.0)
        version = self.env["customer.commercial.condition"].browse(version_id)
        messages = version.message_ids
        self.credit_manager.email = "credito@distribuidora-occidente.mx"
        self._refused(
            self.seller,
            "customer.commercial.condition",
            "message_post",
            [version_id],
            body="Aprobado",
            email_from=self.credit_manager.email,
        )
        self._refused(
            self.seller,
            "mail.message",
            "create",
            {
                "model": "customer.commercial.condition",
                "res_id": version_id,
                "body": "Aprobado",
                "message_type": "comment",
                "author_id": self.credit_manager.partner_id.id,
            },
        )
        self.assertEqual(version.message_ids, messages)

    def test_orders_invoiced_on_delivery_count_before_they_ship(self):
        """A confirmed order of goods invoiced on delivery counts in the exposure before it ships: the next order
        that the two do not fit is refused."""
        goods = self.env["product.product"].create(
            {"name": "Caja por Entrega", "type": "consu", "invoice_policy": "delivery", "list_price": 6000.0,
             "taxes_id": [Command.clear()]}
        )  # fmt: skip
        first, second = self.env["sale.order"].create(
            [{"partner_id": self.customer.id, "user_id": self.seller.id,
              "order_line": [Command.create({"product_id": goods.id})]}] * 2
        )  # fmt: skip
        self._call(self.seller, "sale.order", "action_confirm", [first.id])
        self.assertEqual(self.customer.sudo().credit_exposure, self.invoice.amount_total + first.amount_total)
        self._refused(self.seller, "sale.order", "action_confirm", [second.id])
        self.assertEqual(second.state, "draft")

    # Fourth round from outside: negative orders, orders billed elsewhere, moved orders, moves created done

    def test_order_crediting_the_customer_makes_no_room(self):
        """An order with a negative total adds nothing to the exposure and makes no room for a large order."""
        service = self._service(100.0)
        credit_order = self._order_for(self.customer, service, qty=-100)
        self._call(self.seller, "sale.order", "action_confirm", [credit_order.id])
        self.assertEqual(self.customer.sudo().credit_exposure, self.invoice.amount_total)
        large = self._order_for(self.customer, self._service(9800.0, "Servicio Grande"))
        self._refused(self.seller, "sale.order", "action_confirm", [large.id])
        self.assertEqual(large.state, "draft")

    def test_order_billed_elsewhere_counts_for_its_own_customer(self):
        """An order invoiced to a customer without a limit counts in its own customer's exposure once confirmed."""
        unlimited_id = self._call(self.seller, "res.partner", "create", {"name": "Factura a Otro", "is_company": True})
        first = self._order_for(self.customer, self._service(9000.0), partner_invoice_id=unlimited_id)
        self._call(self.seller, "sale.order", "action_confirm", [first.id])
        self.assertEqual(self.customer.sudo().credit_exposure, self.invoice.amount_total + 9000.0)
        second = self._order_for(self.customer, self._service(1000.0, "Servicio Mil"), partner_invoice_id=unlimited_id)
        self._refused(self.seller, "sale.order", "action_confirm", [second.id])
        self.assertEqual(second.state, "draft")

    def test_confirmed_order_moved_to_a_blocked_customer_is_refused(self):
        """A confirmed order does not move onto a customer whose credit cannot take it."""
        order = self._order_for(self.customer, self._service(900.0))
        self._call(self.seller, "sale.order", "action_confirm", [order.id])
        small = self.env["res.partner"].create({"name": "Cliente Diminuto", "is_company": True})
        small.credit_limit = 10.0
        for vals in ({"partner_invoice_id": small.id}, {"partner_id": small.id, "partner_invoice_id": small.id}):
            self.assertIn("cannot move", self._refused(self.seller, "sale.order", "write", [order.id], vals))
        self.assertEqual(order.partner_invoice_id, self.customer)

    def test_moves_and_transfers_are_done_by_validation_only(self):
        """A stock move created done is judged, a move line's state and a transfer's done state are refused."""
        stock_user, order, picking = self._held_delivery("cm_sec_stock_3", 5)
        goods, warehouse = order.order_line.product_id, picking.picking_type_id.warehouse_id
        moves = self.env["stock.move"].search_count([])
        self._refused(
            stock_user,
            "stock.move",
            "create",
            {
                "name": "Entrega directa",
                "product_id": goods.id,
                "product_uom_qty": 5,
                "product_uom": goods.uom_id.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "sale_line_id": order.order_line.id,
                "state": "done",
            },
        )
        self.assertEqual(self.env["stock.move"].search_count([]), moves)
        picking.action_assign()
        self._refused(stock_user, "stock.move.line", "write", picking.move_line_ids.ids, {"state": "done"})
        self._refused(stock_user, "stock.picking", "write", picking.ids, {"state": "done"})
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(order.order_line.qty_delivered, 0.0)

    def test_credit_manager_puts_on_hold_without_contact_rights_of_its_own(self):
        """A credit manager given only its credit groups puts a customer on hold (the group brings the right to
        edit contacts)."""
        manager = new_test_user(
            self.env,
            login="cm_sec_credit_only",
            password="cm_sec_credit_only_pw",
            groups="base.group_user,customer_management.customer_management_group_credit_manager",
        )
        self._call(manager, "res.partner", "write", [self.customer.id], {"credit_hold": True})
        self.assertTrue(self.customer.sudo().credit_hold)
