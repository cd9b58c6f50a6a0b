"""The claims in the customer portal, as the customers' own users reach them: an isolation matrix of who (the contact
who filed the claim, a colleague of the same customer, another customer, a follower of another company) may list,
open, discuss and download what, with zero leaks; the same over XML-RPC; and the filing of a claim from /my/claims."""

import json
import re
import xmlrpc.client
from unittest.mock import patch

from odoo import Command
from odoo.addons.base.controllers.rpc import RPC_FAULT_CODE_ACCESS_ERROR as ACCESS_ERROR
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import SALESPERSON_GROUPS, RpcCase

PORTAL = "base.group_portal"
CLAIM_USER_GROUPS = f"{SALESPERSON_GROUPS},customer_management.customer_management_group_claim_user"


@tagged("post_install", "-at_install")
class TestClaimPortal(RpcCase):
    """Customer A with two portal contacts (the owner who filed the claim, a colleague), customer B with its own
    portal user and claim, and a portal user of another company following A's claim and writing on it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.foreign_company = cls._create_company("Distribuidora Extranjera")
        cls.salesperson = cls._create_rpc_user("cm_portal_seller", CLAIM_USER_GROUPS)
        cls.customer_a = cls.env["res.partner"].create(
            {"name": "Ferretería Aurora", "is_company": True, "user_id": cls.salesperson.id}
        )
        cls.customer_b = cls.env["res.partner"].create({"name": "Tlapalería Boreal", "is_company": True})
        cls.owner = cls._create_portal_user("cm_portal_owner", cls.customer_a)
        cls.colleague = cls._create_portal_user("cm_portal_colleague", cls.customer_a)
        cls.other = cls._create_portal_user("cm_portal_other", cls.customer_b)
        foreign_customer = cls.env["res.partner"].create(
            {"name": "Importadora Lejana", "is_company": True, "company_id": cls.foreign_company.id}
        )
        cls.foreign = cls._create_portal_user(
            "cm_portal_foreign",
            foreign_customer,
            company_id=cls.foreign_company.id,
            company_ids=[Command.set(cls.foreign_company.ids)],
        )
        cls.foreign.partner_id.company_id = cls.foreign_company

        cls.product = cls.env["product.product"].create({"name": "Taladro Percutor", "type": "consu"})
        cls.claim_a = cls._create_claim(cls.customer_a, cls.owner, "Taladro sin percutor")
        cls.claim_b = cls._create_claim(cls.customer_b, cls.other, "Brocas oxidadas")
        cls.attachment_a = cls._attach(cls.claim_a, "foto_taladro.txt", b"TALADRO-A")
        cls.attachment_b = cls._attach(cls.claim_b, "foto_brocas.txt", b"BROCAS-B")
        # Then the follower of another company is subscribed to A's claim: it is sent what is written on it from
        # then on, it wrote on it once (by email, say), and is not sent the internal notes.
        cls.claim_a.message_subscribe(partner_ids=cls.foreign.partner_id.ids)
        for body, author, subtype in (
            ("Aviso a los seguidores", cls.salesperson.partner_id, "mail.mt_comment"),
            ("Mensaje del socio extranjero", cls.foreign.partner_id, "mail.mt_comment"),
            ("Nota interna del vendedor", cls.salesperson.partner_id, "mail.mt_note"),
        ):
            cls.claim_a.message_post(body=body, author_id=author.id, message_type="comment", subtype_xmlid=subtype)
        cls.users = {"owner": cls.owner, "colleague": cls.colleague, "other": cls.other, "foreign": cls.foreign}
        # Whether each user reaches A's claim.
        cls.reaches_a = {"owner": True, "colleague": True, "other": False, "foreign": False}
        # The messages of A's claim each user reads in its chatter: all but the internal note for the customer's
        # contacts; for the follower of another company, only those it was sent or wrote (Odoo's rule on messages:
        # it has them by email already), never the claim's earlier messages and attachments.
        everything = {"Adjunto la foto", "Aviso a los seguidores", "Mensaje del socio extranjero"}
        cls.reads_on_a = {
            "owner": everything,
            "colleague": everything,
            "other": set(),
            "foreign": {"Aviso a los seguidores", "Mensaje del socio extranjero"},
        }

    @classmethod
    def _create_portal_user(cls, login, customer, **values):
        user = cls._create_rpc_user(login, PORTAL, **values)
        user.partner_id.parent_id = customer
        return user

    @classmethod
    def _create_claim(cls, customer, contact, description):
        return cls.env["customer.claim"].create(
            {
                "partner_id": customer.id,
                "contact_id": contact.partner_id.id,
                "description": f"<p>{description}</p>",
                "user_id": cls.salesperson.id,
                "line_ids": [Command.create({"product_id": cls.product.id, "quantity": 2})],
            }
        )

    @classmethod
    def _attach(cls, claim, name, content):
        """An attachment the salesperson sent on ``claim``'s chatter."""
        attachment = cls.env["ir.attachment"].create(
            {"name": name, "raw": content, "res_model": claim._name, "res_id": claim.id}
        )
        claim.message_post(
            body="Adjunto la foto",
            author_id=cls.salesperson.partner_id.id,
            attachment_ids=attachment.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return attachment

    def _login(self, user):
        self.authenticate(user.login, self._password(user.login))

    def _json(self, route, params):
        """The JSON-RPC answer of ``route``: its result, or None and its error."""
        response = self.url_open(
            route,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        answer = response.json()
        return answer.get("result"), answer.get("error")

    def _assert_no_leak(self, name, text):
        """No page a user reads names the claim of the customer it is not."""
        leaked = self.claim_b if name in ("owner", "colleague", "foreign") else self.claim_a
        self.assertNotIn(leaked.name, text)
        self.assertNotIn(html2plaintext(leaked.description), text)

    # The matrix: (owner, colleague, other customer, foreign follower) x (list, open, message, attachment).

    def test_matrix_list(self):
        """/my/claims lists A's claim to the owner and its colleague only, and B's to B's user only."""
        for name, user in self.users.items():
            with self.subTest(user=name):
                self._login(user)
                response = self.url_open("/my/claims")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(self.claim_a.name in response.text, self.reaches_a[name])
                self.assertEqual(self.claim_b.name in response.text, name == "other")
                self._assert_no_leak(name, response.text)

    def test_matrix_open(self):
        """/my/claims/<A> opens for the owner and its colleague, with the reference, stage, lines and description; the
        others are sent back to /my, shown nothing."""
        for name, user in self.users.items():
            with self.subTest(user=name):
                self._login(user)
                response = self.url_open(f"/my/claims/{self.claim_a.id}", allow_redirects=False)
                if self.reaches_a[name]:
                    self.assertEqual(response.status_code, 200)
                    for shown in (
                        self.claim_a.name,
                        self.claim_a.stage_id.name,
                        self.product.name,
                        "Taladro sin percutor",
                    ):
                        self.assertIn(shown, response.text)
                else:
                    self.assertEqual(response.status_code, 303)
                    self.assertTrue(response.headers["Location"].endswith("/my"))
                    self.assertNotIn(self.claim_a.name, response.text)
                page_b = self.url_open(f"/my/claims/{self.claim_b.id}")
                self._assert_no_leak(name, page_b.text)

    def test_matrix_message(self):
        """The portal chatter takes a message on A's claim from the owner and its colleague, as its author (without
        making them followers who could change it); the others are refused and nothing is posted."""
        for name, user in self.users.items():
            with self.subTest(user=name):
                self._login(user)
                messages = self.claim_a.message_ids
                body = f"Consulta de {name}"
                result, error = self._json(
                    "/mail/message/post",
                    {
                        "thread_model": "customer.claim",
                        "thread_id": self.claim_a.id,
                        "post_data": {"body": body, "message_type": "comment", "subtype_xmlid": "mail.mt_comment"},
                    },
                )
                self.env.invalidate_all()
                posted = self.claim_a.message_ids - messages
                if self.reaches_a[name]:
                    self.assertFalse(error)
                    self.assertRecordValues(posted, [{"author_id": user.partner_id.id, "message_type": "comment"}])
                    self.assertIn(body, posted.body)
                else:
                    self.assertFalse(result)
                    self.assertEqual(error["code"], 404)
                    self.assertFalse(posted)
                # The chatter's messages of A's claim: never the internal note, nor to another customer.
                read = {html2plaintext(message["body"]) for message in self._chatter_messages(self.claim_a)}
                self.assertEqual(read - {f"Consulta de {other}" for other in self.users}, self.reads_on_a[name])

    def test_matrix_attachment(self):
        """The attachment of A's claim downloads for the owner and its colleague, by the token its chatter gives
        them; the others are given no token and get no byte of it, nor of the other claim's."""
        for name, user in self.users.items():
            with self.subTest(user=name):
                self._login(user)
                tokens = self._chatter_attachment_tokens(self.claim_a)
                if self.reaches_a[name]:
                    self.assertEqual(self._download(self.attachment_a, tokens[self.attachment_a.id]), b"TALADRO-A")
                else:
                    self.assertFalse(tokens)
                self.assertIsNone(self._download(self.attachment_a))
                self.assertIsNone(self._download(self.attachment_a, "not-the-token"))
                self.assertIsNone(self._download(self.attachment_b))

    def _chatter_messages(self, claim):
        """The messages the portal chatter of ``claim`` shows the current user."""
        result, error = self._json("/mail/chatter_fetch", {"thread_model": claim._name, "thread_id": claim.id})
        self.assertFalse(error)
        return result["data"]["mail.message"]

    def _chatter_attachment_tokens(self, claim):
        """{attachment id: access token} of the attachments the portal chatter of ``claim`` gives the current user."""
        return {
            attachment["id"]: attachment["access_token"]
            for message in self._chatter_messages(claim)
            for attachment in message.get("attachment_ids", [])
        }

    def _download(self, attachment, access_token=None):
        """The content of ``attachment`` the current user downloads (with ``access_token``), or None if refused."""
        url = f"/web/content/{attachment.id}?download=true"
        if access_token:
            url += f"&access_token={access_token}"
        response = self.url_open(url)
        if response.status_code in (403, 404):
            return None
        self.assertEqual(response.status_code, 200)
        return response.content

    def test_owner_posts_an_attachment_through_the_chatter(self):
        """The owner uploads a file to its claim's chatter and posts it with its token; the colleague downloads it,
        the other customer does not; the other customer may not upload to A's claim."""
        self._login(self.owner)
        csrf = self._csrf_token("/my/claims/new")
        response = self.url_open(
            "/mail/attachment/upload",
            data={
                "csrf_token": csrf,
                "thread_id": self.claim_a.id,
                "thread_model": "customer.claim",
                "is_pending": "true",
            },
            files={"ufile": ("ticket.txt", b"TICKET-OWNER", "text/plain")},
        )
        self.assertEqual(response.status_code, 200)
        [uploaded] = response.json()["data"]["ir.attachment"]
        _result, error = self._json(
            "/mail/message/post",
            {
                "thread_model": "customer.claim",
                "thread_id": self.claim_a.id,
                "post_data": {
                    "body": "El ticket de compra",
                    "attachment_ids": [uploaded["id"]],
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                "attachment_tokens": [uploaded["access_token"]],
            },
        )
        self.assertFalse(error)
        attachment = self.env["ir.attachment"].browse(uploaded["id"])
        self.assertRecordValues(attachment, [{"res_model": "customer.claim", "res_id": self.claim_a.id}])
        self._login(self.colleague)
        token = self._chatter_attachment_tokens(self.claim_a)[attachment.id]
        self.assertEqual(self._download(attachment, token), b"TICKET-OWNER")
        self._login(self.other)
        self.assertIsNone(self._download(attachment))
        response = self.url_open(
            "/mail/attachment/upload",
            data={
                "csrf_token": self._csrf_token("/my/claims/new"),
                "thread_id": self.claim_a.id,
                "thread_model": "customer.claim",
            },
            files={"ufile": ("intruso.txt", b"INTRUSO", "text/plain")},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.env["ir.attachment"].search([("name", "=", "intruso.txt")]))

    def test_list_sorts_and_pages(self):
        """The list sorts by date, reference or stage (an unknown sort is the date's) and pages by the portal's step;
        every page holds the customer's claims only, linked without their access tokens."""
        second = self._create_claim(self.customer_a, self.colleague, "Segundo caso")
        self._login(self.owner)
        for sortby, first in (("date", second), ("name", second), ("stage", second), ("bogus", second)):
            with self.subTest(sortby=sortby):
                response = self.url_open(f"/my/claims?sortby={sortby}")
                self.assertEqual(response.status_code, 200)
                text = response.text
                self.assertLess(text.index(first.name), text.index(self.claim_a.name))
                self._assert_no_leak("owner", text)
        self.assertNotIn("access_token", text)
        with patch.object(CustomerPortal, "_items_per_page", 1):
            first_page = self.url_open("/my/claims").text
            second_page = self.url_open("/my/claims/page/2").text
        self.assertIn(second.name, first_page)
        self.assertNotIn(self.claim_a.name, first_page)
        self.assertIn(self.claim_a.name, second_page)
        self.assertNotIn(second.name, second_page)

    def test_closed_claim_shows_its_resolution(self):
        """The resolution and the closing date show once the claim is closed, not before."""
        self.claim_a.resolution = "<p>Se cambió el taladro</p>"
        self._login(self.owner)
        self.assertNotIn("Se cambió el taladro", self.url_open(f"/my/claims/{self.claim_a.id}").text)
        self.claim_a.stage_id = self.env["customer.claim.stage"].search([("is_closed", "=", True)], limit=1)
        text = self.url_open(f"/my/claims/{self.claim_a.id}").text
        self.assertIn("Se cambió el taladro", text)
        self.assertIn("Closed On", text)

    def test_foreign_follower_does_not_break_the_page(self):
        """A's claim, followed by and with a message from a user of another company, opens for the owner with its
        chatter (the partner of the other company the owner may not read is rendered, not raised)."""
        self.assertNotEqual(self.foreign.partner_id.company_id, self.owner.company_id)
        self.assertIn(self.foreign.partner_id, self.claim_a.message_partner_ids)
        self._login(self.owner)
        response = self.url_open(f"/my/claims/{self.claim_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.claim_a.name, response.text)
        result, error = self._json(
            "/portal/chatter_init", {"thread_model": "customer.claim", "thread_id": self.claim_a.id}
        )
        self.assertFalse(error)
        [thread] = result["mail.thread"]
        self.assertRecordValues(self.claim_a, [{"id": thread["id"]}])
        self.assertTrue(thread["hasReadAccess"] and thread["can_react"])
        [message] = [m for m in self._chatter_messages(self.claim_a) if "Mensaje del socio extranjero" in m["body"]]
        self.assertTrue(message["author_id"])

    def test_home_counts_and_links_the_claims(self):
        """The portal's home links to the claims and counts those of the user's customer: 1 for A's users, 1 for
        B's, none for the follower of another company."""
        for name, user in self.users.items():
            with self.subTest(user=name):
                self._login(user)
                self.assertIn('href="/my/claims"', self.url_open("/my/home").text)
                result, error = self._json("/my/counters", {"counters": ["claim_count"]})
                self.assertFalse(error)
                self.assertEqual(result, {"claim_count": 0 if name == "foreign" else 1})

    def test_internal_user_lists_only_its_own_claims(self):
        """A claim user, who reads every claim of its company in the backend, lists in its portal only those of its
        own entity: none here."""
        self._login(self.salesperson)
        response = self.url_open("/my/claims")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(self.claim_a.name, response.text)
        self.assertNotIn(self.claim_b.name, response.text)

    def test_colleague_files_a_claim_from_the_portal(self):
        """The form files the claim as the colleague, for its customer, through the portal, handled by the
        customer's salesperson, and opens it; the owner sees it, the other customer does not."""
        self._login(self.colleague)
        category = self.env["customer.claim.category"].create({"name": "Herramienta defectuosa"})
        form = self.url_open("/my/claims/new")
        self.assertEqual(form.status_code, 200)
        self.assertIn("Herramienta defectuosa", form.text)
        response = self.url_open(
            "/my/claims/new",
            data={
                "csrf_token": self._csrf_token("/my/claims/new"),
                "subject": "Caja incompleta",
                "description": "Faltan <b>dos</b> brocas\nde la caja",
                "claim_type": "return",
                "category_id": str(category.id),
                # Not of the form: never read.
                "partner_id": str(self.customer_b.id),
                "user_id": str(self.colleague.id),
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, re.findall(r"alert-danger[^>]*>([^<]*)", response.text))
        claim = self.env["customer.claim"].search([("contact_id", "=", self.colleague.partner_id.id)])
        self.assertTrue(response.headers["Location"].endswith(f"/my/claims/{claim.id}"))
        self.assertRecordValues(
            claim,
            [
                {
                    "partner_id": self.customer_a.id,
                    "channel": "portal",
                    "claim_type": "return",
                    "category_id": category.id,
                    "user_id": self.salesperson.id,
                    "create_uid": self.colleague.id,
                }
            ],
        )
        self.assertIn("<strong>Caja incompleta</strong>", claim.description)
        self.assertIn("Faltan &lt;b&gt;dos&lt;/b&gt; brocas", claim.description)
        self.assertEqual(self.url_open(f"/my/claims/{claim.id}").status_code, 200)
        self._login(self.owner)
        self.assertIn(claim.name, self.url_open("/my/claims").text)
        self._login(self.other)
        self.assertNotIn(claim.name, self.url_open("/my/claims").text)

    def test_form_without_subject_is_shown_again(self):
        """A claim without its subject is not filed: the form comes back with the message."""
        self._login(self.owner)
        claims = self.env["customer.claim"].search_count([])
        response = self.url_open(
            "/my/claims/new",
            data={"csrf_token": self._csrf_token("/my/claims/new"), "subject": " ", "claim_type": "claim"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("what the claim is about", response.text)
        self.assertEqual(self.env["customer.claim"].search_count([]), claims)

    def test_form_refused_after_insert_leaves_nothing(self):
        """A claim the model refuses once inserted (a rule, a constraint) shows the form again with the message, and
        nothing of it is kept, though the request commits."""
        self._login(self.owner)
        claims = self.env["customer.claim"].search([])
        claim_class = type(self.env["customer.claim"])
        with patch.object(claim_class, "_assign_portal_claims", side_effect=UserError("Sin vendedor asignable")):
            response = self.url_open(
                "/my/claims/new",
                data={"csrf_token": self._csrf_token("/my/claims/new"), "subject": "Caja rota", "claim_type": "claim"},
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Sin vendedor asignable", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.env["customer.claim"].search([]), claims)

    def _csrf_token(self, url):
        return re.search(r'name="csrf_token" value="([^"]+)"', self.url_open(url).text).group(1)

    # The same over XML-RPC: a portal user's client reaches no more than its pages.

    def test_rpc_portal_reads_only_its_customers_claims(self):
        """search_read of the claims gives each portal user its own customer's, the foreign follower none."""
        for name, user in self.users.items():
            with self.subTest(user=name):
                found = self._xml_rpc(user, "customer.claim", "search_read", [], ["name", "partner_id"])
                expected = {"owner": self.claim_a, "colleague": self.claim_a, "other": self.claim_b}.get(name)
                self.assertEqual([row["id"] for row in found], expected.ids if expected else [])
                lines = self._xml_rpc(user, "customer.claim.line", "search_read", [], ["product_id"])
                self.assertEqual([row["id"] for row in lines], expected.line_ids.ids if expected else [])

    def test_rpc_portal_cannot_file_for_another_customer(self):
        """A portal user creating a claim for another customer is refused, and nothing is written."""
        claims = self.env["customer.claim"].search([])
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._xml_rpc(
                self.owner, "customer.claim", "create", {"partner_id": self.customer_b.id, "description": "<p>x</p>"}
            )
        self.assertEqual(caught.exception.faultCode, ACCESS_ERROR)
        self.env.invalidate_all()
        self.assertEqual(self.env["customer.claim"].search([]), claims)
        # The portal user reads no other customer, and the record rule refuses a claim of another one anyway.
        with self.assertRaises(AccessError):
            self.claim_b.with_user(self.owner).check_access("create")
        self.claim_a.with_user(self.owner).check_access("create")

    def test_rpc_portal_files_only_what_it_reports(self):
        """A portal user's claim over RPC is its customer's, through the portal, handled by the customer's
        salesperson, in the first stage whatever defaults its context gives; a stage, a responsible, a resolution or
        lines given are refused."""
        closed = self.env["customer.claim.stage"].search([("is_closed", "=", True)], limit=1)
        claim_id = self._xml_rpc(
            self.owner,
            "customer.claim",
            "create",
            {"claim_type": "ticket"},
            context={"default_stage_id": closed.id, "default_resolution": "<p>Resuelto</p>", "default_priority": "2"},
        )
        claim = self.env["customer.claim"].browse(claim_id)
        self.assertRecordValues(
            claim,
            [
                {
                    "partner_id": self.customer_a.id,
                    "contact_id": self.owner.partner_id.id,
                    "channel": "portal",
                    "user_id": self.salesperson.id,
                    "stage_id": self.env["customer.claim.stage"].search([], limit=1).id,
                    "priority": "0",
                    "date_closed": False,
                }
            ],
        )
        self.assertFalse(claim.resolution)
        # The salesperson is given it to handle.
        self.assertIn(self.salesperson, claim.activity_ids.user_id)
        claims = self.env["customer.claim"].search([])
        for values in (
            {"stage_id": closed.id, "resolution": "<p>Resuelto</p>"},
            {"user_id": self.owner.id},
            {"line_ids": [(0, 0, {"product_id": self.product.id, "quantity": 1})]},
        ):
            with self.subTest(values=values), self.assertRaises(xmlrpc.client.Fault) as caught:
                self._xml_rpc(self.owner, "customer.claim", "create", values)
            self.assertNotIn("ValueError", caught.exception.faultString)
        self.env.invalidate_all()
        self.assertEqual(self.env["customer.claim"].search([]), claims)

    def test_rpc_portal_cannot_write_nor_delete(self):
        """A portal user changes nothing of its own claim, nor deletes it."""
        for method, args in (("write", ([self.claim_a.id], {"priority": "2"})), ("unlink", ([self.claim_a.id],))):
            with self.subTest(method=method), self.assertRaises(xmlrpc.client.Fault) as caught:
                self._xml_rpc(self.owner, "customer.claim", method, *args)
            self.assertEqual(caught.exception.faultCode, ACCESS_ERROR)
        self.env.invalidate_all()
        self.assertRecordValues(self.claim_a, [{"priority": "0"}])
