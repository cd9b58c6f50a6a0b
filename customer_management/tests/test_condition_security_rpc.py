"""The commercial conditions over XML-RPC: who requests and who approves a version, and what it records."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import CREDIT_MANAGER_GROUPS, SALESPERSON_GROUPS, CreditSecurityRpcCase


@tagged("post_install", "-at_install")
class TestConditionSecurityRpc(CreditSecurityRpcCase):
    """A version is requested by who submits it, approved by the credit managers its raise needs, and keeps its
    workflow, its dates and its history from its requester."""

    def _temporary_raise(self, limit=200000.0, days=7):
        """A raise approved for ``days`` days from today, by an administrator, over terms in force for a month."""
        today = fields.Date.today()
        self._versions().filtered(lambda version: version.state == "active").sudo().date_from = today - timedelta(30)
        version_id = self._create_version(
            self.admin_cm, credit_limit=limit, date_to=fields.Date.to_string(today + timedelta(days=days))
        )
        self._call(self.admin_cm, "customer.commercial.condition", "action_submit", [version_id])
        self._call(self.admin_cm, "customer.commercial.condition", "action_approve", [version_id])
        version = self.env["customer.commercial.condition"].browse(version_id)
        self.assertEqual(version.state, "active")
        return version

    def test_context_key_does_not_lift_limit_guard(self):
        """The module's apply flag in the context does not let a credit manager raise above the second approval."""
        versions = self._versions()
        fault = self._refused(
            self.credit_manager,
            "res.partner",
            "write",
            [self.customer.id],
            {"credit_limit": 1000000.0},
            context={"customer_condition_apply": True},
        )
        self.assertIn("second approval", fault)
        self.assertEqual(self.customer.sudo().credit_limit, 10000.0)
        self.assertEqual(self._versions(), versions)

    def test_requester_cannot_be_reassigned_to_approve_own_request(self):
        """A credit manager cannot name another requester of its own request, with or without the flag, nor approve
        it."""
        version_id = self._create_version(self.credit_manager, credit_limit=80000.0)
        self._call(self.credit_manager, "customer.commercial.condition", "action_submit", [version_id])
        version = self.env["customer.commercial.condition"].browse(version_id)
        self.assertEqual(version.state, "to_approve")
        for context in ({}, {"customer_condition_apply": True}):
            self._refused(
                self.credit_manager,
                "customer.commercial.condition",
                "write",
                [version_id],
                {"requested_by_id": self.credit_manager_2.id},
                context=context,
            )
        self.assertEqual(version.requested_by_id, self.credit_manager)
        self.assertIn(
            "your own request",
            self._refused(self.credit_manager, "customer.commercial.condition", "action_approve", [version_id]),
        )
        self.assertEqual(version.state, "to_approve")
        self.assertEqual(self.customer.sudo().credit_limit, 10000.0)

    def test_salesperson_cannot_forge_approval_of_own_draft(self):
        """On its own draft a salesperson writes no state, approver or approval date; the cron applies nothing."""
        version_id = self._create_version(self.seller, credit_limit=90000.0)
        for vals in (
            {"state": "scheduled"},
            {"state": "active"},
            {"approved_by_id": self.credit_manager.id},
            {"approval_date": fields.Datetime.to_string(fields.Datetime.now())},
            {"origin": "installation"},
        ):
            self._refused(self.seller, "customer.commercial.condition", "write", [version_id], vals)
        version = self.env["customer.commercial.condition"].browse(version_id)
        self.assertRecordValues(version, [{"state": "draft", "approved_by_id": False, "approval_date": False}])
        self.env["customer.commercial.condition"]._cron_apply_conditions()
        self.assertEqual(self.customer.sudo().credit_limit, 10000.0)

    def test_workflow_fields_are_refused_on_create(self):
        """A version created with a state, an approver or a recorded origin is refused and not created."""
        versions = self._versions()
        for vals in (
            {"state": "active"},
            {"approved_by_id": self.credit_manager.id},
            {"origin": "installation"},
            {"requested_by_id": self.other_seller.id},
        ):
            self._refused(
                self.seller,
                "customer.commercial.condition",
                "create",
                {"partner_id": self.customer.id, "reason": "x", "credit_limit": 5000.0, **vals},
            )
        self.assertEqual(self._versions(), versions)

    def test_workflow_defaults_from_the_context_are_refused(self):
        """Defaults given in the context for workflow fields are ignored: the fields' own defaults apply."""
        version_id = self._call(
            self.credit_manager,
            "customer.commercial.condition",
            "create",
            {"partner_id": self.customer.id, "reason": "Negociado", "credit_limit": 0.0},
            context={"default_state": "to_approve", "default_requested_by_id": self.credit_manager_2.id},
        )
        version = self.env["customer.commercial.condition"].browse(version_id)
        self.assertRecordValues(version, [{"state": "draft", "requested_by_id": self.credit_manager.id}])
        promise_id = self._call(
            self.collector,
            "customer.payment.promise",
            "create",
            {
                "partner_id": self.customer.id,
                "amount": 500.0,
                "promised_date": fields.Date.to_string(fields.Date.today()),
            },
            context={"default_state": "kept", "default_amount_paid": 500.0, "default_user_id": self.credit_manager.id},
        )
        promise = self.env["customer.payment.promise"].browse(promise_id)
        self.assertRecordValues(promise, [{"state": "open", "amount_paid": 0.0, "user_id": self.collector.id}])
        log_id = self._call(
            self.collector,
            "customer.collection.log",
            "create",
            {"partner_id": self.customer.id, "note": "Llamó la contadora"},
            context={"default_kind": "dunning", "default_outcome": "sent"},
        )
        self.assertRecordValues(
            self.env["customer.collection.log"].browse(log_id), [{"kind": "call", "outcome": False}]
        )

    def test_no_limit_on_partner_needs_approval(self):
        """Lowering a limit to 0 (no limit) is a raise: refused to an accountant and, above the approval amount, to
        a credit manager alone."""
        self.assertIn(
            "credit manager",
            self._refused(self.accountant, "res.partner", "write", [self.customer.id], {"credit_limit": 0.0}),
        )
        self.assertIn(
            "second approval",
            self._refused(self.credit_manager, "res.partner", "write", [self.customer.id], {"credit_limit": 0.0}),
        )
        self.assertEqual(self.customer.sudo().credit_limit, 10000.0)

    def test_no_limit_version_waits_for_approval(self):
        """A version to no limit waits for approval, and the large order stays blocked."""
        version_id = self._create_version(self.seller, credit_limit=0.0)
        self._call(self.seller, "customer.commercial.condition", "action_submit", [version_id])
        self.assertEqual(self.env["customer.commercial.condition"].browse(version_id).state, "to_approve")
        self.assertEqual(self.customer.sudo().credit_limit, 10000.0)
        self._refused(self.seller, "sale.order", "action_confirm", [self.order.id])
        self.assertEqual(self.order.state, "draft")

    def test_cash_to_credit_needs_credit_manager(self):
        """A salesperson cannot move a cash customer to credit, directly or with a version that it applies alone."""
        self.assertIn(
            "cash to credit",
            self._refused(self.seller, "res.partner", "write", [self.cash_customer.id], {"payment_mode": "credit"}),
        )
        self.assertEqual(self.cash_customer.payment_mode, "cash")
        version_id = self._call(
            self.seller,
            "customer.commercial.condition",
            "create",
            {"partner_id": self.cash_customer.id, "reason": "Ya paga a tiempo", "payment_mode": "credit"},
        )
        self._call(self.seller, "customer.commercial.condition", "action_submit", [version_id])
        self.assertEqual(self.env["customer.commercial.condition"].browse(version_id).state, "to_approve")
        self.assertEqual(self.cash_customer.payment_mode, "cash")
        self._call(self.credit_manager, "res.partner", "write", [self.cash_customer.id], {"payment_mode": "credit"})
        self.assertEqual(self.cash_customer.payment_mode, "credit")

    def test_requester_without_email_submits(self):
        """A salesperson without an email address submits a raise for approval."""
        no_mail = self._create_rpc_user("cm_sec_no_mail", SALESPERSON_GROUPS, email=False)
        self.assertFalse(no_mail.email)
        version_id = self._create_version(no_mail, credit_limit=20000.0)
        self._call(no_mail, "customer.commercial.condition", "action_submit", [version_id])
        self.assertEqual(self.env["customer.commercial.condition"].browse(version_id).state, "to_approve")

    def test_credit_manager_without_email_applies_conditions(self):
        """A credit manager without an email address puts conditions in force, replacing the same day's."""
        no_mail = self._create_rpc_user(
            "cm_sec_credit_no_mail", f"{SALESPERSON_GROUPS},{CREDIT_MANAGER_GROUPS}", email=False
        )
        version_id = self._create_version(no_mail, credit_limit=20000.0)
        self._call(no_mail, "customer.commercial.condition", "action_submit", [version_id])
        self.assertEqual(self.env["customer.commercial.condition"].browse(version_id).state, "active")
        self.assertEqual(self.customer.sudo().credit_limit, 20000.0)

    def test_approved_version_keeps_its_dates(self):
        """A credit manager cannot stretch or cut an approved version's end date by hand."""
        version_id = self._create_version(self.credit_manager, credit_limit=9000.0, date_to="2099-01-31")
        self._call(self.credit_manager, "customer.commercial.condition", "action_submit", [version_id])
        version = self.env["customer.commercial.condition"].browse(version_id)
        self.assertEqual(version.state, "active")
        self._refused(self.credit_manager, "customer.commercial.condition", "write", [version_id], {"date_to": False})
        self.assertEqual(fields.Date.to_string(version.date_to), "2099-01-31")

    def test_temporary_raise_cannot_be_made_permanent_alone(self):
        """A salesperson's version keeping a temporary raise beyond its end waits for approval, today or later."""
        temporary = self._temporary_raise()
        tomorrow = fields.Date.to_string(fields.Date.today() + timedelta(days=1))
        for date_from in (fields.Date.to_string(fields.Date.today()), tomorrow):
            version_id = self._create_version(self.seller, credit_limit=200000.0, date_from=date_from)
            self._call(self.seller, "customer.commercial.condition", "action_submit", [version_id])
            self.assertEqual(self.env["customer.commercial.condition"].browse(version_id).state, "to_approve")
        self.assertRecordValues(temporary, [{"state": "active", "date_to": fields.Date.today() + timedelta(days=7)}])

    def test_salesperson_cannot_back_date_conditions(self):
        """A salesperson cannot submit conditions dated before today: the history is what was in force."""
        yesterday = fields.Date.to_string(fields.Date.today() - timedelta(days=1))
        version_id = self._create_version(self.seller, credit_limit=5000.0, date_from=yesterday)
        self.assertIn(
            "before today", self._refused(self.seller, "customer.commercial.condition", "action_submit", [version_id])
        )
        self.assertEqual(self.env["customer.commercial.condition"].browse(version_id).state, "draft")

    def test_another_credit_manager_copies_a_version(self):
        """A copy of a version is a new draft requested by whoever copies it."""
        version_id = self._create_version(self.credit_manager, credit_limit=20000.0)
        copy_id = self._call(self.credit_manager_2, "customer.commercial.condition", "copy", [version_id])
        self.assertRecordValues(
            self.env["customer.commercial.condition"].browse(copy_id),
            [{"state": "draft", "requested_by_id": self.credit_manager_2.id}],
        )

    def test_first_approval_does_not_survive_a_new_submission(self):
        """A first approval is for the terms it saw: reopened and submitted again, the request needs two approvals
        again."""
        version_id = self._create_version(self.seller, credit_limit=300000.0)
        conditions = "customer.commercial.condition"
        self._call(self.seller, conditions, "action_submit", [version_id])
        self._call(self.credit_manager, conditions, "action_approve", [version_id])
        version = self.env[conditions].browse(version_id)
        self.assertEqual(version.first_approved_by_id, self.credit_manager)
        self._call(self.seller, conditions, "action_cancel", [version_id])
        self._call(self.seller, conditions, "action_draft", [version_id])
        self._call(self.seller, conditions, "write", [version_id], {"credit_limit": 9000000.0})
        self._call(self.seller, conditions, "action_submit", [version_id])
        self.assertFalse(version.first_approved_by_id)
        self._call(self.credit_manager_2, conditions, "action_approve", [version_id])
        self.assertEqual(version.state, "to_approve")
        self.assertEqual(self.customer.sudo().credit_limit, 10000.0)

    def _refuse_approval_post(self, version_id, **values):
        """A salesperson's post of an approval on the version, in another's name by ``values``, is refused."""
        self._refused(
            self.seller, "customer.commercial.condition", "message_post", [version_id], body="Aprobado", **values
        )

    def test_nobody_posts_in_anothers_name_on_conditions(self):
        """The conditions' chatter is the approvals' trail: a post in another's name is refused."""
        version_id = self._create_version(self.seller, credit_limit=20000.0)
        messages = self.env["customer.commercial.condition"].browse(version_id).message_ids
        self._refuse_approval_post(version_id, author_id=self.credit_manager.partner_id.id)
        self.assertEqual(self.env["customer.commercial.condition"].browse(version_id).message_ids, messages)

    def test_no_message_in_anothers_name_by_address_or_directly(self):
        """Neither an email address nor a message created by hand puts another's name in a version's history."""
        version_id = self._create_version(self.seller, credit_limit=20000.0)
        version = self.env["customer.commercial.condition"].browse(version_id)
        messages = version.message_ids
        self.credit_manager.email = "credito@distribuidora-occidente.mx"
        self._refuse_approval_post(version_id, email_from=self.credit_manager.email)
        self._refused(
            self.seller,
            "mail.message",
            "create",
            {
                "model": "customer.commercial.condition",
                "res_id": version_id,
                "body": "Aprobado",
                "message_type": "comment",
                "author_id": self.credit_manager.partner_id.id,
            },
        )
        self.assertEqual(version.message_ids, messages)
