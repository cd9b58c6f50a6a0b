"""The fixtures the customer management tests share: users, customers, companies, documents and servers."""

import contextlib
import json
import threading
import xmlrpc.client
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, HttpCase, TransactionCase, get_db_name, new_test_user
from odoo.tools import SQL

# What a salesperson created from Settings has: the default internal user rights plus Sales / User.
SALESPERSON_GROUPS = "base.group_user,base.group_partner_manager,sales_team.group_sale_salesman"
# A salesperson who follows up every customer's receivables.
COLLECTOR_GROUPS = f"{SALESPERSON_GROUPS},customer_management.customer_management_group_collector"
# A credit manager who also sees the receivables (the core credit limit field is an accounting field) and every
# order (a release posts in the order's chatter and confirms it).
CREDIT_MANAGER_GROUPS = (
    "customer_management.customer_management_group_credit_manager,account.group_account_invoice,"
    "sales_team.group_sale_salesman_all_leads"
)
# An administrator of the customer management and of the sales.
MANAGER_GROUPS = "sales_team.group_sale_manager,customer_management.customer_management_group_manager"


class OtherCompanyMixin:
    """Companies besides the test's, for what each company keeps of its own and shows its users."""

    @classmethod
    def _create_company(cls, name, users=None, chart=False, **values):
        """A company ``name`` of ``values``, with the generic chart of accounts where ``chart`` (to invoice in it),
        in which ``users`` work besides their own companies."""
        company = cls.env["res.company"].create({"name": name, **values})
        if chart:
            cls.env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
        if users:
            users.write({"company_ids": [Command.link(company.id)]})
        return company


class CustomerManagementCase(OtherCompanyMixin, TransactionCase):
    """Countries, zones, channels and users shared by the customer management tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.mx = cls.env.ref("base.mx")
        cls.us = cls.env.ref("base.us")
        cls.co = cls.env.ref("base.co")
        cls.nuevo_leon = cls.env.ref("base.state_mx_nl")
        cls.jalisco = cls.env.ref("base.state_mx_jal")
        cls.yucatan = cls.env.ref("base.state_mx_yuc")
        cls.company.write({"country_id": cls.mx.id, "customer_vat_policy": "none"})

        cls.seller_north = new_test_user(cls.env, login="cm_seller_north", groups=SALESPERSON_GROUPS)
        cls.seller_west = new_test_user(cls.env, login="cm_seller_west", groups=SALESPERSON_GROUPS)
        cls.cm_manager = new_test_user(cls.env, login="cm_manager", groups=MANAGER_GROUPS)
        cls.credit_manager = new_test_user(
            cls.env, login="cm_credit_manager", groups=f"{SALESPERSON_GROUPS},{CREDIT_MANAGER_GROUPS}"
        )
        cls.credit_manager_2 = new_test_user(
            cls.env, login="cm_credit_manager_2", groups=f"{SALESPERSON_GROUPS},{CREDIT_MANAGER_GROUPS}"
        )

        # The demo zones would compete with the fixtures in the address matching.
        cls.env["customer.zone"].search([]).active = False
        cls.zone_mexico = cls._create_zone("Mexico", "T-MX", cls.mx)
        cls.zone_north = cls._create_zone(
            "North", "T-N", cls.mx, cls.nuevo_leon, parent_id=cls.zone_mexico.id, user_id=cls.seller_north.id
        )
        cls.zone_west = cls._create_zone(
            "West", "T-W", cls.mx, cls.jalisco, parent_id=cls.zone_mexico.id, user_id=cls.seller_west.id
        )
        cls.zone_guadalajara = cls._create_zone(
            "Guadalajara", "T-GDL", cls.mx, cls.jalisco, parent_id=cls.zone_west.id, zip_from="44100", zip_to="45999"
        )
        cls.zone_abroad = cls._create_zone("Abroad", "T-INT", cls.us | cls.co)
        cls.channel_shop = cls.env["customer.channel"].create({"name": "Shop", "code": "T-SHOP"})
        cls.channel_horeca = cls.env["customer.channel"].create({"name": "HORECA", "code": "T-HORECA"})
        cls.immediate = cls.env.ref("account.account_payment_term_immediate")
        cls.term_30 = cls.env.ref("account.account_payment_term_30days")

    @contextlib.contextmanager
    def assertRefused(self, exception, message):
        """Expect ``exception`` matching ``message``, with what it wrote rolled back (unittest's
        ``assertRaisesRegex`` keeps it)."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), message)

    @classmethod
    def _create_zone(cls, name, code, countries, states=None, **values):
        return cls.env["customer.zone"].create(
            {
                "name": name,
                "code": code,
                "country_ids": [Command.set(countries.ids)],
                "state_ids": [Command.set(states.ids if states else [])],
                **values,
            }
        )

    @classmethod
    def _create_customer(cls, name="Abarrotes La Esperanza", **values):
        return cls.env["res.partner"].create(
            {"name": name, "is_company": True, "customer_rank": 1, "country_id": cls.mx.id, **values}
        )

    @classmethod
    def _create_version(cls, customer, **values):
        """A draft version of ``customer``'s terms in the current company."""
        return cls.env["customer.commercial.condition"].create(
            {"partner_id": customer.id, "reason": "Negotiated with the customer", **values}
        )


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


class CustomerCreditCase(CustomerManagementCase):
    """A customer on credit, goods and services to sell it, and the invoices and payments that make its exposure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.currency = cls.company.currency_id
        cls.sale_tax = cls.company.account_sale_tax_id
        cls.service = cls.env["product.product"].create(
            {
                "name": "Asesoría",
                "type": "service",
                "list_price": 1000.0,
                "invoice_policy": "order",
                "taxes_id": [Command.set(cls.sale_tax.ids)],
            }
        )
        cls.goods = cls.env["product.product"].create(
            {
                "name": "Caja de refrescos",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "invoice_policy": "order",
                "taxes_id": [Command.set(cls.sale_tax.ids)],
            }
        )
        cls.customer = cls._create_customer("Comercializadora del Norte", payment_mode="credit")
        cls.customer.credit_limit = 10000.0
        cls.company.write(
            {
                "customer_credit_warning_percent": 80.0,
                "customer_credit_grace_days": 0,
                "customer_cash_policy": "block",
                "customer_credit_check_delivery": False,
            }
        )

    @classmethod
    def _create_order(cls, customer=None, amount=1000.0, product=None, **values):
        """A quotation of one line of ``amount`` before taxes."""
        product = product or cls.service
        return cls.env["sale.order"].create(
            {
                "partner_id": (customer or cls.customer).id,
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "product_uom_qty": amount / product.list_price,
                         "price_unit": product.list_price}
                    )
                ],
                **values,
            }
        )  # fmt: skip

    @classmethod
    def _create_invoice(cls, customer=None, amount=1000.0, days_due=30, move_type="out_invoice", post=True):
        """A customer invoice (or credit note) of ``amount`` before taxes, due in ``days_due`` days (negative: past)."""
        today = fields.Date.context_today(cls.env["res.partner"])
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (customer or cls.customer).id,
                "invoice_date": today - timedelta(days=max(0, -days_due) + 1),
                "invoice_date_due": today + timedelta(days=days_due),
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": cls.service.id, "quantity": 1, "price_unit": amount,
                         "tax_ids": [Command.set(cls.sale_tax.ids)]}
                    )
                ],
            }
        )  # fmt: skip
        if post:
            move.action_post()
        return move

    @classmethod
    def _create_aged_invoices(cls, due_soon_days=5, due_later_customer=None):
        """An invoice in every bucket of the aging: ``due_soon`` of 100 due in ``due_soon_days`` days, ``due_later``
        of 200 (of ``due_later_customer``) due in 40 days, and ``aged_10``, ``aged_45`` (150 of its 400 paid),
        ``aged_75`` and ``aged_120`` of 300, 400, 500 and 600 overdue by as many days."""
        cls.due_soon = cls._create_invoice(amount=100.0, days_due=due_soon_days)
        cls.due_later = cls._create_invoice(customer=due_later_customer, amount=200.0, days_due=40)
        cls.aged_10 = cls._create_invoice(amount=300.0, days_due=-10)
        cls.aged_45 = cls._create_invoice(amount=400.0, days_due=-45)
        cls._register_payment(cls.aged_45, 150.0)
        cls.aged_75 = cls._create_invoice(amount=500.0, days_due=-75)
        cls.aged_120 = cls._create_invoice(amount=600.0, days_due=-120)

    @classmethod
    def _create_down_payment(cls, order, post=True, **values):
        """The down payment invoice of the confirmed ``order`` that the advance payment wizard creates with
        ``values`` (its method and amount), posted where ``post``."""
        invoices = order.invoice_ids
        cls.env["sale.advance.payment.inv"].with_context(active_model="sale.order", active_ids=order.ids).create(
            values
        ).create_invoices()
        down_payment = order.invoice_ids - invoices
        if post:
            down_payment.action_post()
        return down_payment

    @classmethod
    def _register_payment(cls, invoice, amount):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount})
            ._create_payments()
        )

    def _exposure(self, customer=None, company=None):
        customer = customer or self.customer
        engine = self.env["customer.exposure"]
        return engine._get_exposure(customer, company or self.company, aging=True)[customer.id]


class CommittedTransactionCase(BaseCase):
    """Tests of concurrent transactions: each block of :meth:`_environment` commits, so they clean up after them."""

    def setUp(self):
        super().setUp()
        self.dbname = get_db_name()
        self.registry = Registry(self.dbname)
        # Odoo's runner holds the registries' lock while it runs the tests, which a served database does not: the
        # threads here look the registry up as requests do (a new environment, a retry), so they get a lock of
        # their own instead of waiting forever for the runner's.
        patcher = patch.object(Registry, "_lock", threading.RLock())
        patcher.start()
        self.addCleanup(patcher.stop)

    @contextlib.contextmanager
    def _environment(self):
        """A real transaction of its own, committed when the block ends (not the test's cursor)."""
        with db_connect(self.dbname).cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})

    def _run_concurrently(self, *works):
        """Call every ``work(env)`` at once, each in a thread and a real transaction of its own, retried as Odoo
        retries a request or a cron job after a serialization failure. Every transaction takes its snapshot before
        any work starts, as requests arriving together do.

        Returns the outcome of each work that ended, by its index (what it returned, values rather than records of
        its closed transaction, or the :class:`UserError` it raised, as a request answers it), and how many attempts
        they made in all. Any other error of a work is raised here.
        """
        barrier = threading.Barrier(len(works), timeout=30)
        outcomes, errors, attempts = {}, [], []

        def run(index, work):
            try:
                with self._environment() as env:

                    def attempt():
                        env.cr.execute(SQL("SELECT 1"))  # the transaction's snapshot is taken here
                        if index not in attempts:
                            barrier.wait()  # every snapshot is taken before any work writes
                        attempts.append(index)
                        return work(env)

                    outcomes[index] = retrying(attempt, env)
            except UserError as error:
                outcomes[index] = error
            except Exception as error:  # raised in the test's own thread below
                errors.append(error)

        threads = [threading.Thread(target=run, args=item) for item in enumerate(works)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        if errors:
            raise errors[0]
        return outcomes, len(attempts)


class RpcCase(OtherCompanyMixin, HttpCase):
    """Calls to the running server over XML-RPC and JSON-RPC, as an integrator's client makes them, as users of
    :meth:`_create_rpc_user`."""

    @staticmethod
    def _password(login):
        return f"{login}_pw"

    @classmethod
    def _create_rpc_user(cls, login, groups, **values):
        """A user ``login`` of ``groups`` (and ``values``) with the password the calls send."""
        return new_test_user(cls.env, login=login, password=cls._password(login), groups=groups, **values)

    def _xml_rpc(self, user, model, method, *args, **kwargs):
        """The result of ``execute_kw``; an error raises :class:`xmlrpc.client.Fault`."""
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, self._password(user.login), model, method, list(args), kwargs
        )

    def _json_rpc(self, user, model, method, *args, **kwargs):
        """The JSON-RPC response of ``execute_kw``: its ``result``, or its ``error`` (the exception in ``data``)."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [self.env.cr.dbname, user.id, self._password(user.login), model, method, list(args), kwargs],
            },
        }
        response = self.url_open("/jsonrpc", data=json.dumps(payload), headers={"Content-Type": "application/json"})
        return response.json()


class CreditSecurityRpcCase(RpcCase):
    """The credit control and the approvals from outside: non-admin users of every role, a customer on credit with
    an invoice and a quotation over its limit, a cash customer. Every refused call is a fault, and after it nothing
    was written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {"customer_credit_approval_amount": 50000.0, "customer_cash_policy": "block", "customer_vat_policy": "none"}
        )
        user = cls._create_rpc_user
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

    def _versions(self, customer=None):
        return self.env["customer.commercial.condition"].search([("partner_id", "=", (customer or self.customer).id)])

    def _create_version(self, user, **values):
        return self._call(
            user,
            "customer.commercial.condition",
            "create",
            {"partner_id": self.customer.id, "reason": "Negociado", **values},
        )
