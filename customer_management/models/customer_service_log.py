"""The service log: each contact with a customer about after-sales (a call, a visit, a message), its outcome, and the
claim it was about if any. A sibling of the collection log: the same record mixin and outcome-or-note rule, without
the invoices, promises and reminders a collection contact is about, and readable by service staff, not collectors."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .customer_collection_log import COLLECTION_KINDS, check_outcome_or_note

SERVICE_KINDS = [kind for kind in COLLECTION_KINDS if kind[0] in ("call", "visit", "email", "message")]
SERVICE_OUTCOMES = [
    ("solved", "Solved"),
    ("informed", "Informed"),
    ("follow_up", "Follow-up Needed"),
    ("escalated", "Escalated"),
    ("no_answer", "No Answer"),
]


class CustomerServiceLog(models.Model):
    """A contact with a customer about after-sales, with what came of it: the customer's (its commercial entity),
    whichever of its contacts it was made with."""

    _name = "customer.service.log"
    _inherit = ["customer.collection.record.mixin"]
    _description = "Service Log"
    _order = "date desc, id desc"
    _check_company_auto = True

    claim_id = fields.Many2one(
        "customer.claim",
        string="Claim",
        index="btree_not_null",
        ondelete="cascade",
        domain="[('partner_id', '=', partner_id)]",
        check_company=True,
        help="The customer's case the contact was about, if any.",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users",
        string="Agent",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        check_company=True,
    )
    kind = fields.Selection(SERVICE_KINDS, required=True, default="call")
    outcome = fields.Selection(SERVICE_OUTCOMES)
    note = fields.Text()

    @api.model
    def _prepare_checked_vals_list(self, vals_list):
        # A contact logged on a claim is its customer's, unless said otherwise (then the constraint judges it).
        claims = self.env["customer.claim"].browse([vals["claim_id"] for vals in vals_list if vals.get("claim_id")])
        customers = {claim.id: claim.partner_id.id for claim in claims.exists()}
        vals_list = [
            {**vals, "partner_id": customers[vals["claim_id"]]}
            if vals.get("claim_id") in customers and not vals.get("partner_id")
            else vals
            for vals in vals_list
        ]
        return super()._prepare_checked_vals_list(vals_list)

    @api.model_create_multi
    def create(self, vals_list):
        logs = super().create(vals_list)
        logs._follow_up()
        return logs

    def write(self, vals):
        result = super().write(vals)
        if vals.get("outcome") == "follow_up" or "claim_id" in vals:
            self._follow_up()
        return result

    def _follow_up(self):
        """A contact that needs a follow-up puts it on the responsible of its claim, when that is someone else."""
        self.filtered(lambda log: log.outcome == "follow_up").claim_id._schedule_handling()

    @api.constrains("kind", "outcome", "note")
    def _check_outcome_or_note(self):
        check_outcome_or_note(self)

    @api.constrains("partner_id", "claim_id")
    def _check_claim_partner(self):
        for log in self:
            if log.claim_id and log.claim_id.partner_id != log.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(claim)s is a claim of %(owner)s, not of the customer %(customer)s.",
                        claim=log.claim_id.name,
                        owner=log.claim_id.partner_id.display_name,
                        customer=log.partner_id.display_name,
                    )
                )
