"""Release requests and credit holds over XML-RPC: the salesperson asks, the credit managers are told and answer,
the salesperson is notified; a hold says why, since when and by whom. Nothing of the workflow is a caller's."""

from odoo.tests import tagged

from .common import CreditSecurityRpcCase

ACTIVITY_TYPE = "customer_management.mail_activity_type_credit_release"


@tagged("post_install", "-at_install")
class TestCreditRequestRpc(CreditSecurityRpcCase):
    """A salesperson requests the release of its blocked quotation; a credit manager releases or refuses it."""

    def _request(self, user=None, note="El cliente paga con cheque certificado el viernes", order=None, **kwargs):
        order = order or self.order
        wizard_id = self._call(
            user or self.seller,
            "customer.credit.release.request.wizard",
            "create",
            {"order_id": order.id, "note": note},
        )
        return self._call(
            user or self.seller, "customer.credit.release.request.wizard", "action_request", [wizard_id], **kwargs
        )

    def _answer(self, method, user=None, reason="Autorizado por dirección comercial"):
        wizard_id = self._call(
            user or self.credit_manager,
            "customer.credit.release.wizard",
            "create",
            {"order_id": self.order.id, "reason": reason},
        )
        return self._call(user or self.credit_manager, "customer.credit.release.wizard", method, [wizard_id])

    def _activities(self, order=None):
        return (
            self.env["mail.activity"]
            .search([("res_model", "=", "sale.order"), ("res_id", "=", (order or self.order).id)])
            .filtered(lambda activity: activity.activity_type_id == self.env.ref(ACTIVITY_TYPE))
        )

    def _credit_managers(self):
        group = self.env.ref("customer_management.customer_management_group_credit_manager")
        return group.users.filtered(lambda user: not user.share and self.company in user.company_ids)

    def _notified(self, user, text):
        """The order's messages that notify ``user`` and contain ``text``."""
        return self.order.message_ids.filtered(
            lambda message: user.partner_id in message.partner_ids and text in message.body
        )

    def test_request_reaches_every_credit_manager_once(self):
        """The request gives each credit manager of the company one activity, whatever the context asks; asking
        again is refused and adds nothing."""
        # A caller's context that would skip core's automated activities does not silence the request.
        self._request(context={"mail_activity_automation_skip": True})
        request = self.order.credit_release_request_ids
        self.assertRecordValues(request, [{"state": "pending", "user_id": self.seller.id}])
        activities = self._activities()
        self.assertIn(self.credit_manager, activities.user_id)
        self.assertIn(self.credit_manager_2, activities.user_id)
        self.assertEqual(sorted(activities.user_id.ids), sorted(self._credit_managers().ids))
        self.assertTrue(self.order.credit_release_requested)
        self.assertIn("Release requested by cm_sec_seller", self.order.with_user(self.seller).partner_credit_warning)

        wizard_id = self._call(
            self.seller, "customer.credit.release.request.wizard", "create", {"order_id": self.order.id, "note": "Otra"}
        )
        fault = self._refused(self.seller, "customer.credit.release.request.wizard", "action_request", [wizard_id])
        self.assertIn("already asked for the release", fault)
        self.assertEqual(len(self.order.credit_release_request_ids), 1)
        self.assertEqual(self._activities(), activities)

    def test_request_needs_a_blocked_quotation_and_a_note(self):
        """No note, or an order the credit control does not block, is refused and records nothing."""
        fault = self._refused(
            self.seller,
            "customer.credit.release.request.wizard",
            "action_request",
            [
                self._call(
                    self.seller,
                    "customer.credit.release.request.wizard",
                    "create",
                    {"order_id": self.order.id, "note": "  "},
                )
            ],
        )
        self.assertIn("the note is required", fault)
        self.customer.credit_limit = 0.0
        wizard_id = self._call(
            self.seller, "customer.credit.release.request.wizard", "create", {"order_id": self.order.id, "note": "Hola"}
        )
        fault = self._refused(self.seller, "customer.credit.release.request.wizard", "action_request", [wizard_id])
        self.assertIn("needs no release", fault)
        self.assertFalse(self.order.credit_release_request_ids)
        self.assertFalse(self._activities())

    def test_workflow_of_requests_is_not_a_callers(self):
        """A salesperson cannot create, write or answer a request but through the wizards."""
        self._refused(
            self.seller,
            "customer.credit.release.request",
            "create",
            {"order_id": self.order.id, "user_id": self.seller.id, "note": "Forjada", "state": "released"},
        )
        self._refused(
            self.seller,
            "sale.order",
            "write",
            [self.order.id],
            {"credit_release_request_ids": [[0, 0, {"user_id": self.seller.id, "note": "Forjada"}]]},
        )
        self.assertFalse(self.order.credit_release_request_ids)
        self._request()
        request = self.order.credit_release_request_ids
        self._refused(self.seller, "customer.credit.release.request", "write", [request.id], {"state": "released"})
        wizard_id = self._call(
            self.seller_all,
            "customer.credit.release.request.wizard",
            "create",
            {"order_id": self.order.id, "note": "x"},
        )
        self._refused(
            self.seller, "customer.credit.release.wizard", "create", {"order_id": self.order.id, "reason": "Yo"}
        )
        self.assertTrue(wizard_id)
        self.assertRecordValues(request, [{"state": "pending", "decided_by_id": False}])
        self.assertEqual(self.order.state, "draft")

    def test_release_closes_the_activities_and_notifies_the_salesperson(self):
        """A credit manager releases without confirming: every activity of the request is done, the salesperson
        is notified on the order, and confirms it."""
        self._request()
        self._answer("action_release_only")
        request = self.order.credit_release_request_ids
        self.assertRecordValues(
            request,
            [
                {
                    "state": "released",
                    "decided_by_id": self.credit_manager.id,
                    "decision_note": "Autorizado por dirección comercial",
                }
            ],
        )
        self.assertFalse(self._activities())
        self.assertTrue(self._notified(self.seller, "released the credit block"))
        self.assertEqual(self.order.state, "draft")
        self.assertFalse(self.order.with_user(self.seller).credit_blocked)
        self._call(self.seller, "sale.order", "action_confirm", [self.order.id])
        self.assertEqual(self.order.state, "sale")

    def test_refusal_closes_the_activities_and_notifies_the_salesperson(self):
        """A refused request leaves the order blocked, tells the salesperson why, and can be asked again."""
        self._request()
        self._answer("action_refuse", reason="Primero que pague la factura vencida")
        self.assertRecordValues(
            self.order.credit_release_request_ids, [{"state": "refused", "decided_by_id": self.credit_manager.id}]
        )
        self.assertFalse(self._activities())
        self.assertTrue(self._notified(self.seller, "Primero que pague la factura vencida"))
        self.assertFalse(self.order.credit_release_ids)
        self._refused(self.seller, "sale.order", "action_confirm", [self.order.id])
        self._request(note="Ya pagó la factura vencida")
        self.assertEqual(self.order.credit_release_request_ids.mapped("state"), ["pending", "refused"])

    def test_refusal_needs_a_request_and_a_credit_manager(self):
        """Nothing to refuse without a request; a salesperson cannot answer one."""
        fault = self._refused(
            self.credit_manager,
            "customer.credit.release.wizard",
            "action_refuse",
            [
                self._call(
                    self.credit_manager,
                    "customer.credit.release.wizard",
                    "create",
                    {"order_id": self.order.id, "reason": "No"},
                )
            ],
        )
        self.assertIn("nothing to refuse", fault)

    def test_cancelled_order_withdraws_its_request(self):
        """A request whose order is cancelled is withdrawn, and its activities removed."""
        self._request()
        self._call(
            self.seller, "sale.order", "action_cancel", [self.order.id], context={"disable_cancel_warning": True}
        )
        self.assertRecordValues(self.order.credit_release_request_ids, [{"state": "withdrawn"}])
        self.assertFalse(self._activities())


@tagged("post_install", "-at_install")
class TestCreditHoldRpc(CreditSecurityRpcCase):
    """A credit manager puts a customer on hold with a reason; who and when are recorded; the refusal quotes them."""

    def _hold(self, user=None, reason="Cheques devueltos"):
        user = user or self.credit_manager
        wizard_id = self._call(
            user, "customer.credit.hold.wizard", "create", {"partner_id": self.customer.id, "reason": reason}
        )
        return self._call(user, "customer.credit.hold.wizard", "action_hold", [wizard_id])

    def _hold_values(self):
        return self.customer.sudo().read(
            ["credit_hold", "credit_hold_reason", "credit_hold_user_id", "credit_hold_date"]
        )[0]

    def test_hold_records_reason_who_and_when_and_refusals_quote_them(self):
        """The hold's reason, person and date are on the customer, its banner and its refused orders."""
        self.customer.credit_limit = 0.0  # only the hold blocks
        self._hold()
        values = self._hold_values()
        self.assertTrue(values["credit_hold"])
        self.assertEqual(values["credit_hold_reason"], "Cheques devueltos")
        self.assertEqual(values["credit_hold_user_id"][0], self.credit_manager.id)
        self.assertTrue(values["credit_hold_date"])
        fault = self._refused(self.seller, "sale.order", "action_confirm", [self.order.id])
        self.assertIn("on credit hold since", fault)
        self.assertIn(f"({self.credit_manager.name}): Cheques devueltos", fault)
        message = self._call(self.seller, "res.partner", "read", [self.customer.id], ["credit_block_message"])
        self.assertIn("Cheques devueltos", message[0]["credit_block_message"])
        self.assertIn("Cheques devueltos", self.order.with_user(self.seller).partner_credit_warning)
        self._call(self.credit_manager, "res.partner", "action_lift_credit_hold", [self.customer.id])
        values = self._hold_values()
        self.assertFalse(values["credit_hold"] or values["credit_hold_reason"] or values["credit_hold_user_id"])
        self.assertFalse(
            self._call(self.seller, "res.partner", "read", [self.customer.id], ["credit_block_message"])[0][
                "credit_block_message"
            ]
        )

    def test_hold_without_reason_or_with_forged_log_is_refused(self):
        """A hold without a reason, or with who and when given by the caller, is refused and changes nothing."""
        before = self._hold_values()
        fault = self._refused(self.credit_manager, "res.partner", "write", [self.customer.id], {"credit_hold": True})
        self.assertIn("the reason is required", fault)
        self._refused(
            self.credit_manager,
            "customer.credit.hold.wizard",
            "action_hold",
            [
                self._call(
                    self.credit_manager, "customer.credit.hold.wizard", "create", {"partner_id": self.customer.id}
                )
            ],
        )
        self._refused(
            self.credit_manager,
            "res.partner",
            "write",
            [self.customer.id],
            {"credit_hold": True, "credit_hold_reason": "Mora", "credit_hold_user_id": self.seller.id},
        )
        self._refused(
            self.credit_manager,
            "res.partner",
            "write",
            [self.customer.id],
            {"credit_hold": True, "credit_hold_reason": "Mora", "credit_hold_date": "2020-01-01 00:00:00"},
        )
        self._refused(
            self.seller, "res.partner", "write", [self.customer.id], {"credit_hold": True, "credit_hold_reason": "Mora"}
        )
        self._refused(self.seller, "res.partner", "action_lift_credit_hold", [self.customer.id])
        self._refused(
            self.seller, "customer.credit.hold.wizard", "create", {"partner_id": self.customer.id, "reason": "x"}
        )
        self.assertEqual(self._hold_values(), before)

    def test_empty_hold_fields_of_a_form_are_accepted_and_clear_nothing(self):
        """A form sends its empty fields: a customer created from an invoice's dialog with an empty reason, who and
        when is created; a held customer's write with them keeps its hold's reason, person and date."""
        empty = {"credit_hold_reason": False, "credit_hold_user_id": False, "credit_hold_date": False}
        for user in (self.seller, self.credit_manager):
            partner_id = self._call(user, "res.partner", "create", {"name": f"Cliente de Factura {user.id}", **empty})
            self.assertFalse(self.env["res.partner"].browse(partner_id).credit_hold)
        self._hold()
        held = self._hold_values()
        self._call(self.credit_manager, "res.partner", "write", [self.customer.id], {"comment": "Visita", **empty})
        self.assertEqual(self._hold_values(), held)

    def test_at_risk_customers_are_found(self):
        """The At Risk filter finds the customers blocked or in warning, and no other."""
        at_risk = [("credit_status", "in", ["warning", "blocked"])]
        # Its invoice is far from its limit; its quotation is not confirmed yet.
        self.assertNotIn(self.customer.id, self._call(self.credit_manager, "res.partner", "search", at_risk))
        self._hold()
        found = self._call(self.seller, "res.partner", "search", at_risk)
        self.assertIn(self.customer.id, found)
        self.assertNotIn(self.cash_customer.id, found)
        fault = self._refused(self.credit_manager, "res.partner", "search", [("credit_status", ">", "ok")])
        self.assertIn("Credit Status is searched with", fault)
