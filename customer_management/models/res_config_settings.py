"""Settings: the company's credit and collection policy in the general settings."""

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    customer_vat_policy = fields.Selection(related="company_id.customer_vat_policy", readonly=False)
    customer_segment_required = fields.Boolean(related="company_id.customer_segment_required", readonly=False)
    customer_zone_required = fields.Boolean(related="company_id.customer_zone_required", readonly=False)
    customer_channel_required = fields.Boolean(related="company_id.customer_channel_required", readonly=False)
    customer_credit_approval_amount = fields.Monetary(
        related="company_id.customer_credit_approval_amount", readonly=False, currency_field="currency_id"
    )
    customer_wholesale_pricelist_id = fields.Many2one(
        related="company_id.customer_wholesale_pricelist_id", readonly=False
    )
    customer_wholesale_payment_term_id = fields.Many2one(
        related="company_id.customer_wholesale_payment_term_id", readonly=False
    )
    customer_retail_pricelist_id = fields.Many2one(related="company_id.customer_retail_pricelist_id", readonly=False)
    customer_retail_payment_term_id = fields.Many2one(
        related="company_id.customer_retail_payment_term_id", readonly=False
    )
    customer_credit_warning_percent = fields.Float(related="company_id.customer_credit_warning_percent", readonly=False)
    customer_credit_grace_days = fields.Integer(related="company_id.customer_credit_grace_days", readonly=False)
    customer_due_soon_days = fields.Integer(related="company_id.customer_due_soon_days", readonly=False)
    customer_cash_policy = fields.Selection(related="company_id.customer_cash_policy", readonly=False)
    customer_delivery_window_policy = fields.Selection(
        related="company_id.customer_delivery_window_policy", readonly=False
    )
    customer_otif_days = fields.Integer(related="company_id.customer_otif_days", readonly=False)
    customer_credit_check_delivery = fields.Boolean(related="company_id.customer_credit_check_delivery", readonly=False)
    customer_inactivity_days = fields.Integer(related="company_id.customer_inactivity_days", readonly=False)
    customer_risk_weight_overdue = fields.Float(related="company_id.customer_risk_weight_overdue", readonly=False)
    customer_risk_weight_days_late = fields.Float(related="company_id.customer_risk_weight_days_late", readonly=False)
    customer_risk_weight_oldest_overdue = fields.Float(
        related="company_id.customer_risk_weight_oldest_overdue", readonly=False
    )
    customer_risk_weight_broken_promises = fields.Float(
        related="company_id.customer_risk_weight_broken_promises", readonly=False
    )
    customer_risk_weight_credit_utilisation = fields.Float(
        related="company_id.customer_risk_weight_credit_utilisation", readonly=False
    )
    customer_risk_weight_sales_trend = fields.Float(
        related="company_id.customer_risk_weight_sales_trend", readonly=False
    )
    customer_risk_weight_claims = fields.Float(related="company_id.customer_risk_weight_claims", readonly=False)
    customer_risk_weight_otif = fields.Float(related="company_id.customer_risk_weight_otif", readonly=False)
