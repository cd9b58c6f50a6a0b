"""Who reads a customer's credit figures over XML-RPC: its fields, searches, totals, summary and messages."""

from odoo.tests import tagged

from .common import CreditSecurityRpcCase

# The figures a customer's credit is made of, and who may read them (README, Security).
CREDIT_STANDING = ("customer_credit_limit", "credit_status", "credit_hold", "credit_grace_days")
RECEIVABLE_FIGURES = ("credit_exposure", "credit_available", "overdue_amount", "receivable_1_30", "avg_days_to_pay")


@tagged("post_install", "-at_install")
class TestCreditFiguresRpc(CreditSecurityRpcCase):
    """Each credit figure is read, searched and totalled by the groups the README names only, and the messages
    tell the others no more."""

    def test_credit_figures_readers(self):
        """Each credit figure is read by the groups the README names, and refused to the others."""
        readers = {
            self.portal: (),
            self.seller: CREDIT_STANDING,
            self.seller_all: CREDIT_STANDING + RECEIVABLE_FIGURES,
            self.collector: CREDIT_STANDING + RECEIVABLE_FIGURES,
            self.credit_manager: CREDIT_STANDING + RECEIVABLE_FIGURES,
            self.accountant: CREDIT_STANDING + RECEIVABLE_FIGURES,
        }
        for user, readable in readers.items():
            # The customer itself is readable: what is refused is the figure.
            self._call(user, "res.partner", "read", [self.customer.id], ["name"])
            for fname in CREDIT_STANDING + RECEIVABLE_FIGURES:
                with self.subTest(user=user.login, field=fname):
                    if fname in readable:
                        self._call(user, "res.partner", "read", [self.customer.id], [fname])
                    else:
                        self.assertIn(fname, self._refused(user, "res.partner", "read", [self.customer.id], [fname]))

    def test_own_salesperson_neither_searches_nor_summarises_receivables(self):
        """A salesperson of its own documents cannot search by what customers owe, and its summary leaves it out."""
        self.assertIn(
            "overdue_amount",
            self._refused(self.seller, "res.partner", "search_count", [("overdue_amount", ">", 0)]),
        )
        self._refused(self.seller, "res.partner", "search", [], order="receivable_1_30 desc")
        [summary] = self._call(self.seller, "res.partner", "get_customer_summary", [self.customer.id])
        self.assertEqual(summary["exposure"], {"credit_hold": False, "credit_status": "ok"})
        self.assertEqual(summary["aging"], {})
        self.assertEqual(summary["conditions"]["customer_credit_limit"], 10000.0)
        [summary] = self._call(self.collector, "res.partner", "get_customer_summary", [self.customer.id])
        self.assertIn("credit_exposure", summary["exposure"])
        self.assertIn("overdue_amount", summary["aging"])

    def test_figures_are_not_totalled_by_read_group(self):
        """Totalling or grouping by a figure is refused cleanly: an access error to whom may not read it, and to
        the others a figure computed when read cannot be totalled."""
        self.assertIn(
            "credit_exposure",
            self._refused(self.seller, "res.partner", "read_group", [], ["credit_exposure:sum"], ["user_id"]),
        )
        self.assertIn(
            "cannot be grouped or totalled",
            self._refused(self.collector, "res.partner", "read_group", [], ["credit_exposure:sum"], ["user_id"]),
        )

    def test_messages_give_figures_to_receivable_readers_only(self):
        """The refusal and the banner tell an own-documents salesperson the limit and the order, not what the
        customer owes; a salesperson of all documents reads the exposure."""
        fault = self._refused(self.seller, "sale.order", "action_confirm", [self.order.id])
        self.assertIn("credit limit", fault)
        self.assertNotIn("exposure", fault)
        [row] = self._call(self.seller, "sale.order", "read", [self.order.id], ["partner_credit_warning"])
        self.assertNotIn("exposure", row["partner_credit_warning"])
        [row] = self._call(self.seller_all, "sale.order", "read", [self.order.id], ["partner_credit_warning"])
        self.assertIn("exposure", row["partner_credit_warning"])

    def test_release_figures_are_receivable_figures(self):
        """An own-documents salesperson reads a release's reason, not the customer's exposure in it."""
        self._refused(self.seller, "customer.credit.release", "search_read", [], ["exposure"])
        self._call(self.seller, "customer.credit.release", "search_read", [], ["reason", "order_amount"])
