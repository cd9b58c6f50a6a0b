"""The customer profile PDF: the summary's sections of a customer on one page, in the user's language, without the
figures the user may not read."""

import io
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.misc import formatLang
from odoo.tools.pdf import PdfReader

from .common import COLLECTOR_GROUPS, SALESPERSON_GROUPS, CustomerCreditCase

PROFILE_REPORT = "customer_management.action_report_customer_profile"
STATEMENT_MODULE = "odoo.addons.customer_management.report.customer_statement"


# wkhtmltopdf reads the report's assets from the server: an HttpCase lets those requests in on the test's transaction.
@tagged("post_install", "-at_install")
class TestCustomerProfile(CustomerCreditCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write(
            {"customer_segment": "wholesale", "customer_zone_id": cls.zone_north.id, "vat": "CNO010101AB1"}
        )
        cls.overdue = cls._create_invoice(amount=1000.0, days_due=-20)
        cls.collector = new_test_user(cls.env, login="cm_profile_collector", groups=COLLECTOR_GROUPS)
        cls.seller = new_test_user(cls.env, login="cm_profile_seller", groups=SALESPERSON_GROUPS)
        cls.customer.user_id = cls.seller

    def _html(self, user):
        reports = self.env(user=user)["ir.actions.report"]
        return reports._render_qweb_html(PROFILE_REPORT, self.customer.ids)[0].decode()

    def test_profile_prints_the_summary_sections(self):
        """The collector's profile has the customer's classification, conditions and receivables with its overdue
        invoice's amount, as the summary gives them."""
        html = self._html(self.collector)
        [summary] = self.env(user=self.collector)["res.partner"].browse(self.customer.id).get_customer_summary()
        for expected in (
            "Customer Profile",
            self.customer.name,
            "CNO010101AB1",
            "Classification",
            "Wholesale",
            self.zone_north.name,
            "Receivables",
            formatLang(self.env, summary["aging"]["overdue_amount"], currency_obj=self.company.currency_id),
        ):
            self.assertIn(expected, html)

    def test_profile_leaves_out_what_the_user_may_not_read(self):
        """A salesperson of its own documents reads no customer's receivables: its profile of its own customer has
        no aging, as its summary has none."""
        [summary] = self.env(user=self.seller)["res.partner"].browse(self.customer.id).get_customer_summary()
        self.assertNotIn("aging", {section for section, figures in summary.items() if figures})
        html = self._html(self.seller)
        self.assertIn("Classification", html)
        partners = self.env["res.partner"]
        for fname in ("overdue_amount", "receivable_1_30", "credit_exposure"):
            self.assertNotIn(f">{partners._fields[fname].string}<", html)
        self.assertNotIn(">Receivables<", html)

    def _pdf_pages(self, user, lang, styled):
        """The real PDF of the profile rendered by wkhtmltopdf for ``user`` in ``lang``: its pages. Without its
        stylesheet unless ``styled``: a wkhtmltopdf without patched Qt draws the report's web fonts as outlines,
        which no PDF reader reads back (see the statement's PDF test), but lays out the columns only with it."""
        if not styled:
            self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        reports = self.env(user=user, context={"lang": lang})["ir.actions.report"]
        with patch(f"{STATEMENT_MODULE}._wkhtmltopdf_prints_headers", return_value=False):
            pdf, report_format = reports.with_context(force_report_rendering=True)._render_qweb_pdf(
                PROFILE_REPORT, self.customer.ids
            )
        self.assertEqual(report_format, "pdf")
        return PdfReader(io.BytesIO(pdf)).pages

    def test_pdf_is_one_page(self):
        """Laid out in its three columns, the collector's profile, every section of it, holds on one page."""
        self.assertEqual(len(self._pdf_pages(self.collector, "en_US", styled=True)), 1)

    def test_pdf_in_spanish_for_a_spanish_user(self):
        """The real PDF, rendered by wkhtmltopdf for a Spanish-speaking collector, is in Spanish."""
        self.env["res.lang"]._activate_lang("es_MX")
        self.collector.lang = "es_MX"
        pages = self._pdf_pages(self.collector, "es_MX", styled=False)
        text = " ".join(" ".join(page.extract_text().split()) for page in pages)
        for expected in ("Perfil del cliente", "Clasificación", "Mayorista", self.customer.name, "Cuentas por cobrar"):
            self.assertIn(expected, text)
