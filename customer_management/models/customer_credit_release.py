"""Credit releases: the record of a credit manager letting a blocked order through, with the figures of the moment."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_partner_credit import RECEIVABLE_READERS


class CustomerCreditRelease(models.Model):
    """A blocked order released by a credit manager: who, when, why, and the figures at that moment."""

    _name = "customer.credit.release"
    _inherit = ["customer.input.checked.mixin"]
    _description = "Credit Release"
    _order = "date desc, id desc"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order", string="Order", required=True, readonly=True, index=True, ondelete="cascade", check_company=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        help="The customer the order is invoiced to, whose credit the release is about.",
    )
    order_partner_id = fields.Many2one(
        "res.partner",
        string="Order Customer",
        readonly=True,
        help="The order's own customer when released, when it is not the customer invoiced.",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Released By", required=True, readonly=True, default=lambda self: self.env.user
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    reason = fields.Text(required=True, readonly=True)
    credit_limit = fields.Monetary(readonly=True)
    exposure = fields.Monetary(readonly=True, groups=RECEIVABLE_READERS)
    order_amount = fields.Monetary(
        readonly=True, help="The order's total when released: the release covers the order up to this amount."
    )
    overdue_amount = fields.Monetary(
        readonly=True,
        groups=RECEIVABLE_READERS,
        help="What was overdue when released, less the customer's payments and credit notes not applied.",
    )
    overdue_days = fields.Integer(readonly=True, groups=RECEIVABLE_READERS)
    blocking_reasons = fields.Text(readonly=True, help="Why the order was blocked when released.")

    @api.constrains("order_id", "partner_id", "company_id")
    def _check_order(self):
        for release in self:
            order = release.order_id
            if (
                release.partner_id != order.partner_invoice_id.commercial_partner_id
                or release.company_id != order.company_id
            ):
                raise ValidationError(
                    self.env._(
                        "The release of %(order)s must be for its customer %(customer)s in %(company)s.",
                        order=order.name,
                        customer=order.partner_invoice_id.commercial_partner_id.display_name,
                        company=order.company_id.name,
                    )
                )

    @api.constrains("reason")
    def _check_reason(self):
        for release in self:
            if not (release.reason or "").strip():
                raise ValidationError(self.env._("A credit release needs a reason."))
