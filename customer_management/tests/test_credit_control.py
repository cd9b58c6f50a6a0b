"""The credit control of orders: confirmation refused with the figures, holds, releases, companies."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from ..models.res_partner_credit import CREDIT_MANAGER_GROUP
from .common import CustomerCreditCase


@tagged("post_install", "-at_install")
class TestCreditControl(CustomerCreditCase):
    """Order confirmation refused, with the figures, when the customer's credit cannot take it."""

    def _release(self, order, reason="Cliente histórico, pago comprometido el viernes", user=None):
        wizard = (
            self.env["customer.credit.release.wizard"]
            .with_user(user or self.credit_manager)
            .create({"order_id": order.id, "reason": reason})
        )
        return wizard.action_release()

    def test_order_within_limit_confirms(self):
        """An order the credit limit can take is confirmed."""
        order = self._create_order(amount=5000.0, user_id=self.seller_north.id)
        order.with_user(self.seller_north).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_order_over_limit_is_refused_with_figures(self):
        """Exposure plus the order over the limit is refused; the message gives the limit, the amounts and the
        excess to a reader of receivables, the limit and the order only to a salesperson of its own documents, and
        to both the credit managers who can release it."""
        self._create_order(amount=6000.0).action_confirm()
        order = self._create_order(amount=3000.0, user_id=self.seller_north.id)
        for user, figures, hidden in (
            (self.credit_manager, ("10,000.00", "350.00", "6,900.00", "3,450.00", "3,100.00"), ()),
            (self.seller_north, ("10,000.00", "3,450.00"), ("6,900.00", "3,100.00", "350.00")),
        ):
            with self.assertRaisesRegex(UserError, "credit limit") as caught:
                order.with_user(user).action_confirm()
            message = str(caught.exception)
            # By how much it goes over (to a reader of receivables) and who can release it, by name.
            releasers = message.splitlines()[-1]
            self.assertTrue(releasers.startswith("A credit manager can release it: "), message)
            self.assertIn(self.credit_manager.name, releasers)
            for figure in figures:
                self.assertIn(figure, message)
            for figure in hidden:
                self.assertNotIn(figure, message)
        self.assertEqual(order.state, "draft")

    def test_blocked_quotations_are_found(self):
        """The quotations the credit control blocks are found by ``credit_blocked`` and show it; once released,
        one is no longer blocked but shows its release; an unknown comparison is refused with a clear error."""
        blocked = self._create_order(amount=20000.0)
        fine = self._create_order(amount=10.0)
        orders = blocked | fine
        Order = self.env["sale.order"]

        def found(*condition):
            return Order.search([("id", "in", orders.ids), condition])

        self.assertEqual(found("credit_blocked", "=", True), blocked)
        self.assertEqual(found("credit_blocked", "=", False), fine)
        self.assertEqual(found("credit_blocked", "!=", True), fine)
        self.assertEqual((blocked.credit_check_state, fine.credit_check_state), ("blocked", False))
        # Released, the order is confirmed.
        self._release(blocked)
        orders.invalidate_recordset()
        self.assertEqual(blocked.state, "sale")
        self.assertNotIn(blocked, found("credit_blocked", "=", True))
        # Back to a quotation, the release still covers it: not blocked, shown as released.
        blocked._action_cancel()
        blocked.action_draft()
        orders.invalidate_recordset()
        self.assertNotIn(blocked, found("credit_blocked", "=", True))
        self.assertEqual(blocked.credit_check_state, "released")
        with self.assertRaisesRegex(UserError, "credit control blocks them"):
            Order.search([("credit_blocked", "in", [True])])

    def test_credit_managers_find_the_blocked_quotations(self):
        """The credit managers' menu opens the quotations with the filter of the blocked ones."""
        menu = self.env.ref("customer_management.customer_management_menu_credit_blocked")
        self.assertEqual(menu.groups_id, self.env.ref(CREDIT_MANAGER_GROUP))
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_management.sale_order_action_credit_blocked")
        self.assertIn("search_default_credit_blocked", action["context"])
        blocked = self._create_order(amount=20000.0)
        fine = self._create_order(amount=10.0)
        orders = (
            self.env["sale.order"]
            .with_user(self.credit_manager)
            .search([*safe_eval(action["domain"]), ("credit_blocked", "=", True)])
        )
        self.assertIn(blocked, orders)
        self.assertNotIn(fine, orders)

    def test_customer_on_hold_is_refused(self):
        """A customer on hold has its orders refused, whatever its limit."""
        self.customer.with_user(self.credit_manager).write({"credit_hold": True, "credit_hold_reason": "Mora"})
        order = self._create_order(amount=10.0)
        with self.assertRaisesRegex(UserError, "on credit hold"):
            order.action_confirm()

    def test_overdue_beyond_grace_is_refused(self):
        """An invoice overdue beyond the company's grace days refuses the order, with the amount and the days."""
        invoice = self._create_invoice(amount=200.0, days_due=-10)
        self.company.customer_credit_grace_days = 5
        with self.assertRaisesRegex(UserError, "overdue") as caught:
            self._create_order(amount=10.0).action_confirm()
        self.assertIn("10 days", str(caught.exception))
        self.assertIn(f"{invoice.amount_total:,.2f}", str(caught.exception))

    def test_overdue_covered_by_credits_confirms(self):
        """A customer whose open credit note covers its overdue invoice owes nothing overdue: its order confirms,
        and its status is not blocked, though the aging still shows the invoice past due."""
        invoice = self._create_invoice(amount=200.0, days_due=-40)
        self._create_invoice(amount=250.0, move_type="out_refund")
        self.company.customer_credit_grace_days = 5
        exposure = self._exposure()
        self.assertGreater(exposure.overdue_amount, 0.0)
        self.assertEqual(exposure.overdue_uncovered, 0.0)
        self.assertNotEqual(self.customer.credit_status, "blocked")
        order = self._create_order(amount=10.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertAlmostEqual(self._exposure().aged_31_60, invoice.amount_total)

    def test_overdue_partly_covered_quotes_what_is_left(self):
        """Credits that cover part of the overdue invoices leave the rest to block, and the refusal quotes it."""
        invoice = self._create_invoice(amount=1000.0, days_due=-40)
        refund = self._create_invoice(amount=400.0, move_type="out_refund")
        self.company.customer_credit_grace_days = 5
        with self.assertRaisesRegex(UserError, "overdue") as caught:
            self._create_order(amount=10.0).action_confirm()
        left = invoice.amount_total - refund.amount_total
        self.assertIn(f"{left:,.2f}", str(caught.exception))
        self.assertNotIn(f"{invoice.amount_total:,.2f}", str(caught.exception))

    def test_overdue_within_customer_grace_confirms(self):
        """The customer's own grace days take precedence over the company's."""
        self._create_invoice(amount=200.0, days_due=-10)
        self.customer.with_user(self.credit_manager).credit_grace_days = 15
        order = self._create_order(amount=10.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_unpaid_cash_order_is_refused(self):
        """A cash customer's order is refused until paid, when the company blocks."""
        customer = self._create_customer("Tienda de contado", payment_mode="cash")
        with self.assertRaisesRegex(UserError, "pays cash"):
            self._create_order(customer=customer, amount=100.0).action_confirm()

    def test_prepaid_cash_order_confirms(self):
        """A cash customer whose payment not applied yet covers the order gets it confirmed."""
        customer = self._create_customer("Tienda prepagada", payment_mode="cash")
        self._create_invoice(customer=customer, amount=200.0, move_type="out_refund")
        order = self._create_order(customer=customer, amount=100.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_cash_policy_warn_confirms_with_banner(self):
        """Under the warn policy a cash customer's unpaid order confirms, and its quotation warns."""
        self.company.customer_cash_policy = "warn"
        customer = self._create_customer("Tienda con aviso", payment_mode="cash")
        order = self._create_order(customer=customer, amount=100.0)
        self.assertIn("pays cash", order.partner_credit_warning)
        self.assertFalse(order.credit_blocked)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_quotation_banner_gives_our_reason_only(self):
        """The quotation over the limit warns with our reason and figures, not core's balance-only message."""
        self.company.account_use_credit_limit = True
        order = self._create_order(amount=9000.0)
        self.assertTrue(order.credit_blocked)
        self.assertIn("cannot be confirmed", order.partner_credit_warning)
        self.assertIn("credit limit", order.partner_credit_warning)
        self.assertNotIn("has reached its credit limit", order.partner_credit_warning)

    def test_quotation_banner_updates_in_form(self):
        """Adding lines in the form until over the limit turns the banner on."""
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.customer
            self.assertFalse(form.partner_credit_warning)
            with form.order_line.new() as line:
                line.product_id = self.service
                line.product_uom_qty = 9
            self.assertIn("credit limit", form.partner_credit_warning)

    def test_release_confirms_and_records_figures(self):
        """A released order is confirmed; the log and the chatter keep who, why and the figures."""
        order = self._create_order(amount=9000.0)
        self._release(order)
        self.assertEqual(order.state, "sale")
        self.assertRecordValues(
            order.credit_release_ids,
            [
                {
                    "user_id": self.credit_manager.id,
                    "partner_id": self.customer.id,
                    "reason": "Cliente histórico, pago comprometido el viernes",
                    "credit_limit": 10000.0,
                    "exposure": 0.0,
                    "order_amount": order.amount_total,
                }
            ],
        )
        self.assertIn("credit limit", order.credit_release_ids.blocking_reasons)
        self.assertIn(
            "pago comprometido", order.message_ids[:3].mapped("body")[-1] + "".join(order.message_ids.mapped("body"))
        )

    def test_release_covers_its_amount_only(self):
        """An order that grows after its release needs a new release."""
        order = self._create_order(amount=9000.0)
        self._release(order)
        order._action_cancel()
        order.action_draft()
        order.order_line = [Command.create({"product_id": self.service.id, "product_uom_qty": 1})]
        with self.assertRaisesRegex(UserError, "credit limit"):
            order.action_confirm()

    def test_release_without_reason_saves_nothing(self):
        """A release without a reason is refused and neither logs nor confirms."""
        order = self._create_order(amount=9000.0)
        with self.assertRaisesRegex(UserError, "reason is required"):
            self._release(order, reason="  ")
        self.assertEqual(order.state, "draft")
        self.assertFalse(self.env["customer.credit.release"].search([("order_id", "=", order.id)]))

    def test_release_log_requires_reason(self):
        """The release log itself refuses a blank reason, even from the module's own code (the wizard, as superuser)."""
        order = self._create_order(amount=9000.0)
        with self.assertRaises(ValidationError):
            self.env["customer.credit.release"].sudo().create(
                {"order_id": order.id, "partner_id": self.customer.id, "company_id": self.company.id, "reason": " "}
            )

    def test_salesperson_cannot_release(self):
        """A salesperson can neither open the release wizard nor write a release log."""
        order = self._create_order(amount=9000.0)
        with self.assertRaises(AccessError):
            self._release(order, user=self.seller_north)
        with self.assertRaises(AccessError):
            self.env["customer.credit.release"].with_user(self.seller_north).create(
                {"order_id": order.id, "partner_id": self.customer.id, "company_id": self.company.id, "reason": "x"}
            )
        self.assertEqual(order.state, "draft")

    def test_salesperson_cannot_set_hold_or_grace(self):
        """Only a credit manager puts a customer on hold or changes its grace days."""
        customer = self.customer.with_user(self.seller_north)
        with self.assertRaises(AccessError):
            customer.credit_hold = True
        with self.assertRaises(AccessError):
            customer.credit_grace_days = 90
        self.assertFalse(self.customer.credit_hold)

    def test_hold_change_is_tracked(self):
        """Putting a customer on hold leaves a trace in its chatter."""
        # Records are not tracked in the transaction that creates them: end the fixtures' one first.
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.customer.with_user(self.credit_manager).write({"credit_hold": True, "credit_hold_reason": "Mora"})
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = self.customer.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "credit_hold"
        )
        self.assertTrue(tracked)

    def test_delivery_is_checked_when_enabled(self):
        """With the delivery check on, a delivery of a customer now on hold is refused."""
        order = self._create_order(amount=500.0, product=self.goods)
        order.action_confirm()
        self.customer.credit_hold = True
        self.company.customer_credit_check_delivery = True
        picking = order.picking_ids
        picking.move_ids.write({"quantity": 5.0, "picked": True})
        with self.assertRaisesRegex(UserError, "on credit hold"):
            picking.button_validate()
        self.company.customer_credit_check_delivery = False
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_released_order_is_delivered(self):
        """A released order's delivery passes the delivery check."""
        self.company.customer_credit_check_delivery = True
        self.customer.credit_hold = True
        order = self._create_order(amount=500.0, product=self.goods)
        self._release(order)
        picking = order.picking_ids
        picking.move_ids.write({"quantity": 5.0, "picked": True})
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_limit_is_per_company(self):
        """The limit of the order's company applies: a customer blocked in one company buys in another."""
        other = self._create_company("Distribuidora del Sur", users=self.env.user, currency_id=self.currency.id)
        self.customer.with_company(other).credit_limit = 100.0
        order = self._create_order(amount=500.0, company_id=other.id)
        with self.assertRaisesRegex(UserError, "credit limit"):
            order.with_company(other).action_confirm()
        order = self._create_order(amount=500.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_release_log_readable_by_users_within_their_companies(self):
        """Module users read the releases of their companies only, and cannot change them."""
        order = self._create_order(amount=9000.0)
        self._release(order)
        other = self._create_company("Distribuidora del Sur", currency_id=self.currency.id)
        foreign = self._create_order(amount=10.0, company_id=other.id)
        foreign_release = self.env["customer.credit.release"].create(
            {"order_id": foreign.id, "partner_id": self.customer.id, "company_id": other.id, "reason": "Otra empresa"}
        )
        releases = self.env["customer.credit.release"].with_user(self.seller_north).search([])
        self.assertIn(order.credit_release_ids, releases)
        self.assertNotIn(foreign_release, releases)
        with self.assertRaises(AccessError):
            order.credit_release_ids.with_user(self.credit_manager).write({"reason": "Otra razón"})

    def test_cash_order_paid_online_confirms(self):
        """A cash customer's order paid online (a done transaction covering it) is confirmed."""
        customer = self._create_customer("Tienda en línea", payment_mode="cash")
        order = self._create_order(customer=customer, amount=100.0)
        provider = self.env["payment.provider"].search([("company_id", "=", self.company.id)], limit=1)
        method = self.env["payment.method"].with_context(active_test=False).search([("code", "=", "unknown")], limit=1)
        self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": method.id,
                "reference": "CM-CASH-ONLINE",
                "amount": order.amount_total,
                "currency_id": order.currency_id.id,
                "partner_id": customer.id,
                "sale_order_ids": [Command.set(order.ids)],
                "state": "done",
            }
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_customers_on_hold_are_searchable(self):
        """The customers on hold in the current company are found by searching the hold."""
        other = self._create_customer("Cliente al corriente")
        self.customer.credit_hold = True
        found = self.env["res.partner"].search([("credit_hold", "=", True), ("id", "in", (self.customer | other).ids)])
        self.assertEqual(found, self.customer)
