"""Concurrent confirmations of one customer's orders: the credit limit holds across transactions."""

from unittest.mock import patch

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import CommittedTransactionCase

CONFIRMED = "confirmed"


@tagged("post_install", "-at_install")
class TestCreditConcurrency(CommittedTransactionCase):
    """Two confirmations for one customer in two real, separately committed transactions: the limit holds.

    Each fits the limit, both together do not. Both transactions read the database before either writes, as two
    requests arriving together do; without the write on the customer's row both would pass (see the last test).
    """

    def setUp(self):
        super().setUp()
        with self._environment() as env:
            customer = env["res.partner"].create(
                {"name": "Ferretería Concurrente", "is_company": True, "customer_rank": 1, "payment_mode": "credit"}
            )
            customer.credit_limit = 1000.0
            product = env["product.product"].create(
                {"name": "Servicio concurrente", "type": "service", "list_price": 600.0, "taxes_id": [Command.clear()]}
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": customer.id,
                        "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
                    }
                    for _index in range(2)
                ]
            )
            self.customer_id, self.product_id, self.order_ids = customer.id, product.id, orders.ids
        self.addCleanup(self._delete_fixtures)

    def _delete_fixtures(self):
        with self._environment() as env:
            orders = env["sale.order"].browse(self.order_ids)
            orders._action_cancel()
            orders.unlink()
            env["product.product"].browse(self.product_id).product_tmpl_id.unlink()
            env["res.partner"].browse(self.customer_id).unlink()

    def _confirm_together(self):
        """Confirm both orders at once, each in its own thread and transaction, retried as Odoo retries a request."""

        def confirmation(order_id):
            def confirm(env):
                order = env["sale.order"].browse(order_id)
                self.assertEqual(order.state, "draft")
                order.action_confirm()
                return CONFIRMED

            return confirm

        outcomes, _attempts = self._run_concurrently(*map(confirmation, self.order_ids))
        with self._environment() as env:
            states = env["sale.order"].browse(self.order_ids).mapped("state")
        return outcomes, states

    def test_only_one_of_two_concurrent_orders_passes(self):
        """Of two orders that fit the limit alone but not together, confirmed at once, exactly one passes."""
        outcomes, states = self._confirm_together()
        self.assertEqual(sorted(states), ["draft", "sale"])
        refusals = [outcome for outcome in outcomes.values() if outcome != CONFIRMED]
        self.assertEqual(len(outcomes), 2)
        self.assertEqual(len(refusals), 1)
        self.assertIsInstance(refusals[0], UserError)
        self.assertIn("credit limit", str(refusals[0]))

    def _without_behaviour_refresh(self):
        """The customer 360's refresh at confirmation writes the customer's row too, which would hide the race."""
        return patch.object(
            self.registry["res.partner"], "_refresh_customer_behaviour", lambda model, customers=None: None
        )

    def test_without_the_row_write_both_would_pass(self):
        """The race is real: without writing the customer's row, both snapshots miss the other order."""
        with (
            patch.object(self.registry["customer.exposure"], "_get_lock_query", lambda engine, ids: SQL()),
            self._without_behaviour_refresh(),
        ):
            outcomes, states = self._confirm_together()
        self.assertEqual(states, ["sale", "sale"])
        self.assertEqual(set(outcomes.values()), {CONFIRMED})

    def test_select_for_update_alone_would_let_both_pass(self):
        """A ``SELECT ... FOR UPDATE`` waits for the other transaction, then reads a snapshot without its order."""

        def select_for_update(engine, ids):
            engine.env.cr.execute(SQL("SELECT id FROM res_partner WHERE id = ANY(%s) FOR UPDATE", ids))
            return SQL()

        with (
            patch.object(self.registry["customer.exposure"], "_get_lock_query", select_for_update),
            self._without_behaviour_refresh(),
        ):
            outcomes, states = self._confirm_together()
        self.assertEqual(states, ["sale", "sale"])
        self.assertEqual(set(outcomes.values()), {CONFIRMED})
