"""The customer map: its data call (markers, regions, measures, access) and the map in the browser."""

import json

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.misc import file_path

from ..models.res_partner_map import map_states
from .common import SALESPERSON_GROUPS, CustomerCreditCase, RpcCase

# Core's Spanish-speaking countries, whose every state must find its shape.
SPANISH_SPEAKING = ("es", "mx", "ar", "co", "cl", "pe", "ve", "ec", "gt", "cu", "bo", "do", "hn", "py", "sv", "ni",
                    "cr", "pa", "uy", "pr", "gq")  # fmt: skip


@tagged("post_install", "-at_install")
class TestCustomerMapData(CustomerCreditCase):
    """res.partner.get_customer_map_data, the contract of the map and of integrators."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({"state_id": cls.nuevo_leon.id, "customer_zone_id": cls.zone_north.id})
        cls.located = cls._create_customer(
            "Abarrotes Tapatíos",
            state_id=cls.jalisco.id,
            customer_zone_id=cls.zone_west.id,
            partner_latitude=20.67,
            partner_longitude=-103.35,
        )
        cls.customers = cls.customer | cls.located
        cls.domain = [("id", "in", cls.customers.ids)]

    def _map(self, domain=None, measure="sales", user=None):
        partners = self.env["res.partner"].with_user(user) if user else self.env["res.partner"]
        return partners.get_customer_map_data(self.domain if domain is None else domain, measure)

    def _sell(self, customer, amount):
        """A confirmed order of ``amount`` for ``customer``, in its 12-month sales."""
        self._create_order(customer, amount).action_confirm()
        self.env["res.partner"]._refresh_customer_behaviour(customer)

    def _regions(self, data, level):
        return {region["key"]: region for region in data[level]}

    def test_customer_without_coordinates_stands_at_its_state_centre(self):
        """A customer without coordinates is placed at its state's centre, one with coordinates where it is."""
        markers = {marker["id"]: marker for marker in self._map()["markers"]}
        _key, lat, lng = map_states()["states"]["MX"]["NLE"]
        self.assertEqual(
            markers[self.customer.id],
            {"id": self.customer.id, "name": self.customer.name, "lat": lat, "lng": lng, "value": 0.0,
             "located": False},
        )  # fmt: skip
        self.assertEqual((markers[self.located.id]["lat"], markers[self.located.id]["located"]), (20.67, True))

    def test_regions_sum_sales_overdue_and_customers(self):
        """Each state and country gets its customers' count, 12-month sales and overdue."""
        self._sell(self.customer, 1500.0)
        self._sell(self.located, 500.0)
        self._create_invoice(amount=1000.0, days_due=-10)
        data = self._map()
        states = self._regions(data, "states")
        self.assertEqual(states["MX-NLE"], {"key": "MX-NLE", "customers": 1, "sales": 1500.0, "overdue": 1150.0})
        self.assertEqual(states["MX-JAL"]["overdue"], 0.0)
        self.assertEqual(
            self._regions(data, "countries")["MX"],
            {"key": "MX", "customers": 2, "sales": 2000.0, "overdue": 1150.0},
        )

    def test_markers_carry_the_chosen_measure(self):
        """The markers' value is the figure of the measure asked for."""
        self._sell(self.located, 700.0)
        self._create_invoice(amount=1000.0, days_due=-10)
        values = {
            measure: {marker["id"]: marker["value"] for marker in self._map(measure=measure)["markers"]}
            for measure in ("sales", "overdue", "otif")
        }
        self.assertEqual(values["sales"], {self.customer.id: 0.0, self.located.id: 700.0})
        self.assertEqual(values["overdue"], {self.customer.id: 1150.0, self.located.id: 0.0})
        self.assertEqual(set(values["otif"]), set(self.customers.ids))

    def test_domain_filters_markers_and_regions(self):
        """The search domain (here a zone) filters the markers and the regions alike."""
        data = self._map([("customer_zone_id", "child_of", self.zone_north.id)])
        self.assertEqual([marker["id"] for marker in data["markers"]], self.customer.ids)
        self.assertEqual(list(self._regions(data, "states")), ["MX-NLE"])

    def test_only_customers_are_shown(self):
        """Contacts of a customer and partners that are no customers stay off the map."""
        contact = self.env["res.partner"].create({"name": "Contacto", "parent_id": self.customer.id})
        supplier = self.env["res.partner"].create({"name": "Proveedor", "is_company": True})
        data = self._map([("id", "in", (self.customers | contact | supplier).ids)])
        self.assertEqual({marker["id"] for marker in data["markers"]}, set(self.customers.ids))

    def test_unknown_measure_is_refused(self):
        """A measure the map does not know is refused with a message for the user."""
        with self.assertRaisesRegex(UserError, "no measure margin"):
            self._map(measure="margin")

    def test_measure_the_caller_may_not_read_is_refused(self):
        """A salesperson, who may not read the receivables, gets neither the overdue measure nor its figures."""
        seller = new_test_user(self.env, login="cm_map_seller", groups=SALESPERSON_GROUPS)
        with self.assertRaisesRegex(UserError, "no measure overdue"):
            self._map(measure="overdue", user=seller)
        data = self._map(user=seller)
        self.assertNotIn("overdue", [measure["key"] for measure in data["measures"]])
        self.assertNotIn("overdue", self._regions(data, "countries")["MX"])

    def test_record_rules_apply(self):
        """A customer of a company the caller does not work in is not on the caller's map."""
        other = self._create_company("Otra Empresa")
        hidden = self._create_customer("Cliente de Otra Empresa", company_id=other.id, state_id=self.jalisco.id)
        data = self._map([("id", "in", (self.customers | hidden).ids)], user=self.seller_north)
        self.assertEqual({marker["id"] for marker in data["markers"]}, set(self.customers.ids))
        self.assertEqual(self._regions(data, "states")["MX-JAL"]["customers"], 1)

    def test_queries_do_not_grow_with_the_customers(self):
        """The data call costs as many queries for many customers as for two."""

        def count_queries(domain):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._map(domain, measure="overdue")
            return self.env.cr.sql_log_count - before

        self._map(measure="overdue")  # the caches of the registry (settings, access rules) filled
        few = count_queries(self.domain)
        # More than the ORM prefetches at once (1000), which would read per thousand what is not fetched at once.
        states = self.jalisco | self.yucatan
        more = self.customers | self.env["res.partner"].create(
            [
                {"name": f"Cliente {index}", "is_company": True, "customer_rank": 1, "country_id": self.mx.id,
                 "state_id": states[index % 2].id}
                for index in range(1050)
            ]
        )  # fmt: skip
        self.assertEqual(count_queries([("id", "in", more.ids)]), few)

    def test_bad_domain_is_refused(self):
        """A filter that is not a domain is refused with a message for the user."""
        with self.assertRaisesRegex(UserError, "must be a domain"):
            self._map("customer_zone_id = 1")

    def test_tile_url_comes_from_the_settings(self):
        """No tile server unless one is configured."""
        self.assertEqual(self._map()["tile_url"], "")
        url = "https://tiles.example.com/{z}/{x}/{y}.png"
        self.env["ir.config_parameter"].set_param("customer_management.map_tile_url", url)
        self.assertEqual(self._map()["tile_url"], url)


@tagged("post_install", "-at_install")
class TestCustomerMapRpc(RpcCase):
    """The map's data call as an integrator's client makes it."""

    def test_map_data_over_xml_and_json_rpc(self):
        """The data call answers over XML-RPC and JSON-RPC, and an unknown measure comes back as a user error."""
        self.env.company.customer_vat_policy = "none"
        user = self._create_rpc_user("cm_map_rpc", SALESPERSON_GROUPS)
        customer = self.env["res.partner"].create(
            {"name": "Cliente RPC", "is_company": True, "customer_rank": 1, "country_id": self.env.ref("base.mx").id,
             "state_id": self.env.ref("base.state_mx_jal").id}
        )  # fmt: skip
        domain = [["id", "=", customer.id]]
        data = self._xml_rpc(user, "res.partner", "get_customer_map_data", domain, "otif")
        self.assertEqual([marker["id"] for marker in data["markers"]], customer.ids)
        self.assertEqual([state["key"] for state in data["states"]], ["MX-JAL"])
        error = self._json_rpc(user, "res.partner", "get_customer_map_data", domain, "margin")["error"]
        self.assertEqual(error["data"]["name"], "odoo.exceptions.UserError")


@tagged("post_install", "-at_install")
class TestCustomerMapShapes(CustomerCreditCase):
    """The shapes of the map and the matching of core's states to them."""

    def test_every_spanish_speaking_state_has_a_shape(self):
        """Every state core has for a Spanish-speaking country finds its shape in the map's states."""
        with open(file_path("customer_management/static/map/shapes/states.json"), encoding="utf-8") as file:
            keys = {feature["properties"]["key"] for feature in json.load(file)["features"]}
        table = map_states()["states"]
        countries = [code.upper() for code in SPANISH_SPEAKING]
        states = self.env["res.country.state"].search([("country_id.code", "in", countries)])
        self.assertGreater(len(states), 250)
        missing = [
            f"{state.country_id.code}-{state.code} {state.name}"
            for state in states
            if table.get(state.country_id.code, {}).get(state.code, [None])[0] not in keys
        ]
        self.assertEqual(missing, [])


@tagged("post_install", "-at_install")
class TestCustomerMapTour(HttpCase):
    """The credit manager of the demo, in Spanish, looks at the customer map."""

    def test_map_switches_measure_and_filters_zone_in_browser(self):
        """The map draws, switches to OTIF, keeps one zone and shows the countries, without a console error."""
        self.start_tour("/odoo/customer-map", "customer_management_map_tour", login="patricia.morales")
