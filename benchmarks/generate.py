"""Fill a benchmark database with realistic, seeded data at a chosen scale, then prove it consistent.

Run from the repository root with Odoo's source on ``PYTHONPATH`` (``scripts/bench.sh`` does)::

    python -m benchmarks.generate --scale small              # generate into customer_management_bench_small
    python -m benchmarks.generate --scale small --check      # only the consistency check
    python -m benchmarks.generate --scale small --fingerprint

Two layers:

* **Through the ORM**, exactly as Odoo stores them: companies, currencies and rates, salespeople, teams, zones,
  channels, products, every customer, and a few hundred *templates*: posted invoices in each currency and
  company, sale orders (quotations, confirmed, invoiced), payments registered with ``account.payment.register``
  (full and partial, exchange differences included), credit notes (reconciled and open), advance payments.
* **In bulk SQL**, for the volume the ORM would take hours for: sale orders, invoices, credit notes and payments
  are copies of the template rows, every column included, with their own partner, dates, names and amounts; the
  payments are reconciled with the invoices through ``account_partial_reconcile`` and
  ``account_full_reconcile`` rows, and the residual amounts, matching numbers, payment states are set the way
  Odoo's computes set them.

:func:`check` then proves it: every move balanced, Odoo's own computes of ``amount_residual``/``reconciled``
(lines) and ``amount_residual``/``payment_state`` (invoices) agree with what is stored on a random sample of
bulk rows, and ``res.partner.credit`` equals the SQL sum of the open receivables.
"""

import argparse
import calendar
import collections
import dataclasses
import datetime
import hashlib
import io
import logging
import random
import re
import sys
import time

from odoo import Command, fields
from odoo.tools import SQL, float_compare

from .odoo_env import ROOT, bench_database, environment

_logger = logging.getLogger("benchmarks.generate")

FINGERPRINT_KEY = "customer_management.bench_fingerprint"
MODULE_HASH_KEY = "customer_management.bench_module_hash"
ANCHOR_KEY = "customer_management.bench_anchor_date"
DURATION_KEY = "customer_management.bench_generation_seconds"
# The files whose change makes the data different: the database is then rebuilt.
GENERATOR_FILES = ("benchmarks/generate.py", "benchmarks/odoo_env.py")
MODULE = "customer_management"


@dataclasses.dataclass(frozen=True)
class Scale:
    """How much data: the bulk part; the ORM templates are the same at every scale."""

    customers: int
    orders: int
    invoices: int
    months: int = 24


SCALES = {
    "small": Scale(customers=300, orders=3_000, invoices=6_000),
    "medium": Scale(customers=10_000, orders=100_000, invoices=200_000),
    "large": Scale(customers=100_000, orders=1_000_000, invoices=2_000_000),
}

# The share of the second company in customers' documents, and of credit notes among invoices.
SECOND_COMPANY_SHARE = 0.2
REFUND_SHARE = 0.04
ADVANCE_SHARE = 0.05
# The bulk orders of the last DELIVERY_DAYS days that get a delivery done, and how each first delivery went:
# (share, days from the promised day to the delivery, share of the demand delivered, the rest to a backorder).
DELIVERY_DAYS = 120
DELIVERED_SHARE = 0.6
DELIVERY_KINDS = (
    (0.70, -1, 1.0, False),  # on time, in full
    (0.15, 2, 1.0, False),  # late, in full
    (0.10, 0, 0.6, True),  # on time, partial, the rest in a backorder
    (0.05, -1, 0.8, False),  # on time, short, the rest cancelled
)
# Claims: as many as this share of the customers, opened in the last CLAIM_DAYS days; the SLA policies by priority
# (working hours), their deadline on the calendar about three times as many hours later (8 working hours a day).
CLAIM_SHARE = 0.5
CLAIM_DAYS = 365
CLAIM_POLICIES = (("Normal", "0", 40.0), ("Alta", "1", 16.0), ("Urgente", "2", 8.0))
CLAIM_CATEGORIES = ("Producto dañado", "Faltante", "Error de facturación", "Entrega tardía")
# The stages of the ORM-made claims, in turn: half of them resolved, some cancelled, the others open.
CLAIM_TEMPLATE_STAGES = ("new", "in_progress", "waiting", "resolved", "resolved", "resolved", "resolved", "cancelled")
# Of the closed claims, the calendar hours they took: within about twice their deadline, a share of them late.
CLAIM_CLOSING_SPREAD = 2.0
# Payment terms with a single installment: one receivable line per invoice.
PAYMENT_TERMS = (
    "account.account_payment_term_immediate",
    "account.account_payment_term_15days",
    "account.account_payment_term_21days",
    "account.account_payment_term_30days",
    "account.account_payment_term_45days",
    "account.account_payment_term_end_following_month",
)
NAME_PREFIXES = (
    "Abarrotes",
    "Distribuidora",
    "Comercializadora",
    "Ferretería",
    "Farmacia",
    "Restaurante",
    "Hotel",
    "Papelería",
    "Tienda",
    "Mini Súper",
    "Grupo",
    "Cafetería",
)
NAME_CORES = (
    "El Sol",
    "La Esperanza",
    "San José",
    "Del Norte",
    "Regiomontana",
    "Tapatía",
    "Del Bajío",
    "La Huasteca",
    "Maya",
    "Los Pinos",
    "Santa Fe",
    "El Roble",
    "La Palma",
    "Monarca",
    "Azteca",
    "Del Pacífico",
)
NAME_SUFFIXES = ("SA de CV", "S de RL", "", "", "Hermanos", "y Asociados")


def fingerprint(scale_name):
    """What the database must carry to be reused: the generator's code, the scale and the module's version."""
    digest = hashlib.sha256()
    for path in GENERATOR_FILES:
        digest.update((ROOT / path).read_bytes())
    manifest = (ROOT / MODULE / "__manifest__.py").read_text()
    version = re.search(r"""["']version["']\s*:\s*["']([^"']+)""", manifest).group(1)
    digest.update(f"{scale_name}|{version}".encode())
    return digest.hexdigest()


def module_hash():
    """The module's code: when it changes but the generator does not, the database is only updated."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / MODULE).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------------------------
# The ORM layer
# --------------------------------------------------------------------------------------------------------------


class Generator:
    """One generation run: the ORM layer, then the bulk layer, in one transaction."""

    def __init__(self, env, scale, seed, anchor):
        self.env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True, mail_notrack=True))
        self.scale = scale
        self.rng = random.Random(seed)
        self.today = anchor
        self.start = _add_months(anchor.replace(day=1), -scale.months)

    def run(self):
        steps = (
            ("companies and currencies", self._setup_companies),
            ("salespeople, teams, zones, channels", self._setup_classification),
            ("products", self._setup_products),
            ("customers", self._create_customers),
            ("ORM invoices, orders, payments, credit notes", self._create_templates),
            ("bulk sale orders", self._bulk_orders),
            ("bulk invoices and credit notes", self._bulk_invoices),
            ("bulk payments and reconciliations", self._bulk_payments),
            ("bulk deliveries", self._bulk_deliveries),
            ("claims", self._create_claim_templates),
            ("bulk claims", self._bulk_claims),
        )
        for label, step in steps:
            started = time.monotonic()
            step()
            self.env.flush_all()
            _logger.warning("generate: %s done in %.1fs", label, time.monotonic() - started)
        self.env.cr.execute("ANALYZE")

    # -- set-up ------------------------------------------------------------------------------------------------

    def _setup_companies(self):
        env = self.env
        mxn, usd, eur = (env.ref(f"base.{code}") for code in ("MXN", "USD", "EUR"))
        (mxn | usd | eur).active = True
        main = env.ref("base.main_company")
        main.write(
            {
                "name": "Distribuidora Bench SA de CV",
                "country_id": env.ref("base.mx").id,
                "state_id": env.ref("base.state_mx_nl").id,
                "city": "Monterrey",
                "currency_id": mxn.id,
                "vat": "DBE010101AB1",
                "customer_vat_policy": "national_company",
            }
        )
        if not env["account.account"].search_count([("company_ids", "in", main.ids)], limit=1):
            env["account.chart.template"].try_loading("generic_coa", main, install_demo=False)
        second = env["res.company"].create(
            {
                "name": "Bench Export Inc.",
                "country_id": env.ref("base.us").id,
                "state_id": env.ref("base.state_us_5").id,
                "city": "San Diego",
                "currency_id": usd.id,
            }
        )
        env["account.chart.template"].try_loading("generic_coa", second, install_demo=False)
        env.ref("base.user_admin").write({"company_ids": [Command.link(second.id)]})
        self.companies = main | second
        self.foreign = {main: usd | eur, second: mxn}
        # Monthly rates, a random walk around realistic values (units of the currency per company currency unit).
        rates = []
        for company, base_rates in ((main, {usd: 0.055, eur: 0.05}), (second, {mxn: 18.5})):
            for currency, rate in base_rates.items():
                day = self.start.replace(day=1)
                while day <= self.today:
                    rate *= 1 + self.rng.uniform(-0.03, 0.03)
                    rates.append({"name": day, "rate": rate, "currency_id": currency.id, "company_id": company.id})
                    day = _add_months(day, 1)
        env["res.currency.rate"].create(rates)

    def _setup_classification(self):
        env = self.env
        main, second = self.companies
        groups = "base.group_user,base.group_partner_manager,sales_team.group_sale_salesman"
        self.salespeople = env["res.users"]
        for index, name in enumerate(("Ana López", "Bruno Díaz", "Carla Méndez", "Diego Ruiz", "Elena Torres")):
            self.salespeople |= env["res.users"].create(
                {
                    "name": name,
                    "login": f"bench_seller_{index}",
                    "company_id": main.id,
                    "company_ids": [Command.set(self.companies.ids)],
                    "groups_id": [Command.set([env.ref(xmlid).id for xmlid in groups.split(",")])],
                }
            )
        team_names = ("Mayoreo Norte", "Mayoreo Centro", "Menudeo", "Gobierno")
        self.teams = {main: env["crm.team"].create([{"name": name, "company_id": main.id} for name in team_names])}
        self.teams[second] = env["crm.team"].create({"name": "Export", "company_id": second.id})
        mx = env.ref("base.mx")
        zone_states = {
            "Norte": ("nl", "coah", "chih", "son", "tamps"),
            "Occidente": ("jal", "mich", "col", "nay"),
            "Centro": ("df", "mex", "pue", "qro", "gto"),
            "Sureste": ("yuc", "q_roo", "camp", "tab", "ver"),
        }
        Zone = env["customer.zone"]
        country_zone = Zone.create({"name": "México", "code": "MX", "country_ids": [Command.set(mx.ids)]})
        self.zones = country_zone
        self.states = env["res.country.state"]
        for index, (name, codes) in enumerate(zone_states.items()):
            states = env["res.country.state"].browse(env.ref(f"base.state_mx_{code}").id for code in codes)
            self.states |= states
            self.zones |= Zone.create(
                {
                    "name": name,
                    "code": name[:3].upper(),
                    "parent_id": country_zone.id,
                    "user_id": self.salespeople[index].id,
                    "country_ids": [Command.set(mx.ids)],
                    "state_ids": [Command.set(states.ids)],
                }
            )
        self.abroad = env.ref("base.us") | env.ref("base.co") | env.ref("base.gt")
        self.zones |= Zone.create(
            {
                "name": "Internacional",
                "code": "INT",
                "user_id": self.salespeople[4].id,
                "country_ids": [Command.set(self.abroad.ids)],
            }
        )
        self.channels = env["customer.channel"].create(
            [
                {"name": name, "code": code}
                for name, code in (
                    ("Distribuidor", "DIS"),
                    ("Tienda", "TDA"),
                    ("E-commerce", "ECO"),
                    ("HORECA", "HOR"),
                    ("Gobierno", "GOB"),
                )
            ]
        )
        self.terms = [env.ref(xmlid) for xmlid in PAYMENT_TERMS]

    def _setup_products(self):
        env = self.env
        taxes = env["account.tax"].search(
            [("type_tax_use", "=", "sale"), ("amount", ">", 0), ("company_id", "in", self.companies.ids)]
        )
        taxes = taxes.filtered(lambda tax: tax == tax.company_id.account_sale_tax_id) or taxes
        common = {"invoice_policy": "order", "taxes_id": [Command.set(taxes.ids)], "company_id": False}
        self.services = env["product.product"].create(
            [
                {**common, "name": name, "type": "service", "list_price": price, "standard_price": price * 0.6}
                for name, price in (
                    ("Flete local", 850.0),
                    ("Maniobra de carga", 320.0),
                    ("Servicio de almacenaje", 1500.0),
                    ("Instalación de exhibidor", 2400.0),
                )
            ]
        )
        self.goods = env["product.product"].create(
            [
                {**common, "name": name, "type": "consu", "list_price": price, "standard_price": price * 0.7}
                for name, price in (
                    ("Aceite vegetal 20 L", 780.0),
                    ("Azúcar estándar 50 kg", 1150.0),
                    ("Arroz súper extra 25 kg", 640.0),
                    ("Frijol negro 25 kg", 890.0),
                    ("Detergente 10 kg", 410.0),
                )
            ]
        )

    def _create_customers(self):
        env, rng = self.env, self.rng
        main, second = self.companies
        mx = env.ref("base.mx")
        cash_term = env.ref("account.account_payment_term_immediate")
        partners = env["res.partner"]
        batch = []
        for index in range(self.scale.customers):
            national = rng.random() < 0.85
            country = mx if national else rng.choice(self.abroad)
            state = rng.choice(self.states) if national else country.state_ids[:1]
            wholesale = rng.random() < 0.35
            cash = rng.random() < 0.25
            name = " ".join(
                part for part in (rng.choice(NAME_PREFIXES), rng.choice(NAME_CORES), rng.choice(NAME_SUFFIXES)) if part
            )
            values = {
                "name": f"{name} {index + 1:06d}",
                "is_company": True,
                "customer_rank": 1,
                "country_id": country.id,
                "state_id": state.id,
                "zip": f"{rng.randint(1000, 99999):05d}" if national else False,
                "city": state.name,
                "street": f"Calle {rng.randint(1, 300)} #{rng.randint(1, 2000)}",
                "email": f"compras{index + 1}@example.com",
                "phone": f"+52 81 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
                "vat": _random_rfc(rng) if national else False,
                "customer_segment": "wholesale" if wholesale else "retail",
                "payment_mode": "cash" if cash else "credit",
                "customer_channel_id": rng.choice(self.channels).id,
                "team_id": rng.choice(self.teams[main]).id,
                "credit_limit": 0.0 if cash else rng.choice((50_000, 100_000, 250_000, 500_000, 1_000_000)),
                "property_payment_term_id": cash_term.id if cash else rng.choice(self.terms).id,
            }
            if rng.random() < 0.3:
                values["child_ids"] = [
                    Command.create({"name": f"Compras {index + 1}", "type": "contact", "email": values["email"]}),
                    Command.create({"name": f"Bodega {index + 1}", "type": "delivery", "city": values["city"]}),
                ]
            batch.append(values)
            if len(batch) == 500:
                partners |= env["res.partner"].create(batch)
                env.flush_all()
                env.invalidate_all()
                batch = []
        if batch:
            partners |= env["res.partner"].create(batch)
        self.customers = partners
        # The second company sells to a part of the same (shared) customers, on credit.
        self.customers_by_company = {
            main: partners.ids,
            second: [partner.id for partner in partners if partner.payment_mode == "credit" and rng.random() < 0.3]
            or partners[:1].ids,
        }

    # -- templates through the ORM -----------------------------------------------------------------------------

    def _create_templates(self):
        """The ORM-made ground truth, and the rows the bulk layer copies."""
        env = self.env
        main, second = self.companies
        self.invoice_templates = collections.defaultdict(list)  # (company, currency) -> [move]
        self.order_templates = collections.defaultdict(list)  # company -> [order]
        self.refund_templates = collections.defaultdict(list)  # company -> [move]
        self.payment_templates = {}  # (company, currency) -> payment
        for company, local in ((main, 40), (second, 16)):
            cenv = env(context=dict(env.context, allowed_company_ids=[company.id]))
            currencies = [company.currency_id, *self.foreign[company]]
            # Company-currency templates on any date, foreign-currency ones in every month (the clone keeps the rate).
            for _index in range(local):
                invoice = self._orm_invoice(cenv, company, company.currency_id, self._random_date())
                self.invoice_templates[company, company.currency_id].append(invoice)
            for currency in currencies[1:]:
                month = self.start
                while month <= self.today:
                    day = min(month + datetime.timedelta(days=self.rng.randint(0, 27)), self.today)
                    invoice = self._orm_invoice(cenv, company, currency, day)
                    self.invoice_templates[company, currency].append(invoice)
                    month = _add_months(month, 1)
            for currency in currencies:
                self.payment_templates[company, currency] = self._orm_payment(
                    cenv, company, currency, 100.0, self._random_date()
                )
            self._orm_orders(cenv, company, 24 if company == main else 8)
            self._orm_ground_truth(cenv, company, currencies, 40 if company == main else 12)

    def _random_date(self, start=None):
        start = start or self.start
        return start + datetime.timedelta(days=self.rng.randint(0, (self.today - start).days))

    def _random_lines(self, products, count):
        return [
            Command.create(
                {
                    "product_id": product.id,
                    "quantity": self.rng.choice((1, 2, 3, 5, 10, 12, 24, 50)),
                    "price_unit": round(product.list_price * self.rng.uniform(0.85, 1.15), 2),
                }
            )
            for product in self.rng.sample(list(products), count)
        ]

    def _orm_invoice(self, env, company, currency, day, move_type="out_invoice"):
        partner = env["res.partner"].browse(self.rng.choice(self.customers_by_company[company]))
        invoice = env["account.move"].create(
            {
                "move_type": move_type,
                "company_id": company.id,
                "partner_id": partner.id,
                "currency_id": currency.id,
                "invoice_date": day,
                "date": day,
                "invoice_payment_term_id": self.rng.choice(self.terms).id,
                "invoice_user_id": partner.user_id.id,
                "invoice_line_ids": self._random_lines(self.services, self.rng.randint(1, 3)),
            }
        )
        invoice.action_post()
        return invoice

    def _orm_payment(self, env, company, currency, amount, day, partner=None):
        partner = partner or env["res.partner"].browse(self.rng.choice(self.customers_by_company[company]))
        journal = env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", company.id)], order="id", limit=1
        )
        payment = env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": partner.id,
                "amount": amount,
                "currency_id": currency.id,
                "journal_id": journal.id,
                "date": day,
                "company_id": company.id,
            }
        )
        payment.action_post()
        return payment

    def _orm_orders(self, env, company, count):
        """Service orders: quotations, confirmed ones, and confirmed ones with their posted invoice."""
        for index in range(count):
            partner = env["res.partner"].browse(self.rng.choice(self.customers_by_company[company]))
            order = env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "date_order": self._random_date(),
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": self.rng.choice((1, 2, 4, 6, 10)),
                                "price_unit": round(product.list_price * self.rng.uniform(0.9, 1.1), 2),
                            }
                        )
                        for product in self.rng.sample(list(self.services), self.rng.randint(1, 4))
                    ],
                }
            )
            kind = ("quotation", "confirmed", "invoiced", "invoiced")[index % 4]
            if kind != "quotation":
                # History is recorded as it happened: the credit control judges new confirmations, not these.
                order._confirm_without_credit_check()
            if kind == "invoiced":
                invoice = order._create_invoices()
                invoice.invoice_date = order.date_order.date()
                invoice.action_post()
            self.order_templates[company].append(order)

    def _orm_ground_truth(self, env, company, currencies, count):
        """Invoices paid in full and in part through the payment wizard, credit notes, advances."""
        Register = env["account.payment.register"]
        for index in range(count):
            currency = currencies[index % len(currencies)]
            day = self._random_date()
            invoice = self._orm_invoice(env, company, currency, day)
            pay_day = min(day + datetime.timedelta(days=self.rng.randint(0, 40)), self.today)
            kind = index % 5
            if kind in (0, 1):  # paid in full, at the rate of the payment date (exchange difference included)
                Register.with_context(active_model="account.move", active_ids=invoice.ids).create(
                    {"payment_date": pay_day}
                )._create_payments()
            elif kind == 2:  # paid in two installments, the second one partial
                for share in (0.3, 0.4):
                    Register.with_context(active_model="account.move", active_ids=invoice.ids).create(
                        {
                            "payment_date": pay_day,
                            "amount": invoice.currency_id.round(invoice.amount_total * share),
                            "payment_difference_handling": "open",
                        }
                    )._create_payments()
            elif kind == 3:  # cancelled by a credit note, reconciled with it
                invoice._reverse_moves([{"date": pay_day, "invoice_date": pay_day}], cancel=True)
            else:  # an open credit note (a rebate, not a reversal: Odoo reconciles those on posting)
                refund = self._orm_invoice(env, company, currency, pay_day, move_type="out_refund")
                if currency == company.currency_id:
                    self.refund_templates[company].append(refund)
        for _index in range(max(2, count // 8)):
            self._orm_payment(env, company, company.currency_id, self.rng.randint(10, 200) * 100.0, self._random_date())

    # -- the bulk layer ----------------------------------------------------------------------------------------

    def _bulk_orders(self):
        """Sale orders copied from the ORM-made ones; invoiced ones get their invoice copied too."""
        main, second = self.companies
        self.order_invoice_plan = []  # (order plan row, template invoice) for _bulk_invoices
        next_number = self._next_sale_order_number()
        rows = []
        for seq in range(self.scale.orders):
            company = second if self.rng.random() < SECOND_COMPANY_SHARE else main
            template = self.rng.choice(self.order_templates[company])
            partner = self.rng.choice(self.customers_by_company[company])
            day = self._random_date()
            rows.append((seq, template.id, partner, f"S{next_number + seq:05d}", day, company.id))
            invoice = template.invoice_ids[:1]
            if invoice:
                self.order_invoice_plan.append(
                    (seq, partner, min(day + datetime.timedelta(days=3), self.today), invoice)
                )
        cr = self.env.cr
        cr.execute(
            "CREATE TEMP TABLE bench_order_plan (seq int, src_id int, partner_id int, name varchar, day date,"
            " company_id int, new_id int)"
        )
        _copy(cr, "bench_order_plan", ["seq", "src_id", "partner_id", "name", "day", "company_id"], rows)
        cr.execute(
            SQL(
                "UPDATE bench_order_plan SET new_id = %s + seq + 1; ANALYZE bench_order_plan",
                _max_id(cr, "sale_order"),
            )
        )
        cr.execute(
            "CREATE TEMP TABLE bench_order_partner AS"
            " SELECT p.seq, pr.user_id, pr.team_id FROM bench_order_plan p JOIN res_partner pr ON pr.id = p.partner_id"
        )
        _clone(
            cr,
            "sale_order",
            SQL(
                "SELECT p.*, op.user_id AS salesperson_id, op.team_id AS partner_team_id"
                " FROM bench_order_plan p JOIN bench_order_partner op ON op.seq = p.seq"
            ),
            {
                "name": SQL("m.name"),
                "partner_id": SQL("m.partner_id"),
                "partner_invoice_id": SQL("m.partner_id"),
                "partner_shipping_id": SQL("m.partner_id"),
                "date_order": SQL("m.day + (src.date_order - src.date_order::date)"),
                "create_date": SQL("m.day + (src.date_order - src.date_order::date)"),
                "user_id": SQL("COALESCE(m.salesperson_id, src.user_id)"),
                "team_id": SQL(
                    "CASE WHEN m.company_id = src.company_id AND m.partner_team_id IN"
                    " (SELECT id FROM crm_team WHERE company_id = src.company_id) THEN m.partner_team_id"
                    " ELSE src.team_id END"
                ),
                "access_token": SQL("NULL"),
                "origin": SQL("NULL"),
                "procurement_group_id": SQL("NULL"),
            },
        )
        cr.execute(
            SQL(
                "CREATE TEMP TABLE bench_order_line_map AS"
                " SELECT l.id AS src_id, %s + ROW_NUMBER() OVER (ORDER BY p.seq, l.id) AS new_id, p.seq,"
                " p.new_id AS order_id, p.partner_id, s.user_id, p.day"
                " FROM bench_order_plan p JOIN sale_order_line l ON l.order_id = p.src_id"
                " JOIN sale_order s ON s.id = p.new_id",
                _max_id(cr, "sale_order_line"),
            )
        )
        _clone(
            cr,
            "sale_order_line",
            SQL("SELECT * FROM bench_order_line_map"),
            {
                "order_id": SQL("m.order_id"),
                "order_partner_id": SQL("m.partner_id"),
                "salesman_id": SQL("m.user_id"),
                "create_date": SQL("m.day"),
            },
        )
        _clone_many2many(self.env, "sale.order", "bench_order_plan", skip={"account_move__account_payment"})
        _clone_many2many(self.env, "sale.order.line", "bench_order_line_map", skip={"sale_order_line_invoice_rel"})
        for sequence in self.env["ir.sequence"].search([("code", "=", "sale.order")]):
            sequence.number_next_actual = next_number + self.scale.orders

    def _bulk_deliveries(self):
        """Done deliveries for part of the bulk orders of the last :data:`DELIVERY_DAYS` days, each its order's
        first one (one move of goods), on time or late, in full, partial with a pending backorder, or short: what
        the OTIF reads. The orders get their promised date."""
        env, cr = self.env, self.env.cr
        customers = env.ref("stock.stock_location_customers")
        types = {
            company.id: env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1).out_type_id
            for company in self.companies
        }
        product = self.goods[0]
        since = self.today - datetime.timedelta(days=DELIVERY_DAYS)
        picking_id, move_id = _max_id(cr, "stock_picking"), _max_id(cr, "stock_move")
        cr.execute(
            "SELECT new_id, partner_id, company_id, day FROM bench_order_plan WHERE day >= %s ORDER BY seq", [since]
        )
        orders = cr.fetchall()
        pickings, moves, promised_of = [], [], []
        for order_id, partner_id, company_id, day in orders:
            # The companies with a warehouse deliver (the second one of the data set has none).
            if not types[company_id] or self.rng.random() >= DELIVERED_SHARE:
                continue
            kind = self.rng.choices(DELIVERY_KINDS, weights=[kind[0] for kind in DELIVERY_KINDS])[0]
            _weight, late_days, delivered, backorder = kind
            promised = datetime.datetime.combine(day + datetime.timedelta(days=3), datetime.time(15, 0))
            done = promised + datetime.timedelta(days=late_days)
            if done.date() > self.today:
                continue
            promised_of.append((order_id, promised))
            picking_type = types[company_id]
            locations = (picking_type.default_location_src_id.id, customers.id)
            demand = float(self.rng.choice((4, 10, 20, 50)))
            picking_id += 1
            first = picking_id
            pickings.append(
                (
                    first,
                    f"OUT/B{first}",
                    order_id,
                    partner_id,
                    company_id,
                    picking_type.id,
                    *locations,
                    "direct",
                    "done",
                    promised,
                    promised,
                    done,
                    done,
                    None,
                )
            )
            move_id += 1
            quantity = demand if delivered == 1.0 else round(demand * delivered)
            moves.append(
                (
                    move_id,
                    product.name,
                    first,
                    product.id,
                    product.uom_id.id,
                    demand if not backorder else quantity,
                    quantity,
                    "done",
                    *locations,
                    company_id,
                    "make_to_stock",
                    done,
                    picking_type.id,
                    partner_id,
                )
            )
            if backorder:
                picking_id += 1
                pickings.append(
                    (
                        picking_id,
                        f"OUT/B{picking_id}",
                        order_id,
                        partner_id,
                        company_id,
                        picking_type.id,
                        *locations,
                        "direct",
                        "assigned",
                        promised,
                        promised,
                        None,
                        done,
                        first,
                    )
                )
                move_id += 1
                moves.append(
                    (
                        move_id,
                        product.name,
                        picking_id,
                        product.id,
                        product.uom_id.id,
                        demand - quantity,
                        0.0,
                        "assigned",
                        *locations,
                        company_id,
                        "make_to_stock",
                        promised,
                        picking_type.id,
                        partner_id,
                    )
                )
        _copy(
            cr,
            "stock_picking",
            [
                "id",
                "name",
                "sale_id",
                "partner_id",
                "company_id",
                "picking_type_id",
                "location_id",
                "location_dest_id",
                "move_type",
                "state",
                "scheduled_date",
                "date_deadline",
                "date_done",
                "date",
                "backorder_id",
            ],
            pickings,
        )
        _copy(
            cr,
            "stock_move",
            [
                "id",
                "name",
                "picking_id",
                "product_id",
                "product_uom",
                "product_uom_qty",
                "quantity",
                "state",
                "location_id",
                "location_dest_id",
                "company_id",
                "procure_method",
                "date",
                "picking_type_id",
                "partner_id",
            ],
            moves,
        )
        for table in ("stock_picking", "stock_move"):
            cr.execute(
                SQL(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM %s))",
                    table,
                    SQL.identifier(table),
                )
            )
        cr.execute("CREATE TEMP TABLE bench_promised (order_id int, promised timestamp)")
        _copy(cr, "bench_promised", ["order_id", "promised"], promised_of)
        cr.execute(
            "UPDATE sale_order SET commitment_date = p.promised FROM bench_promised p WHERE sale_order.id = p.order_id"
        )
        env.invalidate_all()
        env["res.partner"]._refresh_customer_otif()

    def _create_claim_templates(self):
        """The claims' policies and categories, and a few claims of each company through the ORM, of every type,
        priority and stage (the closed ones through the workflow, with their resolution), about none to three goods:
        the rows the bulk claims copy."""
        env = self.env
        env["customer.claim.sla"].create(
            [
                {"name": name, "priority": priority, "resolution_hours": hours}
                for name, priority, hours in CLAIM_POLICIES
            ]
        )
        self.claim_categories = env["customer.claim.category"].create([{"name": name} for name in CLAIM_CATEGORIES])
        stages = [env.ref(f"customer_management.customer_claim_stage_{name}") for name in CLAIM_TEMPLATE_STAGES]
        self.claim_templates = collections.defaultdict(list)  # company -> [claim]
        for company, count in zip(self.companies, (24, 8), strict=True):
            cenv = env(context=dict(env.context, allowed_company_ids=[company.id]))
            for index in range(count):
                claim = cenv["customer.claim"].create(
                    {
                        "partner_id": self.rng.choice(self.customers_by_company[company]),
                        "company_id": company.id,
                        "claim_type": ("ticket", "claim", "claim", "return")[index % 4],
                        "priority": self.rng.choice(CLAIM_POLICIES)[1],
                        "channel": self.rng.choice(("phone", "email", "portal", "visit", "web")),
                        "category_id": self.rng.choice(self.claim_categories).id,
                        "team_id": self.rng.choice(self.teams[company]).id,
                        "user_id": self.rng.choice(self.salespeople).id,
                        "line_ids": [
                            Command.create({"product_id": product.id, "quantity": self.rng.choice((1, 2, 5, 10))})
                            for product in self.rng.sample(list(self.goods), index % 4)
                        ],
                    }
                )
                stage = stages[index % len(stages)]
                claim.write({"stage_id": stage.id, **({"resolution": "<p>Resuelto</p>"} if stage.is_closed else {})})
                self.claim_templates[company].append(claim)

    def _bulk_claims(self):
        """Claims copied from the ORM-made ones, :data:`CLAIM_SHARE` as many as the customers: each its own customer,
        category, responsible, team and dates, with the lines of its template. A closed one is closed some hours
        after it opened, by or after its SLA deadline, and flagged late as the workflow flags it; the stage history
        is not copied (nothing the bench reads counts it again)."""
        cr = self.env.cr
        now = datetime.datetime.combine(self.today, datetime.time(12, 0))
        rows = []
        for seq in range(round(self.scale.customers * CLAIM_SHARE)):
            company = self.companies[1] if self.rng.random() < SECOND_COMPANY_SHARE else self.companies[0]
            template = self.rng.choice(self.claim_templates[company])
            opened = now - datetime.timedelta(minutes=self.rng.randint(60, CLAIM_DAYS * 24 * 60))
            deadline = closed = late = None
            if template.sla_id:
                deadline = opened + datetime.timedelta(hours=3 * template.sla_id.resolution_hours)
            if template.is_closed:
                spread = 3 * template.sla_id.resolution_hours if template.sla_id else 72.0
                closed = min(
                    opened + datetime.timedelta(hours=self.rng.uniform(0.5, CLAIM_CLOSING_SPREAD * spread)), now
                )
                closed = closed.replace(microsecond=0)
                late = bool(deadline and closed > deadline)
            rows.append(
                (
                    seq,
                    template.id,
                    self.rng.choice(self.customers_by_company[company]),
                    f"RCL/B{seq + 1:06d}",
                    opened,
                    closed,
                    deadline,
                    late or False,
                    self.rng.choice(self.claim_categories).id,
                    self.rng.choice(self.salespeople).id,
                    self.rng.choice(self.teams[company]).id,
                )
            )
        cr.execute(
            "CREATE TEMP TABLE bench_claim_plan (seq int, src_id int, partner_id int, name varchar, opened timestamp,"
            " closed timestamp, deadline timestamp, late boolean, category_id int, user_id int, team_id int,"
            " new_id int)"
        )
        _copy(
            cr,
            "bench_claim_plan",
            ["seq", "src_id", "partner_id", "name", "opened", "closed", "deadline", "late", "category_id", "user_id",
             "team_id"],
            rows,
        )  # fmt: skip
        cr.execute(
            SQL(
                "UPDATE bench_claim_plan SET new_id = %s + seq + 1; ANALYZE bench_claim_plan",
                _max_id(cr, "customer_claim"),
            )
        )
        _clone(
            cr,
            "customer_claim",
            SQL("SELECT * FROM bench_claim_plan"),
            {
                "name": SQL("m.name"),
                "partner_id": SQL("m.partner_id"),
                "contact_id": SQL("NULL"),
                "category_id": SQL("m.category_id"),
                "user_id": SQL("m.user_id"),
                "team_id": SQL("m.team_id"),
                "create_date": SQL("m.opened"),
                "write_date": SQL("COALESCE(m.closed, m.opened)"),
                "date_closed": SQL("m.closed"),
                "sla_deadline": SQL("m.deadline"),
                "sla_closed_late": SQL("m.late"),
            },
        )
        cr.execute(
            SQL(
                "CREATE TEMP TABLE bench_claim_line_map AS"
                " SELECT l.id AS src_id, %s + ROW_NUMBER() OVER (ORDER BY p.seq, l.id) AS new_id,"
                " p.new_id AS claim_id, p.opened"
                " FROM bench_claim_plan p JOIN customer_claim_line l ON l.claim_id = p.src_id",
                _max_id(cr, "customer_claim_line"),
            )
        )
        _clone(
            cr,
            "customer_claim_line",
            SQL("SELECT * FROM bench_claim_line_map"),
            {"claim_id": SQL("m.claim_id"), "create_date": SQL("m.opened"), "write_date": SQL("m.opened")},
        )
        self.env.invalidate_all()

    def _next_sale_order_number(self):
        self.env.cr.execute(
            "SELECT COALESCE(MAX(SUBSTRING(name FROM '^S([0-9]+)$')::int), 0) + 1"
            " FROM sale_order WHERE name ~ '^S[0-9]+$'"
        )
        return self.env.cr.fetchone()[0]

    def _bulk_invoices(self):
        """Invoices and credit notes copied from the ORM-made ones, numbered after them in their journal."""
        main, second = self.companies
        plans = []  # (template move, partner, date, order seq)
        for seq, partner, day, invoice in self.order_invoice_plan:
            plans.append((invoice, partner, day, seq))
        standalone = max(0, self.scale.invoices - len(plans))
        for _index in range(standalone):
            company = second if self.rng.random() < SECOND_COMPANY_SHARE else main
            partner = self.rng.choice(self.customers_by_company[company])
            if self.rng.random() < REFUND_SHARE and self.refund_templates[company]:
                plans.append((self.rng.choice(self.refund_templates[company]), partner, self._random_date(), None))
                continue
            currencies = [company.currency_id, *self.foreign[company]]
            currency = currencies[0] if self.rng.random() < 0.75 else self.rng.choice(currencies[1:])
            template = self.rng.choice(self.invoice_templates[company, currency])
            if currency == company.currency_id:
                day = self._random_date()
            else:  # keep the template's month, hence its rate
                first = template.date.replace(day=1)
                last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
                day = min(first + datetime.timedelta(days=self.rng.randint(0, (last - first).days)), self.today)
            plans.append((template, partner, day, None))
        plans.sort(key=lambda plan: (plan[2], plan[0].id))
        numbers = self._sequence_numbers()
        rows = []
        for seq, (template, partner, day, order_seq) in enumerate(plans):
            prefix = re.sub(r"\d{4}", str(day.year), template.sequence_prefix, count=1)
            key = (template.journal_id.id, prefix)
            numbers[key] += 1
            due = day + (template.invoice_date_due - template.invoice_date)
            name = f"{prefix}{numbers[key]:05d}"
            rows.append((seq, template.id, partner, day, due, name, prefix, numbers[key], order_seq))
        cr = self.env.cr
        cr.execute(
            "CREATE TEMP TABLE bench_move_plan (seq int, src_id int, partner_id int, day date, due date, name varchar,"
            " prefix varchar, number int, order_seq int, new_id int)"
        )
        _copy(
            cr,
            "bench_move_plan",
            ["seq", "src_id", "partner_id", "day", "due", "name", "prefix", "number", "order_seq"],
            rows,
        )
        cr.execute(SQL("UPDATE bench_move_plan SET new_id = %s + seq + 1", _max_id(cr, "account_move")))
        cr.execute(
            "CREATE INDEX ON bench_move_plan (seq); ANALYZE bench_move_plan;"
            " CREATE TEMP TABLE bench_move_source AS"
            " SELECT p.*, pr.name AS partner_name, pr.user_id, pr.team_id, o.name AS order_name"
            " FROM bench_move_plan p JOIN res_partner pr ON pr.id = p.partner_id"
            " LEFT JOIN bench_order_plan o ON o.seq = p.order_seq"
        )
        self._clone_moves("bench_move_source")
        cr.execute(
            SQL(
                "CREATE TEMP TABLE bench_move_line_map AS"
                " SELECT l.id AS src_id, %s + ROW_NUMBER() OVER (ORDER BY p.seq, l.id) AS new_id, p.seq,"
                " p.new_id AS move_id, p.partner_id, p.day, p.due, p.name, p.order_seq"
                " FROM bench_move_plan p JOIN account_move_line l ON l.move_id = p.src_id",
                _max_id(cr, "account_move_line"),
            )
        )
        cr.execute("CREATE INDEX ON bench_move_line_map (src_id); ANALYZE bench_move_line_map")
        self._clone_move_lines("bench_move_line_map")
        cr.execute(
            "INSERT INTO sale_order_line_invoice_rel (invoice_line_id, order_line_id)"
            " SELECT aml.new_id, sol.new_id FROM sale_order_line_invoice_rel r"
            " JOIN bench_move_line_map aml ON aml.src_id = r.invoice_line_id"
            " JOIN bench_order_line_map sol ON sol.src_id = r.order_line_id AND sol.seq = aml.order_seq"
        )

    def _sequence_numbers(self):
        self.env.cr.execute(
            "SELECT journal_id, sequence_prefix, MAX(sequence_number) FROM account_move"
            " WHERE sequence_prefix IS NOT NULL GROUP BY journal_id, sequence_prefix"
        )
        return collections.Counter({(journal, prefix): number for journal, prefix, number in self.env.cr.fetchall()})

    def _clone_moves(self, source, overrides=None):
        _clone(
            self.env.cr,
            "account_move",
            SQL("SELECT * FROM %s", SQL.identifier(source)),
            {
                "name": SQL("m.name"),
                "sequence_prefix": SQL("m.prefix"),
                "sequence_number": SQL("m.number"),
                "date": SQL("m.day"),
                "invoice_date": SQL("CASE WHEN src.invoice_date IS NOT NULL THEN m.day END"),
                "invoice_date_due": SQL("CASE WHEN src.invoice_date_due IS NOT NULL THEN m.due END"),
                "partner_id": SQL("m.partner_id"),
                "commercial_partner_id": SQL("m.partner_id"),
                "partner_shipping_id": SQL("CASE WHEN src.partner_shipping_id IS NOT NULL THEN m.partner_id END"),
                "invoice_partner_display_name": SQL(
                    "CASE WHEN src.invoice_partner_display_name IS NOT NULL THEN m.partner_name END"
                ),
                "payment_reference": SQL("CASE WHEN src.payment_reference IS NOT NULL THEN m.name END"),
                "invoice_origin": SQL("m.order_name"),
                "invoice_user_id": SQL(
                    "CASE WHEN src.invoice_user_id IS NOT NULL THEN COALESCE(m.user_id, src.invoice_user_id) END"
                ),
                "ref": SQL("NULL"),
                "reversed_entry_id": SQL("NULL"),
                "access_token": SQL("NULL"),
                "message_main_attachment_id": SQL("NULL"),
                "create_date": SQL("m.day"),
                **(overrides or {}),
            },
        )

    def _clone_move_lines(self, mapping, overrides=None):
        _clone(
            self.env.cr,
            "account_move_line",
            SQL("SELECT * FROM %s", SQL.identifier(mapping)),
            {
                "move_id": SQL("m.move_id"),
                "move_name": SQL("m.name"),
                "partner_id": SQL("m.partner_id"),
                "date": SQL("m.day"),
                "invoice_date": SQL("CASE WHEN src.invoice_date IS NOT NULL THEN m.day END"),
                "date_maturity": SQL(
                    "CASE WHEN src.date_maturity IS NULL THEN NULL"
                    " WHEN src.display_type = 'payment_term' THEN m.due ELSE m.day END"
                ),
                "full_reconcile_id": SQL("NULL"),
                "matching_number": SQL("NULL"),
                "create_date": SQL("m.day"),
                **(overrides or {}),
            },
        )
        _clone_many2many(
            self.env,
            "account.move.line",
            mapping,
            skip={"sale_order_line_invoice_rel", "account_move__account_payment"},
        )

    def _bulk_payments(self):
        """Payments copied from the ORM-made ones, reconciled with the invoices, in full or in part; advances."""
        cr = self.env.cr
        cr.execute(
            "SELECT p.seq, p.new_id, p.day, p.due, p.partner_id, p.name, m.company_id, m.currency_id,"
            " l.balance, l.amount_currency"
            " FROM bench_move_plan p JOIN account_move m ON m.id = p.new_id"
            " JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'payment_term'"
            " WHERE m.move_type = 'out_invoice' ORDER BY p.seq"
        )
        invoices = cr.fetchall()
        companies = {company.id: company for company in self.companies}
        plans = []  # (invoice seq, partner, date, company, currency, amount currency, amount company, full)
        for seq, _move_id, day, due, partner, _name, company_id, currency_id, balance, amount_currency in invoices:
            overdue = (self.today - due).days
            paid_share = 0.85 if overdue > 60 else 0.6 if overdue > 0 else 0.3
            partial_share = 0.1 if overdue > 0 else 0.15
            draw = self.rng.random()
            if draw >= paid_share + partial_share:
                continue
            full = draw < paid_share
            company = companies[company_id]
            currency = self.env["res.currency"].browse(currency_id)
            if full:
                paid_currency, paid_company = amount_currency, balance
            else:
                paid_currency = currency.round(amount_currency * self.rng.uniform(0.2, 0.8))
                paid_company = company.currency_id.round(paid_currency * balance / amount_currency)
            latest = min(due + datetime.timedelta(days=30), self.today)
            pay_day = day + datetime.timedelta(days=self.rng.randint(0, max(0, (latest - day).days)))
            plans.append((seq, partner, pay_day, company, currency, paid_currency, paid_company, full))
        for _index in range(int(self.scale.customers * ADVANCE_SHARE * 4)):
            company = self.companies[1] if self.rng.random() < SECOND_COMPANY_SHARE else self.companies[0]
            amount = self.rng.randint(5, 500) * 100.0
            partner = self.rng.choice(self.customers_by_company[company])
            plans.append((None, partner, self._random_date(), company, company.currency_id, amount, amount, False))
        plans.sort(key=lambda plan: (plan[2], plan[0] if plan[0] is not None else -1))
        numbers = self._sequence_numbers()
        rows = []
        for seq, (invoice_seq, partner, day, company, currency, paid_currency, paid_company, full) in enumerate(plans):
            template = self.payment_templates[company, currency]
            prefix = re.sub(r"\d{4}", str(day.year), template.move_id.sequence_prefix, count=1)
            key = (template.journal_id.id, prefix)
            numbers[key] += 1
            rows.append(
                (
                    seq,
                    template.move_id.id,
                    template.id,
                    partner,
                    day,
                    f"{prefix}{numbers[key]:05d}",
                    prefix,
                    numbers[key],
                    invoice_seq,
                    paid_currency,
                    paid_company,
                    full,
                )
            )
        cr.execute(
            "CREATE TEMP TABLE bench_payment_plan (seq int, src_id int, payment_src_id int, partner_id int, day date,"
            " name varchar, prefix varchar, number int, invoice_seq int, amount_currency numeric,"
            " amount numeric, full_payment boolean, new_id int, payment_id int)"
        )
        _copy(
            cr,
            "bench_payment_plan",
            [
                "seq",
                "src_id",
                "payment_src_id",
                "partner_id",
                "day",
                "name",
                "prefix",
                "number",
                "invoice_seq",
                "amount_currency",
                "amount",
                "full_payment",
            ],
            rows,
        )
        cr.execute(
            SQL(
                "UPDATE bench_payment_plan SET new_id = %s + seq + 1, payment_id = %s + seq + 1;"
                " ANALYZE bench_payment_plan;"
                " CREATE TEMP TABLE bench_payment_source AS"
                " SELECT p.*, pr.name AS partner_name, pr.user_id, pr.team_id, NULL::varchar AS order_name,"
                " NULL::date AS due, i.name AS invoice_name, i.new_id AS invoice_id"
                " FROM bench_payment_plan p JOIN res_partner pr ON pr.id = p.partner_id"
                " LEFT JOIN bench_move_plan i ON i.seq = p.invoice_seq",
                _max_id(cr, "account_move"),
                _max_id(cr, "account_payment"),
            )
        )
        # Amounts keep the template's signs: debit the outstanding receipts, credit the receivable. The move and
        # its payment point at each other: the move's link is set once the payment exists.
        self._clone_moves(
            "bench_payment_source",
            {
                "origin_payment_id": SQL("NULL"),
                "invoice_origin": SQL("NULL"),
                "amount_total": SQL("SIGN(src.amount_total) * m.amount_currency"),
                "amount_total_signed": SQL("SIGN(src.amount_total_signed) * m.amount"),
                "amount_total_in_currency_signed": SQL("SIGN(src.amount_total_in_currency_signed) * m.amount_currency"),
            },
        )
        _clone(
            cr,
            "account_payment",
            SQL(
                "SELECT payment_id AS new_id, payment_src_id AS src_id, new_id AS move_id, partner_id, day, name,"
                " invoice_name, invoice_seq, amount, amount_currency FROM bench_payment_source"
            ),
            {
                "move_id": SQL("m.move_id"),
                "partner_id": SQL("m.partner_id"),
                "date": SQL("m.day"),
                "name": SQL("m.name"),
                "memo": SQL("m.invoice_name"),
                "amount": SQL("m.amount_currency"),
                "amount_company_currency_signed": SQL("m.amount"),
                "is_reconciled": SQL("m.invoice_seq IS NOT NULL"),
                "message_main_attachment_id": SQL("NULL"),
                "create_date": SQL("m.day"),
            },
        )
        cr.execute(
            SQL(
                "CREATE TEMP TABLE bench_payment_line_map AS"
                " SELECT l.id AS src_id, %s + ROW_NUMBER() OVER (ORDER BY p.seq, l.id) AS new_id, p.seq,"
                " p.new_id AS move_id, p.payment_id, p.partner_id, p.day, NULL::date AS due, p.name,"
                " p.amount, p.amount_currency, a.account_type, p.invoice_seq, p.full_payment"
                " FROM bench_payment_plan p JOIN account_move_line l ON l.move_id = p.src_id"
                " JOIN account_account a ON a.id = l.account_id",
                _max_id(cr, "account_move_line"),
            )
        )
        cr.execute("ANALYZE bench_payment_line_map")
        self._clone_move_lines(
            "bench_payment_line_map",
            {
                "payment_id": SQL("m.payment_id"),
                "name": SQL("src.name"),
                "debit": SQL("CASE WHEN src.debit <> 0 THEN m.amount ELSE 0 END"),
                "credit": SQL("CASE WHEN src.credit <> 0 THEN m.amount ELSE 0 END"),
                "balance": SQL("SIGN(src.balance) * m.amount"),
                "amount_currency": SQL("SIGN(src.amount_currency) * m.amount_currency"),
                "amount_residual": SQL("SIGN(src.amount_residual) * m.amount"),
                "amount_residual_currency": SQL("SIGN(src.amount_residual_currency) * m.amount_currency"),
                "reconciled": SQL("FALSE"),
            },
        )
        cr.execute(
            "UPDATE account_move m SET origin_payment_id = s.payment_id FROM bench_payment_source s"
            " WHERE m.id = s.new_id;"
            " INSERT INTO account_move__account_payment (invoice_id, payment_id)"
            " SELECT invoice_id, payment_id FROM bench_payment_source WHERE invoice_id IS NOT NULL"
        )
        self._reconcile()

    def _reconcile(self):
        """Partial (and full) reconciliations between each invoice's receivable line and its payment's."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "CREATE TEMP TABLE bench_reconcile AS"
                " SELECT %s + ROW_NUMBER() OVER (ORDER BY pay.seq) AS partial_id,"
                " CASE WHEN pay.full_payment THEN %s + ROW_NUMBER() OVER (PARTITION BY pay.full_payment"
                " ORDER BY pay.seq) END AS full_id,"
                " inv.new_id AS debit_line_id, pay.new_id AS credit_line_id, pay.amount, pay.amount_currency,"
                " GREATEST(inv.day, pay.day) AS max_date, inv.move_id AS invoice_id"
                " FROM bench_payment_line_map pay"
                " JOIN bench_move_line_map inv ON inv.seq = pay.invoice_seq"
                " JOIN account_move_line src ON src.id = inv.src_id AND src.display_type = 'payment_term'"
                " WHERE pay.account_type = 'asset_receivable'",
                _max_id(cr, "account_partial_reconcile"),
                _max_id(cr, "account_full_reconcile"),
            )
        )
        cr.execute(
            "INSERT INTO account_full_reconcile (id, create_uid, write_uid, create_date, write_date)"
            " SELECT full_id, 1, 1, max_date, max_date FROM bench_reconcile WHERE full_id IS NOT NULL;"
            " INSERT INTO account_partial_reconcile (id, debit_move_id, credit_move_id, full_reconcile_id,"
            " debit_currency_id, credit_currency_id, company_id, amount, debit_amount_currency,"
            " credit_amount_currency, max_date, create_uid, write_uid, create_date, write_date)"
            " SELECT r.partial_id, r.debit_line_id, r.credit_line_id, r.full_id, d.currency_id, c.currency_id,"
            " d.company_id, r.amount, r.amount_currency, r.amount_currency, r.max_date, 1, 1, r.max_date, r.max_date"
            " FROM bench_reconcile r JOIN account_move_line d ON d.id = r.debit_line_id"
            " JOIN account_move_line c ON c.id = r.credit_line_id;"
            " SELECT setval('account_full_reconcile_id_seq', (SELECT MAX(id) FROM account_full_reconcile));"
            " SELECT setval('account_partial_reconcile_id_seq', (SELECT MAX(id) FROM account_partial_reconcile));"
            # What _compute_amount_residual and _update_matching_number store.
            " UPDATE account_move_line l SET"
            " amount_residual = l.amount_residual + CASE WHEN l.id = r.debit_line_id THEN -r.amount ELSE r.amount END,"
            " amount_residual_currency = l.amount_residual_currency"
            " + CASE WHEN l.id = r.debit_line_id THEN -r.amount_currency ELSE r.amount_currency END,"
            " reconciled = r.full_id IS NOT NULL OR l.id = r.credit_line_id,"
            " full_reconcile_id = r.full_id,"
            " matching_number = COALESCE(r.full_id::text, 'P' || r.partial_id)"
            " FROM bench_reconcile r WHERE l.id IN (r.debit_line_id, r.credit_line_id);"
            # What _compute_amount and _compute_payment_state store on the invoices.
            " UPDATE account_move m SET"
            " amount_residual = ABS(l.amount_residual_currency),"
            " amount_residual_signed = l.amount_residual,"
            " payment_state = CASE WHEN l.reconciled THEN 'paid' ELSE 'partial' END"
            " FROM bench_reconcile r JOIN account_move_line l ON l.id = r.debit_line_id WHERE m.id = r.invoice_id;"
            # What account.payment's _compute_state stores: paid once every invoice it pays is paid.
            " UPDATE account_payment p SET state = 'paid'"
            " FROM bench_payment_source s JOIN account_move i ON i.id = s.invoice_id"
            " WHERE p.id = s.payment_id AND i.payment_state = 'paid' AND p.state = 'in_process'"
        )


# --------------------------------------------------------------------------------------------------------------
# Bulk SQL helpers
# --------------------------------------------------------------------------------------------------------------


def _columns(cr, table):
    cr.execute(
        SQL(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND table_schema = 'public'"
            " ORDER BY ordinal_position",
            table,
        )
    )
    return [name for (name,) in cr.fetchall() if name != "id"]


def _max_id(cr, table):
    cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table)))
    return cr.fetchone()[0]


def _clone(cr, table, mapping, overrides):
    """Insert one copy of ``table``'s row ``m.src_id`` per row ``m`` of ``mapping``, with id ``m.new_id``.

    Every column is copied from the source row ``src`` except the ``overrides`` (column -> ``SQL`` over ``src``
    and ``m``): what Odoo stored for the template is what the copy gets.
    """
    columns = _columns(cr, table)
    unknown = set(overrides) - set(columns)
    if unknown:
        raise ValueError(f"{table} has no column {', '.join(sorted(unknown))}")
    values = [overrides.get(column, SQL("src.%s", SQL.identifier(column))) for column in columns]
    cr.execute(
        SQL(
            "INSERT INTO %(table)s (id, %(columns)s) SELECT m.new_id, %(values)s"
            " FROM (%(mapping)s) m JOIN %(table)s src ON src.id = m.src_id",
            table=SQL.identifier(table),
            columns=SQL(", ").join(SQL.identifier(column) for column in columns),
            values=SQL(", ").join(values),
            mapping=mapping,
        )
    )
    cr.execute(
        SQL(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM %s))",
            table,
            SQL.identifier(table),
        )
    )


def _clone_many2many(env, model_name, mapping, skip=()):
    """Copy the rows of ``model_name``'s stored many2many relations for the clones of ``mapping``."""
    done = set(skip)
    for field in env[model_name]._fields.values():
        if field.type != "many2many" or not field.store or field.relation in done:
            continue
        done.add(field.relation)
        env.cr.execute(
            SQL(
                "INSERT INTO %(rel)s (%(col1)s, %(col2)s) SELECT m.new_id, r.%(col2)s"
                " FROM %(mapping)s m JOIN %(rel)s r ON r.%(col1)s = m.src_id ON CONFLICT DO NOTHING",
                rel=SQL.identifier(field.relation),
                col1=SQL.identifier(field.column1),
                col2=SQL.identifier(field.column2),
                mapping=SQL.identifier(mapping),
            )
        )


def _copy(cr, table, columns, rows):
    """COPY ``rows`` into ``table``: the fastest way in, with no SQL text built from values."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(r"\N" if value is None else str(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    cr._obj.copy_from(buffer, table, columns=columns)


def _add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _random_rfc(rng):
    letters = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _index in range(3))
    born = datetime.date(1990, 1, 1) + datetime.timedelta(days=rng.randint(0, 12000))
    code = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _index in range(3))
    return f"{letters}{born:%y%m%d}{code}"


# --------------------------------------------------------------------------------------------------------------
# The consistency check
# --------------------------------------------------------------------------------------------------------------


class InconsistentData(Exception):
    """The generated data disagrees with what Odoo would compute."""


def check(env, sample_size=400, seed=1):
    """Prove the accounting consistent, with Odoo's own computes; raise :class:`InconsistentData` if not."""
    rng = random.Random(seed)
    cr = env.cr
    env.flush_all()
    problems = []
    cr.execute(
        "SELECT move_id, SUM(debit), SUM(credit), SUM(balance) FROM account_move_line GROUP BY move_id"
        " HAVING ROUND(SUM(debit) - SUM(credit), 2) <> 0 OR ROUND(SUM(balance), 2) <> 0 LIMIT 10"
    )
    problems += [
        f"move {move_id} unbalanced: debit {debit}, credit {credit}" for move_id, debit, credit, _b in cr.fetchall()
    ]

    # Receivable lines: bulk-made ones (the newest) and ORM-made ones alike.
    cr.execute(
        "SELECT l.id FROM account_move_line l JOIN account_account a ON a.id = l.account_id"
        " WHERE a.account_type = 'asset_receivable' AND l.parent_state = 'posted' ORDER BY l.id"
    )
    receivable_ids = [line_id for (line_id,) in cr.fetchall()]
    sample = sorted(set(rng.sample(receivable_ids, min(sample_size, len(receivable_ids)))) | set(receivable_ids[-20:]))
    line_fields = ("amount_residual", "amount_residual_currency", "reconciled")
    stored = _stored(cr, "account_move_line", line_fields, sample)
    lines = env["account.move.line"].browse(sample)
    with env.protecting([lines._fields[name] for name in line_fields], lines):
        lines._compute_amount_residual()
        for line in lines:
            for name in line_fields:
                if not _same(stored[line.id][name], line[name]):
                    problems.append(
                        f"line {line.id} {name}: stored {stored[line.id][name]}, Odoo computes {line[name]}"
                    )

    move_ids = sorted(set(lines.move_id.filtered(lambda move: move.is_invoice(True)).ids))
    move_fields = ("amount_total", "amount_residual", "amount_residual_signed", "payment_state")
    # Each stage recomputes in the cache only: the rollback forgets it, leaving the stored values untouched.
    cr.rollback()
    stored = _stored(cr, "account_move", move_fields, move_ids)
    moves = env["account.move"].browse(move_ids)
    with env.protecting([moves._fields[name] for name in move_fields], moves):
        moves._compute_amount()
        moves._compute_payment_state()
        for move in moves:
            for name in move_fields:
                if not _same(stored[move.id][name], move[name]):
                    problems.append(
                        f"move {move.name} {name}: stored {stored[move.id][name]}, Odoo computes {move[name]}"
                    )

    # res.partner.credit, core's read_group, against the SQL sum of the open receivables, per company.
    for company in env["res.company"].search([]):
        cr.execute(
            SQL(
                "SELECT l.partner_id, SUM(l.amount_residual) FROM account_move_line l"
                " JOIN account_account a ON a.id = l.account_id"
                " WHERE a.account_type = 'asset_receivable' AND l.parent_state = 'posted' AND NOT l.reconciled"
                " AND l.company_id = %s AND l.partner_id IS NOT NULL GROUP BY l.partner_id",
                company.id,
            )
        )
        expected = dict(cr.fetchall())
        partner_ids = rng.sample(sorted(expected), min(100, len(expected)))
        cr.rollback()
        partners = env["res.partner"].with_company(company).browse(partner_ids)
        for partner in partners:
            if float_compare(partner.credit, float(expected[partner.id]), precision_digits=2):
                problems.append(
                    f"{company.name}: partner {partner.id} credit {partner.credit} != {expected[partner.id]}"
                )
    cr.rollback()
    if problems:
        raise InconsistentData("\n".join(problems[:30]))
    return {"receivable_lines": len(sample), "invoices": len(move_ids)}


def _stored(cr, table, names, ids):
    if not ids:
        return {}
    cr.execute(
        SQL(
            "SELECT id, %s FROM %s WHERE id IN %s",
            SQL(", ").join(SQL.identifier(name) for name in names),
            SQL.identifier(table),
            tuple(ids),
        )
    )
    return {row[0]: dict(zip(names, row[1:], strict=True)) for row in cr.fetchall()}


def _same(stored, computed):
    if isinstance(computed, float):
        return not float_compare(float(stored or 0.0), computed, precision_digits=2)
    return (stored or False) == (computed or False)


# --------------------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--db", help="database (default: customer_management_bench_<scale>)")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--check", action="store_true", help="only run the consistency check")
    parser.add_argument("--fingerprint", action="store_true", help="print the generator's fingerprint and exit")
    parser.add_argument("--module-hash", action="store_true", help="print the module's code hash and exit")
    parser.add_argument("--mark-updated", action="store_true", help="record the module hash after an update")
    args = parser.parse_args(argv)
    if args.fingerprint:
        print(fingerprint(args.scale))
        return 0
    if args.module_hash:
        print(module_hash())
        return 0
    db = args.db or bench_database(args.scale)
    if args.mark_updated:
        with environment(db) as env:
            env["ir.config_parameter"].set_param(MODULE_HASH_KEY, module_hash())
        return 0
    if not args.check:
        started = time.monotonic()
        with environment(db) as env:
            anchor = fields.Date.context_today(env["res.users"])
            Generator(env, SCALES[args.scale], args.seed, anchor).run()
        duration = round(time.monotonic() - started)
        _logger.warning("generate: %s generated in %ss", db, duration)
    with environment(db) as env:
        try:
            result = check(env)
        except InconsistentData as error:
            print(f"The generated data is inconsistent:\n{error}", file=sys.stderr)
            return 1
        finally:
            env.cr.rollback()
        if not args.check:
            # Only a database generated, and proven consistent, is marked reusable.
            params = env["ir.config_parameter"]
            params.set_param(ANCHOR_KEY, fields.Date.to_string(anchor))
            params.set_param(DURATION_KEY, str(duration))
            params.set_param(FINGERPRINT_KEY, fingerprint(args.scale))
            params.set_param(MODULE_HASH_KEY, module_hash())
        env.cr.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database())),"
            " (SELECT COUNT(*) FROM account_move_line), (SELECT COUNT(*) FROM account_move),"
            " (SELECT COUNT(*) FROM sale_order), (SELECT COUNT(*) FROM res_partner)"
        )
        size, lines, moves, orders, partners = env.cr.fetchone()
    print(
        f"{db}: consistent ({result['receivable_lines']} receivable lines and {result['invoices']} invoices "
        f"recomputed by Odoo); {partners} partners, {orders} sale orders, {moves} moves, {lines} journal items, {size}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
