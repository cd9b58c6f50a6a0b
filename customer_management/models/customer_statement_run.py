"""Statement runs: the statements of account sent to a set of customers for a period, queued and sent in batches."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_partner import SEGMENTS

# The statements one cron run renders and queues; the cron triggers itself again while some are left.
STATEMENT_BATCH_SIZE = 50


class CustomerStatementRun(models.Model):
    """A run of statements of account, queued by a collector and sent by a cron, never in the user's request."""

    _name = "customer.statement.run"
    _description = "Customer Statement Run"
    _inherit = ["mail.thread", "customer.input.mixin", "customer.workflow.mixin"]
    # Queued and sent by the run's button and cron; queued by whoever queues it.
    _workflow_fields = ("state", "user_id")
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    user_id = fields.Many2one(
        "res.users", string="Queued By", readonly=True, default=lambda self: self.env.user, copy=False
    )
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    zone_ids = fields.Many2many("customer.zone", string="Zones", readonly=True)
    salesperson_ids = fields.Many2many("res.users", string="Salespeople", readonly=True)
    customer_segment = fields.Selection(SEGMENTS, string="Segment", readonly=True)
    only_with_balance = fields.Boolean(string="Only with a Balance", readonly=True)
    only_overdue = fields.Boolean(string="Only with Overdue", readonly=True)
    state = fields.Selection(
        [("draft", "Draft"), ("queued", "Queued"), ("done", "Done")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many("customer.statement.run.line", "run_id", string="Statements", readonly=True)
    line_count = fields.Integer(compute="_compute_line_counts", string="Customers")
    pending_count = fields.Integer(compute="_compute_line_counts", string="Pending")
    sent_count = fields.Integer(compute="_compute_line_counts", string="Sent")
    failed_count = fields.Integer(compute="_compute_line_counts", string="Failed")
    skipped_count = fields.Integer(compute="_compute_line_counts", string="Without Email")
    progress = fields.Float(compute="_compute_line_counts", help="The share of statements already handled.")

    @api.depends("line_ids.state")
    def _compute_line_counts(self):
        counts = {
            (run.id, state): count
            for run, state, count in self.env["customer.statement.run.line"]._read_group(
                [("run_id", "in", self.ids)], ["run_id", "state"], ["__count"]
            )
        }
        for run in self:
            by_state = {state: counts.get((run.id, state), 0) for state in ("pending", "sent", "failed", "skipped")}
            run.pending_count = by_state["pending"]
            run.sent_count = by_state["sent"]
            run.failed_count = by_state["failed"]
            run.skipped_count = by_state["skipped"]
            run.line_count = sum(by_state.values())
            run.progress = 100.0 * (run.line_count - run.pending_count) / run.line_count if run.line_count else 0.0

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for run in self:
            if run.date_from > run.date_to:
                raise ValidationError(self.env._("The statement period must start before it ends."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_customer_input(vals_list)
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("customer.statement.run") or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        self._check_customer_input([vals])
        return super().write(vals)

    def action_queue(self):
        """Hand the run's statements to the cron, which sends them in the background."""
        self.check_access("write")
        # sudo: the state is the workflow's, for a user whose rights were checked above.
        self.filtered(lambda run: run.state == "draft").sudo().state = "queued"
        self.env.ref("customer_management.ir_cron_customer_statement_run")._trigger()
        return True

    @api.model
    def _cron_send_statements(self, batch_size=STATEMENT_BATCH_SIZE):
        """Render and queue the mails of a batch of pending statements, and report the progress to the cron.

        The cron framework commits after each batch and calls again while some are left (up to its limit of
        batches per run); the trigger makes it come back for the rest.
        """
        pending = [("state", "=", "pending"), ("run_id.state", "=", "queued")]
        # sudo: the sending is the workflow's (it records what became of each statement), whoever runs the cron.
        runs = self.sudo()
        run_lines = runs.env["customer.statement.run.line"]
        batch = run_lines.search(pending, order="run_id, id", limit=batch_size)
        for run_batch in batch.grouped("run_id").values():
            run_batch._send_statements()
        queued = runs.search([("state", "=", "queued")])
        pending_by_run = dict(run_lines._read_group(pending, ["run_id"], ["__count"]))
        (queued - runs.union(*pending_by_run)).state = "done"
        remaining = sum(pending_by_run.values())
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)
        if remaining:
            self.env.ref("customer_management.ir_cron_customer_statement_run")._trigger()
