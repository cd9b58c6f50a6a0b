"""The dunning by hand: a collector previews, then runs, the dunning of the customers it selected."""

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

COLLECTORS = "customer_management.customer_management_group_collector,account.group_account_invoice"


class CustomerDunningRunWizard(models.TransientModel):
    """Run the dunning of the current company for a selection of customers, after seeing what it would do."""

    _name = "customer.dunning.run.wizard"
    _inherit = ["customer.input.checked.mixin"]
    _description = "Run the Dunning for Customers"

    partner_ids = fields.Many2many(
        "res.partner", string="Customers", default=lambda self: self._default_partner_ids(), required=True
    )
    date = fields.Date(string="Dunning Date", required=True, default=fields.Date.context_today)
    preview = fields.Html(string="Reminders to Send", compute="_compute_preview", sanitize=False)
    reminder_count = fields.Integer(string="Reminders", compute="_compute_preview")

    @api.model
    def _default_partner_ids(self):
        if self.env.context.get("active_model") != "res.partner":
            return []
        return self.env["res.partner"].browse(self.env.context.get("active_ids", [])).exists().commercial_partner_id.ids

    def _get_targets(self):
        """What the dunning would apply on the wizard's date to the customers' overdue invoices:
        ``{invoice: (level, days overdue)}``."""
        self.ensure_one()
        self._check_collector()
        company = self.env.company
        levels = self.env["customer.dunning.level"].search([("company_id", "=", company.id)], order="days_overdue")
        if not levels or not self.partner_ids:
            return {}
        # sudo: the dunning judges every invoice of the customers the collector may read, as the daily run does.
        self.partner_ids.check_access("read")
        return (
            self.env["customer.dunning.run"]
            .sudo()
            ._get_dunning_targets(company, self.date, levels.sudo(), self.partner_ids.sudo())
        )

    @api.depends("partner_ids", "date")
    def _compute_preview(self):
        for wizard in self:
            targets = wizard._get_targets() if wizard.date else {}
            wizard.reminder_count = len(targets)
            if not targets:
                wizard.preview = Markup("<p class='text-muted'>%s</p>") % self.env._(
                    "No invoice of these customers reaches a new dunning level on this date."
                )
                continue
            rows = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td class='text-end'>%s</td></tr>")
                % (
                    invoice.commercial_partner_id.display_name,
                    invoice.name,
                    level.display_name,
                    days,
                )
                for invoice, (level, days) in sorted(
                    targets.items(), key=lambda item: (item[0].commercial_partner_id.display_name, item[0].name)
                )
            )
            wizard.preview = Markup(
                "<table class='table table-sm'><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                "<th class='text-end'>%s</th></tr></thead><tbody>%s</tbody></table>"
            ) % (
                escape(self.env._("Customer")),
                escape(self.env._("Invoice")),
                escape(self.env._("Level")),
                escape(self.env._("Days Overdue")),
                rows,
            )

    def _check_collector(self):
        if not self.env.user.has_groups(COLLECTORS):
            raise AccessError(self.env._("Only collectors and accountants run the dunning."))

    def action_run(self):
        """Run the dunning for the customers, as the daily run would, and open the run."""
        self._ensure_one_for_action()
        self._check_collector()
        if not self.partner_ids:
            raise UserError(self.env._("Choose the customers whose dunning runs."))
        self.partner_ids.check_access("read")
        company = self.env.company
        # sudo: the run records itself and applies the levels (mails, activities, holds), as the daily run does;
        # its user is the collector.
        run = self.env["customer.dunning.run"].sudo()._run_dunning(company, self.date, self.partner_ids.sudo())
        if not run:
            raise UserError(
                self.env._("%(company)s has no dunning level: there is nothing to run.", company=company.name)
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dunning Run"),
            "res_model": "customer.dunning.run",
            "res_id": run.id,
            "view_mode": "form",
            "target": "current",
        }
