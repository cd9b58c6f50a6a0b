from itertools import pairwise

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


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

    @api.model
    def _cron_run_dunning(self, date=None):
        """Move the overdue invoices of every company through its dunning levels, then evaluate payment promises."""
        date = date or fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            self.with_company(company)._run_dunning(company, date)
        self.env["customer.payment.promise"]._cron_evaluate_promises(date)

    @api.model
    def _run_dunning(self, company, date, partners=None):
        """Apply to each overdue invoice of ``company`` the highest level it reached on ``date``, once per level.

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
        levels = self.search([("company_id", "=", company.id)], order="days_overdue")
        if not levels:
            return self.env["customer.dunning.entry"]
        targets = self._get_dunning_targets(company, date, levels, partners)
        if not targets:
            return self.env["customer.dunning.entry"]
        entries = self._insert_dunning_entries(company, date, targets)
        for level, level_entries in entries.grouped("level_id").items():
            level._apply(level_entries)
        return entries

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
    def _insert_dunning_entries(self, company, date, targets):
        """Insert the (invoice, level) entries not applied yet; the entries this transaction inserted."""
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
                   (move_id, level_id, partner_id, company_id, date, days_overdue,
                    create_uid, write_uid, create_date, write_date)
            SELECT data.move_id, data.level_id, data.partner_id, data.company_id, data.date, data.days_overdue,
                   %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
              FROM (VALUES %(rows)s) AS data(move_id, level_id, partner_id, company_id, date, days_overdue)
             ORDER BY data.move_id, data.level_id
            ON CONFLICT (move_id, level_id) DO NOTHING
            RETURNING id
            """,
            uid=self.env.uid,
            rows=SQL(", ").join(rows),
        )
        entry_ids = [entry_id for (entry_id,) in self.env.execute_query(query)]
        entries = self.env["customer.dunning.entry"].browse(entry_ids)
        # The entries were inserted in SQL: the invoices' level follows them.
        entries.move_id.invalidate_recordset(["customer_dunning_entry_ids"])
        entries.move_id.modified(["customer_dunning_entry_ids"])
        return entries

    def _apply(self, entries):
        """What the level does to the invoices of ``entries``: the mails, the activities, the hold and the log."""
        self.ensure_one()
        invoices = entries.move_id
        if self.mail_template_id:
            days = {entry.move_id.id: entry.days_overdue for entry in entries}
            self.mail_template_id.with_context(customer_dunning_days=days).send_mail_batch(
                invoices.ids, force_send=False
            )
        if self.activity_type_id:
            for user, user_invoices in invoices.grouped(self._get_collector).items():
                user_invoices.activity_schedule(
                    activity_type_id=self.activity_type_id.id,
                    summary=self.activity_summary or self.name,
                    note=self.activity_note,
                    user_id=user.id,
                    date_deadline=entries[:1].date,
                )
        if self.put_on_hold:
            self._put_on_hold(invoices.commercial_partner_id)
        # sudo: the reminders are the workflow's entries of the log, which no user may forge.
        self.env["customer.collection.log"].sudo().create(
            [
                {
                    "partner_id": entry.partner_id.id,
                    "company_id": entry.company_id.id,
                    "user_id": self.env.user.id,
                    "kind": "dunning",
                    "outcome": "sent" if self.mail_template_id else False,
                    "dunning_level_id": self.id,
                    "invoice_ids": [Command.link(entry.move_id.id)],
                    "note": self.env._(
                        "%(level)s: %(invoice)s, %(days)s days overdue.",
                        level=self.name,
                        invoice=entry.move_id.name,
                        days=entry.days_overdue,
                    ),
                }
                for entry in entries
            ]
        )

    def _get_collector(self, invoice):
        return (
            self.activity_user_id or invoice.invoice_user_id or invoice.commercial_partner_id.user_id or self.env.user
        )

    def _put_on_hold(self, partners):
        """Put on credit hold in the level's company the customers not on hold yet, saying why in their chatter."""
        partners = partners.with_company(self.company_id).filtered(lambda partner: not partner.credit_hold)
        if not partners:
            return
        partners.sudo().credit_hold = True
        for partner in partners:
            # Logged, not sent: the dunning runs whoever runs it, with or without an email address.
            partner._message_log(
                body=self.env._(
                    "Put on credit hold in %(company)s: an invoice reached the dunning level %(level)s.",
                    company=self.company_id.name,
                    level=self.name,
                )
            )
