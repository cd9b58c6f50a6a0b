"""Dunning runs: each run of the collection reminders is a record of who ran it, when, and the levels reached."""

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL


class CustomerDunningRun(models.Model):
    """One pass of the dunning over a company's overdue invoices on a date: who ran it and what it sent."""

    _name = "customer.dunning.run"
    _inherit = ["customer.input.checked.mixin", "customer.workflow.mixin"]
    _description = "Dunning Run"
    _order = "id desc"
    _check_company_auto = True
    # A run is the record of what the dunning did: written by the run itself (as superuser), never by a caller.
    _workflow_fields = (
        "name",
        "company_id",
        "user_id",
        "date",
        "partner_count",
        "entry_count",
        "level_ids",
        "entry_ids",
    )

    name = fields.Char(required=True, readonly=True, copy=False)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Run By", required=True, readonly=True)
    date = fields.Date(
        string="Dunning Date", required=True, readonly=True, index=True, help="The day the invoices' delays count to."
    )
    entry_ids = fields.One2many("customer.dunning.entry", "run_id", string="Dunning Entries", readonly=True)
    entry_count = fields.Integer(string="Reminders", readonly=True, help="The levels the run applied to invoices.")
    partner_count = fields.Integer(string="Customers", readonly=True, help="The customers the run reminded.")
    level_ids = fields.Many2many("customer.dunning.level", string="Levels Reached", readonly=True)
    level_summary = fields.Char(
        string="Reminders by Level", compute="_compute_level_summary", help="How many invoices reached each level."
    )

    def _compute_level_summary(self):
        counts = self._get_entry_counts_by_level()
        for run in self:
            run.level_summary = ", ".join(
                f"{level.display_name}: {count}" for level, count in counts.get(run, {}).items()
            )

    def _get_entry_counts_by_level(self):
        """``{run: {level: number of its entries}}``, the levels in their order, in one query."""
        groups = self.env["customer.dunning.entry"]._read_group(
            [("run_id", "in", self.ids)], ["run_id", "level_id"], ["__count"], order="run_id, level_id"
        )
        counts = {}
        for run, level, count in groups:
            counts.setdefault(run, {})[level] = count
        return counts

    @api.model
    def _cron_run_dunning(self, date=None):
        """Run the dunning of every company with dunning levels, one run each, then evaluate payment promises."""
        date = date or fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            self.with_company(company)._run_dunning(company, date)
        self.env["customer.payment.promise"]._cron_evaluate_promises(date)

    @api.model
    def _run_dunning(self, company, date, partners=None):
        """Apply to each overdue invoice of ``company`` the highest level it reached on ``date``, once per level; the
        run that did it, holding its entries (none when ``company`` has no dunning level).

        With ``partners``, only the invoices of their commercial partners.

        The days overdue come from the exposure engine's open items. "Once" holds under concurrency thanks to the
        unique (invoice, level) index of ``customer.dunning.entry``: the entries are inserted first with
        ``ON CONFLICT DO NOTHING ... RETURNING``, and the mails, activities and holds follow only for the rows this
        transaction inserted. A second run at the same time (by hand or over RPC while the cron runs) waits on the
        index, then, Odoo running in REPEATABLE READ, fails to serialize and rolls back its whole run, mails included;
        replayed, it sees the levels applied.
        Unlike ``SELECT ... FOR UPDATE SKIP LOCKED`` on the invoices, this needs no lock on the invoices, which users
        and payments keep writing, and the guarantee lives in the data, not in the scheduling.
        """
        levels = self.env["customer.dunning.level"].search([("company_id", "=", company.id)], order="days_overdue")
        if not levels:
            return self.browse()
        # sudo: the run records itself, whoever runs it; nobody creates or writes a run by hand.
        run = (
            self.sudo()
            .create(
                {
                    "name": self.env["ir.sequence"].sudo().next_by_code("customer.dunning.run") or "/",
                    "company_id": company.id,
                    "user_id": self.env.user.id,
                    "date": date,
                }
            )
            .with_env(self.env)
        )
        entries = self.env["customer.dunning.entry"]
        targets = self._get_dunning_targets(company, date, levels, partners)
        if targets:
            entries = self._insert_dunning_entries(run, targets)
        for level, level_entries in entries.grouped("level_id").items():
            self._apply(level, level_entries)
        if entries:
            run.sudo().write(
                {
                    "entry_count": len(entries),
                    "partner_count": len(entries.partner_id),
                    "level_ids": [Command.set(entries.level_id.ids)],
                }
            )
        return run

    @api.model
    def _get_dunning_targets(self, company, date, levels, partners=None):
        """``{invoice: (level, days overdue)}``: the overdue invoices whose highest level reached is above their own."""
        Move = self.env["account.move"]
        groups = Move._read_group(
            [
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<=", date - relativedelta(days=levels[0].days_overdue)),
            ]
            + ([("commercial_partner_id", "in", partners.commercial_partner_id.ids)] if partners is not None else []),
            ["commercial_partner_id"],
        )
        customers = self.env["res.partner"].union(*(partner for (partner,) in groups))
        days_by_move = {}
        for item in self.env["customer.exposure"]._get_open_items(customers, company, date):
            if item["residual"] > 0:
                days_by_move[item["move_id"]] = max(days_by_move.get(item["move_id"], 0), item["days_overdue"])
        invoices = Move.browse(days_by_move).filtered(lambda move: move.move_type == "out_invoice")
        targets = {}
        for invoice in invoices:
            days = days_by_move[invoice.id]
            reached = levels.filtered(lambda level, days=days: level.days_overdue <= days)[-1:]
            current = invoice.customer_dunning_level_id
            if reached and (not current or reached.days_overdue > current.days_overdue):
                targets[invoice] = (reached, days)
        return targets

    @api.model
    def _insert_dunning_entries(self, run, targets):
        """Insert for ``run`` the (invoice, level) entries not applied yet; the entries this transaction inserted."""
        # sudo: the run's own figures, read whoever runs it.
        company, date = run.sudo().company_id, run.sudo().date
        rows = [
            SQL(
                "(%s, %s, %s, %s, %s, %s)",
                invoice.id,
                level.id,
                invoice.commercial_partner_id.id,
                company.id,
                date,
                days,
            )
            for invoice, (level, days) in targets.items()
        ]
        query = SQL(
            """
            INSERT INTO customer_dunning_entry
                   (run_id, move_id, level_id, partner_id, company_id, date, days_overdue,
                    create_uid, write_uid, create_date, write_date)
            SELECT %(run_id)s, data.move_id, data.level_id, data.partner_id, data.company_id, data.date,
                   data.days_overdue, %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
              FROM (VALUES %(rows)s) AS data(move_id, level_id, partner_id, company_id, date, days_overdue)
             ORDER BY data.move_id, data.level_id
            ON CONFLICT (move_id, level_id) DO NOTHING
            RETURNING id
            """,
            run_id=run.id,
            uid=self.env.uid,
            rows=SQL(", ").join(rows),
        )
        entry_ids = [entry_id for (entry_id,) in self.env.execute_query(query)]
        entries = self.env["customer.dunning.entry"].browse(entry_ids)
        # The entries were inserted in SQL: the invoices' level and the run's entries follow them.
        entries.move_id.invalidate_recordset(["customer_dunning_entry_ids"])
        entries.move_id.modified(["customer_dunning_entry_ids"])
        run.invalidate_recordset(["entry_ids"])
        return entries

    @api.model
    def _apply(self, level, entries):
        """What ``level`` does to the invoices of ``entries``: the mails, the activities, the hold and the log."""
        level.ensure_one()
        invoices = entries.move_id
        if level.mail_template_id:
            days = {entry.move_id.id: entry.days_overdue for entry in entries}
            level.mail_template_id.with_context(customer_dunning_days=days).send_mail_batch(
                invoices.ids, force_send=False
            )
        if level.activity_type_id:
            for user, user_invoices in invoices.grouped(lambda invoice: self._get_collector(level, invoice)).items():
                user_invoices.activity_schedule(
                    activity_type_id=level.activity_type_id.id,
                    summary=level.activity_summary or level.name,
                    note=level.activity_note,
                    user_id=user.id,
                    date_deadline=entries[:1].date,
                )
        if level.put_on_hold:
            self._put_on_hold(level, invoices.commercial_partner_id)
        # sudo: the reminders are the workflow's entries of the log, which no user may forge.
        self.env["customer.collection.log"].sudo().create(
            [
                {
                    "partner_id": entry.partner_id.id,
                    "company_id": entry.company_id.id,
                    "user_id": self.env.user.id,
                    "kind": "dunning",
                    "outcome": "sent" if level.mail_template_id else False,
                    "dunning_level_id": level.id,
                    "invoice_ids": [Command.link(entry.move_id.id)],
                    "note": self.env._(
                        "%(level)s: %(invoice)s, %(days)s days overdue.",
                        level=level.name,
                        invoice=entry.move_id.name,
                        days=entry.days_overdue,
                    ),
                }
                for entry in entries
            ]
        )

    @api.model
    def _get_collector(self, level, invoice):
        """Who follows ``invoice`` up at ``level``: the level's collector, else the salesperson of the invoice or of
        its customer, else whoever runs the dunning."""
        return (
            level.activity_user_id or invoice.invoice_user_id or invoice.commercial_partner_id.user_id or self.env.user
        )

    @api.model
    def _put_on_hold(self, level, partners):
        """Put on credit hold in the level's company the customers not on hold yet, saying why in their chatter."""
        partners = partners.with_company(level.company_id).filtered(lambda partner: not partner.credit_hold)
        if not partners:
            return
        partners.sudo().write(
            {
                "credit_hold": True,
                "credit_hold_reason": self.env._(
                    "An invoice reached the dunning level %(level)s.", level=level.display_name
                ),
            }
        )
        for partner in partners:
            # Logged, not sent: the dunning runs whoever runs it, with or without an email address.
            partner._message_log(
                body=self.env._(
                    "Put on credit hold in %(company)s: an invoice reached the dunning level %(level)s.",
                    company=level.company_id.name,
                    level=level.name,
                )
            )
