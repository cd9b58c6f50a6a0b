"""Collections on the partner: its collection log, payment promises and statements of account."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .res_partner_credit import RECEIVABLE_READERS


# One class per concern of the partner, as core's mail splits it (see the README's architecture).
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    collection_log_ids = fields.One2many("customer.collection.log", "partner_id", string="Collection Log")
    payment_promise_ids = fields.One2many("customer.payment.promise", "partner_id", string="Payment Promises")
    broken_promise_count = fields.Integer(
        groups=RECEIVABLE_READERS,
        string="Broken Promises (12 Months)",
        compute="_compute_customer_360_counts",
        help="Payment promises of the customer in this company broken in the last twelve months.",
    )

    def action_print_customer_statement(self):
        """The statement of account of the customer for the last 30 days, as a PDF."""
        return self.env.ref("customer_management.action_report_customer_statement").report_action(
            self.commercial_partner_id
        )

    def action_send_customer_statement(self):
        """The mail composer with the statement of account template, its PDF attached, for one customer."""
        self._ensure_one_for_action()
        customer = self.commercial_partner_id
        template = self.env.ref("customer_management.mail_template_customer_statement", raise_if_not_found=False)
        return {
            "name": self.env._("Send Statement"),
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": "res.partner",
                "default_res_ids": customer.ids,
                "default_template_id": template.id if template else False,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_layout_with_responsible_signature",
                "force_email": True,
            },
        }

    @api.model
    def _get_customer_360_counters(self):
        since = fields.Date.context_today(self) - relativedelta(months=12)
        return {
            **super()._get_customer_360_counters(),
            "broken_promise_count": (
                "customer.payment.promise",
                [
                    ("company_id", "=", self.env.company.id),
                    ("state", "=", "broken"),
                    ("promised_date", ">=", since),
                ],
                "customer_management.customer_payment_promise_action",
            ),
        }

    def _get_collection_action(self, model, name):
        self._ensure_one_for_action()
        return self._get_dialog_action(model, name, {"default_partner_id": self.commercial_partner_id.id})

    def action_log_collection_contact(self):
        """A new entry of the customer's collection log, in a dialog."""
        return self._get_collection_action("customer.collection.log", self.env._("Log a Contact"))

    def action_record_payment_promise(self):
        """A new payment promise of the customer, in a dialog."""
        return self._get_collection_action("customer.payment.promise", self.env._("Record a Promise"))

    @api.model
    def _get_customer_summary_sections(self):
        sections = super()._get_customer_summary_sections()
        return {**sections, "aging": (*sections.get("aging", ()), "broken_promise_count")}
