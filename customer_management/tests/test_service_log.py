"""The service log (contacts about after-sales, counted on the customer 360) and the claims alias (an email from a
known contact opens a claim of its customer)."""

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CustomerManagementCase

EMAIL = """From: Marta Quiroga <marta.quiroga@lallave.example.com>
To: claims@cm-claims.example.com
Subject: {subject}
Message-ID: <{message_id}@lallave.example.com>
Content-Type: text/plain; charset=utf-8

El taladro del pedido llegó con la carcasa rota.
"""


def _customer_and_contact(env):
    customer = env["res.partner"].create({"name": "Ferretería La Llave S.A. de C.V.", "is_company": True})
    contact = env["res.partner"].create(
        {"name": "Marta Quiroga", "parent_id": customer.id, "email": "marta.quiroga@lallave.example.com"}
    )
    return customer, contact


@tagged("post_install", "-at_install")
class TestServiceLog(CustomerManagementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer, cls.person = _customer_and_contact(cls.env)
        cls.other = cls.env["res.partner"].create({"name": "Tlapalería El Tornillo", "is_company": True})
        cls.agent = new_test_user(cls.env, login="cm_service_agent", groups="sales_team.group_sale_salesman")
        cls.colleague = new_test_user(cls.env, login="cm_service_colleague", groups="sales_team.group_sale_salesman")
        cls.claim = cls.env["customer.claim"].create({"partner_id": cls.person.id, "user_id": cls.colleague.id})
        cls.Log = cls.env["customer.service.log"].with_user(cls.agent)

    def test_a_contact_on_a_claim_is_its_customers_and_counted(self):
        log = self.Log.create({"claim_id": self.claim.id, "kind": "call", "outcome": "informed"})
        self.assertEqual(log.partner_id, self.customer)
        self.assertEqual(log.user_id, self.agent)
        self.Log.create({"partner_id": self.person.id, "kind": "visit", "note": "Visita de cortesía"})
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.service_log_count, 2)
        self.assertEqual(self.person.service_log_count, 2)
        self.assertEqual(self.claim.service_log_ids, log)
        [summary] = self.customer.get_customer_summary()
        self.assertEqual(summary["after_sales"]["service_log_count"], 2)
        action = self.customer.with_context(customer_360_count="service_log_count").action_open_customer_360()
        self.assertEqual(len(self.env["customer.service.log"].search(action["domain"])), 2)

    def test_bad_contacts_are_refused(self):
        with self.assertRefused(ValidationError, "outcome or a note"):
            self.Log.create({"partner_id": self.customer.id})
        with self.assertRefused(ValidationError, "not of the customer"):
            self.Log.create({"partner_id": self.other.id, "claim_id": self.claim.id, "outcome": "solved"})
        self.assertFalse(
            self.env["customer.service.log"].search([("partner_id", "in", (self.customer | self.other).ids)])
        )

    def test_a_follow_up_reaches_the_claims_responsible(self):
        handle = self.env.ref("customer_management.mail_activity_type_claim_handle")
        self.claim.activity_ids.unlink()
        self.Log.create({"claim_id": self.claim.id, "outcome": "follow_up", "note": "Enviará fotos"})
        self.assertRecordValues(
            self.claim.activity_ids, [{"activity_type_id": handle.id, "user_id": self.colleague.id}]
        )

    def test_a_user_changes_only_its_own_contacts(self):
        log = self.Log.create({"claim_id": self.claim.id, "outcome": "solved"})
        log.note = "Se repuso la pieza"
        theirs = self.env["customer.service.log"].with_user(self.colleague).browse(log.id)
        self.assertEqual(theirs.note, "Se repuso la pieza")  # read, yes
        with self.assertRefused(AccessError, "customer.service.log"):
            theirs.write({"note": "Otra cosa"})
        self.assertEqual(log.note, "Se repuso la pieza")
        with self.assertRefused(AccessError, "customer.service.log"):
            log.unlink()
        self.assertTrue(log.exists())


@tagged("post_install", "-at_install")
class TestClaimsAlias(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer, cls.person = _customer_and_contact(cls.env)
        cls.alias = cls.env.ref("customer_management.mail_alias_customer_claim")
        cls.alias.alias_domain_id = cls.env["mail.alias.domain"].create({"name": "cm-claims.example.com"})
        cls.leader = new_test_user(cls.env, login="cm_claims_leader", groups="sales_team.group_sale_salesman")
        cls.team = cls.env["crm.team"].create({"name": "Servicio al Cliente", "user_id": cls.leader.id})

    def _receive(self, subject, message_id):
        self.env["mail.thread"].message_process(None, EMAIL.format(subject=subject, message_id=message_id))
        return self.env["customer.claim"].search([("partner_id", "=", self.customer.id)])

    def test_an_email_from_a_contact_opens_a_claim_of_its_customer(self):
        self.alias.alias_defaults = repr({"team_id": self.team.id})
        claim = self._receive("Taladro golpeado", "claim-1")
        self.assertRecordValues(
            claim,
            [
                {
                    "partner_id": self.customer.id,
                    "contact_id": self.person.id,
                    "channel": "email",
                    "team_id": self.team.id,
                    "user_id": self.leader.id,
                }
            ],
        )
        self.assertTrue(claim.name.startswith("RCL/"))  # numbered, not named by the subject
        self.assertIn("Taladro golpeado", claim.description)
        self.assertIn("carcasa rota", claim.description)
        self.assertEqual(claim.activity_ids.user_id, self.leader)
        self.assertIn(self.person, claim.message_partner_ids)
        # A reply goes to the same claim's chatter, not to a new claim.
        reply = EMAIL.format(subject="Re: Taladro golpeado", message_id="claim-1-reply").replace(
            "Content-Type", "In-Reply-To: <claim-1@lallave.example.com>\nContent-Type"
        )
        self.env["mail.thread"].message_process(None, reply)
        self.assertEqual(self.env["customer.claim"].search([("partner_id", "=", self.customer.id)]), claim)
        self.assertEqual(len(claim.message_ids.filtered(lambda message: message.message_type == "email")), 2)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_an_unknown_sender_opens_nothing(self):
        self.person.email = "otra.persona@lallave.example.com"
        self._receive("Sin remitente conocido", "claim-2")
        self.assertFalse(
            self.env["customer.claim"].search([("description", "ilike", "Sin remitente conocido")]),
        )
        self.assertFalse(self.env["customer.claim"].search([("partner_id", "=", self.customer.id)]))
