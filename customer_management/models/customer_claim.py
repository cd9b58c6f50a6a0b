"""After-sales cases: a customer's ticket, claim or return, traced to the orders and products it is about."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html_sanitize, is_html_empty

from .customer_collection_log import set_commercial_partner

HANDLE_ACTIVITY_TYPE = "customer_management.mail_activity_type_claim_handle"

CLAIM_TYPES = [("ticket", "Ticket"), ("claim", "Claim"), ("return", "Return")]
CLAIM_PRIORITIES = [("0", "Normal"), ("1", "High"), ("2", "Urgent")]
CLAIM_CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("portal", "Portal"),
    ("visit", "Visit"),
    ("web", "Website"),
    ("other", "Other"),
]


class CustomerClaim(models.Model):
    """A case a customer opens with the company after a sale: a question (ticket), a complaint (claim) or goods
    sent back (return). It is the customer's (its commercial entity), whichever of its contacts opened it, and moves
    through the stages until one closes it with its resolution."""

    _name = "customer.claim"
    # The workflow mixin first: it judges what the caller gave, before the reference is numbered.
    _inherit = ["customer.workflow.mixin", "customer.input.checked.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Customer Claim"
    _order = "priority desc, id desc"
    _check_company_auto = True
    # Numbered by its sequence and dated by the stages it moves through, never by a caller.
    _workflow_fields = ("name", "date_closed")

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The customer whose case it is: its commercial entity, whichever contact opened it.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="The person of the customer who opened the case.",
    )
    claim_type = fields.Selection(CLAIM_TYPES, string="Type", required=True, default="claim", tracking=True)
    category_id = fields.Many2one("customer.claim.category", string="Category", check_company=True, tracking=True)
    stage_id = fields.Many2one(
        "customer.claim.stage",
        string="Stage",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        default=lambda self: self.env["customer.claim.stage"].search([], limit=1),
        group_expand="_read_group_expand_full",
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", string="Closed")
    priority = fields.Selection(CLAIM_PRIORITIES, default="0", tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    team_id = fields.Many2one("crm.team", string="Team", check_company=True)
    channel = fields.Selection(CLAIM_CHANNELS, string="Received By", default="phone", required=True)
    description = fields.Html(help="What the customer reports.")
    resolution = fields.Html(help="What was done to close the case: required to close it.")
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    line_ids = fields.One2many("customer.claim.line", "claim_id", string="Products", copy=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    service_log_ids = fields.One2many("customer.service.log", "claim_id", string="Service Log")

    @api.model
    def _prepare_checked_vals_list(self, vals_list):
        vals_list = super()._prepare_checked_vals_list(vals_list)
        # A contact given as the customer opens the case for its entity.
        contacts = self.env["res.partner"].browse([vals["partner_id"] for vals in vals_list if vals.get("partner_id")])
        for vals in vals_list:
            partner = contacts.browse(vals.get("partner_id"))
            if partner and partner != partner.commercial_partner_id and not vals.get("contact_id"):
                vals["contact_id"] = partner.id
        vals_list = set_commercial_partner(self.env, vals_list)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = (
                    self.env["ir.sequence"].with_company(company).sudo().next_by_code("customer.claim") or "/"
                )
        return vals_list

    def write(self, vals):
        # The values are read below: checked first.
        self._check_customer_input([vals])
        if vals.get("partner_id"):
            [vals] = set_commercial_partner(self.env, [vals])
        closing = "stage_id" in vals
        result = super().write(vals)
        if closing:
            self._date_by_stage()
        if vals.get("user_id"):
            self._schedule_handling()
        return result

    @api.model_create_multi
    def create(self, vals_list):
        claims = super().create(vals_list)
        claims._date_by_stage()
        claims._schedule_handling()
        return claims

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A claim from an email to the claims alias: the sender's customer's, received by email, described by the
        subject and the body. The alias only takes senders known as contacts; its defaults (a team, a category) are
        the ``custom_values``, and the team's leader is responsible when they name none."""
        values = dict(custom_values or {})
        author = self.env["res.partner"].browse(msg_dict.get("author_id")).exists()
        team = self.env["crm.team"].browse(values.get("team_id")).exists()
        body = html_sanitize(msg_dict.get("body") or "")
        subject = msg_dict.get("subject") or ""
        values = {
            "partner_id": author.id,
            "channel": "email",
            "description": Markup("<p><strong>%s</strong></p>%s") % (subject, body) if subject else body,
            "user_id": team.user_id.id,
            **values,
            # Numbered by its sequence: the gateway would name it by the subject.
            "name": "/",
        }
        return super().message_new(msg_dict, custom_values=values)

    def _schedule_handling(self):
        """An activity for the responsible of each open claim that someone else gave it: it is the one to act."""
        # sudo: the responsible's activity, whoever filed or reassigned the claim; the context may not skip it.
        for claim in self.sudo().with_context(mail_activity_automation_skip=False):
            if claim.is_closed or not claim.user_id or claim.user_id == self.env.user:
                continue
            summary = self.with_context(lang=claim.user_id.lang).env._(
                "Handle %(claim)s of %(customer)s", claim=claim.name, customer=claim.partner_id.display_name
            )
            claim.activity_unlink([HANDLE_ACTIVITY_TYPE])
            claim.activity_schedule(HANDLE_ACTIVITY_TYPE, summary=summary, user_id=claim.user_id.id)

    def _date_by_stage(self):
        """Date the claims their stage closes, undate those it reopens (the workflow's own write); a closed claim's
        activities of the flow are done."""
        self.filtered("is_closed").sudo().with_context(mail_activity_automation_skip=False).activity_feedback(
            [HANDLE_ACTIVITY_TYPE, "customer_management.mail_activity_type_claim_credit"]
        )
        now = fields.Datetime.now()
        self.sudo()._write_grouped(
            {
                claim: {"date_closed": now if claim.is_closed else False}
                for claim in self
                if bool(claim.date_closed) != claim.is_closed
            }
        )

    @api.constrains("stage_id", "resolution")
    def _check_resolution(self):
        for claim in self:
            if claim.is_closed and is_html_empty(claim.resolution):
                raise ValidationError(
                    self.env._(
                        "Write the resolution of %(claim)s before moving it to %(stage)s: a claim is closed with what "
                        "was done.",
                        claim=claim.name,
                        stage=claim.stage_id.name,
                    )
                )

    @api.constrains("partner_id")
    def _check_lines_customer(self):
        self.line_ids._check_sale_line()

    @api.constrains("contact_id", "partner_id")
    def _check_contact(self):
        for claim in self:
            if claim.contact_id and claim.contact_id.commercial_partner_id != claim.partner_id:
                raise ValidationError(
                    self.env._(
                        "The contact %(contact)s of %(claim)s is not one of the customer %(customer)s.",
                        contact=claim.contact_id.display_name,
                        claim=claim.name,
                        customer=claim.partner_id.display_name,
                    )
                )
