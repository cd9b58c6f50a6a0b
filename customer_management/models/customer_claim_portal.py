"""The claims in the customer portal: a customer follows and files its own cases from /my/claims."""

from odoo import api, models
from odoo.exceptions import UserError

# What a portal user gives when it files a claim: what it reports (the channel is forced to the portal). The handling
# (stage, responsible, team, priority, lines, resolution) is the company's.
PORTAL_CREATE_FIELDS = frozenset({"partner_id", "contact_id", "channel", "claim_type", "category_id", "description"})


class CustomerClaim(models.Model):
    _name = "customer.claim"
    _inherit = ["customer.claim", "portal.mixin"]  # pylint: disable=consider-merging-classes-inherited
    # A customer writes on its claims' chatter without the right to change them: reading the claim is enough.
    _mail_post_access = "read"

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for claim in self:
            claim.access_url = f"/my/claims/{claim.id}"
        return result

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.user.share or self.env.su:
            return super().create(vals_list)
        # A default in the context is a value given too (a closed stage, a priority): a portal user's are dropped.
        context = {key: value for key, value in self.env.context.items() if not key.startswith("default_")}
        records = self.with_context(context)  # pylint: disable=context-overridden
        claims = super(CustomerClaim, records).create(records._prepare_portal_claim_vals_list(vals_list))
        claims._assign_portal_claims()
        return claims

    @api.model
    def _prepare_portal_claim_vals_list(self, vals_list):
        """The values of the claims a portal user files, from the portal or over RPC: only what it reports, for its
        own customer (the record rule refuses another one), received through the portal, with no responsible (its
        default is the current user, which a portal user must never be) until :meth:`_assign_portal_claims`."""
        user = self.env.user
        for vals in vals_list:
            refused = sorted(vals.keys() - PORTAL_CREATE_FIELDS)
            if refused:
                raise UserError(
                    self.env._(
                        "A claim filed from the portal gives only what the customer reports, not %(fields)s.",
                        fields=", ".join(
                            self._fields[fname]._description_string(self.env) if fname in self._fields else fname
                            for fname in refused
                        ),
                    )
                )
        customer = user.commercial_partner_id
        prepared = []
        for vals in vals_list:
            # No responsible yet (its default is the current user): _assign_portal_claims gives them theirs.
            vals = {"partner_id": customer.id, **vals, "channel": "portal", "user_id": False}
            if vals["partner_id"] == customer.id:
                vals.setdefault("contact_id", user.partner_id.id)
            prepared.append(vals)
        return prepared

    def _assign_portal_claims(self):
        """Give the claims a portal user filed to their customer's salesperson, who is notified and gets the
        activity to handle them."""
        # sudo: the workflow's own assignment, once the record rules accepted the claims; a portal user may read
        # neither the salesperson nor its partner, whom the assignment notifies.
        for claim in self.sudo():
            salesperson = claim.partner_id.user_id
            if salesperson and not salesperson.share:
                claim.user_id = salesperson
