"""The company's policy for the data a customer record must carry and for its customers' credit and collections."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .customer_risk import RISK_WEIGHT_FIELDS


class ResCompany(models.Model):
    """The company's policy for the data a customer record must carry, and for its customers' credit."""

    _name = "res.company"
    _inherit = ["res.company", "customer.input.checked.mixin"]

    customer_vat_policy = fields.Selection(
        [
            ("none", "Never required"),
            ("national_company", "National companies"),
            ("company", "All companies"),
            ("all", "All customers"),
        ],
        string="Customer Tax ID Required For",
        default="none",
        required=True,
    )
    customer_segment_required = fields.Boolean()
    customer_zone_required = fields.Boolean()
    customer_channel_required = fields.Boolean()
    customer_credit_approval_amount = fields.Monetary(
        string="Credit Limit Needing Approval",
        currency_field="currency_id",
        help="A credit limit raised above this amount needs the approval of a second credit manager; 0 means never.",
    )
    customer_wholesale_pricelist_id = fields.Many2one(
        "product.pricelist", string="Wholesale Pricelist", check_company=True
    )
    customer_wholesale_payment_term_id = fields.Many2one(
        "account.payment.term", string="Wholesale Payment Terms", check_company=True
    )
    customer_retail_pricelist_id = fields.Many2one("product.pricelist", string="Retail Pricelist", check_company=True)
    customer_retail_payment_term_id = fields.Many2one(
        "account.payment.term", string="Retail Payment Terms", check_company=True
    )
    customer_credit_warning_percent = fields.Float(
        string="Credit Warning At (%)",
        default=80.0,
        help="Share of the credit limit used from which a customer's credit status is a warning.",
    )
    customer_credit_grace_days = fields.Integer(
        string="Overdue Grace Days",
        default=0,
        help="Days an invoice may be overdue before the customer's orders are blocked; a customer may have its own.",
    )
    customer_cash_policy = fields.Selection(
        [("block", "Block unless prepaid"), ("warn", "Warn only")],
        string="Cash Customers",
        default="block",
        required=True,
        help="Whether a cash customer's order is confirmed only once paid (its payments and credit notes not "
        "applied yet cover what it owes and the order), or only shows a warning.",
    )
    customer_delivery_window_policy = fields.Selection(
        [("warn", "Warn"), ("refuse", "Refuse")],
        string="Delivery Date Outside the Windows",
        default="warn",
        required=True,
        help="Whether an order's delivery date outside its address's delivery windows is refused (over the web "
        "client, imports and XML-RPC alike) or only warned of.",
    )
    customer_otif_days = fields.Integer(
        string="OTIF Period (Days)",
        default=90,
        required=True,
        help="The days of deliveries behind a customer's OTIF (on time, in full).",
    )
    customer_due_soon_days = fields.Integer(
        string="Due Soon Within (Days)",
        default=7,
        help="Open invoices falling due within this many days count as due soon in the receivables.",
    )
    customer_credit_check_delivery = fields.Boolean(
        string="Check Credit on Delivery",
        help="Validating a delivery of a sale order runs the credit check again, unless the order was released.",
    )
    # The customers' risk (customer_risk.py): the days without a sale that make a customer inactive, and the weight of
    # each component of the risk score.
    customer_inactivity_days = fields.Integer(
        string="Inactive After (Days)",
        default=90,
        required=True,
        help="A customer whose last confirmed sale is older than this many days is inactive.",
    )
    customer_risk_refreshed_on = fields.Date(
        readonly=True,
        copy=False,
        help="The last refresh of the customers' risk; the first one notifies nobody, it learns the states.",
    )
    customer_risk_weight_overdue = fields.Float(string="Weight: Overdue Ratio", default=25.0)
    customer_risk_weight_days_late = fields.Float(string="Weight: Weighted Days Late", default=15.0)
    customer_risk_weight_oldest_overdue = fields.Float(string="Weight: Oldest Overdue", default=15.0)
    customer_risk_weight_broken_promises = fields.Float(string="Weight: Broken Promises", default=15.0)
    customer_risk_weight_credit_utilisation = fields.Float(string="Weight: Credit Used", default=10.0)
    customer_risk_weight_sales_trend = fields.Float(string="Weight: Sales Trend", default=10.0)
    customer_risk_weight_claims = fields.Float(string="Weight: Claims", default=5.0)
    customer_risk_weight_otif = fields.Float(string="Weight: OTIF", default=5.0)

    @api.constrains("customer_credit_warning_percent", "customer_credit_grace_days", "customer_due_soon_days")
    def _check_customer_credit_settings(self):
        for company in self:
            if not 0 <= company.customer_credit_warning_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "The credit warning threshold must be between 0 and 100%%, not %(value)s.",
                        value=company.customer_credit_warning_percent,
                    )
                )
            if company.customer_credit_grace_days < 0:
                raise ValidationError(
                    self.env._(
                        "The overdue grace days cannot be negative (%(value)s).",
                        value=company.customer_credit_grace_days,
                    )
                )
            if company.customer_due_soon_days < 0:
                raise ValidationError(
                    self.env._(
                        "The days within which invoices are due soon cannot be negative (%(value)s).",
                        value=company.customer_due_soon_days,
                    )
                )

    @api.constrains("customer_otif_days")
    def _check_customer_otif_days(self):
        for company in self:
            if company.customer_otif_days < 1:
                raise ValidationError(
                    self.env._("The OTIF period is at least one day, not %(value)s.", value=company.customer_otif_days)
                )

    @api.constrains("customer_inactivity_days", *RISK_WEIGHT_FIELDS.values())
    def _check_customer_risk_settings(self):
        for company in self:
            if company.customer_inactivity_days < 1:
                raise ValidationError(
                    self.env._(
                        "A customer is inactive after at least one day without a sale, not %(value)s.",
                        value=company.customer_inactivity_days,
                    )
                )
            weights = {fname: company[fname] for fname in RISK_WEIGHT_FIELDS.values()}
            negative = [
                company._fields[fname].get_description(self.env)["string"]
                for fname, weight in weights.items()
                if weight < 0
            ]
            if negative:
                raise ValidationError(
                    self.env._(
                        "The weights of the risk score cannot be negative: %(fields)s.", fields=", ".join(negative)
                    )
                )
            if not any(weights.values()):
                raise ValidationError(self.env._("At least one weight of the risk score must be positive."))

    def write(self, vals):
        result = super().write(vals)
        if "country_id" in vals:
            self.env["res.partner"]._recompute_customer_scope(self)
        return result
