"""The customer summary for integrators: the customer's figures over XML-RPC and JSON-RPC."""

import xmlrpc.client

from odoo import fields
from odoo.tests import tagged

from .common import COLLECTOR_GROUPS, CustomerCreditCase, RpcCase


@tagged("post_install", "-at_install")
class TestCustomerSummary(CustomerCreditCase, RpcCase):
    """``res.partner.get_customer_summary``: the customer's figures for integrators, over XML-RPC and JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = cls._create_rpc_user("cm_summary_collector", COLLECTOR_GROUPS)
        cls.customer.write({"user_id": cls.seller_north.id, "customer_discount_percent": 5.0})
        order = cls._create_order(amount=2000.0)
        order.action_confirm()
        cls.overdue = cls._create_invoice(amount=1000.0, days_due=-45)
        cls._register_payment(cls.overdue, 300.0)
        cls.due_soon = cls._create_invoice(amount=400.0, days_due=3)
        cls.refund = cls._create_invoice(amount=100.0, days_due=0, move_type="out_refund")
        cls.contact = cls.env["res.partner"].create({"name": "Tesorería", "parent_id": cls.customer.id})

    def _summary(self, *ids, user=None):
        return self._xml_rpc(user or self.collector, "res.partner", "get_customer_summary", list(ids))

    def test_summary_holds_the_figures_of_the_fields(self):
        """Each section holds the values of the partner's fields, in the order the ids were given."""
        summaries = self._summary(self.customer.id, self.contact.id)
        self.assertEqual([summary["id"] for summary in summaries], [self.customer.id, self.contact.id])
        summary = summaries[0]
        customer = self.customer.with_user(self.collector)
        self.assertEqual(summary["customer"], [self.customer.id, self.customer.display_name])
        self.assertEqual(summary["company"], [self.company.id, self.company.name])
        self.assertEqual(summary["currency"], self.company.currency_id.name)
        self.assertEqual(summary["classification"]["user_id"], [self.seller_north.id, self.seller_north.display_name])
        self.assertEqual(summary["classification"]["payment_mode"], "credit")
        self.assertEqual(summary["conditions"]["customer_credit_limit"], 10000.0)
        self.assertEqual(summary["conditions"]["customer_discount_percent"], 5.0)
        # Ordered 2,000 less the customer's 5% plus taxes, not invoiced; 1,150 - 300 overdue, 460 due soon, a credit
        # note of 115.
        self.assertEqual(summary["exposure"]["credit_exposure"], 2185.0 + 850.0 + 460.0 - 115.0)
        # Overdue for 45 days with no grace days: blocked.
        self.assertEqual(summary["exposure"]["credit_status"], "blocked")
        self.assertEqual(summary["aging"]["receivable_31_60"], 850.0)
        self.assertEqual(summary["aging"]["overdue_amount"], 850.0)
        self.assertEqual(summary["aging"]["due_soon_amount"], 460.0)
        self.assertEqual(summary["aging"]["receivable_not_due"], 460.0 - 115.0)
        self.assertEqual(summary["aging"]["oldest_overdue_days"], 45)
        # The one payment, of the invoice dated 46 days ago, today.
        self.assertEqual(summary["aging"]["avg_days_to_pay"], 46.0)
        self.assertEqual(summary["behaviour"]["sale_count_12m"], 1)
        self.assertEqual(summary["behaviour"]["sales_amount_12m"], 1900.0)
        self.assertEqual(
            summary["behaviour"]["last_sale_date"], fields.Date.to_string(fields.Date.context_today(customer))
        )
        self.assertEqual(summary["history"]["customer_quotation_count"], 0)  # the order is confirmed
        # A salesperson counts only the invoices it may read: those of its own documents.
        self.assertEqual(summary["history"]["customer_invoice_count"], 0)
        # A contact's summary is its customer's.
        self.assertEqual(summaries[1]["customer"], summary["customer"])
        self.assertEqual({**summaries[1], "id": summary["id"]}, summary)

    def test_json_rpc_gives_the_same_summary(self):
        """Over JSON-RPC the summary is the same as over XML-RPC: it needs no conversion either way."""
        response = self._json_rpc(self.collector, "res.partner", "get_customer_summary", [self.customer.id])
        self.assertEqual(response["result"], self._summary(self.customer.id))

    def test_fields_of_other_groups_are_left_out(self):
        """A collector without accounting rights gets no count of payments; with them, it counts every document."""
        [summary] = self._summary(self.customer.id)
        self.assertNotIn("customer_payment_count", summary["history"])
        self.assertNotIn("customer_delivery_count", summary["history"])
        self.collector.groups_id |= self.env.ref("account.group_account_invoice")
        [summary] = self._summary(self.customer.id)
        self.assertEqual(summary["history"]["customer_payment_count"], 1)
        self.assertEqual(summary["history"]["customer_invoice_count"], 2)
        self.assertEqual(summary["history"]["customer_refund_count"], 1)

    def test_portal_user_is_refused(self):
        """A portal user may read its own customer, not its figures: the summary is refused."""
        portal = self._create_rpc_user("cm_summary_portal", "base.group_portal", partner_id=self.contact.id)
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._summary(self.customer.id, user=portal)
        self.assertIn("Only internal users can read the summary of customers.", caught.exception.faultString)

    def test_partner_the_caller_may_not_read_is_refused(self):
        """A partner of another company is refused with an access error, over both protocols, and nothing is read."""
        other_company = self._create_company("Distribuidora del Sur")
        stranger = self.env["res.partner"].create({"name": "Cliente del Sur", "company_id": other_company.id})
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._summary(self.customer.id, stranger.id)
        self.assertIn("doesn't have 'read' access", caught.exception.faultString)
        error = self._json_rpc(self.collector, "res.partner", "get_customer_summary", [stranger.id])["error"]
        self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")

    def test_summary_queries_do_not_grow_with_the_customers(self):
        """The summary of 10 customers takes as many queries as that of 2: each figure is read for the batch."""
        customers = self.customer | self.env["res.partner"].create(
            [{"name": f"Cliente {number}", "is_company": True} for number in range(9)]
        )
        for customer in customers[1:]:
            self._create_invoice(customer=customer, amount=100.0, days_due=-5)
        partners = customers.with_user(self.collector)

        def count_queries(batch):
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self.assertEqual(len(batch.get_customer_summary()), len(batch))
            return self.env.cr.sql_log_count - start

        count_queries(partners[:2])  # the caches of the access rights and groups warm up
        self.assertEqual(count_queries(partners), count_queries(partners[:2]))
