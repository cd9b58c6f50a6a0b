"""Customer registration and classification on the partner: segment, payment mode, scope, zone, channel."""

import ast

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

SEGMENTS = [("wholesale", "Wholesale"), ("retail", "Retail")]
PAYMENT_MODES = [("credit", "Credit"), ("cash", "Cash")]
SCOPES = [("national", "National"), ("international", "International")]
PICKING_POLICIES = [("direct", "As soon as possible"), ("one", "When all products are ready")]
# The classification section of get_customer_summary (res_partner_customer_360.py).
CLASSIFICATION_SUMMARY_FIELDS = (
    "customer_segment",
    "payment_mode",
    "customer_scope",
    "customer_zone_id",
    "customer_channel_id",
    "user_id",
    "team_id",
    "country_id",
    "vat",
)


class ResPartner(models.Model):
    """Customer registration and classification on the partner.

    The first of the partner's concerns: it owns ``create`` and ``write``, which check the input
    (``customer.input.mixin``) then call :meth:`_customer_create` and :meth:`_customer_write`, the hooks each concern
    extends with ``super()`` (its checks before, its follow-ups after).
    """

    _name = "res.partner"
    _inherit = ["res.partner", "customer.input.mixin"]
    _customer_input_extra_fields = ("credit_limit",)

    customer_segment = fields.Selection(
        SEGMENTS,
        string="Segment",
        tracking=True,
        index=True,
        help="Wholesale customers buy in volume for resale; retail customers buy for their own use.",
    )
    payment_mode = fields.Selection(
        PAYMENT_MODES,
        tracking=True,
        index=True,
        help="Cash customers pay before or on delivery and get the immediate payment term by default.",
    )
    customer_scope = fields.Selection(
        SCOPES,
        string="Scope",
        compute="_compute_customer_scope",
        store=True,
        index=True,
        help="National when the customer's country is its company's country (the current company's for "
        "partners shared between companies); empty while the customer has no country.",
    )
    customer_zone_id = fields.Many2one(
        "customer.zone",
        string="Zone",
        compute="_compute_customer_zone_id",
        recursive=True,
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index=True,
        ondelete="restrict",
        domain="['|', ('company_id', '=', False), ('company_id', '=?', company_id)]",
        help="Proposed from the address (the most specific zone covering its country, state and zip), "
        "and can be changed by hand.",
    )
    customer_channel_id = fields.Many2one(
        "customer.channel",
        string="Channel",
        tracking=True,
        index=True,
        ondelete="restrict",
        domain="['|', ('company_id', '=', False), ('company_id', '=?', company_id)]",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        tracking=True,
        domain="['|', ('company_id', '=', False), ('company_id', '=?', company_id)]",
        help="Proposed as the sales team of the customer's new orders.",
    )
    customer_incoterm_id = fields.Many2one(
        "account.incoterms",
        string="Incoterm",
        help="Proposed as the incoterm of the customer's new orders.",
    )
    customer_picking_policy = fields.Selection(
        PICKING_POLICIES,
        string="Shipping Policy",
        help="Proposed as the shipping policy of the customer's new orders: deliver each product as soon as "
        "it is available, or everything at once.",
    )
    customer_delivery_address_id = fields.Many2one(
        "res.partner",
        string="Default Delivery Address",
        domain="[('commercial_partner_id', '=', commercial_partner_id), ('type', '=', 'delivery')]",
        help="Proposed as the delivery address of the customer's new orders.",
    )

    @api.depends(
        "country_id",
        "company_id",
        "commercial_partner_id.country_id",
        "commercial_partner_id.company_id.partner_id.country_id",
    )
    def _compute_customer_scope(self):
        main_company = self._get_scope_reference_company()
        for partner in self:
            commercial = partner.commercial_partner_id or partner
            country = commercial.country_id
            home = (commercial.company_id or main_company).country_id
            if not country:
                partner.customer_scope = False
            else:
                partner.customer_scope = "national" if country == home else "international"

    @api.depends("country_id", "state_id", "zip", "company_id", "parent_id.customer_zone_id", "is_company")
    def _compute_customer_zone_id(self):
        entities = self.filtered(lambda partner: partner._is_customer_entity())
        for partner in self - entities:
            partner.customer_zone_id = partner.parent_id.customer_zone_id
        proposals = entities._get_address_zones()
        for partner in entities:
            partner.customer_zone_id = proposals.get(partner) or partner.customer_zone_id

    @api.constrains(
        "vat",
        "is_company",
        "parent_id",
        "country_id",
        "customer_rank",
        "customer_segment",
        "customer_zone_id",
        "customer_channel_id",
    )
    def _check_customer_required_fields(self):
        for partner in self:
            if not partner.active or not partner._is_customer_entity():
                continue
            if not (partner.customer_rank or partner.customer_segment):
                continue
            missing = partner._get_customer_missing_fields()
            if missing:
                raise ValidationError(
                    self.env._(
                        "The customer %(customer)s is missing data that your company requires: %(fields)s.",
                        customer=partner.display_name,
                        fields=", ".join(missing),
                    )
                )

    @api.constrains("customer_delivery_address_id")
    def _check_customer_delivery_address_id(self):
        for partner in self:
            address = partner.customer_delivery_address_id
            if address and address.commercial_partner_id != partner.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "The default delivery address %(address)s does not belong to %(customer)s.",
                        address=address.display_name,
                        customer=partner.commercial_partner_id.display_name,
                    )
                )

    @api.constrains("company_id", "customer_zone_id", "customer_channel_id", "team_id")
    def _check_customer_classification_company(self):
        for partner in self.filtered("company_id"):
            for record in (partner.customer_zone_id, partner.customer_channel_id, partner.team_id):
                record_company = record.sudo().company_id
                if record_company and record_company != partner.company_id:
                    raise ValidationError(
                        self.env._(
                            "%(record)s belongs to the company %(company)s, not to the customer's company %(own)s.",
                            record=record.sudo().display_name,
                            company=record_company.name,
                            own=partner.company_id.name,
                        )
                    )

    @api.depends("customer_zone_id")
    def _compute_user_id(self):  # pylint: disable=missing-return
        super()._compute_user_id()
        for partner in self.filtered(lambda partner: not partner.user_id and partner.customer_zone_id.user_id):
            partner.user_id = partner.customer_zone_id.user_id

    @api.onchange("customer_segment", "payment_mode")
    def _onchange_customer_classification(self):
        if self._is_customer_entity():
            self.update(self._get_classification_defaults(self.env.company))

    @api.model
    def _commercial_fields(self):
        return [
            *super()._commercial_fields(),
            "customer_segment",
            "payment_mode",
            "customer_zone_id",
            "customer_channel_id",
            "customer_incoterm_id",
            "customer_picking_policy",
        ]

    # super() is called at the end of the concerns' hooks, by the base _customer_create and _customer_write below.
    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        self._check_customer_input(vals_list)
        return self._customer_create(vals_list)

    def write(self, vals):  # pylint: disable=method-required-super
        self._check_customer_input([vals])
        return self._customer_write(vals)

    @api.model
    def _customer_create(self, vals_list):
        """Create the partners of ``vals_list``, whose values passed the input checks.

        Each concern extends it with ``super()``: it refuses what it must before, and records what follows after.
        """
        return super().create(vals_list)

    def _customer_write(self, vals):
        """Write ``vals``, which passed the input checks, on the partners; extended by each concern as
        :meth:`_customer_create`."""
        return super().write(vals)

    @api.model
    def _get_customer_summary_sections(self):
        """The sections of ``get_customer_summary`` and the partner's fields in each, in the current company.

        Each concern adds its sections with ``super()``; a caller gets the fields it may read.
        """
        return {"classification": CLASSIFICATION_SUMMARY_FIELDS}

    @api.model
    def _get_customer_360_counters(self):
        """``{count field: (model, domain, action xmlid)}`` of the customer's documents that the customer 360
        counts (``_compute_customer_360_counts``, one query for them all) and opens (``action_open_customer_360``).

        Each concern adds its counts with ``super()``. Every domain has a ``partner_id`` that is the customer or one
        of its contacts and addresses; the counts and the actions read the same domains, so a button shows what it
        counts.
        """
        return {}

    def action_propose_customer_zone(self):
        """Put the selected customers in the zone their address falls in, replacing zones chosen by hand."""
        entities = self.filtered(lambda partner: partner._is_customer_entity())
        by_zone = {}
        for partner, zone in entities._get_address_zones().items():
            by_zone[zone] = by_zone.get(zone, self.browse()) | partner
        for zone, partners in by_zone.items():
            partners.filtered(lambda partner, zone=zone: partner.customer_zone_id != zone).customer_zone_id = zone
        covered = sum(len(partners) for partners in by_zone.values())
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if covered else "warning",
                "message": self.env._(
                    "%(covered)s of %(total)s customers are in the zone of their address.",
                    covered=covered,
                    total=len(entities),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _is_customer_entity(self):
        """Whether the partner carries its own classification (a company, or an individual without parent)."""
        self.ensure_one()
        return self.is_company or not self.parent_id

    def _get_customer_missing_fields(self):
        """The labels of the fields the company's policy requires that this customer lacks."""
        self.ensure_one()
        company = self.company_id or self.env.company
        policy = company.customer_vat_policy
        vat_required = (
            policy == "all"
            or (policy == "company" and self.is_company)
            or (policy == "national_company" and self.is_company and self.customer_scope == "national")
        )
        required = {
            "vat": vat_required,
            "customer_segment": company.customer_segment_required,
            "customer_zone_id": company.customer_zone_required,
            "customer_channel_id": company.customer_channel_required,
        }
        return [
            self._fields[fname].get_description(self.env)["string"]
            for fname, is_required in required.items()
            if is_required and not self[fname]
        ]

    def _get_address_zones(self):
        """The most specific zone covering each partner's address; partners no zone covers are left out."""
        if not self:
            return {}
        # sudo: portal sign-ups and public checkouts create partners too, and zones are matched by company below.
        zones = self.env["customer.zone"].sudo().search([])
        proposals = {}
        for partner in self:
            # A partner shared between companies is classified for the company working with it.
            company = partner.company_id or self.env.company
            candidates = zones.filtered(lambda zone, company=company: not zone.company_id or zone.company_id == company)
            zone = candidates._match_address(partner.country_id, partner.state_id, partner.zip)
            if zone:
                proposals[partner] = zone.with_env(self.env)
        return proposals

    def _get_cash_payment_term(self):
        return self.env.ref("account.account_payment_term_immediate", raise_if_not_found=False)

    def _get_classification_defaults(self, company):
        """The terms the segment and payment mode propose in ``company``: its pricelist and payment term.

        Cash customers pay at once, whatever their segment: the immediate payment term.
        """
        self.ensure_one()
        company = company.sudo()
        defaults = {}
        if self.customer_segment:
            pricelist = company[f"customer_{self.customer_segment}_pricelist_id"]
            term = company[f"customer_{self.customer_segment}_payment_term_id"]
            if pricelist:
                defaults["property_product_pricelist"] = pricelist.id
            if term:
                defaults["property_payment_term_id"] = term.id
        cash_term = self._get_cash_payment_term() if self.payment_mode == "cash" else None
        if cash_term:
            defaults["property_payment_term_id"] = cash_term.id
        return defaults

    def _recompute_customer_scope(self, companies):
        """Recompute the scope of the shared partners when the reference company is among ``companies``.

        Partners of a company follow its country through the compute's dependencies; shared partners are
        judged against the reference company, which no dependency can express.
        """
        if self._get_scope_reference_company() in companies:
            shared = self.with_context(active_test=False).search([("commercial_partner_id.company_id", "=", False)])
            self.env.add_to_compute(self._fields["customer_scope"], shared)

    def _get_scope_reference_company(self):
        """The company whose country makes a partner shared between companies national."""
        return self.env.ref("base.main_company", raise_if_not_found=False) or self.env.company

    @api.model
    def _customer_count_by(self, fname, records):
        """Number of customers (commercial entities) per value of ``fname``, for ``records``."""
        groups = self._read_group(
            [(fname, "in", records.ids), "|", ("is_company", "=", True), ("parent_id", "=", False)],
            [fname],
            ["__count"],
        )
        return dict(groups)

    @api.model
    def _get_customer_action(self, domain, context):
        """The Customers action restricted to ``domain``, creating with ``context`` defaults."""
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_management.res_partner_action_customer")
        action["domain"] = expression.AND([ast.literal_eval(action["domain"]), domain])
        action["context"] = {**ast.literal_eval(action["context"]), **context}
        return action
