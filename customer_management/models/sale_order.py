from odoo import api, fields, models


class SaleOrder(models.Model):
    """New orders take the customer's team and delivery conditions."""

    _inherit = "sale.order"

    incoterm = fields.Many2one(compute="_compute_incoterm", store=True, readonly=False, precompute=True)
    picking_policy = fields.Selection(compute="_compute_picking_policy", store=True, readonly=False, precompute=True)

    @api.depends("partner_id")
    def _compute_incoterm(self):
        default = self.default_get(["incoterm"]).get("incoterm")
        for order in self:
            order.incoterm = order.partner_id.commercial_partner_id.customer_incoterm_id or default

    @api.depends("partner_id")
    def _compute_picking_policy(self):
        default = self.default_get(["picking_policy"]).get("picking_policy") or "direct"
        for order in self:
            order.picking_policy = order.partner_id.commercial_partner_id.customer_picking_policy or default

    @api.depends("partner_id")
    def _compute_partner_shipping_id(self):  # pylint: disable=missing-return
        super()._compute_partner_shipping_id()
        for order in self.filtered(lambda order: order.partner_id.type != "delivery"):
            address = order.partner_id.commercial_partner_id.customer_delivery_address_id
            if address:
                order.partner_shipping_id = address

    @api.depends("partner_id", "user_id")
    def _compute_team_id(self):
        super()._compute_team_id()
        if self.env.context.get("default_team_id"):
            return
        for order in self:
            team = order.partner_id.team_id or order.partner_id.commercial_partner_id.team_id
            if team and (not team.company_id or team.company_id == order.company_id):
                order.team_id = team

    @api.model_create_multi
    def create(self, vals_list):
        # Core's defaults (sale_stock's shipping policy, its settings' ir.default) are set before precomputed
        # fields are computed, so orders created from code would never see the customer's conditions.
        for vals in vals_list:
            customer = self.env["res.partner"].browse(vals.get("partner_id")).commercial_partner_id
            if customer.customer_incoterm_id and "incoterm" not in vals:
                vals["incoterm"] = customer.customer_incoterm_id.id
            if customer.customer_picking_policy and "picking_policy" not in vals:
                vals["picking_policy"] = customer.customer_picking_policy
        return super().create(vals_list)
