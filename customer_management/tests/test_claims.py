"""Claims: the customer's (its entity, whichever contact opened it), closed with a resolution and dated by their
stages, about the customer's own confirmed orders, counted on the customer 360."""

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestClaims(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Ferretería La Llave S.A. de C.V.", "is_company": True})
        cls.person = cls.env["res.partner"].create({"name": "Marta Quiroga", "parent_id": cls.customer.id})
        cls.other = cls.env["res.partner"].create({"name": "Tlapalería El Tornillo", "is_company": True})
        cls.product = cls.env["product.product"].create({"name": "Taladro Percutor", "list_price": 1200.0})
        cls.other_product = cls.env["product.product"].create({"name": "Broca 1/4", "list_price": 35.0})
        cls.order = cls._confirmed(cls.customer)
        cls.other_order = cls._confirmed(cls.other)
        cls.resolved = cls.env.ref("customer_management.customer_claim_stage_resolved")
        cls.in_progress = cls.env.ref("customer_management.customer_claim_stage_in_progress")
        cls.seller = new_test_user(cls.env, login="cm_claim_seller", groups="sales_team.group_sale_salesman")

    @classmethod
    def _confirmed(cls, partner):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 4})],
            }
        )
        order.action_confirm()
        return order

    def _claim(self, **values):
        return self.env["customer.claim"].create({"partner_id": self.person.id, **values})

    def test_claim_of_a_contact_is_its_customers(self):
        claim = self._claim(description="<p>Llegó golpeado</p>")
        self.assertEqual(claim.partner_id, self.customer)
        self.assertEqual(claim.contact_id, self.person)
        self.assertTrue(claim.name.startswith("RCL/"))
        self.assertEqual(claim.stage_id, self.env.ref("customer_management.customer_claim_stage_new"))
        self.assertFalse(claim.is_closed)
        with self.assertRaises(ValidationError):
            claim.contact_id = self.other

    def test_closing_needs_a_resolution_and_dates_the_claim(self):
        claim = self._claim()
        with self.assertRaises(ValidationError):
            claim.stage_id = self.resolved
        self.assertEqual(claim.stage_id, self.env.ref("customer_management.customer_claim_stage_new"))
        claim.write({"stage_id": self.resolved.id, "resolution": "<p>Se repuso el taladro</p>"})
        self.assertTrue(claim.date_closed)
        claim.stage_id = self.in_progress
        self.assertFalse(claim.date_closed)

    def test_closing_date_is_the_workflows(self):
        claim = self._claim()
        claim.with_user(self.seller).description = "<p>Lo usa un salesperson</p>"
        with self.assertRaises(UserError):
            claim.with_user(self.seller).date_closed = "2026-01-01 10:00:00"
        with self.assertRaises(UserError):
            self.env["customer.claim"].with_user(self.seller).create(
                {"partner_id": self.customer.id, "date_closed": "2026-01-01 10:00:00"}
            )
        self.assertFalse(claim.date_closed)

    def test_lines_are_about_the_customers_confirmed_orders(self):
        claim = self._claim(claim_type="claim")
        line = self.env["customer.claim.line"].create(
            {"claim_id": claim.id, "sale_line_id": self.order.order_line.id, "quantity": 2}
        )
        self.assertEqual(line.product_id, self.product)
        self.assertEqual(line.order_id, self.order)
        for values in (
            {"sale_line_id": self.other_order.order_line.id},  # another customer's order
            {"sale_line_id": self.order.order_line.id, "product_id": self.other_product.id},
            {"product_id": self.product.id, "quantity": 0},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self.env["customer.claim.line"].create({"claim_id": claim.id, **values})
        quotation = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "order_line": [Command.create({"product_id": self.product.id})]}
        )
        with self.assertRaises(ValidationError):
            self.env["customer.claim.line"].create({"claim_id": claim.id, "sale_line_id": quotation.order_line.id})
        # Nor can the claim move to another customer with the lines of this one's orders.
        with self.assertRaises(ValidationError):
            claim.partner_id = self.other
        self.assertEqual(claim.line_ids, line)

    def test_lines_from_a_delivery_or_an_invoice_follow_their_order_line(self):
        """A line given a delivered move or an invoice line takes its order line and product; another customer's
        invoice, an undelivered move, or a document of another product are refused."""
        order = self._confirmed(self.customer)
        picking = order.picking_ids
        pending_move = picking.move_ids
        claim = self._claim(claim_type="claim")
        Line = self.env["customer.claim.line"]
        with self.assertRaises(ValidationError):
            Line.create({"claim_id": claim.id, "move_id": pending_move.id})
        picking.move_ids.write({"quantity": 4, "picked": True})
        picking.button_validate()
        from_move = Line.create({"claim_id": claim.id, "move_id": picking.move_ids.id, "quantity": 1})
        self.assertEqual((from_move.sale_line_id, from_move.product_id), (order.order_line, self.product))
        invoice = order._create_invoices()
        invoice.action_post()
        from_invoice = Line.create({"claim_id": claim.id, "invoice_line_id": invoice.invoice_line_ids.id})
        self.assertEqual((from_invoice.sale_line_id, from_invoice.product_id), (order.order_line, self.product))
        other_invoice = self.other_order._create_invoices()
        other_invoice.action_post()
        for values in (
            {"invoice_line_id": other_invoice.invoice_line_ids.id},
            {"invoice_line_id": invoice.invoice_line_ids.id, "product_id": self.other_product.id},
            {"move_id": picking.move_ids.id, "sale_line_id": self.order.order_line.id},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                Line.create({"claim_id": claim.id, **values})
        self.assertEqual(claim.line_ids, from_move | from_invoice)

    def test_open_claims_on_the_customer_360_and_summary(self):
        self.env["customer.claim.sla"].search([]).active = False
        self.env["customer.claim.sla"].create({"name": "Normal", "priority": "0", "resolution_hours": 40})
        self._claim()
        closed = self._claim(resolution="<p>Nota de crédito emitida</p>")
        closed.stage_id = self.resolved
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.claim_open_count, 1)
        action = self.customer.with_context(customer_360_count="claim_open_count").action_open_customer_360()
        self.assertEqual(self.env["customer.claim"].search(action["domain"]).stage_id.is_closed, False)
        [summary] = self.customer.get_customer_summary()
        self.assertEqual(
            summary["after_sales"],
            {
                "claim_open_count": 1,
                "claim_closed_count": 1,
                "claim_returns_value_12m": 0.0,
                "claim_sla_compliance": 100.0,  # closed at once, well within its 40 working hours
                "claim_sla_closed_count": 1,
                "service_log_count": 0,
            },
        )

    def test_the_responsible_gets_an_activity(self):
        """A claim filed by someone else for its responsible reaches it as an activity, done once it closes."""
        handler = new_test_user(self.env, login="cm_claim_handler", groups="sales_team.group_sale_salesman")
        claim = self._claim(user_id=handler.id)
        handle = self.env.ref("customer_management.mail_activity_type_claim_handle")
        self.assertRecordValues(claim.activity_ids, [{"activity_type_id": handle.id, "user_id": handler.id}])
        own = self.env["customer.claim"].with_user(self.seller).create({"partner_id": self.customer.id})
        self.assertFalse(own.activity_ids)  # filed by its own responsible: nobody waits
        own.user_id = handler
        self.assertEqual(own.activity_ids.user_id, handler)
        claim.write({"stage_id": self.resolved.id, "resolution": "<p>Resuelto</p>"})
        self.assertFalse(claim.activity_ids)
