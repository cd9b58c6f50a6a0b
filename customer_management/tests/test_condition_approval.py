"""The approval of commercial conditions: who changes a customer's terms at once, who requests and who approves."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import SALESPERSON_GROUPS, CommercialConditionCase


@tagged("post_install", "-at_install")
class TestConditionApproval(CommercialConditionCase):
    """Who lowers, raises and approves a customer's credit limit, and how many approvals a raise needs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.customer_credit_approval_amount = 50000.0
        cls.accountant_seller = new_test_user(
            cls.env, login="cm_accountant_seller", groups=f"{SALESPERSON_GROUPS},account.group_account_invoice"
        )

    def _request(self, user, credit_limit, **values):
        version = self._create_version(self.customer, credit_limit=credit_limit, requested_by_id=user.id, **values)
        version.with_user(user).action_submit()
        return version

    def _assert_approved_by_another_credit_manager(self, version, credit_limit):
        """The credit manager already on ``version`` cannot approve it; another one puts its limit in force."""
        with self.assertRaises(UserError):
            version.with_user(self.credit_manager).action_approve()
        version.with_user(self.credit_manager_2).action_approve()
        self.assertRecordValues(version, [{"state": "active", "approved_by_id": self.credit_manager_2.id}])
        self.assertEqual(self.customer.credit_limit, credit_limit)

    def test_salesperson_lowers_limit_at_once(self):
        """A salesperson lowers a credit limit without approval."""
        version = self._request(self.seller_north, 4000.0)
        self.assertEqual(version.state, "active")
        self.assertEqual(self.customer.credit_limit, 4000.0)

    def test_salesperson_raise_waits_for_approval(self):
        """A salesperson's raise is a request: the limit does not change until approved."""
        version = self._request(self.seller_north, 20000.0)
        self.assertEqual(version.state, "to_approve")
        self.assertEqual(self.customer.credit_limit, 10000.0)

    def test_salesperson_requests_raise_from_form(self):
        """A salesperson fills a version in the form, sees the pricelist's currency, and submits a raise."""
        pricelist = self.env["product.pricelist"].create({"name": "Mayoreo"})
        with Form(self.env["customer.commercial.condition"].with_user(self.seller_north)) as form:
            form.partner_id = self.customer
            form.credit_limit = 15000.0
            form.pricelist_id = pricelist
            self.assertEqual(form.currency_id, pricelist.currency_id)
            form.reason = "Más volumen"
        version = form.record
        version.action_submit()
        self.assertRecordValues(version, [{"state": "to_approve", "requested_by_id": self.seller_north.id}])
        self.assertTrue(self.customer.with_user(self.seller_north).web_read({"commercial_condition_ids": {}}))

    def test_salesperson_cannot_approve(self):
        """A salesperson cannot approve a request, its own or another's."""
        version = self._request(self.seller_north, 20000.0)
        with self.assertRaises(AccessError):
            version.with_user(self.seller_west).action_approve()
        self.assertEqual(version.state, "to_approve")

    def test_salesperson_cannot_raise_limit_on_customer(self):
        """Even with access to invoicing, a salesperson cannot raise the limit on the customer form."""
        with self.assertRaises(UserError):
            self.customer.with_user(self.accountant_seller).credit_limit = 20000.0
        self.assertEqual(self.customer.credit_limit, 10000.0)

    def test_salesperson_changes_only_own_requests(self):
        """A salesperson cannot change another salesperson's request."""
        version = self._create_version(self.customer, credit_limit=20000.0, requested_by_id=self.seller_north.id)
        with self.assertRaises(AccessError):
            version.with_user(self.seller_west).write({"credit_limit": 30000.0})

    def test_credit_manager_raises_within_amount(self):
        """A credit manager raises a limit up to the approval amount directly on the customer."""
        self.customer.with_user(self.credit_manager).credit_limit = 40000.0
        self.assertEqual(self.customer.credit_limit, 40000.0)
        self.assertEqual(self._versions()[0].approved_by_id, self.credit_manager)

    def test_credit_manager_raise_above_amount_refused_on_customer(self):
        """Above the approval amount, a direct raise is refused with a hint to request it."""
        with self.assertRaises(UserError) as caught:
            self.customer.with_user(self.credit_manager).credit_limit = 60000.0
        self.assertIn("second approval", str(caught.exception))
        self.assertEqual(self.customer.credit_limit, 10000.0)

    def test_raise_above_amount_needs_another_credit_manager(self):
        """Above the amount a credit manager's request needs a second credit manager: no self-approval."""
        version = self._request(self.credit_manager, 60000.0)
        self.assertEqual(version.state, "to_approve")
        self._assert_approved_by_another_credit_manager(version, 60000.0)

    def test_salesperson_raise_above_amount_needs_two_credit_managers(self):
        """Above the amount a salesperson's request waits for two credit managers; the first approval is recorded."""
        version = self._request(self.seller_north, 60000.0)
        version.with_user(self.credit_manager).action_approve()
        self.assertRecordValues(
            version, [{"state": "to_approve", "first_approved_by_id": self.credit_manager.id, "approved_by_id": False}]
        )
        self.assertEqual(self.customer.credit_limit, 10000.0)
        self._assert_approved_by_another_credit_manager(version, 60000.0)

    def test_salesperson_raise_within_amount_needs_one_credit_manager(self):
        """Up to the amount one credit manager approves a salesperson's request."""
        version = self._request(self.seller_north, 40000.0)
        version.with_user(self.credit_manager).action_approve()
        self.assertRecordValues(version, [{"state": "active", "first_approved_by_id": False}])

    def test_administrator_approves_salesperson_raise_alone(self):
        """An administrator approves a salesperson's request above the amount alone."""
        version = self._request(self.seller_north, 0.0)
        version.with_user(self.cm_manager).action_approve()
        self.assertEqual(version.state, "active")
        self.assertEqual(self.customer.credit_limit, 0.0)

    def test_administrator_approves_own_request(self):
        """An administrator may approve its own request."""
        version = self._request(self.cm_manager, 60000.0)
        version.with_user(self.cm_manager).action_approve()
        self.assertEqual(version.state, "active")

    def test_refused_request_changes_nothing(self):
        """A refused request leaves the customer's terms as they were."""
        version = self._request(self.seller_north, 20000.0)
        version.with_user(self.credit_manager).action_refuse()
        self.assertEqual(version.state, "refused")
        self.assertEqual(self.customer.credit_limit, 10000.0)

    def test_no_approval_amount_means_credit_managers_decide(self):
        """With no approval amount, a credit manager's raise applies at once, whatever its size."""
        self.company.customer_credit_approval_amount = 0.0
        version = self._request(self.credit_manager, 900000.0)
        self.assertEqual(version.state, "active")


@tagged("post_install", "-at_install")
class TestConditionFourEyes(CommercialConditionCase):
    """A credit manager's raise is approved by another credit manager, never by its requester."""

    def test_requester_cannot_be_someone_else(self):
        """Who submits is the requester: a credit manager cannot name another to approve its own raise."""
        self.company.customer_credit_approval_amount = 50000.0
        values = {"partner_id": self.customer.id, "credit_limit": 90000.0, "reason": "Temporada"}
        versions = self.env["customer.commercial.condition"].with_user(self.credit_manager)
        with self.assertRaises(UserError):
            versions.create({**values, "requested_by_id": self.credit_manager_2.id})
        version = versions.create(values)
        with self.assertRaises(UserError):
            version.requested_by_id = self.credit_manager_2
        version.action_submit()
        self.assertEqual(version.requested_by_id, self.credit_manager)
        with self.assertRaises(UserError):
            version.action_approve()


@tagged("post_install", "-at_install")
class TestConditionApprovalActivities(CommercialConditionCase):
    """Where a request waits on an approver, an activity reaches the approvers; their answer reaches the requester."""

    def _approval_activities(self, version):
        activity_type = self.env.ref("customer_management.mail_activity_type_condition_approval")
        return version.activity_ids.filtered(lambda activity: activity.activity_type_id == activity_type)

    def _raise(self, **context):
        version = self._create_version(
            self.customer, credit_limit=20000.0, reason="Más volumen", requested_by_id=self.seller_north.id
        )
        version.with_user(self.seller_north).with_context(**context).action_submit()
        return version

    def _requester_notified(self, version, text):
        """The notifications of the requester that say ``text`` and name the version's customer."""
        return (
            self.env["mail.message"]
            .search([("partner_ids", "in", self.seller_north.partner_id.ids), ("body", "ilike", text)])
            .filtered(lambda message: version.partner_id.name in message.body)
        )

    def test_submit_schedules_an_activity_per_approver(self):
        """Each credit manager of the company gets one activity; the requester none."""
        # A caller's context that would skip core's automated activities does not silence the request.
        version = self._raise(mail_activity_automation_skip=True)
        users = self._approval_activities(version).user_id
        self.assertIn(self.credit_manager, users)
        self.assertIn(self.credit_manager_2, users)
        self.assertNotIn(self.seller_north, users)
        self.assertEqual(len(users), len(self._approval_activities(version)))

    def test_approval_closes_the_activities_and_notifies_the_requester(self):
        """Approving marks every approver's activity done and tells the requester."""
        version = self._raise()
        version.with_user(self.credit_manager).action_approve()
        self.assertEqual(version.state, "active")
        self.assertFalse(self._approval_activities(version))
        self.assertTrue(self._requester_notified(version, "approved your commercial conditions"))

    def test_refusal_closes_the_activities_and_notifies_the_requester(self):
        """Refusing marks the activities done and tells the requester."""
        version = self._raise()
        version.with_user(self.credit_manager).action_refuse()
        self.assertFalse(self._approval_activities(version))
        self.assertTrue(self._requester_notified(version, "refused your commercial conditions"))

    def test_cancelled_request_removes_the_activities(self):
        """A request withdrawn by its requester no longer waits on anyone."""
        version = self._raise()
        version.with_user(self.seller_north).action_cancel()
        self.assertFalse(self._approval_activities(version))

    def test_conditions_open_on_to_approve_for_approvers(self):
        """The menu opens the conditions on those to approve for a credit manager, on all for a salesperson."""
        conditions = self.env["customer.commercial.condition"]
        action = conditions.with_user(self.credit_manager)._get_conditions_action()
        self.assertEqual(action["context"], {"search_default_filter_to_approve": 1})
        action = conditions.with_user(self.seller_north)._get_conditions_action()
        self.assertNotIn("search_default_filter_to_approve", str(action.get("context")))
