"""The collections: dunning levels, runs and cron, payment promises, the collection log, their rights."""

import xmlrpc.client
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import COLLECTOR_GROUPS, CustomerCreditCase, RpcCase

TODAY = fields.Date.to_string(fields.Date.today())


class CollectionsCase(CustomerCreditCase):
    """Three dunning levels of the company (1, 15 and 45 days), a collector and an invoice overdue since yesterday."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["customer.dunning.level"].search([]).active = False
        cls.collector = new_test_user(cls.env, login="cm_collector", groups=COLLECTOR_GROUPS)
        cls.level_reminder, cls.level_call, cls.level_hold = cls.env["customer.dunning.level"].create(
            [
                {
                    "name": "Reminder",
                    "sequence": 1,
                    "days_overdue": 1,
                    "mail_template_id": cls.env.ref("customer_management.mail_template_dunning_reminder").id,
                },
                {
                    "name": "Call",
                    "sequence": 2,
                    "days_overdue": 15,
                    "mail_template_id": cls.env.ref("customer_management.mail_template_dunning_second").id,
                    "activity_type_id": cls.env.ref("mail.mail_activity_data_call").id,
                    "activity_user_id": cls.collector.id,
                },
                {"name": "Hold", "sequence": 3, "days_overdue": 45, "put_on_hold": True},
            ]
        )
        cls.customer.email = "pagos@comercializadora.example.com"
        cls.today = fields.Date.context_today(cls.customer)
        cls.invoice = cls._create_invoice(days_due=-1)

    def _run(self, days_later=0):
        """The entries of a dunning run of the customer, ``days_later`` than today."""
        return self._run_record(days_later).entry_ids

    def _run_record(self, days_later=0, partners=None):
        """A dunning run of ``partners`` (the customer by default), ``days_later`` than today."""
        partners = self.customer if partners is None else partners
        return self.env["customer.dunning.run"]._run_dunning(
            self.company, self.today + timedelta(days=days_later), partners=partners
        )

    def _mails(self, invoice=None):
        invoice = invoice or self.invoice
        return self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "=", invoice.id), ("recipient_ids", "in", self.customer.ids)]
        )


@tagged("post_install", "-at_install")
class TestDunningLevels(CollectionsCase):
    def test_days_must_increase_with_the_sequence(self):
        """A level after another one with fewer days overdue is refused."""
        with self.assertRaisesRegex(ValidationError, "must increase"):
            self.env["customer.dunning.level"].create({"name": "Too early", "sequence": 4, "days_overdue": 30})

    def test_days_must_be_positive(self):
        """A level applying before the due date is refused."""
        with self.assertRaisesRegex(ValidationError, "one day overdue"):
            self.env["customer.dunning.level"].create({"name": "Before", "sequence": 0, "days_overdue": 0})

    def test_collector_reads_levels_but_cannot_change_them(self):
        """Collectors read the levels; only managers change them."""
        self.assertEqual(self.level_call.with_user(self.collector).days_overdue, 15)
        with self.assertRaises(AccessError):
            self.level_call.with_user(self.collector).days_overdue = 20
        self.level_call.with_user(self.cm_manager).days_overdue = 20
        self.assertEqual(self.level_call.days_overdue, 20)


@tagged("post_install", "-at_install")
class TestDunningCron(CollectionsCase):
    def test_first_level_queues_the_reminder(self):
        """An invoice overdue for a day reaches the first level and its reminder waits in the mail queue."""
        entries = self._run()
        self.assertEqual(entries.move_id, self.invoice)
        self.assertRecordValues(
            self.invoice, [{"customer_dunning_level_id": self.level_reminder.id, "customer_dunning_date": self.today}]
        )
        mail = self._mails()
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertIn(self.invoice.name, mail.subject)
        self.assertIn(self.customer, mail.recipient_ids)
        self.assertIn("Days overdue: 1", mail.body_html)

    def test_never_twice_for_the_same_level(self):
        """Running the cron again the same day or the next sends nothing more."""
        self._run()
        self.assertFalse(self._run())
        self.assertFalse(self._run(days_later=1))
        self.assertEqual(len(self._mails()), 1)
        self.assertEqual(self.env["customer.dunning.entry"].search_count([("move_id", "=", self.invoice.id)]), 1)

    def test_successive_dates_move_through_the_levels(self):
        """Day after day, the invoice reaches each level once; the second one schedules a call for the collector."""
        self._run()
        self._run(days_later=14)
        self.assertEqual(self.invoice.customer_dunning_level_id, self.level_call)
        self.assertEqual(len(self._mails()), 2)
        activity = self.invoice.activity_ids
        self.assertRecordValues(
            activity, [{"activity_type_id": self.level_call.activity_type_id.id, "user_id": self.collector.id}]
        )
        self._run(days_later=44)
        self.assertEqual(self.invoice.customer_dunning_level_id, self.level_hold)
        entries = self.env["customer.dunning.entry"].search([("move_id", "=", self.invoice.id)])
        self.assertEqual(entries.level_id, self.level_reminder | self.level_call | self.level_hold)

    def test_a_late_invoice_jumps_to_its_highest_level(self):
        """An invoice 20 days overdue when first seen gets the 15-day level only."""
        invoice = self._create_invoice(days_due=-20)
        self._run()
        self.assertEqual(invoice.customer_dunning_level_id, self.level_call)
        entries = self.env["customer.dunning.entry"].search([("move_id", "=", invoice.id)])
        self.assertEqual(entries.level_id, self.level_call)

    def test_hold_level_puts_the_customer_on_hold(self):
        """Reaching a hold level puts the customer on credit hold and says why in its chatter."""
        self.assertFalse(self.customer.credit_hold)
        self._run(days_later=44)
        self.assertTrue(self.customer.credit_hold)
        self.assertIn("Hold", self.customer.message_ids[0].body)

    def test_paid_invoice_is_not_reminded(self):
        """A paid invoice reaches no level."""
        self._register_payment(self.invoice, self.invoice.amount_total)
        self.assertFalse(self._run())
        self.assertFalse(self._mails())

    def test_cron_logs_the_reminder(self):
        """Each reminder is a dunning entry of the customer's collection log."""
        self._run()
        log = self.customer.collection_log_ids
        self.assertRecordValues(log, [{"kind": "dunning", "dunning_level_id": self.level_reminder.id}])
        self.assertEqual(log.invoice_ids, self.invoice)


@tagged("post_install", "-at_install")
class TestDunningRun(CollectionsCase):
    def test_run_records_who_when_and_what_it_sent(self):
        """A run records its company, date and user, and the reminders it sent: customers, entries, levels."""
        late = self._create_invoice(days_due=-20)
        run = self._run_record()
        self.assertRecordValues(
            run,
            [
                {
                    "company_id": self.company.id,
                    "user_id": self.env.user.id,
                    "date": self.today,
                    "partner_count": 1,
                    "entry_count": 2,
                    "level_ids": (self.level_reminder | self.level_call).ids,
                }
            ],
        )
        self.assertTrue(run.name.startswith("DUN/"))
        self.assertEqual(run.entry_ids.move_id, self.invoice | late)
        self.assertEqual(run.level_summary, "Reminder: 1, Call: 1")

    def test_run_counts_each_customer_once(self):
        """Two customers with two reminders each count two customers and four reminders, per level."""
        other = self._create_customer("Abarrotes Segundo Cliente", email="pagos@segundo.example.com")
        self._create_invoice(days_due=-2)
        self._create_invoice(customer=other, days_due=-1)
        self._create_invoice(customer=other, days_due=-16)
        run = self._run_record(partners=self.customer | other)
        self.assertRecordValues(run, [{"partner_count": 2, "entry_count": 4}])
        self.assertEqual(run._get_entry_counts_by_level()[run], {self.level_reminder: 3, self.level_call: 1})

    def test_run_with_nothing_due_records_nothing_sent(self):
        """A run that finds no invoice to remind is recorded all the same, with no reminder."""
        self._run()
        run = self._run_record()
        self.assertRecordValues(run, [{"partner_count": 0, "entry_count": 0, "level_ids": []}])
        self.assertFalse(run.entry_ids)
        self.assertFalse(run.level_summary)

    def test_cron_creates_one_run_per_company_with_levels(self):
        """The daily cron records one run for each company with dunning levels, none for a company without."""
        with_levels = self._create_company("Empresa Con Niveles")
        self._create_company("Empresa Sin Niveles")
        self.env["customer.dunning.level"].create({"name": "Aviso", "days_overdue": 3, "company_id": with_levels.id})
        self.env["customer.dunning.run"]._cron_run_dunning(self.today)
        runs = self.env["customer.dunning.run"].search([("date", "=", self.today)])
        self.assertEqual(len(runs), 2)
        self.assertEqual(runs.company_id, self.company | with_levels)
        self.assertIn(self.invoice, runs.filtered(lambda run: run.company_id == self.company).entry_ids.move_id)

    def test_collector_reads_runs_but_nobody_writes_them(self):
        """Collectors and managers read the runs; nobody creates, changes or deletes one by hand."""
        run = self._run_record()
        self.assertEqual(run.with_user(self.collector).entry_count, 1)
        self.assertEqual(run.with_user(self.cm_manager).entry_ids, run.entry_ids)
        for user in (self.collector, self.credit_manager, self.cm_manager):
            runs = self.env["customer.dunning.run"].with_user(user)
            # Refused by the workflow fields first (an AccessError is a UserError), by the access rights in any case.
            with self.assertRaises(UserError):
                runs.create({"name": "Falsa", "company_id": self.company.id, "user_id": user.id, "date": self.today})
            with self.assertRaises(UserError):
                runs.browse(run.id).entry_count = 0
            with self.assertRaises(AccessError):
                runs.create({})
            with self.assertRaises(AccessError):
                runs.browse(run.id).unlink()
        self.assertFalse(self.env["customer.dunning.run"].search([("name", "=", "Falsa")]))
        self.assertEqual(run.entry_count, 1)

    def test_salesperson_does_not_see_runs(self):
        """The runs, as their entries, are for collectors and accountants."""
        run = self._run_record()
        with self.assertRaises(AccessError):
            run.with_user(self.seller_north).read(["entry_count"])

    def test_other_company_runs_are_hidden(self):
        """A collector does not see the runs of a company it does not work for."""
        other = self._create_company("Otra Empresa de Cobranza")
        self.env["customer.dunning.level"].create({"name": "Aviso", "days_overdue": 3, "company_id": other.id})
        run = self.env["customer.dunning.run"]._run_dunning(other, self.today)
        self.assertNotIn(run, self.env["customer.dunning.run"].with_user(self.collector).search([]))
        self.collector.company_ids |= other
        self.assertIn(run, self.env["customer.dunning.run"].with_user(self.collector).search([]))


@tagged("post_install", "-at_install")
class TestDunningByHand(CollectionsCase):
    """A collector previews, then runs, the dunning of the customers it selected."""

    def _wizard(self, user, partners):
        return (
            self.env["customer.dunning.run.wizard"]
            .with_user(user)
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create({})
        )

    def test_preview_then_run_for_the_selected_customers(self):
        """The preview lists the reminders of the selected customers only; running sends them, and no other."""
        other = self._create_customer("Abarrotes Sin Seleccionar", email="pagos@otro.example.com")
        other_invoice = self._create_invoice(customer=other, days_due=-20)
        wizard = self._wizard(self.collector, self.customer)
        self.assertEqual(wizard.partner_ids, self.customer)
        self.assertEqual(wizard.reminder_count, 1)
        self.assertIn(self.invoice.name, wizard.preview)
        self.assertNotIn(other_invoice.name, wizard.preview)
        self.assertFalse(
            self.env["customer.dunning.entry"].search([("move_id", "in", (self.invoice | other_invoice).ids)])
        )
        action = wizard.action_run()
        run = self.env["customer.dunning.run"].browse(action["res_id"])
        self.assertRecordValues(run, [{"user_id": self.collector.id, "entry_count": 1}])
        self.assertEqual(run.entry_ids.move_id, self.invoice)
        self.assertEqual(self._wizard(self.collector, self.customer).reminder_count, 0)  # applied: nothing left

    def test_salesperson_cannot_run_the_dunning(self):
        """A salesperson who is not a collector cannot preview nor run it; nothing is sent."""
        with self.assertRaises(AccessError):
            self._wizard(self.seller_north, self.customer)
        self.assertFalse(self.env["customer.dunning.entry"].search([("move_id", "=", self.invoice.id)]))


@tagged("post_install", "-at_install")
class TestPaymentPromises(CollectionsCase):
    def _promise(self, amount=500.0, days=0, user=None):
        env = self.env(user=user) if user else self.env
        return env["customer.payment.promise"].create(
            {"partner_id": self.customer.id, "amount": amount, "promised_date": self.today + timedelta(days=days)}
        )

    def _evaluate(self, days_later=2):
        return self.env["customer.payment.promise"]._cron_evaluate_promises(self.today + timedelta(days=days_later))

    def test_promise_kept_by_a_payment(self):
        """A payment covering the amount by the promised date keeps the promise."""
        promise = self._promise(amount=500.0)
        self._register_payment(self.invoice, 500.0)
        self._evaluate()
        evaluated = self.today + timedelta(days=2)
        self.assertRecordValues(promise, [{"state": "kept", "amount_paid": 500.0, "date_evaluated": evaluated}])

    def test_promise_broken_without_enough_payment(self):
        """A payment short of the amount breaks the promise, and the customer counts it."""
        promise = self._promise(amount=500.0)
        self._register_payment(self.invoice, 200.0)
        self._evaluate()
        self.assertRecordValues(promise, [{"state": "broken", "amount_paid": 200.0}])
        self.customer.invalidate_recordset(["broken_promise_count"])
        self.assertEqual(self.customer.broken_promise_count, 1)

    def test_promise_waits_for_its_date(self):
        """A promise is not judged before its date and grace day have passed."""
        promise = self._promise(days=5)
        self._evaluate(days_later=6)
        self.assertEqual(promise.state, "open")
        self._evaluate(days_later=7)
        self.assertEqual(promise.state, "broken")

    def test_dunning_cron_evaluates_promises(self):
        """The daily cron evaluates the promises too."""
        promise = self._promise()
        self.env["customer.dunning.run"]._cron_run_dunning(self.today + timedelta(days=2))
        self.assertEqual(promise.state, "broken")

    def test_amount_must_be_positive(self):
        """A promise of nothing is refused."""
        with self.assertRaisesRegex(ValidationError, "positive amount"):
            self._promise(amount=0.0)

    def test_date_cannot_be_past(self):
        """A promise due before the day it is recorded is refused."""
        with self.assertRaisesRegex(ValidationError, "before the day"):
            self._promise(days=-1)

    def test_collector_records_a_promise_from_the_customer(self):
        """A collector records a promise from the customer's Collections page."""
        action = self.customer.with_user(self.collector).action_record_payment_promise()
        form = Form(self.env[action["res_model"]].with_user(self.collector).with_context(**action["context"]))
        form.amount = 300.0
        form.promised_date = self.today + timedelta(days=3)
        promise = form.save()
        self.assertRecordValues(
            promise, [{"partner_id": self.customer.id, "user_id": self.collector.id, "state": "open"}]
        )
        self.assertEqual(self.customer.payment_promise_ids, promise)

    def test_salesperson_reads_but_cannot_record_promises(self):
        """A plain salesperson reads the customer's promises but cannot record one."""
        promise = self._promise()
        self.assertEqual(promise.with_user(self.seller_north).amount, 500.0)
        with self.assertRaises(AccessError):
            self._promise(user=self.seller_north)


@tagged("post_install", "-at_install")
class TestCollectionLog(CollectionsCase):
    def test_collector_logs_a_call(self):
        """A collector logs a call from the customer's form; the log is on the commercial customer."""
        contact = self.env["res.partner"].create({"name": "Contadora", "parent_id": self.customer.id})
        log = (
            self.env["customer.collection.log"]
            .with_user(self.collector)
            .create({"partner_id": contact.id, "kind": "call", "outcome": "promised", "note": "Pagará el viernes"})
        )
        self.assertRecordValues(log, [{"partner_id": self.customer.id, "user_id": self.collector.id}])
        self.assertEqual(self.customer.collection_log_ids, log)

    def test_collector_logs_a_contact_from_the_customer(self):
        """*Log a Contact* on the customer opens a new log entry for it."""
        action = self.customer.with_user(self.collector).action_log_collection_contact()
        form = Form(self.env[action["res_model"]].with_user(self.collector).with_context(**action["context"]))
        form.kind = "visit"
        form.outcome = "disputed"
        log = form.save()
        self.assertRecordValues(log, [{"partner_id": self.customer.id, "kind": "visit", "outcome": "disputed"}])

    def test_accountant_reads_receivable_follow_up(self):
        """An accountant who is no collector reads the log, the promises and the dunning entries, and writes none."""
        accountant = new_test_user(
            self.env, login="cm_accountant", groups="base.group_user,account.group_account_invoice"
        )
        self._run()
        promise = self.env["customer.payment.promise"].create(
            {"partner_id": self.customer.id, "amount": 100.0, "promised_date": self.today}
        )
        env = self.env(user=accountant)
        self.assertEqual(env["customer.collection.log"].search([("partner_id", "=", self.customer.id)]).kind, "dunning")
        self.assertEqual(env["customer.payment.promise"].browse(promise.id).amount, 100.0)
        self.assertEqual(env["customer.dunning.entry"].search([("move_id", "=", self.invoice.id)]).days_overdue, 1)
        with self.assertRaises(AccessError):
            env["customer.collection.log"].create({"partner_id": self.customer.id, "kind": "call"})

    def test_salesperson_reads_but_cannot_log(self):
        """A plain salesperson reads the log of its customers but cannot write one."""
        log = self.env["customer.collection.log"].create(
            {"partner_id": self.customer.id, "kind": "visit", "outcome": "reached"}
        )
        self.assertEqual(log.with_user(self.seller_north).kind, "visit")
        with self.assertRaises(AccessError):
            self.env["customer.collection.log"].with_user(self.seller_north).create(
                {"partner_id": self.customer.id, "kind": "call"}
            )

    def test_salesperson_does_not_see_dunning_entries(self):
        """The dunning entries are for collectors and accountants."""
        self._run()
        with self.assertRaises(AccessError):
            self.env["customer.dunning.entry"].with_user(self.seller_north).search([])
        self.assertTrue(self.env["customer.dunning.entry"].with_user(self.collector).search([]))

    def test_other_company_logs_are_hidden(self):
        """A collector does not see the logs of a company it does not work for."""
        other = self._create_company("Otra Empresa")
        log = self.env["customer.collection.log"].create(
            {"partner_id": self.customer.id, "kind": "call", "outcome": "reached", "company_id": other.id}
        )
        logs = self.env["customer.collection.log"].with_user(self.collector).search([])
        self.assertNotIn(log, logs)
        self.collector.company_ids |= other
        logs = self.env["customer.collection.log"].with_user(self.collector).search([])
        self.assertIn(log, logs)


@tagged("post_install", "-at_install")
class TestCollectionsRpc(RpcCase):
    """Bad promises and levels over XML-RPC: a clear fault, nothing saved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = cls._create_rpc_user("cm_rpc_collector", COLLECTOR_GROUPS)
        cls.customer = cls.env["res.partner"].create({"name": "Cliente RPC", "is_company": True, "customer_rank": 1})

    def test_promise_without_amount_is_refused(self):
        """A promise of zero is a fault saying why, and no promise is saved."""
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._xml_rpc(
                self.collector,
                "customer.payment.promise",
                "create",
                {"partner_id": self.customer.id, "amount": 0, "promised_date": TODAY},
            )
        self.assertIn("A payment promise needs a positive amount.", caught.exception.faultString)
        self.assertFalse(self.env["customer.payment.promise"].search([("partner_id", "=", self.customer.id)]))

    def test_promise_without_date_is_refused(self):
        """A promise without a date is a fault, and no promise is saved."""
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._xml_rpc(
                self.collector, "customer.payment.promise", "create", {"partner_id": self.customer.id, "amount": 100}
            )
        self.assertIn("promised_date", caught.exception.faultString)
        self.assertFalse(self.env["customer.payment.promise"].search([("partner_id", "=", self.customer.id)]))

    def test_contact_without_outcome_or_note_is_refused(self):
        """A contact logged with neither its outcome nor a note (blank does not count) is a fault saying why, in
        the caller's language, and no log is saved; with a note alone, it is."""
        self.env["res.lang"]._activate_lang("es_MX")
        for vals in ({}, {"note": "   "}):
            with self.subTest(vals=vals), self.assertRaises(xmlrpc.client.Fault) as caught:
                self._xml_rpc(
                    self.collector, "customer.collection.log", "create",
                    {"partner_id": self.customer.id, "kind": "call", **vals}, context={"lang": "es_MX"},
                )  # fmt: skip
            self.assertIn("necesita su resultado o una nota", caught.exception.faultString)
            self.assertNotIn("Traceback", caught.exception.faultString)
            self.assertFalse(self.env["customer.collection.log"].search([("partner_id", "=", self.customer.id)]))
        self._xml_rpc(
            self.collector, "customer.collection.log", "create",
            {"partner_id": self.customer.id, "kind": "visit", "note": "Dejó recado en tesorería"},
        )  # fmt: skip
        self.assertEqual(self.customer.collection_log_ids.mapped("kind"), ["visit"])

    def test_collector_records_a_promise(self):
        """A collector records a promise and reads it back open."""
        promise_id = self._xml_rpc(
            self.collector,
            "customer.payment.promise",
            "create",
            {"partner_id": self.customer.id, "amount": 150, "promised_date": TODAY},
        )
        [values] = self._xml_rpc(
            self.collector, "customer.payment.promise", "read", [promise_id], fields=["state", "amount"]
        )
        self.assertEqual((values["state"], values["amount"]), ("open", 150))


@tagged("post_install", "-at_install")
class TestDunningQueries(CollectionsCase):
    def _count_queries(self, customer, days_later):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self._run_record(days_later, partners=customer)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_queries_do_not_grow_with_the_invoices(self):
        """Beyond its mails and activities, a level costs the same queries for six invoices as for one."""
        many = self._create_customer("Abarrotes Muchas Facturas", email="pagos@muchas.example.com")
        for _index in range(6):
            self._create_invoice(customer=many, days_due=-1)
        warm_up = self._create_customer("Abarrotes Primero", email="pagos@primero.example.com")
        self._create_invoice(customer=warm_up, days_due=-1)
        self._count_queries(warm_up, 44)  # the registry's caches (defaults, fields) fill on the first run
        one = self._count_queries(self.customer, 44)
        six = self._count_queries(many, 44)
        # One query per invoice would cost five more; the customers' own records may differ by one.
        self.assertLessEqual(six, one + 1)
