"""The Spanish catalogue: every user-facing string of the module is translated in es.po."""

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

DEMO_XMLID_SUFFIXES = ("_demo", "_demo_product_template")


@tagged("post_install", "-at_install")
class TestSpanishCatalog(TransactionCase):
    """Spanish is first-class: every user-facing string of the installed module is translated in es.po."""

    def _catalog(self, name):
        with open(f"{get_module_path('customer_management')}/i18n/{name}", encoding="utf-8") as po_file:
            return polib.pofile(po_file.read())

    def test_every_current_string_is_translated(self):
        """The strings the installed module exposes today (views, fields, messages) all have a Spanish msgstr."""
        translated = {entry.msgid for entry in self._catalog("es.po").translated_entries()}
        reader = TranslationModuleReader(self.env.cr, modules=["customer_management"])
        # Demo records (xmlids ending in _demo; Odoo names the template of a demo product after it) are data in
        # the demo's language, not strings of the module: like Odoo's own catalogs, ours are exported from a
        # database without demo data (`make pot`).
        sources = {
            source
            for _module, _type, _name, res_id, source, _value, _comments in reader
            if not str(res_id).endswith(DEMO_XMLID_SUFFIXES)
        }
        missing = sorted(sources - translated)
        self.assertFalse(missing, f"Untranslated in es.po (run `make pot`, then translate): {missing[:20]}")

    def test_catalog_is_clean(self):
        """es.po has no fuzzy or obsolete entries and keeps every placeholder of its msgids."""
        catalog = self._catalog("es.po")
        self.assertFalse(catalog.fuzzy_entries())
        self.assertFalse(catalog.obsolete_entries())
        for entry in catalog.translated_entries():
            for placeholder in ("%(", "%s", "%d"):
                self.assertEqual(entry.msgid.count(placeholder), entry.msgstr.count(placeholder), entry.msgid)


@tagged("post_install", "-at_install")
class TestSpanishWording(TransactionCase):
    """Spanish reads right where core's generic wording or a name ending in a period would not."""

    def test_conditions_creation_message_agrees_in_spanish(self):
        """A new version logs "Condiciones comerciales del cliente creadas", not core's masculine "%s creado"."""
        customer = self.env["res.partner"].create({"name": "Cliente Concordancia S.A. de C.V.", "is_company": True})
        version = (
            self.env["customer.commercial.condition"]
            .with_context(lang="es_MX")
            .create({"partner_id": customer.id, "credit_limit": 1000.0, "reason": "Alta"})
        )
        self.assertIn("Condiciones comerciales del cliente creadas", version.message_ids[-1:].body)

    def test_contact_notice_does_not_end_on_the_entity_name(self):
        """The contact's notice names its entity first: "S.A. de C.V." is not followed by another period."""
        arch = self.env.ref("customer_management.res_partner_view_form").arch_db
        self.assertNotIn('readonly="1"/>.', arch)
