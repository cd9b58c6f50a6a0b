"""The customer portal's claims: a customer lists, opens, discusses and files the claims of its own entity."""

from markupsafe import Markup

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import plaintext2html

CLAIM_HISTORY = "my_claims_history"


class CustomerClaimPortal(CustomerPortal):
    """/my/claims: the claims of the user's commercial entity, whichever of its contacts filed them."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "claim_count" in counters:
            claims = request.env["customer.claim"]
            values["claim_count"] = (
                claims.search_count(self._prepare_claims_domain()) if claims.has_access("read") else 0
            )
        return values

    def _prepare_claims_domain(self):
        """The claims the portal lists: its entity's own, also for an internal user who reads more in the backend
        (the record rules decide what may be read, this what is the user's)."""
        return [("partner_id", "=", request.env.user.commercial_partner_id.id)]

    def _get_claim_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "create_date desc, id desc"},
            "name": {"label": request.env._("Reference"), "order": "name desc, id desc"},
            "stage": {"label": request.env._("Stage"), "order": "stage_id, create_date desc, id desc"},
        }

    def _prepare_claims_portal_rendering_values(self, page=1, sortby=None):
        claims = request.env["customer.claim"]
        searchbar_sortings = self._get_claim_searchbar_sortings()
        if sortby not in searchbar_sortings:
            sortby = "date"
        domain = self._prepare_claims_domain()
        total = claims.search_count(domain) if claims.has_access("read") else 0
        pager_values = portal_pager(
            url="/my/claims", total=total, page=page, step=self._items_per_page, url_args={"sortby": sortby}
        )
        if total:
            claims = claims.search(
                domain,
                order=searchbar_sortings[sortby]["order"],
                limit=self._items_per_page,
                offset=pager_values["offset"],
            )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # sudo: the claims were searched as the user; their stages and categories are shown as they are.
                "claims": claims.sudo(),
                "page_name": "claim",
                "pager": pager_values,
                "default_url": "/my/claims",
                "searchbar_sortings": searchbar_sortings,
                "sortby": sortby,
            }
        )
        return values

    @http.route(["/my/claims", "/my/claims/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_claims(self, page=1, sortby=None, **kw):
        values = self._prepare_claims_portal_rendering_values(page=page, sortby=sortby)
        request.session[CLAIM_HISTORY] = values["claims"].ids[:100]
        return request.render("customer_management.portal_my_claims", values)

    @http.route(["/my/claims/<int:claim_id>"], type="http", auth="public", website=True)
    def portal_my_claim(self, claim_id, access_token=None, **kw):
        try:
            claim_sudo = self._document_check_access("customer.claim", claim_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = {"claim": claim_sudo, "page_name": "claim"}
        values = self._get_page_view_values(claim_sudo, access_token, values, CLAIM_HISTORY, False, **kw)
        return request.render("customer_management.portal_my_claim", values)

    def _prepare_claim_form_values(self, error=None, form=None):
        values = self._prepare_portal_layout_values()
        claims = request.env["customer.claim"]
        values.update(
            {
                "page_name": "claim_new",
                "claim_types": claims._fields["claim_type"]._description_selection(request.env),
                # Read as the user: the categories of its company and the shared ones.
                "categories": request.env["customer.claim.category"].search([]),
                "error": error,
                "form": form or {},
            }
        )
        return values

    @http.route(["/my/claims/new"], type="http", auth="user", methods=["GET"], website=True)
    def portal_my_claim_new(self, **kw):
        if not request.env["customer.claim"].has_access("create"):
            return request.redirect("/my")
        return request.render("customer_management.portal_my_claim_new", self._prepare_claim_form_values())

    @http.route(["/my/claims/new"], type="http", auth="user", methods=["POST"], website=True)
    def portal_my_claim_create(self, subject="", description="", claim_type="claim", category_id=None, **kw):
        form = {"subject": subject, "description": description, "claim_type": claim_type, "category_id": category_id}
        if not request.env["customer.claim"].has_access("create"):
            return request.redirect("/my")
        if not subject.strip():
            error = request.env._("Tell us in a few words what the claim is about.")
            return request.render(
                "customer_management.portal_my_claim_new", self._prepare_claim_form_values(error, form)
            )
        try:
            # As the user, never sudo: the record rules keep the claim its customer's. In a savepoint: the rules and
            # constraints refuse a claim once inserted, and the request commits the form it shows again.
            with request.env.cr.savepoint():
                claim = request.env["customer.claim"].create(self._prepare_claim_create_vals(**form))
        except (AccessError, UserError, ValidationError) as error:
            values = self._prepare_claim_form_values(str(error.args[0] if error.args else error), form)
            return request.render("customer_management.portal_my_claim_new", values)
        return request.redirect(claim.access_url)

    def _prepare_claim_create_vals(self, subject, description, claim_type, category_id):
        """The claim a portal user files: for its own entity, opened by its contact, received through the portal.
        The description is the subject as a heading, then what the user wrote (plain text, escaped)."""
        user = request.env.user
        body = Markup("<p><strong>%s</strong></p>") % subject.strip()
        if description.strip():
            body += plaintext2html(description.strip())
        category = request.env["customer.claim.category"]
        if category_id and str(category_id).isdigit():
            # Read as the user: a category of another company is not found.
            category = category.search([("id", "=", int(category_id))], limit=1)
        return {
            "partner_id": user.commercial_partner_id.id,
            "contact_id": user.partner_id.id,
            "channel": "portal",
            "claim_type": claim_type,
            "category_id": category.id,
            "description": body,
        }
