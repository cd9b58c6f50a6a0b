"""The statement of account: its figures, its PDF, its sending and the runs that send it."""

import io
import xmlrpc.client
from datetime import timedelta
from unittest.mock import patch

import lxml.html

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, RecordCapturer, new_test_user, tagged
from odoo.tools import SQL
from odoo.tools.misc import format_date, formatLang
from odoo.tools.pdf import PdfReader

from ..report.customer_statement import StatementFormat
from .common import COLLECTOR_GROUPS, CustomerCreditCase, RpcCase

REPORT = "customer_management.action_report_customer_statement"
REPORT_MODEL = "report.customer_management.report_customer_statement"
STATEMENT_MODULE = "odoo.addons.customer_management.report.customer_statement"


# wkhtmltopdf reads the report's assets from the server: as in Odoo's own PDF tests, an HttpCase lets those
# requests in on the test's transaction (under Odoo's runner, which holds the registries' lock, they would hang).
@tagged("post_install", "-at_install")
class TestCustomerStatement(CustomerCreditCase, HttpCase):
    """The statement of account: its figures, its PDF, its sending and the runs that send it in the background."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.date_from = cls.today - timedelta(days=30)
        cls.customer.email = "pagos@comercializadora.example.com"
        # Confirmed before the customer owes anything, so that the credit control lets it through.
        order = cls._create_order(amount=3000.0)
        order.action_confirm()
        # Before the period: the opening balance.
        cls.old_invoice = cls._create_invoice(amount=700.0, days_due=-60)
        # In the period: an invoice partly paid, an invoice with a credit note applied, an open credit note,
        # a payment applied to nothing (an advance) and a down payment invoice.
        cls.partly_paid = cls._create_invoice(amount=2000.0, days_due=-10)
        cls.partial_payment = cls._register_payment(cls.partly_paid, 500.0)
        cls.credited = cls._create_invoice(amount=1000.0, days_due=5)
        cls.applied_refund = cls._create_invoice(amount=300.0, days_due=0, move_type="out_refund")
        (cls.credited | cls.applied_refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        cls.open_refund = cls._create_invoice(amount=200.0, days_due=0, move_type="out_refund")
        cls.advance = cls.env["account.payment"].create(
            {"partner_type": "customer", "payment_type": "inbound", "partner_id": cls.customer.id, "amount": 400.0}
        )
        cls.advance.action_post()
        cls.down_payment = cls._create_down_payment(order, advance_payment_method="percentage", amount=10)
        # A contact of the customer invoiced in its name: its items are the customer's.
        cls.contact = cls.env["res.partner"].create({"name": "Compras", "parent_id": cls.customer.id})
        cls.contact_invoice = cls._create_invoice(customer=cls.contact, amount=150.0, days_due=-20)
        # The same customer in another company: none of it is in this company's statement.
        cls.other_company = cls._create_company(
            "Distribuidora del Sur", users=cls.env.user, chart=True, country_id=cls.mx.id
        )
        cls.other_invoice = (
            cls.env["account.move"]
            .with_company(cls.other_company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "invoice_date": cls.today - timedelta(days=3),
                    "invoice_line_ids": [Command.create({"name": "Flete", "quantity": 1, "price_unit": 5000.0})],
                }
            )
        )
        cls.other_invoice.action_post()

    def _statement(self, date_from=None, date_to=None, customer=None, company=None):
        customer = customer or self.customer
        return self.env[REPORT_MODEL]._get_statements(
            customer, company or self.company, date_from or self.date_from, date_to or self.today
        )[customer.id]

    def _receivable_at(self, date, customer=None, company=None):
        """The customer's receivable balance at the end of ``date``, straight from the journal items."""
        self.env.flush_all()
        [[balance]] = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(line.balance), 0)
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  JOIN res_partner partner ON partner.id = line.partner_id
                 WHERE partner.commercial_partner_id = %s AND line.company_id = %s AND line.parent_state = 'posted'
                   AND account.account_type = 'asset_receivable' AND line.date <= %s
                """,
                (customer or self.customer).id,
                (company or self.company).id,
                date,
            )
        )
        return balance

    def test_opening_and_closing_balances_are_the_receivable_at_both_ends(self):
        """The opening balance is the receivable before the period, the closing one the receivable at its end."""
        statement = self._statement()
        self.assertAlmostEqual(statement["opening_balance"], self._receivable_at(self.date_from - timedelta(days=1)))
        self.assertAlmostEqual(statement["closing_balance"], self._receivable_at(self.today))
        self.assertAlmostEqual(statement["opening_balance"], self.old_invoice.amount_total_signed)
        self.assertAlmostEqual(statement["closing_balance"], self.customer.credit)

    def test_running_balance_adds_each_movement_to_the_opening(self):
        """Each movement's running balance is the opening plus the movements up to it; the last is the closing."""
        statement = self._statement()
        balance = statement["opening_balance"]
        for line in statement["movements"]:
            balance += line["debit"] - line["credit"]
            self.assertAlmostEqual(line["running_balance"], balance)
        self.assertAlmostEqual(statement["movements"][-1]["running_balance"], statement["closing_balance"])

    def test_movements_are_invoices_credit_notes_payments_and_down_payments(self):
        """The period's movements name each kind of document once, the contact's invoice included."""
        statement = self._statement()
        kinds = {line["move_id"]: line["kind"] for line in statement["movements"]}
        self.assertEqual(kinds[self.partly_paid.id], "invoice")
        self.assertEqual(kinds[self.applied_refund.id], "credit_note")
        self.assertEqual(kinds[self.open_refund.id], "credit_note")
        self.assertEqual(kinds[self.partial_payment.move_id.id], "payment")
        self.assertEqual(kinds[self.advance.move_id.id], "payment")
        self.assertEqual(kinds[self.down_payment.id], "down_payment")
        self.assertEqual(kinds[self.contact_invoice.id], "invoice")
        self.assertNotIn(self.old_invoice.id, kinds)
        self.assertNotIn(self.other_invoice.id, kinds)

    def test_other_company_has_its_own_statement(self):
        """The other company's statement holds its own invoice only."""
        statement = self._statement(company=self.other_company)
        self.assertEqual([line["move_id"] for line in statement["movements"]], [self.other_invoice.id])
        self.assertAlmostEqual(
            statement["closing_balance"], self._receivable_at(self.today, company=self.other_company)
        )

    def test_open_items_and_aging_are_the_engines(self):
        """The open items and their buckets on today's statement are the exposure engine's, summing to the closing."""
        statement = self._statement()
        engine = self.env["customer.exposure"]
        items = engine._get_open_items(self.customer, self.company)
        self.assertEqual(
            [(item["id"], item["residual"], item["bucket"]) for item in statement["open_items"]],
            [(item["id"], item["residual"], item["bucket"]) for item in items],
        )
        exposure = self._exposure()
        self.assertEqual(
            statement["aging"],
            {
                "not_due": exposure.not_due,
                "1_30": exposure.aged_1_30,
                "31_60": exposure.aged_31_60,
                "61_90": exposure.aged_61_90,
                "over_90": exposure.aged_over_90,
            },
        )
        self.assertAlmostEqual(statement["open_total"], statement["closing_balance"])
        residuals = {item["move_id"]: item["residual"] for item in statement["open_items"]}
        self.assertAlmostEqual(residuals[self.partly_paid.id], self.partly_paid.amount_total - 500.0)
        self.assertAlmostEqual(residuals[self.open_refund.id], -self.open_refund.amount_total)
        self.assertAlmostEqual(residuals[self.advance.move_id.id], -400.0)
        self.assertNotIn(self.applied_refund.id, residuals)

    def test_past_statement_keeps_items_paid_after_its_end(self):
        """A statement ending before a payment shows the invoice it paid as open, for its whole amount."""
        date_to = self.today - timedelta(days=1)
        statement = self._statement(date_to=date_to)
        residuals = {item["move_id"]: item["residual"] for item in statement["open_items"]}
        self.assertAlmostEqual(residuals[self.partly_paid.id], self.partly_paid.amount_total)
        self.assertNotIn(self.advance.move_id.id, residuals)
        self.assertAlmostEqual(statement["open_total"], self._receivable_at(date_to))
        self.assertAlmostEqual(statement["closing_balance"], self._receivable_at(date_to))

    def test_figures_of_a_batch_take_no_more_queries_than_one(self):
        """The statements of six customers are read with no more queries than the statement of one."""
        others = self.env["res.partner"].concat(*(self._create_customer(f"Abarrotes {index}") for index in range(5)))
        for partner in others:
            self._create_invoice(customer=partner, amount=100.0)
        report = self.env[REPORT_MODEL]
        for customers in (self.customer, self.customer | others):
            self.env.flush_all()
            self.env.invalidate_all()
            # Three queries for the figures; the rest reads the customers, the company and the pricelists.
            with self.assertQueryCount(14):
                report._get_statements(customers, self.company, self.date_from, self.today)

    def test_pdf_is_rendered_with_the_figures(self):
        """The real PDF, rendered by wkhtmltopdf, names the company and the customer and holds the partly paid
        invoice, the credit note and the closing balance; its HTML shows the closing balance formatted."""
        self.env.company.vat = "DAN0101019X1"
        # Without its stylesheet, so that the PDF keeps its text: a wkhtmltopdf without patched Qt draws the
        # report's web fonts as outlines, which no PDF reader reads back (nothing listens on the discard port).
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        reports = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        # The company's block in the page, whichever wkhtmltopdf this machine has.
        with patch(f"{STATEMENT_MODULE}._wkhtmltopdf_prints_headers", return_value=False):
            pdf, report_format = reports._render_qweb_pdf(REPORT, self.customer.ids)
        self.assertEqual(report_format, "pdf")
        # The text of the pages, its words separated by single spaces (wkhtmltopdf separates them with tabs).
        text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
        closing = self._statement()["closing_balance"]
        for expected in (
            self.env.company.name,  # in the layout's header or, when wkhtmltopdf drops it, in the page
            "DAN0101019X1",
            self.customer.name,
            "Statement of Account",
            self.partly_paid.name,
            self.open_refund.name,
            formatLang(self.env, closing),
        ):
            self.assertIn(expected, text)
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, self.customer.ids)[0].decode()
        closing = self._statement()["closing_balance"]
        self.assertIn(f'<span class="oe_currency_value">{formatLang(self.env, closing)}</span>', html)
        self.assertIn(self.partly_paid.name, html)
        self.assertIn(self.down_payment.name, html)

    def test_aging_table_cells_are_padded(self):
        """The aging table's cells have room around their amounts, not the compact table's."""
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, self.customer.ids)[0]
        table = lxml.html.fromstring(html).xpath("//table[@name='aging']")[0]
        self.assertNotIn("table-sm", table.get("class"))
        cells = table.xpath(".//th | .//td")
        self.assertEqual(len(cells), 12)
        self.assertTrue(all("px-3" in cell.get("class") and "py-2" in cell.get("class") for cell in cells))

    def test_company_block_only_where_the_header_is_dropped(self):
        """The page repeats the company's name only in a PDF whose wkhtmltopdf drops the layout's header."""
        report = self.env[REPORT_MODEL]
        for report_type, prints_headers, expected in (
            ("pdf", False, True),
            ("pdf", True, False),
            ("html", False, False),
        ):
            with patch(f"{STATEMENT_MODULE}._wkhtmltopdf_prints_headers", return_value=prints_headers):
                values = report._get_report_values(self.customer.ids, {"report_type": report_type})
            self.assertEqual(values["company_in_page"], expected, (report_type, prints_headers))

    def test_statement_is_in_the_customer_language(self):
        """The statement of a Spanish-speaking customer shows its dates the Spanish way."""
        self.env["res.lang"]._activate_lang("es_MX")
        self.customer.lang = "es_MX"
        period = {"date_from": "2025-03-01", "date_to": "2025-03-14"}
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, self.customer.ids, data=period)[0].decode()
        self.assertIn("14/03/2025", html)
        self.assertNotIn("03/14/2025", html)

    def test_foreign_pricelist_shows_amounts_in_its_currency(self):
        """A customer whose pricelist is in another currency gets that currency's column."""
        eur = self.env.ref("base.EUR")
        eur.active = True
        pricelist = self.env["product.pricelist"].create({"name": "Euros", "currency_id": eur.id})
        self.customer.property_product_pricelist = pricelist
        self.assertEqual(self._statement()["foreign_currency"], eur)
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, self.customer.ids)[0].decode()
        self.assertIn("Amount in <span>EUR</span>", html)

    def test_amounts_and_dates_are_printed_as_the_widgets_print_them(self):
        """The statement's amounts and dates, in English and in Spanish, are the monetary and date widgets' text."""
        self.env["res.lang"]._activate_lang("es_MX")
        eur = self.env.ref("base.EUR")
        amounts = [0.0, 1234567.891, -2500.5, 0.005, -0.004]
        for lang_code in ("en_US", "es_MX"):
            env = self.env(context={"lang": lang_code})
            formats = StatementFormat(env, lang_code)
            for currency in (self.currency, eur):
                for amount in amounts:
                    expected = env["ir.qweb.field.monetary"].value_to_html(amount, {"display_currency": currency})
                    self.assertEqual(formats.amount(amount, currency), expected, (lang_code, currency.name, amount))
            self.assertEqual(formats.date(self.today), format_date(env, self.today, lang_code=lang_code))
            self.assertEqual(formats.date(False), "")

    def test_period_ending_before_it_starts_is_refused(self):
        """A statement whose period ends before it starts is refused with a clear message."""
        with self.assertRaisesRegex(ValidationError, "start before it ends"):
            self.env["ir.actions.report"]._render_qweb_html(
                REPORT, self.customer.ids, data={"date_from": self.today, "date_to": self.date_from}
            )

    def test_salesperson_cannot_print_a_customer_it_cannot_read(self):
        """A salesperson prints its customers' statements, not those of a company it has no access to."""
        seller = self.seller_north
        html = self.env["ir.actions.report"].with_user(seller)._render_qweb_html(REPORT, self.customer.ids)[0]
        self.assertIn(b"Statement of Account", html)
        hidden = self._create_customer("Cliente del Sur", company_id=self.other_company.id)
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(seller)._render_qweb_html(REPORT, hidden.ids)

    def test_send_opens_the_composer_with_the_statement(self):
        """Send Statement opens the mail composer with the statement template and its PDF attached."""
        action = self.customer.action_send_customer_statement()
        composer = Form(self.env[action["res_model"]].with_context(**action["context"], force_report_rendering=True))
        message = composer.save()
        self.assertEqual(message.template_id, self.env.ref("customer_management.mail_template_customer_statement"))
        self.assertTrue(message.attachment_ids)
        self.assertEqual(message.attachment_ids[0].mimetype, "application/pdf")
        message._action_send_mail()
        self.assertIn(self.customer, self.customer.message_ids[0].partner_ids)


@tagged("post_install", "-at_install")
class TestCustomerStatementRun(CustomerCreditCase, HttpCase):  # the cron renders real PDFs (see above)
    """The statement run: customers chosen by filters, queued, sent by the cron."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = new_test_user(cls.env, login="cm_collector", groups=COLLECTOR_GROUPS)
        cls.customer.write({"email": "pagos@norte.example.com", "customer_zone_id": cls.zone_north.id})
        cls._create_invoice(amount=1000.0, days_due=-20)
        cls.current = cls._create_customer("Al Corriente", email="pagos@corriente.example.com")
        cls.current.customer_zone_id = cls.zone_north
        cls._create_invoice(customer=cls.current, amount=500.0, days_due=10)
        cls.no_email = cls._create_customer("Sin Correo", customer_zone_id=cls.zone_north.id)
        cls._create_invoice(customer=cls.no_email, amount=300.0, days_due=-5)
        cls.paid_up = cls._create_customer("Sin Saldo", email="x@y.example.com", customer_zone_id=cls.zone_north.id)
        cls.elsewhere = cls._create_customer("Occidente", email="o@example.com", customer_zone_id=cls.zone_west.id)
        cls._create_invoice(customer=cls.elsewhere, amount=800.0, days_due=-5)

    def _wizard(self, user=None, **values):
        wizard = Form(self.env["customer.statement.run.wizard"].with_user(user or self.collector))
        wizard.zone_ids.add(self.zone_north)
        for fname, value in values.items():
            setattr(wizard, fname, value)
        return wizard

    def test_filters_pick_customers_with_a_balance_in_the_zone(self):
        """By zone and with a balance: the zone's customers who owe something."""
        self.assertEqual(self._wizard().save().partner_ids, self.customer | self.current | self.no_email)

    def test_only_overdue_leaves_customers_up_to_date_out(self):
        """Only with overdue: the customers with an item past its due date."""
        self.assertEqual(self._wizard(only_overdue=True).save().partner_ids, self.customer | self.no_email)

    def test_queue_creates_the_run_and_sends_nothing(self):
        """Queuing creates the run and one pending statement per customer, and sends no mail in the request."""
        mails_before = self.env["mail.mail"].search_count([])
        action = self._wizard().save().action_queue()
        run = self.env["customer.statement.run"].browse(action["res_id"])
        self.assertEqual(run.state, "queued")
        self.assertRecordValues(
            run.line_ids.sorted(lambda line: line.partner_id.id),
            [
                {"partner_id": partner.id, "state": "pending"}
                for partner in (self.customer | self.current | self.no_email).sorted("id")
            ],
        )
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before)
        self.assertTrue(run.name.startswith("STR/"))

    def test_cron_sends_the_statements_and_skips_customers_without_email(self):
        """The cron queues one mail with the PDF per customer, skips those without email, and ends the run."""
        action = self._wizard().save().action_queue()
        run = self.env["customer.statement.run"].browse(action["res_id"])
        self.env["customer.statement.run"].with_context(force_report_rendering=True)._cron_send_statements()
        by_partner = {line.partner_id: line for line in run.line_ids}
        self.assertEqual(by_partner[self.no_email].state, "skipped")
        for partner in self.customer | self.current:
            line = by_partner[partner]
            self.assertEqual((line.state, line.error), ("sent", False))
            self.assertEqual(line.mail_id.state, "outgoing")
            self.assertIn(partner, line.mail_id.recipient_ids)
            self.assertEqual(line.mail_id.attachment_ids.mimetype, "application/pdf")
        self.assertEqual(run.state, "done")
        self.assertEqual((run.sent_count, run.skipped_count, run.progress), (2, 1, 100.0))

    def test_cron_works_in_batches_and_triggers_itself_again(self):
        """A batch smaller than the run leaves the rest pending and triggers the cron again."""
        action = self._wizard().save().action_queue()
        run = self.env["customer.statement.run"].browse(action["res_id"])
        cron = self.env.ref("customer_management.ir_cron_customer_statement_run")
        with RecordCapturer(self.env["ir.cron.trigger"].sudo(), [("cron_id", "=", cron.id)]) as capture:
            self.env["customer.statement.run"]._cron_send_statements(batch_size=1)
        self.assertEqual(run.pending_count, 2)
        self.assertEqual(run.state, "queued")
        self.assertTrue(capture.records)

    def test_accountant_queues_statements(self):
        """An invoicing user who is not a collector queues statements and reads the run."""
        accountant = new_test_user(
            self.env, login="cm_statement_accountant", groups="base.group_user,account.group_account_invoice"
        )
        action = self._wizard(user=accountant).save().action_queue()
        run = self.env["customer.statement.run"].with_user(accountant).browse(action["res_id"])
        self.assertEqual(run.line_count, 3)

    def test_salesperson_cannot_queue_statements(self):
        """A plain salesperson cannot create statement runs."""
        with self.assertRaises(AccessError):
            self.env["customer.statement.run.wizard"].with_user(self.seller_north).create({})

    def test_period_ending_before_it_starts_is_refused(self):
        """A run whose period ends before it starts is refused and nothing is saved."""
        runs_before = self.env["customer.statement.run"].search_count([])
        with self.assertRaisesRegex(ValidationError, "start before it ends"):
            self.env["customer.statement.run.wizard"].with_user(self.collector).create(
                {"date_from": fields.Date.today(), "date_to": fields.Date.today() - timedelta(days=1)}
            )
        self.assertEqual(self.env["customer.statement.run"].search_count([]), runs_before)

    def test_runs_of_another_company_are_hidden(self):
        """A collector sees the runs of its companies only."""
        other = self._create_company("Distribuidora del Sur")
        run = self.env["customer.statement.run"].create(
            {"company_id": other.id, "date_from": fields.Date.today(), "date_to": fields.Date.today(),
             "line_ids": [Command.create({"partner_id": self.paid_up.id})]}
        )  # fmt: skip
        self.assertFalse(self.env["customer.statement.run"].with_user(self.collector).search([("id", "=", run.id)]))


@tagged("post_install", "-at_install")
class TestCustomerStatementRpc(RpcCase):
    """Statement runs as an integrator queues them over XML-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = cls._create_rpc_user("cm_rpc_collector", COLLECTOR_GROUPS)

    def test_bad_period_is_a_clear_fault_and_saves_nothing(self):
        """A run whose period ends before it starts is refused over XML-RPC with the message, and nothing saved."""
        runs_before = self.env["customer.statement.run"].search_count([])
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._xml_rpc(
                self.collector,
                "customer.statement.run.wizard",
                "create",
                {"date_from": "2026-02-01", "date_to": "2026-01-01"},
            )
        self.assertIn("The statement period must start before it ends.", caught.exception.faultString)
        self.assertEqual(self.env["customer.statement.run"].search_count([]), runs_before)
        self.assertFalse(self.env["customer.statement.run.wizard"].search([("create_uid", "=", self.collector.id)]))
