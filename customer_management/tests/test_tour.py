"""The browser tours: classifying a customer, releasing a blocked quotation, following up an overdue one."""

from datetime import date, datetime, time, timedelta

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


@tagged("post_install", "-at_install")
class TestWorkingDayTours(HttpCase):
    """The day of the demo's own users, in Spanish (es_MX), each in its role: a salesperson, a credit manager."""

    browser_size = "1440x900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = cls.env.ref("customer_management.res_users_salesperson_norte_demo")
        cls.credit_manager = cls.env.ref("customer_management.res_users_credit_manager_demo")
        cls.quotation = cls.env.ref("customer_management.sale_order_farmacias_desierto_demo")
        cls.customer = cls.env.ref("customer_management.partner_supermercados_regio_demo")

    def test_blocked_quotation_is_requested_released_and_confirmed(self):
        """The salesperson classifies a customer, is refused a quotation and requests its release; the credit
        manager finds it among the blocked quotations and releases it; the salesperson reads it and confirms."""
        self.assertEqual(self.salesperson.lang, "es_MX")
        self.assertTrue(self.quotation.credit_blocked)
        self.start_tour(
            f"/odoo/action-customer_management.res_partner_action_customer/{self.customer.id}",
            "customer_management_salesperson_classifies_tour",
            login="luis.garza",
        )
        self.assertRecordValues(
            self.customer,
            [
                {
                    "customer_segment": "retail",
                    "customer_channel_id": self.env.ref("customer_management.customer_channel_ecommerce_demo").id,
                }
            ],
        )
        self.start_tour(
            f"/odoo/sales/{self.quotation.id}",
            "customer_management_salesperson_requests_release_tour",
            login="luis.garza",
        )
        request = self.quotation.credit_release_request_ids
        self.assertRecordValues(request, [{"state": "pending", "user_id": self.salesperson.id}])
        activities = self.quotation.activity_ids
        self.assertIn(self.credit_manager, activities.user_id)
        activity = activities.filtered(lambda activity: activity.user_id == self.credit_manager)
        self.assertEqual(activity.summary, f"¿Liberar {self.quotation.name}?")

        self.start_tour(
            "/odoo/credit-blocked-quotations",
            "customer_management_credit_manager_releases_tour",
            login="patricia.morales",
        )
        self.assertRecordValues(request, [{"state": "released", "decided_by_id": self.credit_manager.id}])
        self.assertFalse(self.quotation.activity_ids & activities)
        self.assertEqual(self.quotation.state, "draft")

        self.start_tour(
            f"/odoo/sales/{self.quotation.id}", "customer_management_salesperson_confirms_tour", login="luis.garza"
        )
        self.assertEqual(self.quotation.state, "sale")

    def test_approver_approves_conditions_from_its_activity(self):
        """The salesperson's raise reaches the credit manager as an activity, which leads to the approval."""
        self.customer.credit_limit = 80000.0
        version = (
            self.env["customer.commercial.condition"]
            .with_user(self.salesperson)
            .create({"partner_id": self.customer.id, "credit_limit": 150000.0, "reason": "Apertura de sucursales"})
        )
        # Submitted in English, read by the credit manager in its own language.
        version.with_user(self.salesperson).with_context(lang="en_US").action_submit()
        self.assertEqual(version.state, "to_approve")
        self.assertIn(self.credit_manager, version.activity_ids.user_id)
        activity = version.activity_ids.filtered(lambda activity: activity.user_id == self.credit_manager)
        self.assertEqual(activity.summary, "Aprobar condiciones comerciales")
        self.start_tour("/odoo", "customer_management_approver_approves_tour", login="patricia.morales")
        self.assertRecordValues(version, [{"state": "active", "approved_by_id": self.credit_manager.id}])
        self.assertFalse(version.activity_ids)

    def test_credit_manager_finds_customers_at_risk(self):
        """The customers list shows the credit status, cuts no header, has a filter panel that fits the screen,
        and its filter At Risk lists the customer on hold."""
        customer = self.env.ref("customer_management.partner_distribuidora_coahuilense_demo")
        self.assertEqual(customer.with_user(self.credit_manager).credit_status, "blocked")
        self.start_tour(
            "/odoo/action-customer_management.res_partner_action_customer",
            "customer_management_credit_manager_customers_tour",
            login="patricia.morales",
        )

    def test_administrator_sets_the_credit_policy(self):
        """The administrator, in Spanish, reads the settings with their units, none cut, and saves the grace days."""
        admin = self.env.ref("base.user_admin")
        admin.lang = "es_MX"
        company = admin.company_id
        self.assertNotEqual(company.customer_credit_grace_days, 10)
        self.start_tour(
            "/odoo/action-sale.action_sale_config_settings",
            "customer_management_administrator_settings_tour",
            login="admin",
        )
        self.assertEqual(company.customer_credit_grace_days, 10)

    def test_salesperson_sets_a_window_and_confirms_in_it(self):
        """The salesperson gives a customer its Tuesday morning window in Monterrey; a quotation promised for a
        Sunday shows the warning and is confirmed in the next slot, Tuesday 09:00 there (15:00 UTC)."""
        customer = self.env.ref("customer_management.partner_frontera_norte_demo")
        self.assertFalse(customer.delivery_window_ids)
        self.start_tour(
            f"/odoo/action-customer_management.res_partner_action_customer/{customer.id}",
            "customer_management_salesperson_sets_delivery_window_tour",
            login="luis.garza",
        )
        self.assertRecordValues(customer.delivery_window_ids, [{"weekday": "1", "hour_from": 9.0, "hour_to": 13.0}])
        self.assertEqual(customer.tz, "America/Monterrey")
        today = fields.Date.today()
        sunday = today + timedelta(days=6 - today.weekday() or 7)
        quotation = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": self.salesperson.id,
                "commitment_date": datetime.combine(sunday, time(16, 0)),
                "order_line": [
                    Command.create({"product_id": self.env.ref("customer_management.product_arroz_demo").id})
                ],
            }
        )
        self.assertTrue(quotation.delivery_window_warning)
        self.start_tour(
            f"/odoo/sales/{quotation.id}", "customer_management_salesperson_confirms_in_window_tour", login="luis.garza"
        )
        self.assertEqual(quotation.state, "sale")
        self.assertEqual(quotation.commitment_date, datetime.combine(sunday + timedelta(days=2), time(15, 0)))
        self.assertEqual(quotation.picking_ids.scheduled_date, quotation.commitment_date)

    def test_dispatcher_follows_the_dispatched_deliveries(self):
        """The demo dispatcher opens a customer's dispatched deliveries from its form and reads their carrier and
        tracking number."""
        customer = self.env.ref("customer_management.partner_comercializadora_norte_demo")
        dispatcher = self.env.ref("customer_management.res_users_dispatcher_demo")
        self.assertGreaterEqual(customer.with_user(dispatcher).customer_dispatched_delivery_count, 2)
        self.start_tour(
            f"/odoo/contacts/{customer.id}",
            "customer_management_dispatcher_follows_deliveries_tour",
            login="ricardo.salinas",
        )


@tagged("post_install", "-at_install")
class TestWorkingDayPhoneTour(HttpCase):
    """The salesperson's request from a phone, in Spanish."""

    browser_size = "390x844"
    touch_enabled = True

    def test_salesperson_requests_release_on_a_phone(self):
        """On a phone the salesperson reads the hold's reason and requests the release from the action menu."""
        quotation = self.env.ref("customer_management.sale_order_coahuilense_demo")
        self.assertTrue(quotation.credit_blocked)
        self.start_tour(
            f"/odoo/sales/{quotation.id}",
            "customer_management_salesperson_requests_release_phone_tour",
            login="luis.garza",
        )
        self.assertRecordValues(
            quotation.credit_release_request_ids,
            [{"state": "pending", "user_id": self.env.ref("customer_management.res_users_salesperson_norte_demo").id}],
        )


@tagged("post_install", "-at_install")
class TestAfterSalesTour(HttpCase):
    """The customer service lead's return, in Spanish: filed, received, credited."""

    def test_service_files_a_return_receives_and_credits_it(self):
        customer = self.env.ref("customer_management.partner_supermercados_el_sol_demo")
        service = self.env.ref("customer_management.res_users_service_demo")
        self.start_tour(
            "/odoo/action-customer_management.customer_claim_action",
            "customer_management_service_processes_a_return_tour",
            login="sofia.herrera",
        )
        claim = self.env["customer.claim"].search([("partner_id", "=", customer.id), ("create_uid", "=", service.id)])
        self.assertRecordValues(claim, [{"claim_type": "return", "user_id": service.id}])
        self.assertRecordValues(claim.line_ids, [{"quantity": 5.0, "qty_returned": 5.0, "qty_credited": 5.0}])
        self.assertEqual(claim.line_ids.sale_line_id.order_id.partner_id, customer)
        self.assertEqual(claim.picking_ids.state, "done")
        self.assertEqual(claim.picking_ids.return_id.sale_id, claim.line_ids.sale_line_id.order_id)
        self.assertRecordValues(claim.credit_note_ids, [{"move_type": "out_refund", "state": "draft"}])
        self.assertEqual(claim.credit_note_ids.invoice_line_ids.price_unit, claim.line_ids.sale_line_id.price_unit)


@tagged("post_install", "-at_install")
class TestServiceLogTour(HttpCase):
    """The customer service lead logs a call on a claim, in Spanish: its follow-up reaches the claim's responsible."""

    def test_service_logs_a_call_that_needs_a_follow_up(self):
        claim = self.env.ref("customer_management.customer_claim_norte_oil_demo")
        service = self.env.ref("customer_management.res_users_service_demo")
        self.start_tour(
            f"/odoo/action-customer_management.customer_claim_action/{claim.id}",
            "customer_management_service_logs_a_call_tour",
            login="sofia.herrera",
        )
        log = claim.service_log_ids.filtered(
            lambda entry: entry.user_id == service and "mandará mañana" in (entry.note or "")
        )
        self.assertRecordValues(log, [{"kind": "call", "outcome": "follow_up", "partner_id": claim.partner_id.id}])
        handle = self.env.ref("customer_management.mail_activity_type_claim_handle")
        activity = claim.activity_ids.filtered(lambda activity: activity.activity_type_id == handle)
        self.assertRecordValues(activity, [{"user_id": claim.user_id.id, "create_uid": service.id}])
