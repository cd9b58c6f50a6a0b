"""The statement run wizard: which customers get their statement of account, for which period, before it queues."""

from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models.res_partner import SEGMENTS


def customer_filters_domain(wizard):
    """The conditions of a wizard's customer filters (``zone_ids``, ``salesperson_ids``, ``customer_segment``) on
    records with a zone, a salesperson and a segment: a partner, or an analysis row of its customer."""
    domain = []
    if wizard.zone_ids:
        domain.append(("customer_zone_id", "child_of", wizard.zone_ids.ids))
    if wizard.salesperson_ids:
        domain.append(("user_id", "in", wizard.salesperson_ids.ids))
    if wizard.customer_segment:
        domain.append(("customer_segment", "=", wizard.customer_segment))
    return domain


class CustomerStatementRunWizard(models.TransientModel):
    """Choose the customers whose statements of account to send, and queue them for the cron."""

    _name = "customer.statement.run.wizard"
    _inherit = ["customer.input.checked.mixin"]
    _description = "Queue Statements of Account"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_from = fields.Date(
        string="From", required=True, default=lambda self: fields.Date.context_today(self) - timedelta(days=29)
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    zone_ids = fields.Many2many("customer.zone", string="Zones", help="Customers of these zones or their subzones.")
    salesperson_ids = fields.Many2many("res.users", string="Salespeople")
    customer_segment = fields.Selection(SEGMENTS, string="Segment")
    only_with_balance = fields.Boolean(string="Only with a Balance", default=True)
    only_overdue = fields.Boolean(string="Only with Overdue")
    partner_ids = fields.Many2many("res.partner", string="Customers", compute="_compute_partner_ids")
    partner_count = fields.Integer(string="Statements", compute="_compute_partner_ids")

    @api.depends("company_id", "zone_ids", "salesperson_ids", "customer_segment", "only_with_balance", "only_overdue")
    def _compute_partner_ids(self):
        for wizard in self:
            wizard.partner_ids = wizard._get_customers()
            wizard.partner_count = len(wizard.partner_ids)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The statement period must start before it ends."))

    def action_queue(self):
        """Create the run and its statements, queued for the cron; nothing is rendered or sent here."""
        self._ensure_one_for_action()
        customers = self._get_customers()
        if not customers:
            raise UserError(self.env._("No customer matches these filters."))
        run = self.env["customer.statement.run"].create(self._prepare_run_vals(customers))
        run.action_queue()
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.statement.run",
            "res_id": run.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _prepare_run_vals(self, customers):
        return {
            "company_id": self.company_id.id,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "zone_ids": [Command.set(self.zone_ids.ids)],
            "salesperson_ids": [Command.set(self.salesperson_ids.ids)],
            "customer_segment": self.customer_segment,
            "only_with_balance": self.only_with_balance,
            "only_overdue": self.only_overdue,
            "line_ids": [Command.create({"partner_id": partner.id}) for partner in customers],
        }

    def _get_customer_domain(self):
        domain = [
            ("customer_rank", ">", 0),
            "|",
            ("is_company", "=", True),
            ("parent_id", "=", False),
            "|",
            ("company_id", "=", False),
            ("company_id", "=", self.company_id.id),
        ]
        return domain + customer_filters_domain(self)

    def _get_customers(self):
        """The customers matching the filters; the balance filters read the exposure engine once for all of them."""
        self.ensure_one()
        if not self.company_id:
            return self.env["res.partner"]
        customers = self.env["res.partner"].search(self._get_customer_domain(), order="name, id")
        if customers and (self.only_with_balance or self.only_overdue):
            exposures = self.env["customer.exposure"]._get_exposure(customers, self.company_id, receivable_only=True)
            currency = self.company_id.currency_id
            customers = customers.filtered(
                lambda partner: (not self.only_with_balance or not currency.is_zero(exposures[partner.id].receivable))
                and (not self.only_overdue or currency.compare_amounts(exposures[partner.id].overdue_amount, 0) > 0)
            )
        return customers
