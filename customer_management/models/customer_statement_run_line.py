"""A statement run's line: one customer's statement, its sending and its outcome."""

import logging

from odoo import fields, models

_logger = logging.getLogger(__name__)


class CustomerStatementRunLine(models.Model):
    """The statement of one customer in a statement run, and what became of it."""

    _name = "customer.statement.run.line"
    _inherit = ["customer.input.checked.mixin", "customer.workflow.mixin"]
    # What became of the statement is recorded by the sending only.
    _workflow_fields = ("state", "error", "mail_id")
    _description = "Customer Statement Run Line"
    _order = "run_id, id"
    _check_company_auto = True

    run_id = fields.Many2one("customer.statement.run", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, check_company=True)
    email = fields.Char(related="partner_id.email")
    state = fields.Selection(
        [("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed"), ("skipped", "Skipped: No Email")],
        default="pending",
        required=True,
        index=True,
        copy=False,
    )
    error = fields.Text(copy=False)
    mail_id = fields.Many2one("mail.mail", string="Mail", readonly=True, ondelete="set null", copy=False)

    def _send_statements(self):
        """Queue the statement mail of each line (all of one run), its PDF rendered now; record the outcome."""
        run = self.run_id
        run.ensure_one()
        template = self.env.ref("customer_management.mail_template_customer_statement")
        template = template.with_company(run.company_id).with_context(
            statement_date_from=run.date_from, statement_date_to=run.date_to
        )
        for line in self:
            if not line.partner_id.email:
                line.state = "skipped"
                continue
            # One customer's failure (a bad address, a rendering error) must not stop the run.
            try:
                with self.env.cr.savepoint():
                    mail_id = template.send_mail(line.partner_id.id, force_send=False)
            except Exception as error:  # pylint: disable=broad-except
                _logger.warning("Statement of partner %s failed: %s", line.partner_id.id, error)
                line.write({"state": "failed", "error": str(error)})
            else:
                line.write({"state": "sent", "mail_id": mail_id, "error": False})
