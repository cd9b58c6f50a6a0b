from odoo import api, fields, models


class SaleOrder(models.Model):
    """New orders take the customer's team and delivery conditions."""

    _inherit = "sale.order"

    incoterm = fields.Many2one(compute="_compute_incoterm", store=True, readonly=False, precompute=True)
    picking_policy = fields.Selection(compute="_compute_picking_policy", store=True, readonly=False, precompute=True)

    @api.depends("partner_id")
    def _compute_incoterm(self):
        for order in self:
            order.incoterm = order.partner_id.commercial_partner_id.customer_incoterm_id or order.incoterm

    @api.depends("partner_id")
    def _compute_picking_policy(self):
        for order in self:
            order.picking_policy = (
                order.partner_id.commercial_partner_id.customer_picking_policy or order.picking_policy or "direct"
            )

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
            if team and team.company_id in (order.company_id, team.company_id.browse()):
                order.team_id = team
