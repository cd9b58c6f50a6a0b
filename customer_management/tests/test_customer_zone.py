"""The customer zones: the zone and salesperson proposed from the address, the hierarchy, the checks."""

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import CustomerManagementCase


@tagged("post_install", "-at_install")
class TestCustomerZone(CustomerManagementCase):
    def test_zone_proposed_from_state(self):
        """A customer in Nuevo León falls in the zone that lists that state."""
        customer = self._create_customer(state_id=self.nuevo_leon.id, zip="64000")
        self.assertEqual(customer.customer_zone_id, self.zone_north)

    def test_zip_range_beats_state(self):
        """Inside Guadalajara's zip range the zip zone wins over the state zone; outside it, the state zone."""
        inside = self._create_customer(state_id=self.jalisco.id, zip="44600")
        outside = self._create_customer(state_id=self.jalisco.id, zip="48300")
        self.assertEqual(inside.customer_zone_id, self.zone_guadalajara)
        self.assertEqual(outside.customer_zone_id, self.zone_west)

    def test_country_zone_catches_the_rest(self):
        """A state no regional zone covers falls back to the country's zone."""
        customer = self._create_customer(state_id=self.yucatan.id)
        self.assertEqual(customer.customer_zone_id, self.zone_mexico)
        abroad = self._create_customer(country_id=self.co.id)
        self.assertEqual(abroad.customer_zone_id, self.zone_abroad)

    def test_address_change_proposes_new_zone(self):
        """Moving a customer to another state proposes that state's zone."""
        customer = self._create_customer(state_id=self.nuevo_leon.id)
        customer.state_id = self.jalisco
        self.assertEqual(customer.customer_zone_id, self.zone_west)

    def test_manual_zone_is_kept(self):
        """A zone chosen by hand is kept while the address does not change."""
        customer = self._create_customer(state_id=self.nuevo_leon.id, customer_zone_id=self.zone_west.id)
        self.assertEqual(customer.customer_zone_id, self.zone_west)
        customer.phone = "+52 81 1234 5678"
        self.assertEqual(customer.customer_zone_id, self.zone_west)

    def test_uncovered_address_keeps_zone(self):
        """An address no zone covers leaves the zone as it was."""
        zoneless = self.env["res.country"].create({"name": "Nowhere", "code": "XQ"})
        customer = self._create_customer(state_id=self.nuevo_leon.id)
        self.assertEqual(customer.customer_zone_id, self.zone_north)
        # The address moves where no zone covers it: the recompute proposes nothing and keeps the zone.
        customer.write({"country_id": zoneless.id, "state_id": False, "zip": "00000"})
        self.assertFalse(self.env["customer.zone"].search([])._match_address(zoneless, customer.state_id, "00000"))
        self.assertEqual(customer.customer_zone_id, self.zone_north)

    def test_zone_salesperson_proposed_when_none(self):
        """A customer without salesperson gets its zone's responsible salesperson."""
        customer = self._create_customer(state_id=self.nuevo_leon.id)
        self.assertEqual(customer.user_id, self.seller_north)

    def test_zone_salesperson_does_not_replace_existing(self):
        """A customer's own salesperson is never replaced by the zone's."""
        customer = self._create_customer(state_id=self.nuevo_leon.id, user_id=self.seller_west.id)
        self.assertEqual(customer.user_id, self.seller_west)
        customer.state_id = self.jalisco
        customer.state_id = self.nuevo_leon
        self.assertEqual(customer.user_id, self.seller_west)

    def test_form_proposes_zone_and_salesperson(self):
        """In the form, the address proposes the zone and the zone its salesperson, before saving."""
        with Form(self.env["res.partner"].with_context(default_customer_rank=1)) as form:
            form.name = "Comercializadora del Norte"
            form.company_type = "company"
            form.country_id = self.mx
            form.state_id = self.nuevo_leon
            self.assertEqual(form.customer_zone_id, self.zone_north)
            self.assertEqual(form.user_id, self.seller_north)
            form.customer_zone_id = self.zone_west
            self.assertEqual(form.user_id, self.seller_north, "a salesperson once set is kept")
        self.assertEqual(form.record.customer_zone_id, self.zone_west)

    def test_form_zone_chosen_by_hand_proposes_salesperson(self):
        """Choosing a zone by hand in the form proposes its salesperson when there is none."""
        with Form(self.env["res.partner"]) as form:
            form.name = "Cliente sin dirección"
            form.customer_zone_id = self.zone_west
            self.assertEqual(form.user_id, self.seller_west)

    def test_complete_name_shows_hierarchy(self):
        """A sub-zone is named after its parents."""
        self.assertEqual(self.zone_guadalajara.complete_name, "Mexico / West / Guadalajara")

    def test_zone_cannot_be_its_own_ancestor(self):
        """A cycle in the zone tree is refused (by the parent store, with a translated message)."""
        with self.assertRaises(UserError):
            self.zone_mexico.parent_id = self.zone_guadalajara

    def test_zip_range_must_be_ordered(self):
        """A zip range that ends before it starts is refused, and nothing is saved."""
        with self.assertRaises(ValidationError):
            self.zone_guadalajara.write({"zip_from": "45999", "zip_to": "44100"})
        self.assertEqual(self.zone_guadalajara.zip_from, "44100")

    def test_zip_range_needs_both_ends(self):
        """Half a zip range is refused."""
        with self.assertRaises(ValidationError):
            self.env["customer.zone"].create({"name": "Half", "zip_from": "10000"})

    def test_states_must_belong_to_countries(self):
        """A zone's states must be in its countries."""
        with self.assertRaises(ValidationError):
            self.env["customer.zone"].create(
                {
                    "name": "Confused",
                    "country_ids": [Command.set(self.us.ids)],
                    "state_ids": [Command.set(self.jalisco.ids)],
                }
            )

    def test_zone_code_unique_per_company(self):
        """Two zones of one company cannot share a code."""
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["customer.zone"].create({"name": "Again", "code": "T-N"})
            self.env.flush_all()

    def test_partner_count_counts_customers(self):
        """The zone's customer count counts its commercial entities, not their contacts."""
        customer = self._create_customer(state_id=self.nuevo_leon.id)
        self.env["res.partner"].create({"name": "Contacto", "parent_id": customer.id})
        self.assertEqual(self.zone_north.partner_count, 1)
        action = self.zone_north.action_view_customers()
        self.assertEqual(self.env["res.partner"].search(action["domain"]), customer)

    def test_parent_zone_counts_sub_zone_customers(self):
        """A parent zone counts and lists the customers of its sub-zones, and its button creates in it."""
        north = self._create_customer("Norte", state_id=self.nuevo_leon.id)
        guadalajara = self._create_customer("Tapatío", state_id=self.jalisco.id, zip="44600")
        self.assertEqual(self.zone_mexico.partner_count, 2)
        self.assertEqual(self.zone_west.partner_count, 1)
        action = self.zone_mexico.action_view_customers()
        self.assertEqual(self.env["res.partner"].search(action["domain"]), north | guadalajara)
        self.assertEqual(action["context"]["default_customer_zone_id"], self.zone_mexico.id)
        self.assertEqual(action["context"]["default_customer_rank"], 1)

    def test_propose_zone_action_assigns_new_zone(self):
        """After a new zone is created, the action moves the customers it covers into it, manual zones too."""
        manual = self._create_customer("Manual", state_id=self.yucatan.id, customer_zone_id=self.zone_north.id)
        automatic = self._create_customer("Automatic", state_id=self.yucatan.id)
        uncovered = self._create_customer("Uncovered", country_id=False, customer_zone_id=self.zone_west.id)
        self.assertEqual(automatic.customer_zone_id, self.zone_mexico)
        southeast = self.env["customer.zone"].create(
            {
                "name": "Southeast",
                "country_ids": [Command.set(self.mx.ids)],
                "state_ids": [Command.set(self.yucatan.ids)],
            }
        )
        result = (manual | automatic | uncovered).action_propose_customer_zone()
        self.assertEqual((manual | automatic).customer_zone_id, southeast)
        self.assertEqual(uncovered.customer_zone_id, self.zone_west)
        self.assertEqual(result["params"]["type"], "success")
