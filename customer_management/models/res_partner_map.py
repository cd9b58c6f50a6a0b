"""The customer map on the partner: the customers' markers and the choropleth of their states and countries."""

import json
from functools import lru_cache

from odoo import api, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools.misc import file_path

# Core's states matched to the map's shapes by scripts/build_map_shapes.sh: per country code and state code, the
# shape's key and its centre; per country code, the mean of its states' centres.
MAP_STATES_FILE = "customer_management/data/customer_map_states.json"
# The measures the choropleth sums per region: its key in the answer and the partner's field.
MAP_REGION_FIGURES = {"sales": "sales_amount_12m", "overdue": "overdue_amount"}


@lru_cache(maxsize=1)
def map_states():
    """The state table of the map, read once per process."""
    with open(file_path(MAP_STATES_FILE), encoding="utf-8") as file:
        return json.load(file)


# One class per concern of the partner, as core's mail splits it (see the README's architecture).
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _get_customer_map_measures(self):
        """The measures the map colours its markers by: ``{key: (field name, label)}``, in the switcher's order.

        A concern adds its own by overriding this hook with ``super()``."""
        return {
            "sales": ("sales_amount_12m", self.env._("Sales 12 Months")),
            "overdue": ("overdue_amount", self.env._("Overdue")),
            "otif": ("otif_rate", self.env._("OTIF (%)")),
        }

    @api.model
    def _get_customer_map_domain(self):
        """The customers the map shows: the commercial entities the customers' list shows."""
        return [
            "|",
            ("is_company", "=", True),
            ("parent_id", "=", False),
            "|",
            ("customer_rank", ">", 0),
            ("customer_segment", "!=", False),
        ]

    @api.model
    def get_customer_map_data(self, domain=None, measure="sales"):
        """The customer map of the customers of ``domain`` coloured by ``measure`` (a key of
        :meth:`_get_customer_map_measures`), JSON-serialisable, for the caller's records and fields only:

        - ``measure`` and ``measures`` (``[{key, label}]``, the measures the caller may read);
        - ``markers``: ``[{id, name, lat, lng, value, located}]``, ``located`` false where the customer has no
          coordinates and stands at its state's centre (else its country's); customers with neither are left out and
          counted in ``unplaced``;
        - ``states`` and ``countries``: ``[{key, customers, sales, overdue}]`` keyed by the shapes' ``key`` (ISO
          3166-2) and ``country`` (ISO 3166-1 alpha-2), a figure the caller may not read absent;
        - ``tile_url``: the tile server of ``customer_management.map_tile_url``, empty for the shapes alone.

        A constant number of queries whatever the number of customers."""
        available = {
            key: (fname, label)
            for key, (fname, label) in self._get_customer_map_measures().items()
            if fname in self._fields and self._fields[fname].is_accessible(self.env)
        }
        if not isinstance(measure, str) or measure not in available:
            raise UserError(self.env._("The customer map has no measure %(measure)s.", measure=measure))
        if not isinstance(domain, list | tuple | type(None)):
            raise UserError(self.env._("The customer map's filter must be a domain."))
        domain = expression.AND([list(domain or []), self._get_customer_map_domain()])
        measure_field = available[measure][0]
        figures = {
            key: fname
            for key, fname in MAP_REGION_FIGURES.items()
            if fname in self._fields and self._fields[fname].is_accessible(self.env)
        }
        partners = self.search_fetch(
            domain,
            ["name", "partner_latitude", "partner_longitude", "state_id", "country_id", "commercial_partner_id",
             measure_field],
        )  # fmt: skip
        # All at once, not one query per thousand customers the ORM prefetches: the states' and countries' codes, the
        # engine's figures (the overdue).
        partners.state_id.fetch(["code", "country_id"])
        partners.country_id.fetch(["code"])
        partners._prefetch_engine_fields([measure_field, *figures.values()])
        table = map_states()
        states, countries = {}, {}
        markers, unplaced = [], 0
        for partner in partners:
            country_code = partner.country_id.code or ""
            shape = table["states"].get(country_code, {}).get(partner.state_id.code or "")
            centre = shape[1:] if shape else table["countries"].get(country_code)
            located = bool(partner.partner_latitude or partner.partner_longitude)
            if located:
                centre = [partner.partner_latitude, partner.partner_longitude]
            if not centre:
                unplaced += 1
                continue
            markers.append(
                {
                    "id": partner.id,
                    "name": partner.name,
                    "lat": centre[0],
                    "lng": centre[1],
                    "value": partner[measure_field] or 0.0,
                    "located": located,
                }
            )
        self._add_customer_map_regions(domain, figures, partners, states, countries)
        return {
            "measure": measure,
            "measures": [{"key": key, "label": label} for key, (_fname, label) in available.items()],
            "markers": markers,
            "unplaced": unplaced,
            "states": list(states.values()),
            "countries": list(countries.values()),
            "tile_url": self.env["ir.config_parameter"].sudo().get_param("customer_management.map_tile_url") or "",
        }

    @api.model
    def _add_customer_map_regions(self, domain, figures, partners, states, countries):
        """Fill ``states`` and ``countries`` (by the shapes' keys) with the customers of ``domain``: one grouped query
        per level for the stored figures, the engine's figures (the overdue, computed) summed from ``partners``."""
        table = map_states()
        stored = {key: fname for key, fname in figures.items() if self._fields[fname].store}
        aggregates = ["__count", *(f"{fname}:sum" for fname in stored.values())]
        for groupby, regions in (("state_id", states), ("country_id", countries)):
            for region, count, *sums in self._read_group(domain, [groupby], aggregates):
                key = self._get_customer_map_region_key(region, table)
                if not key:
                    continue
                values = regions.setdefault(key, {"key": key, "customers": 0, **dict.fromkeys(figures, 0.0)})
                values["customers"] += count
                for figure, amount in zip(stored, sums, strict=True):
                    values[figure] += amount or 0.0
        computed = [key for key, fname in figures.items() if not self._fields[fname].store]
        if not computed:
            return
        for partner in partners:
            state_key = self._get_customer_map_region_key(partner.state_id, table)
            for key, regions in ((state_key, states), (partner.country_id.code, countries)):
                if key in regions:
                    for figure in computed:
                        regions[key][figure] += partner[figures[figure]] or 0.0

    @api.model
    def _get_customer_map_region_key(self, region, table):
        """The shape's key of a state or a country record, or None for a state without a shape."""
        if not region:
            return None
        if region._name == "res.country":
            return region.code
        shape = table["states"].get(region.country_id.code, {}).get(region.code)
        return shape and shape[0]
