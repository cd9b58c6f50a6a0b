"""Sales channels: how a customer buys (distributor, shop, e-commerce, HORECA, government)."""

from odoo import fields, models


class CustomerChannel(models.Model):
    """The channel through which a customer buys: distributor, shop, e-commerce, HORECA, government."""

    _name = "customer.channel"
    _inherit = ["customer.input.checked.mixin"]
    _description = "Customer Channel"
    _order = "sequence, name, id"

    name = fields.Char(required=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the channel between companies.",
    )
    description = fields.Text()
    partner_ids = fields.One2many("res.partner", "customer_channel_id", string="Customers")
    partner_count = fields.Integer(string="Customers Count", compute="_compute_partner_count")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A channel code must be unique per company.",
        ),
    ]

    def _compute_partner_count(self):
        counts = self.env["res.partner"]._customer_count_by("customer_channel_id", self)
        for channel in self:
            channel.partner_count = counts.get(channel, 0)

    def action_view_customers(self):
        self._ensure_one_for_action()
        return self.env["res.partner"]._get_customer_action(
            [("customer_channel_id", "=", self.id)], {"default_customer_channel_id": self.id}
        )
