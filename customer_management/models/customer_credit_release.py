from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerCreditRelease(models.Model):
    """A blocked order released by a credit manager: who, when, why, and the figures at that moment."""

    _name = "customer.credit.release"
    _inherit = ["customer.input.mixin"]
    _description = "Credit Release"
    _order = "date desc, id desc"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order", string="Order", required=True, readonly=True, index=True, ondelete="cascade", check_company=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Released By", required=True, readonly=True, default=lambda self: self.env.user
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    reason = fields.Text(required=True, readonly=True)
    credit_limit = fields.Monetary(readonly=True)
    exposure = fields.Monetary(readonly=True)
    order_amount = fields.Monetary(
        readonly=True, help="The order's total when released: the release covers the order up to this amount."
    )
    overdue_amount = fields.Monetary(readonly=True)
    overdue_days = fields.Integer(readonly=True)
    blocking_reasons = fields.Text(readonly=True, help="Why the order was blocked when released.")

    @api.constrains("reason")
    def _check_reason(self):
        for release in self:
            if not (release.reason or "").strip():
                raise ValidationError(self.env._("A credit release needs a reason."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_customer_input(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_customer_input([vals])
        return super().write(vals)
