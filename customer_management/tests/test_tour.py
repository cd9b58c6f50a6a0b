"""The browser tours: classifying a customer, releasing a blocked quotation, following up an overdue one."""

from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import COLLECTOR_GROUPS


@tagged("post_install", "-at_install")
class TestClassificationTour(HttpCase):
    """A user classifies a customer in the browser."""

    def test_classify_customer_in_browser(self):
        """Open a customer, set segment, payment mode, channel and zone on its Customer page, save."""
        seller = self.env["res.users"].create({"name": "Tour Seller", "login": "cm_tour_seller"})
        self.env["account.payment.term"].browse(
            self.env.ref("account.account_payment_term_immediate").id
        ).name = "Tour Immediate"
        zone = self.env["customer.zone"].create(
            {"name": "Tour Zone South", "user_id": seller.id, "country_ids": [Command.set(self.env.ref("base.gt").ids)]}
        )
        channel = self.env["customer.channel"].create({"name": "Tour Channel"})
        customer = self.env["res.partner"].create({"name": "Cliente del Tour", "is_company": True})
        self.start_tour(
            f"/odoo/action-customer_management.res_partner_action_customer/{customer.id}",
            "customer_management_classification_tour",
            login="admin",
        )
        self.assertRecordValues(
            customer,
            [
                {
                    "customer_segment": "wholesale",
                    "payment_mode": "cash",
                    "customer_channel_id": channel.id,
                    "customer_zone_id": zone.id,
                    "user_id": seller.id,
                    "property_payment_term_id": self.env.ref("account.account_payment_term_immediate").id,
                }
            ],
        )


@tagged("post_install", "-at_install")
class TestCreditReleaseTour(HttpCase):
    """A credit manager releases a blocked quotation in the browser."""

    def test_release_blocked_quotation_in_browser(self):
        """The quotation over the limit shows why, its confirmation is refused, the release confirms it."""
        customer = self.env["res.partner"].create(
            {"name": "Tour Limit Reason S.A.", "is_company": True, "customer_rank": 1, "credit_limit": 1000.0}
        )
        product = self.env["product.product"].create({"name": "Tour Pallet", "type": "service", "list_price": 5000.0})
        order = self.env["sale.order"].create(
            {"partner_id": customer.id, "order_line": [Command.create({"product_id": product.id})]}
        )
        self.start_tour(f"/odoo/sales/{order.id}", "customer_management_credit_release_tour", login="admin")
        self.assertEqual(order.state, "sale")
        self.assertRecordValues(
            order.credit_release_ids,
            [{"user_id": self.env.ref("base.user_admin").id, "reason": "Pedido de temporada autorizado por dirección"}],
        )


@tagged("post_install", "-at_install")
class TestCollectionsTour(HttpCase):
    """A collector follows up an overdue customer in the browser."""

    def test_record_promise_and_log_call_in_browser(self):
        """The 360 page ages the overdue invoice; the Collections page records a promise and logs the call."""
        collector = new_test_user(
            self.env, login="cm_tour_collector", password="cm_tour_collector_pw", groups=COLLECTOR_GROUPS
        )
        customer = self.env["res.partner"].create({"name": "Tour Cobranza S.A.", "is_company": True})
        today = fields.Date.today()
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": today - timedelta(days=130),
                "invoice_date_due": today - timedelta(days=100),
                "invoice_line_ids": [
                    Command.create({"name": "Mercancía", "quantity": 1, "price_unit": 1200.0, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        self.start_tour(
            f"/odoo/action-customer_management.res_partner_action_customer/{customer.id}",
            "customer_management_collections_tour",
            login="cm_tour_collector",
        )
        self.assertRecordValues(
            customer.payment_promise_ids,
            [{"amount": 800.0, "promised_date": date(2099, 1, 15), "state": "open", "user_id": collector.id}],
        )
        self.assertRecordValues(
            customer.collection_log_ids,
            [{"outcome": "promised", "kind": "call", "note": "Pagará la factura vencida la próxima semana"}],
        )
