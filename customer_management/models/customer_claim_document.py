"""The documents of a claim's return flow (its transfers, its credit notes) know their claim."""

from odoo import fields, models


class CustomerClaimDocumentMixin(models.AbstractModel):
    """A document the return flow of a claim made: linked to its claim by that flow, never by a caller, since the
    link decides what the claim credits; opened from the document."""

    _name = "customer.claim.document.mixin"
    _inherit = ["customer.workflow.mixin"]
    _description = "Customer Claim Document"
    _workflow_fields = ("customer_claim_id",)

    customer_claim_id = fields.Many2one(
        "customer.claim",
        string="Claim",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="customer_management.customer_management_group_claim_user",
        help="The after-sales case this document returns, replaces or credits goods for.",
    )

    def action_open_customer_claim(self):
        self.ensure_one()
        return self.customer_claim_id.get_formview_action()
