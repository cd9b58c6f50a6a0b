"""The module's own exceptions, which the web client shows under titles of their own."""

from odoo.exceptions import UserError


class CreditBlockedError(UserError):
    """The credit control refuses an order: the web client titles the message for it (see
    ``static/src/credit_blocked_dialog``); over RPC it is a :class:`UserError` like any refusal."""
