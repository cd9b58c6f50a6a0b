"""Chatter messages: the history of commercial conditions is posted in its author's own name only."""

from odoo import api, models


class MailMessage(models.Model):
    """Messages of the history of commercial conditions are in their author's own name, created directly too."""

    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        # Posting goes through the thread (message_post, checked there) as superuser; a caller creating a message
        # itself names its author in the values.
        if not self.env.su:
            conditions = self.env["customer.commercial.condition"]
            for vals in vals_list:
                if vals.get("model") == conditions._name:
                    conditions._check_own_author(vals.get("author_id", self.env.user.partner_id.id))
        return super().create(vals_list)
