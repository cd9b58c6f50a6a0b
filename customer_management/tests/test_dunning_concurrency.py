"""Concurrent dunning runs: each level applies once to an invoice across transactions."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import CommittedTransactionCase


@tagged("post_install", "-at_install")
class TestDunningConcurrency(CommittedTransactionCase):
    """Two dunning runs at once, in two real, separately committed transactions: each level applies once.

    Both transactions read the invoice before either writes, as two cron workers starting together do.
    """

    def setUp(self):
        super().setUp()
        with self._environment() as env:
            self.level_id = env.ref("customer_management.customer_dunning_level_reminder").id
            today = fields.Date.context_today(env["res.partner"])
            customer = env["res.partner"].create(
                {
                    "name": "Ferretería Morosa Concurrente",
                    "is_company": True,
                    "customer_rank": 1,
                    "email": "cobranza@morosa.example.com",
                }
            )
            invoice = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": today - timedelta(days=3),
                    "invoice_date_due": today - timedelta(days=2),
                    "invoice_line_ids": [
                        Command.create({"name": "Servicio vencido", "price_unit": 500.0, "tax_ids": [Command.clear()]})
                    ],
                }
            )
            invoice.action_post()
            self.customer_id, self.invoice_id, self.company_id = customer.id, invoice.id, invoice.company_id.id
        self.run_ids = []
        self.addCleanup(self._delete_fixtures)

    def _delete_fixtures(self):
        with self._environment() as env:
            env["mail.mail"].search([("model", "=", "account.move"), ("res_id", "=", self.invoice_id)]).unlink()
            env["customer.collection.log"].search([("partner_id", "=", self.customer_id)]).unlink()
            invoice = env["account.move"].browse(self.invoice_id)
            invoice.button_draft()
            invoice.with_context(force_delete=True).unlink()
            env["res.partner"].browse(self.customer_id).unlink()
            env["customer.dunning.run"].browse(self.run_ids).unlink()

    def _dun_together(self, runs=2):
        """Run the dunning of the customer in ``runs`` threads at once, retried as Odoo retries a cron job: the
        number of reminders each run applied, and how many attempts they made."""

        def dun(env):
            company = env["res.company"].browse(self.company_id)
            customer = env["res.partner"].browse(self.customer_id)
            run = env["customer.dunning.run"]._run_dunning(company, fields.Date.today(), partners=customer)
            return run.id, len(run.entry_ids)

        outcomes, attempts = self._run_concurrently(*[dun] * runs)
        self.run_ids += [run_id for run_id, _count in outcomes.values()]
        return [count for _run_id, count in outcomes.values()], attempts

    def test_two_runs_apply_the_level_once(self):
        """Two dunning runs at once record the level once, queue one reminder and log one contact."""
        applied, attempts = self._dun_together()
        self.assertEqual(sorted(applied), [0, 1])
        # They did collide: the second failed to serialize on the entry the first inserted, and was retried.
        self.assertEqual(attempts, 3)
        with self._environment() as env:
            customer = env["res.partner"].browse(self.customer_id)
            entries = env["customer.dunning.entry"].search([("move_id", "=", self.invoice_id)])
            self.assertEqual(entries.level_id.id, self.level_id)
            mails = env["mail.mail"].search(
                [
                    ("model", "=", "account.move"),
                    ("res_id", "=", self.invoice_id),
                    ("recipient_ids", "in", customer.ids),
                ]
            )
            self.assertEqual(len(mails), 1)
            logs = env["customer.collection.log"].search([("partner_id", "=", customer.id), ("kind", "=", "dunning")])
            self.assertEqual(len(logs), 1)
            self.assertEqual(env["account.move"].browse(self.invoice_id).customer_dunning_level_id.id, self.level_id)
