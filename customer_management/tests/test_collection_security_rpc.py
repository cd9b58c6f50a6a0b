"""The collection records over XML-RPC: promises, logs and runs keep their workflow, and relations must match."""

from odoo import fields
from odoo.tests import tagged

from .common import CreditSecurityRpcCase


@tagged("post_install", "-at_install")
class TestCollectionSecurityRpc(CreditSecurityRpcCase):
    """Promises, collection logs, dunning and statement runs record their own progress, and a record refuses
    relations to another customer's documents."""

    def test_collection_records_refuse_workflow_values_on_create(self):
        """Promises created kept, broken or paid, and log entries of the dunning, are refused; nothing is created."""
        promise = {
            "partner_id": self.customer.id,
            "amount": 100.0,
            "promised_date": fields.Date.to_string(fields.Date.today()),
        }
        for vals in ({"state": "kept"}, {"state": "broken"}, {"amount_paid": 1e9}, {"user_id": self.seller.id}):
            self._refused(self.collector, "customer.payment.promise", "create", {**promise, **vals})
        self.assertFalse(self.env["customer.payment.promise"].search([("partner_id", "=", self.customer.id)]))
        level = self.env["customer.dunning.level"].search([], limit=1)
        for vals in ({"kind": "dunning"}, {"outcome": "sent"}, {"dunning_level_id": level.id}):
            self._refused(self.collector, "customer.collection.log", "create", {"partner_id": self.customer.id, **vals})
        self.assertFalse(self.env["customer.collection.log"].search([("partner_id", "=", self.customer.id)]))
        promise_id = self._call(self.collector, "customer.payment.promise", "create", promise)
        self._refused(self.collector, "customer.payment.promise", "write", [promise_id], {"state": "kept"})
        self.assertEqual(self.env["customer.payment.promise"].browse(promise_id).state, "open")

    def test_mismatched_relations_are_refused(self):
        """A promise on another customer's invoice, a version of a contact, a dunning template of another model and a
        release made by hand are refused; nothing is written."""
        other = self.env["res.partner"].create({"name": "Otro Cliente", "is_company": True})
        self.assertIn(
            "is not the one of",
            self._refused(
                self.credit_manager,
                "customer.payment.promise",
                "create",
                {
                    "partner_id": other.id,
                    "amount": 100.0,
                    "promised_date": fields.Date.to_string(fields.Date.today()),
                    "invoice_ids": [[6, 0, self.invoice.ids]],  # as an integrator sends Command.set
                },
            ),
        )
        self.assertFalse(self.env["customer.payment.promise"].search([("partner_id", "=", other.id)]))
        contact = self.env["res.partner"].create({"name": "Contacto", "parent_id": self.customer.id})
        self.assertIn(
            "not of its contact",
            self._refused(
                self.seller,
                "customer.commercial.condition",
                "create",
                {"partner_id": contact.id, "reason": "x", "credit_limit": 100.0},
            ),
        )
        self.assertFalse(self._versions(contact))
        partner_template = self.env["mail.template"].create(
            {"name": "Plantilla", "model_id": self.env.ref("base.model_res_partner").id}
        )
        self.assertIn(
            "must be for invoices",
            self._refused(
                self.admin_cm,
                "customer.dunning.level",
                "create",
                {"name": "Nivel Raro", "sequence": 1000, "days_overdue": 400, "mail_template_id": partner_template.id},
            ),
        )
        self.assertFalse(self.env["customer.dunning.level"].search([("name", "=", "Nivel Raro")]))
        self._refused(
            self.credit_manager,
            "customer.credit.release",
            "create",
            {"order_id": self.order.id, "partner_id": other.id, "company_id": self.company.id, "reason": "x"},
        )
        self.assertFalse(self.order.credit_release_ids)

    def test_statement_runs_record_their_own_progress(self):
        """A collector queues a statement run, and cannot mark it or its statements sent by hand."""
        today = fields.Date.to_string(fields.Date.today())
        run_id = self._call(
            self.collector,
            "customer.statement.run",
            "create",
            {"date_from": today, "date_to": today, "line_ids": [[0, 0, {"partner_id": self.customer.id}]]},
        )
        run = self.env["customer.statement.run"].browse(run_id)
        self._refused(self.collector, "customer.statement.run", "write", [run_id], {"state": "done"})
        self._refused(self.collector, "customer.statement.run.line", "write", run.line_ids.ids, {"state": "sent"})
        self.assertRecordValues(run, [{"state": "draft", "user_id": self.collector.id}])
        self.assertEqual(run.line_ids.state, "pending")
        self._call(self.collector, "customer.statement.run", "action_queue", [run_id])
        self.assertEqual(run.state, "queued")

    def test_dunning_runs_are_recorded_by_the_dunning_only(self):
        """Nobody, an administrator neither, creates, changes or deletes a dunning run over XML-RPC; they read it."""
        run = self.env["customer.dunning.run"]._run_dunning(self.company, fields.Date.today(), partners=self.customer)
        self.assertTrue(run, "the company's default dunning levels make a run")
        recorded = run.read(["entry_count", "user_id", "company_id"])
        today = fields.Date.to_string(fields.Date.today())
        forged = {"name": "DUN/FALSA", "company_id": self.company.id, "user_id": self.collector.id, "date": today}
        for user in (self.collector, self.credit_manager, self.admin_cm):
            self._refused(user, "customer.dunning.run", "create", forged)
            self._refused(user, "customer.dunning.run", "write", run.ids, {"entry_count": 99, "user_id": user.id})
            self._refused(user, "customer.dunning.run", "unlink", run.ids)
        self.assertFalse(self.env["customer.dunning.run"].search([("name", "=", "DUN/FALSA")]))
        self.assertEqual(run.read(["entry_count", "user_id", "company_id"]), recorded)
        [values] = self._call(self.collector, "customer.dunning.run", "read", run.ids, ["name", "entry_count"])
        self.assertEqual(values["name"], run.name)
