"""Dunning levels: the configuration of the collection reminders by days overdue."""

from itertools import pairwise

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerDunningLevel(models.Model):
    """A step of the reminders sent for overdue invoices: when it applies and what it does."""

    _name = "customer.dunning.level"
    _inherit = ["customer.input.checked.mixin"]
    _description = "Dunning Level"
    _order = "company_id, sequence, days_overdue, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    days_overdue = fields.Integer(
        required=True,
        help="An invoice reaches this level when it has been overdue for at least these days. Levels of a company "
        "follow each other with strictly increasing days.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain="[('model', '=', 'account.move')]",
        help="Sent to the customer for each invoice reaching this level, through the outgoing mail queue.",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Activity",
        domain="['|', ('res_model', '=', False), ('res_model', '=', 'account.move')]",
        help="Scheduled on the invoice for the collector when the invoice reaches this level.",
    )
    activity_summary = fields.Char(translate=True)
    activity_note = fields.Html(translate=True)
    activity_user_id = fields.Many2one(
        "res.users",
        string="Collector",
        check_company=True,
        domain="[('share', '=', False)]",
        help="Who gets the activity; when empty, the invoice's salesperson, else the customer's.",
    )
    put_on_hold = fields.Boolean(
        string="Put on Credit Hold",
        help="The customer is put on credit hold in this company when one of its invoices reaches this level.",
    )

    @api.constrains("mail_template_id", "activity_type_id")
    def _check_invoice_templates(self):
        for level in self:
            template_model = level.mail_template_id.sudo().model
            activity_model = level.activity_type_id.sudo().res_model
            if (template_model and template_model != "account.move") or (
                activity_model and activity_model != "account.move"
            ):
                raise ValidationError(
                    self.env._(
                        "The email template and the activity of the dunning level %(name)s must be for invoices.",
                        name=level.name,
                    )
                )

    @api.constrains("days_overdue", "sequence", "company_id", "active")
    def _check_days_overdue(self):
        for level in self:
            if level.days_overdue <= 0:
                raise ValidationError(
                    self.env._("The dunning level %(name)s must apply after one day overdue at least.", name=level.name)
                )
        for company in self.company_id:
            levels = self.search([("company_id", "=", company.id)], order="sequence, id")
            for previous, level in pairwise(levels):
                if level.days_overdue <= previous.days_overdue:
                    raise ValidationError(
                        self.env._(
                            "The days overdue of the dunning levels must increase with their order: %(level)s "
                            "(%(days)s days) comes after %(previous)s (%(previous_days)s days).",
                            level=level.name,
                            days=level.days_overdue,
                            previous=previous.name,
                            previous_days=previous.days_overdue,
                        )
                    )
