"""The customer's commercial conditions on the partner: its terms, their dated versions, pricelist and promotions."""

from collections import defaultdict

from odoo import api, fields, models

from .customer_commercial_condition import APPROVED_STATES, CONDITION_APPLY, PARTNER_TERM_FIELDS

# The partner's current terms: those of its active version, in the current company.
CONDITION_FIELDS = set(PARTNER_TERM_FIELDS)


# One class per concern of the partner, as core's mail splits it (see the README's architecture).
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    customer_discount_percent = fields.Float(
        string="Customer Discount (%)",
        company_dependent=True,
        digits="Discount",
        help="Proposed as the discount of the customer's order lines when its pricelist gives less.",
    )
    commercial_condition_ids = fields.One2many(
        "customer.commercial.condition", "partner_id", string="Commercial Conditions"
    )
    commercial_condition_count = fields.Integer(compute="_compute_customer_360_counts")
    customer_pricelist_item_ids = fields.Many2many(
        "product.pricelist.item",
        string="Pricelist Rules",
        compute="_compute_customer_pricelist_item_ids",
        help="The rules of the customer's pricelist, with their minimum quantities (volume discounts).",
    )
    customer_loyalty_program_ids = fields.Many2many(
        "loyalty.program",
        string="Promotions",
        compute="_compute_customer_loyalty_program_ids",
        help="The promotion and loyalty programs running today that the customer's orders can use.",
    )

    @api.depends("property_product_pricelist")
    @api.depends_context("company")
    def _compute_customer_pricelist_item_ids(self):
        for partner in self:
            partner.customer_pricelist_item_ids = partner.property_product_pricelist.item_ids

    @api.depends("property_product_pricelist")
    @api.depends_context("company")
    def _compute_customer_loyalty_program_ids(self):
        # Not stored: the programs change with the date; the form computes them for the one customer shown.
        today = fields.Date.context_today(self)
        programs = self.env["loyalty.program"].search_fetch(
            [
                ("company_id", "in", (False, self.env.company.id)),
                ("program_type", "not in", ("gift_card", "ewallet")),
                "|",
                ("date_from", "=", False),
                ("date_from", "<=", today),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", today),
            ],
            ["trigger", "pricelist_ids"],
        )
        # The programs the customer holds a card of (loyalty points, coupons) apply whatever their trigger.
        held = dict(
            self.env["loyalty.card"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids), ("program_id", "in", programs.ids)],
                ["partner_id"],
                ["program_id:recordset"],
            )
        )
        for partner in self:
            pricelist = partner.property_product_pricelist
            automatic = programs.filtered(
                lambda program, pricelist=pricelist: (
                    program.trigger == "auto" and (not program.pricelist_ids or pricelist in program.pricelist_ids)
                )
            )
            partner.customer_loyalty_program_ids = automatic | held.get(
                partner.commercial_partner_id, self.env["loyalty.program"]
            )

    @api.model
    def _customer_create(self, vals_list):
        partners = super()._customer_create(vals_list)
        if self._is_condition_apply():
            return partners
        entities = partners.filtered(lambda partner: partner._is_customer_entity())
        given = {}
        classified = self.browse()
        for partner, vals in zip(partners, vals_list, strict=True):
            if partner not in entities:
                continue
            # The payment mode classifies the customer: given alone, the version is the segment's defaults.
            conditions = (CONDITION_FIELDS - {"payment_mode"}) & vals.keys()
            if any(vals[fname] for fname in conditions):
                given[partner] = conditions
            if vals.get("customer_segment") or vals.get("payment_mode"):
                classified |= partner
        changed = self.browse([partner.id for partner in given])
        entities._update_commercial_conditions(changed, classified, given)
        return partners

    def _customer_write(self, vals):
        if self._is_condition_apply():
            return super()._customer_write(vals)
        entities = self.filtered(lambda partner: partner._is_customer_entity())
        conditions = (CONDITION_FIELDS - {"payment_mode"}) & vals.keys()
        changed = entities if conditions else self.browse()
        classified = entities.filtered(
            lambda partner: any(
                fname in vals and partner[fname] != vals[fname] for fname in ("customer_segment", "payment_mode")
            )
        )
        result = super()._customer_write(vals)
        entities._update_commercial_conditions(changed, classified, dict.fromkeys(changed, conditions))
        return result

    @api.model
    def _get_customer_360_counters(self):
        return {
            **super()._get_customer_360_counters(),
            "commercial_condition_count": (
                "customer.commercial.condition",
                [("company_id", "=", self.env.company.id)],
                "customer_management.customer_commercial_condition_action",
            ),
        }

    @api.model
    def _get_customer_summary_sections(self):
        return {
            **super()._get_customer_summary_sections(),
            "conditions": (
                "customer_credit_limit",
                "property_payment_term_id",
                "property_product_pricelist",
                "customer_discount_percent",
                "credit_grace_days",
            ),
        }

    def action_open_commercial_conditions(self):
        """The history of the customer's commercial conditions in the current company."""
        self._ensure_one_for_action()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_management.customer_commercial_condition_action"
        )
        customer = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", customer.id), ("company_id", "=", self.env.company.id)]
        action["context"] = {"default_partner_id": customer.id, "search_default_partner_id": customer.id}
        return action

    def action_open_loyalty_programs(self):
        """The promotions the customer's orders can use today."""
        self._ensure_one_for_action()
        action = self.env["ir.actions.act_window"]._for_xml_id("loyalty.loyalty_program_discount_loyalty_action")
        action["domain"] = [("id", "in", self.customer_loyalty_program_ids.ids)]
        action["context"] = {}
        return action

    def _update_commercial_conditions(self, changed, classified, given):
        """Apply the defaults of the newly ``classified`` partners and record the new versions.

        ``changed`` partners had their terms set by the user in the current company (``given`` names the
        fields per partner): the defaults never override them, and their version says so.
        """
        origins = {}
        # One write per company and set of defaults, whatever the number of partners.
        batches = defaultdict(lambda: self.browse())
        for partner in classified:
            # The terms are per company: a change made in one company writes that company's terms only (a customer
            # of one company, its own), never those another company agreed with a customer they share.
            company = partner.company_id or self.env.company
            defaults = {
                fname: value
                for fname, value in partner._get_classification_defaults(company).items()
                if fname not in given.get(partner, ())
            }
            if defaults:
                batches[company, tuple(sorted(defaults.items()))] |= partner
            origins[partner, company] = "segment_defaults"
        for (company, defaults), partners in batches.items():
            # sudo: the defaults follow from the classification the user may set.
            partners.sudo().with_company(company).with_context(**{CONDITION_APPLY: True}).write(dict(defaults))
        for partner in changed:
            origins[partner, self.env.company] = "customer_edit"
        self.env["customer.commercial.condition"]._record_partner_conditions(origins)

    def _is_condition_apply(self):
        """Whether this is the module's own write of approved terms (superuser code with :data:`CONDITION_APPLY`)."""
        return self.env.su and bool(self.env.context.get(CONDITION_APPLY))

    def _prepare_commercial_condition_vals(self, company):
        """The partner's current terms in ``company``, as values of a version."""
        self.ensure_one()
        # sudo: the credit limit is read to be recorded, whoever changed another term.
        partner = self.sudo().with_company(company)
        return {
            fname: partner._fields[partner_fname].convert_to_write(partner[partner_fname], partner)
            for partner_fname, fname in PARTNER_TERM_FIELDS.items()
        }

    def _record_installation_conditions(self):
        """Record the current terms of the customers among ``self`` that have no version yet, in each company.

        A customer of a company has its terms there; one shared between companies has them in every company.
        """
        entities = self.filtered(lambda partner: partner._is_customer_entity())
        if not entities:
            return
        versions = self.env["customer.commercial.condition"].sudo()
        recorded = set(versions._read_group([("partner_id", "in", entities.ids)], ["partner_id", "company_id"]))
        origins = {
            (partner, company): "installation"
            for company in self.env["res.company"].sudo().search([])
            for partner in entities
            if partner.company_id in (company, self.env["res.company"]) and (partner, company) not in recorded
        }
        # Tracking off: a version per customer and company, with nothing to compare to.
        versions.with_context(tracking_disable=True)._record_partner_conditions(origins)

    def _get_commercial_conditions(self, date=None, company=None):
        """The terms in force on ``date`` (today by default) in ``company`` (the current one), per partner id.

        Contacts and addresses answer with their commercial entity's terms; a partner without a version covering
        the date answers False.
        """
        date = fields.Date.to_date(date) if date else fields.Date.context_today(self)
        company = company or self.env.company
        # sudo: the terms are the customer's, read by whoever may read the customer.
        versions = (
            self.env["customer.commercial.condition"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", company.id),
                    ("state", "in", APPROVED_STATES),
                    ("date_from", "<=", date),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", date),
                ]
            )
        )
        in_force = {}
        for version in versions:
            in_force.setdefault(version.partner_id, version)
        return {
            partner.id: in_force[partner.commercial_partner_id]._get_terms()
            if partner.commercial_partner_id in in_force
            else False
            for partner in self
        }
