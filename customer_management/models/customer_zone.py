"""Sales zones: territories by countries, states and zip ranges, in a hierarchy, each with who is responsible."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


def _normalize_zip(zip_code, width):
    """Left-pad numeric zip codes so that string order is numeric order ("01000" < "10000")."""
    zip_code = (zip_code or "").strip().upper()
    return zip_code.zfill(width) if zip_code.isdigit() else zip_code


class CustomerZone(models.Model):
    """A sales territory: the countries, states and zip ranges it covers and who is responsible."""

    _name = "customer.zone"
    _description = "Customer Zone"
    _inherit = ["mail.thread", "customer.input.checked.mixin"]
    _parent_name = "parent_id"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "sequence, complete_name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(tracking=True)
    complete_name = fields.Char(compute="_compute_complete_name", recursive=True, store=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    parent_id = fields.Many2one(
        "customer.zone",
        string="Parent Zone",
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("customer.zone", "parent_id", string="Sub-zones")
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Leave empty to share the zone between companies.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible Salesperson",
        tracking=True,
        domain="[('share', '=', False)]",
        help="Proposed as the salesperson of the zone's customers that have none.",
    )
    country_ids = fields.Many2many("res.country", string="Countries")
    state_ids = fields.Many2many(
        "res.country.state",
        string="States",
        domain="[('country_id', 'in', country_ids)] if country_ids else []",
    )
    zip_from = fields.Char()
    zip_to = fields.Char()
    partner_ids = fields.One2many("res.partner", "customer_zone_id", string="Customers")
    partner_count = fields.Integer(string="Customers Count", compute="_compute_partner_count")
    note = fields.Html()

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A zone code must be unique per company.",
        ),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for zone in self:
            if zone.parent_id:
                zone.complete_name = f"{zone.parent_id.complete_name} / {zone.name}"
            else:
                zone.complete_name = zone.name

    def _compute_partner_count(self):
        zones = self.search([("id", "child_of", self.ids)])
        counts = self.env["res.partner"]._customer_count_by("customer_zone_id", zones)
        for zone in self:
            # A zone counts the customers of its sub-zones, as its Customers button lists them.
            zone.partner_count = zone.parent_path and sum(
                count for sub_zone, count in counts.items() if sub_zone.parent_path.startswith(zone.parent_path)
            )

    def action_view_customers(self):
        self._ensure_one_for_action()
        return self.env["res.partner"]._get_customer_action(
            [("customer_zone_id", "child_of", self.id)], {"default_customer_zone_id": self.id}
        )

    @api.constrains("zip_from", "zip_to")
    def _check_zip_range(self):
        for zone in self:
            if bool(zone.zip_from) != bool(zone.zip_to):
                raise ValidationError(
                    self.env._("Zone %(zone)s: give both ends of the zip range, or neither.", zone=zone.display_name)
                )
            width = max(len(zone.zip_from or ""), len(zone.zip_to or ""))
            if zone.zip_from and _normalize_zip(zone.zip_from, width) > _normalize_zip(zone.zip_to, width):
                raise ValidationError(
                    self.env._(
                        "Zone %(zone)s: the zip range starts at %(zip_from)s, after its end %(zip_to)s.",
                        zone=zone.display_name,
                        zip_from=zone.zip_from,
                        zip_to=zone.zip_to,
                    )
                )

    @api.constrains("country_ids", "state_ids")
    def _check_states_in_countries(self):
        for zone in self:
            stray = zone.state_ids - zone.country_ids.state_ids
            if zone.country_ids and stray:
                raise ValidationError(
                    self.env._(
                        "Zone %(zone)s: the states %(states)s are not in the zone's countries.",
                        zone=zone.display_name,
                        states=", ".join(stray.mapped("name")),
                    )
                )

    @api.onchange("country_ids")
    def _onchange_country_ids(self):
        if self.country_ids:
            self.state_ids = self.state_ids.filtered(lambda state: state.country_id in self.country_ids)

    def _covers(self, country, state, zip_code):
        """Whether this zone's address criteria match; a zone without criteria covers nothing."""
        self.ensure_one()
        if not (self.country_ids or self.state_ids or self.zip_from):
            return False
        if self.country_ids and country not in self.country_ids:
            return False
        if self.state_ids and state not in self.state_ids:
            return False
        if self.zip_from:
            width = max(len(self.zip_from), len(self.zip_to), len(zip_code or ""))
            normalized = _normalize_zip(zip_code, width)
            if not normalized or not (
                _normalize_zip(self.zip_from, width) <= normalized <= _normalize_zip(self.zip_to, width)
            ):
                return False
        return True

    def _specificity(self):
        """A zip range is more specific than a state list, which is more specific than countries."""
        self.ensure_one()
        return (bool(self.zip_from), bool(self.state_ids), bool(self.country_ids), -self.sequence)

    def _match_address(self, country, state, zip_code):
        """Return the most specific zone of ``self`` covering the address, or an empty recordset."""
        matching = self.filtered(lambda zone: zone._covers(country, state, zip_code))
        return max(matching, key=lambda zone: zone._specificity()) if matching else self.browse()
