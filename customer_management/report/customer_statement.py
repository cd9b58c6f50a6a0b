"""The statement of account: opening balance, movements with running balance, closing balance and aged open items."""

import ast
import functools
import subprocess
from collections import defaultdict
from datetime import timedelta

import babel.dates
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin
from odoo.addons.base.models.res_lang import intersperse
from odoo.exceptions import ValidationError
from odoo.tools import SQL, float_round
from odoo.tools.misc import babel_locale_parse, get_lang, posix_to_ldml

from ..models.customer_exposure import AGING_BUCKETS

# A statement without a period covers the last 30 days up to today.
DEFAULT_PERIOD_DAYS = 30


@functools.cache
def _wkhtmltopdf_prints_headers():
    """Whether wkhtmltopdf prints the layout's header: only its builds with patched Qt do, the others ignore it."""
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return b"patched qt" in version.lower()


class StatementFormat:
    """The amounts and dates of statements in one language, printed as the ``monetary`` and ``date`` widgets of QWeb
    print them. The widgets look the language up again for every value, which took three quarters of the rendering
    of a batch of statements: here the language is read once, and each date and amount is formatted once."""

    def __init__(self, env, lang_code):
        lang = get_lang(env, lang_code)
        self._locale = babel_locale_parse(lang.code)
        self._date_format = posix_to_ldml(lang.date_format, locale=self._locale)
        self._grouping = ast.literal_eval(lang.grouping)
        self._thousands_sep = lang.thousands_sep or ""
        self._decimal_point = lang.decimal_point
        self._currencies = {}
        self._amounts = {}
        self._dates = {}

    def amount(self, value, currency):
        """``value`` in ``currency`` as the ``monetary`` widget prints it (the symbol on its side, no-break spaces)."""
        key = (currency.id, value)
        if key not in self._amounts:
            if currency.id not in self._currencies:
                symbol = escape(currency.symbol or "")
                before = currency.position == "before"
                self._currencies[currency.id] = (
                    currency.rounding,
                    currency.decimal_places,
                    f"{symbol}\N{NO-BREAK SPACE}" if before else "",
                    "" if before else f"\N{NO-BREAK SPACE}{symbol}",
                )
            rounding, decimal_places, pre, post = self._currencies[currency.id]
            rounded = float_round(value, precision_rounding=rounding)
            integer, *decimals = f"{rounded:.{decimal_places}f}".split(".")
            integer = intersperse(integer, self._grouping, self._thousands_sep)[0]
            formatted = escape(
                self._decimal_point.join([integer, *decimals])
                .replace(" ", "\N{NO-BREAK SPACE}")
                .replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
            )
            self._amounts[key] = Markup(f'{pre}<span class="oe_currency_value">{formatted}</span>{post}')
        return self._amounts[key]

    def date(self, value):
        """``value`` (a date) as the ``date`` widget prints it."""
        if not value:
            return ""
        if value not in self._dates:
            self._dates[value] = babel.dates.format_date(value, format=self._date_format, locale=self._locale)
        return self._dates[value]


class CustomerStatementReport(models.AbstractModel):
    """The statement of account of customers: opening balance, movements, closing balance and aged open items."""

    _name = "report.customer_management.report_customer_statement"
    _description = "Customer Statement of Account"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        partners = self.env["res.partner"].browse(docids)
        # The figures come from SQL: only a user who may read the customers may print their statements.
        partners.check_access("read")
        company = self.env["res.company"].browse(data.get("company_id")) or self.env.company
        date_from, date_to = self._get_statement_period(data)
        statements = self._get_statements(partners.commercial_partner_id, company, date_from, date_to)
        # Each statement is printed in its customer's language (``t-lang``), one formatter per language.
        formats = {lang_code: StatementFormat(self.env, lang_code) for lang_code in set(partners.mapped("lang"))}
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners,
            "company": company,
            # A PDF whose wkhtmltopdf drops the layout's header still names the company: in the page itself.
            "company_in_page": data.get("report_type") == "pdf" and not _wkhtmltopdf_prints_headers(),
            "date_from": date_from,
            "date_to": date_to,
            "statements": {partner.id: statements[partner.commercial_partner_id.id] for partner in partners},
            "formats": {partner.id: formats[partner.lang] for partner in partners},
            "contacts": self._get_statement_contacts(partners),
        }

    @api.model
    def _get_statement_contacts(self, partners):
        """The name, the address lines and the tax ID of the customer of each of ``partners``, by partner id."""
        contacts = {}
        for partner in partners:
            customer = partner.commercial_partner_id
            address = customer._display_address(without_company=True)
            contacts[partner.id] = {
                "name": customer.name,
                "address": [line for line in address.split("\n") if line.strip()],
                "vat": customer.vat,
                "vat_label": customer.country_id.vat_label,
            }
        return contacts

    @api.model
    def _get_statement_period(self, data=None):
        """The period of the statement from ``data`` or the context (``statement_date_from``/``_to``)."""
        data = data or {}
        context = self.env.context
        date_to = fields.Date.to_date(
            data.get("date_to") or context.get("statement_date_to") or fields.Date.context_today(self)
        )
        date_from = fields.Date.to_date(
            data.get("date_from")
            or context.get("statement_date_from")
            or date_to - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        )
        if date_from > date_to:
            raise ValidationError(self.env._("The statement period must start before it ends."))
        return date_from, date_to

    @api.model
    def _get_statements(self, partners, company, date_from, date_to):
        """The statement of each commercial partner of ``partners`` in ``company`` for the period, by its id.

        Three queries for the whole batch: the opening balances, the movements, and the engine's open items on
        ``date_to`` (open today when ``date_to`` is today, as the partner's aging fields; else as of ``date_to``).
        Amounts are in the company's currency; the movements also carry their own currency and amount, shown when
        the customer's pricelist is in another currency.
        """
        partners = partners.commercial_partner_id
        if not partners:
            return {}
        engine = self.env["customer.exposure"]
        currency = company.currency_id
        openings = self._get_opening_balances(partners, company, date_from)
        movements = defaultdict(list)
        for row in self._get_movements(partners, company, date_from, date_to):
            row["running_balance"] = currency.round(openings.get(row["partner_id"], 0.0) + row["cumulated"])
            movements[row["partner_id"]].append(row)
        today = fields.Date.context_today(self)
        open_items = defaultdict(list)
        for item in engine._get_open_items(partners, company, date_to, as_of=date_to < today):
            open_items[item["partner_id"]].append(item)
        self._add_open_item_documents(open_items)
        statements = {}
        for partner in partners:
            opening = currency.round(openings.get(partner.id, 0.0))
            lines = movements[partner.id]
            items = open_items[partner.id]
            aging = {key: 0.0 for key, _label in AGING_BUCKETS}
            for item in items:
                aging[item["bucket"]] += item["residual"]
            pricelist_currency = partner.with_company(company).property_product_pricelist.currency_id
            statements[partner.id] = {
                "partner": partner,
                "currency": currency,
                "foreign_currency": pricelist_currency
                if pricelist_currency and pricelist_currency != currency
                else False,
                "opening_balance": opening,
                "movements": lines,
                "total_debit": currency.round(sum(line["debit"] for line in lines)),
                "total_credit": currency.round(sum(line["credit"] for line in lines)),
                "closing_balance": currency.round(opening + sum(line["balance"] for line in lines)),
                "open_items": items,
                "aging": {key: currency.round(amount) for key, amount in aging.items()},
                "open_total": currency.round(sum(item["residual"] for item in items)),
            }
        return statements

    @api.model
    def _get_receivable_query(self, partners, company, select, condition, group_by=None, order_by=None):
        """The query of ``select`` over the engine's receivable items of ``partners`` in ``company`` (the posted
        receivable items ``line`` of the ``member`` partners, with their ``move``) that meet ``condition``, with the
        fields the statement's queries read as fields to flush when they run."""
        engine = self.env["customer.exposure"]
        statement_fields = [
            self.env[model]._fields[fname]
            for model, fnames in (
                ("account.move", ["name", "ref", "move_type", "origin_payment_id"]),
                ("account.move.line", ["name", "debit", "credit", "amount_currency", "currency_id", "is_downpayment"]),
            )
            for fname in fnames
        ]
        return SQL(
            """
            WITH %(members)s
            SELECT %(select)s
              FROM %(items)s
              JOIN account_move move ON move.id = line.move_id
             WHERE %(receivable)s
               AND %(condition)s
            %(group_by)s
            %(order_by)s
            %(sources)s%(statement_sources)s""",
            members=engine._get_member_ctes(partners.ids),
            select=select,
            items=engine._get_receivable_item_from_sql(),
            receivable=engine._get_receivable_item_where_sql(company),
            condition=condition,
            group_by=SQL("GROUP BY %s", group_by) if group_by else SQL(),
            order_by=SQL("ORDER BY %s", order_by) if order_by else SQL(),
            sources=engine._get_exposure_sources_sql(),
            statement_sources=SQL().join(SQL(to_flush=field) for field in statement_fields),
        )

    @api.model
    def _get_opening_balances(self, partners, company, date_from):
        """The receivable balance of each commercial partner before ``date_from``, in company currency."""
        rows = self.env.execute_query(
            self._get_receivable_query(
                partners,
                company,
                SQL("member.commercial_partner_id, SUM(line.balance)"),
                SQL("line.date < %s", date_from),
                group_by=SQL("member.commercial_partner_id"),
            )
        )
        return dict(rows)

    @api.model
    def _get_movements(self, partners, company, date_from, date_to):
        """The posted receivable items of the period by partner and date, with their cumulated balance."""
        rows = self.env.execute_query_dict(
            self._get_receivable_query(
                partners,
                company,
                SQL(
                    """member.commercial_partner_id AS partner_id,
                       line.id,
                       line.move_id,
                       line.date,
                       line.date_maturity,
                       move.name AS move_name,
                       move.ref,
                       line.name,
                       CASE WHEN move.move_type = 'out_invoice' AND EXISTS (
                                     SELECT 1 FROM account_move_line down_payment
                                      WHERE down_payment.move_id = move.id AND down_payment.is_downpayment
                                 ) THEN 'down_payment'
                            WHEN move.move_type = 'out_invoice' THEN 'invoice'
                            WHEN move.move_type = 'out_refund' THEN 'credit_note'
                            WHEN move.origin_payment_id IS NOT NULL THEN 'payment'
                            ELSE 'entry' END AS kind,
                       line.debit,
                       line.credit,
                       line.balance,
                       line.amount_currency,
                       line.currency_id,
                       SUM(line.balance) OVER (
                           PARTITION BY member.commercial_partner_id ORDER BY line.date, line.move_id, line.id
                       ) AS cumulated"""
                ),
                SQL("line.date BETWEEN %s AND %s", date_from, date_to),
                order_by=SQL("member.commercial_partner_id, line.date, line.move_id, line.id"),
            )
        )
        kinds = self._get_movement_kinds()
        for row in rows:
            row["kind_label"] = kinds[row["kind"]]
        return rows

    @api.model
    def _get_movement_kinds(self):
        return {
            "invoice": self.env._("Invoice"),
            "down_payment": self.env._("Down Payment"),
            "credit_note": self.env._("Credit Note"),
            "payment": self.env._("Payment"),
            "entry": self.env._("Journal Entry"),
        }

    @api.model
    def _add_open_item_documents(self, open_items):
        """Name each open item by its journal entry, for the whole batch at once."""
        move_ids = {item["move_id"] for items in open_items.values() for item in items}
        moves = self.env["account.move"].browse(move_ids).sudo()
        names = {move.id: (move.name, move.ref, move.date) for move in moves}
        for items in open_items.values():
            for item in items:
                item["move_name"], item["ref"], item["date"] = names[item["move_id"]]
