"""The customer profile: one page per customer with what the summary tells of it, for a visit or a credit review."""

from odoo import api, models
from odoo.tools.misc import format_date, formatLang


class CustomerProfileReport(models.AbstractModel):
    """The sections of :meth:`res.partner.get_customer_summary` (classification, conditions, credit, aging, buying
    behaviour, history, logistics, after-sales, risk: whatever the concerns add) printed field by field, each under
    its label, in the language of the user who prints it. As in the summary, a figure the user may not read is not
    printed."""

    _name = "report.customer_management.report_customer_profile"
    _description = "Customer Profile"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids)
        partners.check_access("read")
        sections = self._get_profile_sections()
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners,
            "company": self.env.company,
            "profiles": {
                partner.id: self._get_profile(partner.commercial_partner_id, sections) for partner in partners
            },
        }

    @api.model
    def _get_profile_sections(self):
        """The summary's sections the user may read: ``[(title, [field name])]``, in the summary's order."""
        partners = self.env["res.partner"]
        titles = self._get_profile_section_titles()
        sections = []
        for section, fnames in partners._get_customer_summary_sections().items():
            readable = [fname for fname in fnames if partners._is_summary_field_readable(fname)]
            if readable:
                sections.append((titles.get(section, section), readable))
        return sections

    @api.model
    def _get_profile_section_titles(self):
        return {
            "classification": self.env._("Classification"),
            "conditions": self.env._("Commercial Conditions"),
            "exposure": self.env._("Credit"),
            "aging": self.env._("Receivables"),
            "behaviour": self.env._("Buying Behaviour"),
            "history": self.env._("History"),
            "logistics": self.env._("Logistics"),
            "after_sales": self.env._("After-Sales"),
            "risk": self.env._("Risk"),
        }

    @api.model
    def _get_profile(self, customer, sections):
        """``[(title, [(label, value as printed)])]`` of ``customer``: empty values are left out."""
        profile = []
        for title, fnames in sections:
            rows = [
                (customer._fields[fname]._description_string(self.env), self._format_profile_value(customer, fname))
                for fname in fnames
            ]
            rows = [(label, value) for label, value in rows if value not in (None, "")]
            if rows:
                profile.append((title, rows))
        return profile

    @api.model
    def _format_profile_value(self, record, fname):
        """The value of ``record.fname`` as the form prints it: amounts in the company's currency, dates and numbers
        in the user's language, a selection by its label, a relation by its name; nothing for an empty value."""
        field = record._fields[fname]
        value = record[fname]
        if field.type == "monetary":
            return formatLang(self.env, value, currency_obj=self.env.company.currency_id)
        if field.type == "float":
            digits = field.get_digits(self.env)
            return formatLang(self.env, value, digits=digits[1] if digits else 2)
        if field.type == "integer":
            return formatLang(self.env, value, digits=0)
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        if not value:
            return None
        if field.type in ("date", "datetime"):
            return format_date(self.env, value)
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value)
        if field.type == "many2one":
            return value.display_name
        if field.type in ("one2many", "many2many"):
            return ", ".join(value.mapped("display_name")) or None
        return str(value)
