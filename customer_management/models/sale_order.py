"""Sale orders: the credit check at confirmation, its live banner and the releases of blocked orders."""

import contextlib
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_datetime
from odoo.tools.sql import create_index

from ..exceptions import CreditBlockedError
from .customer_exposure import EMPTY_EXPOSURE
from .res_partner_credit import get_credit_managers

# Keys, in the cursor's own cache (which no caller reaches), of the orders whose confirmation and of the stock moves
# whose delivery the credit control has already judged in this transaction: core's writes of their state that follow
# are not judged again.
CREDIT_JUDGED = "customer_management.credit_judged_orders"
DELIVERY_JUDGED = "customer_management.credit_judged_moves"
# The order line fields whose change may raise a confirmed order's total.
AMOUNT_FIELDS = {
    "order_id",
    "product_id",
    "product_uom_qty",
    "product_uom",
    "product_packaging_id",
    "product_packaging_qty",
    "price_unit",
    "discount",
    "tax_id",
}
# The computed fields of orders and order lines the exposure engine reads: Odoo lets a caller write them over RPC
# (read-only is the web client's), which would change what a customer is seen to owe.
ENGINE_ORDER_FIELDS = {"invoice_status", "currency_rate", "amount_untaxed", "amount_tax", "amount_total"}
# The credit control's verdict on a quotation, as the quotations list shows it.
CREDIT_CHECK_STATES = [("blocked", "Blocked"), ("released", "Released")]
ENGINE_LINE_FIELDS = {"invoice_status", "qty_invoiced", "qty_to_invoice", "price_subtotal", "price_tax", "price_total"}


def check_engine_fields_not_written(records, vals, fnames):
    """Refuse, from a caller that is not superuser, a value of ``fnames`` in ``vals`` that changes ``records``: those
    fields are computed, and the credit control reads them. A client sending back the values it read is not
    refused."""
    if records.env.su:
        return
    for fname in fnames & vals.keys():
        field = records._fields[fname]
        try:
            value = field.convert_to_write(
                field.convert_to_record(field.convert_to_cache(vals[fname], records), records), records
            )
        except (TypeError, ValueError):
            value = None  # not even a value of the field: refused as any other
        if value is None or any(field.convert_to_write(record[fname], record) != value for record in records):
            raise UserError(
                records.env._(
                    "%(field)s is computed from the order and cannot be written.",
                    field=field._description_string(records.env),
                )
            )


@contextlib.contextmanager
def credit_judged(records, key):
    """Mark ``records`` as judged by the credit control under ``key`` of the cursor's cache while the block runs."""
    judged = records.env.cr.cache.setdefault(key, set())
    added = set(records.ids) - judged
    judged |= added
    try:
        yield
    finally:
        judged -= added


def is_credit_judged(record, key):
    return record.id in record.env.cr.cache.get(key, ())


class SaleOrder(models.Model):
    """New orders take the customer's team and delivery conditions; confirmation passes the credit control."""

    _name = "sale.order"
    _inherit = ["sale.order", "customer.input.mixin"]

    incoterm = fields.Many2one(compute="_compute_incoterm", store=True, readonly=False, precompute=True)
    picking_policy = fields.Selection(compute="_compute_picking_policy", store=True, readonly=False, precompute=True)
    credit_blocked = fields.Boolean(
        compute="_compute_partner_credit_warning",
        search="_search_credit_blocked",
        help="The credit control would refuse to confirm this quotation.",
    )
    credit_check_state = fields.Selection(
        CREDIT_CHECK_STATES,
        string="Credit",
        compute="_compute_partner_credit_warning",
        help="Blocked: the credit control would refuse to confirm this quotation; released: it would, but a credit "
        "manager released it.",
    )
    credit_release_ids = fields.One2many("customer.credit.release", "order_id", string="Credit Releases")
    credit_release_request_ids = fields.One2many(
        "customer.credit.release.request", "order_id", string="Credit Release Requests"
    )
    credit_release_requested = fields.Boolean(
        compute="_compute_credit_release_requested",
        help="A salesperson asked the credit managers to release this quotation, and none answered yet.",
    )

    def init(self):  # pylint: disable=missing-return
        super().init()
        # The exposure engine reads the confirmed orders not fully invoiced of its customers, by invoice address and
        # by customer: a few of all orders, which these indexes find without the invoiced ones.
        for column in ("partner_invoice_id", "partner_id"):
            create_index(
                self.env.cr,
                f"sale_order_customer_open_{column}_index",
                self._table,
                [column],
                where="state = 'sale' AND invoice_status IS DISTINCT FROM 'invoiced'",
            )

    @api.depends("partner_id")
    def _compute_incoterm(self):
        default = self.default_get(["incoterm"]).get("incoterm")
        for order in self:
            order.incoterm = order.partner_id.commercial_partner_id.customer_incoterm_id or default

    @api.depends("partner_id")
    def _compute_picking_policy(self):
        default = self.default_get(["picking_policy"]).get("picking_policy") or "direct"
        for order in self:
            order.picking_policy = order.partner_id.commercial_partner_id.customer_picking_policy or default

    @api.depends("partner_id")
    def _compute_partner_shipping_id(self):  # pylint: disable=missing-return
        super()._compute_partner_shipping_id()
        for order in self.filtered(lambda order: order.partner_id.type != "delivery"):
            address = order.partner_id.commercial_partner_id.customer_delivery_address_id
            if address:
                order.partner_shipping_id = address

    @api.depends("partner_id", "user_id")
    def _compute_team_id(self):
        super()._compute_team_id()
        if self.env.context.get("default_team_id"):
            return
        for order in self:
            team = order.partner_id.team_id or order.partner_id.commercial_partner_id.team_id
            if team and (not team.company_id or team.company_id == order.company_id):
                order.team_id = team

    @api.depends(
        "company_id", "partner_id", "partner_invoice_id", "amount_total", "state", "credit_release_request_ids.state"
    )
    def _compute_partner_credit_warning(self):
        # Core's banner counts the receivable balance only and never blocks: ours replaces it, so that the
        # quotation shows one message, the reasons the confirmation would be refused. Core's is not computed at
        # all (it reads the customer's receivable and orders): it is empty but on quotations, where ours is written.
        self.partner_credit_warning = ""
        self.credit_blocked = False
        self.credit_check_state = False
        quotations = self.filtered(lambda order: order.state in ("draft", "sent") and order.partner_id)
        for order, (_figures, problems) in quotations._get_credit_checks().items():
            blocking, warnings = self._split_credit_problems(problems)
            released = bool(blocking) and order._is_credit_released()
            order.credit_blocked = bool(blocking) and not released
            order.credit_check_state = "blocked" if order.credit_blocked else "released" if released else False
            if order.credit_blocked:
                order.partner_credit_warning = "\n".join(
                    line
                    for line in (
                        self.env._("This order cannot be confirmed:"),
                        *blocking,
                        order._get_credit_release_request_message(),
                    )
                    if line
                )
            else:
                order.partner_credit_warning = "\n".join(warnings)

    @api.depends("credit_release_request_ids.state")
    def _compute_credit_release_requested(self):
        for order in self:
            order.credit_release_requested = bool(order._get_pending_credit_release_request())

    def _get_pending_credit_release_request(self):
        """The order's release request no credit manager answered yet (at most one, see its unique index)."""
        self.ensure_one()
        # sudo: whether and by whom a release is asked, which every user of the order may know.
        return self.sudo()._origin.credit_release_request_ids.filtered(lambda request: request.state == "pending")

    def _get_credit_release_request_message(self):
        """The line of the banner that says who asked for this quotation's release and when, if anyone did."""
        self.ensure_one()
        pending = self._get_pending_credit_release_request()
        if not pending:
            return ""
        return self.env._(
            "Release requested by %(user)s on %(date)s.",
            user=pending.user_id.name,
            date=format_datetime(self.env, pending.date),
        )

    def _search_credit_blocked(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("Orders are searched by whether the credit control blocks them: = or != True or False.")
            )
        # The quotations the caller may read, checked together (one engine query per company): a block depends on
        # what the customer owes now, which no stored value would follow.
        quotations = self.search([("state", "in", ("draft", "sent")), ("partner_id", "!=", False)])
        blocked = quotations.filtered("credit_blocked")
        return [("id", "in" if (operator == "=") == value else "not in", blocked.ids)]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("state") == "sale" for vals in vals_list):
            raise UserError(
                self.env._("An order is created as a quotation and confirmed with its Confirm button (credit control).")
            )
        # Core's defaults (sale_stock's shipping policy, its settings' ir.default) are set before precomputed
        # fields are computed, so orders created from code would never see the customer's conditions.
        for vals in vals_list:
            customer = self.env["res.partner"].browse(vals.get("partner_id")).commercial_partner_id
            if customer.customer_incoterm_id and "incoterm" not in vals:
                vals["incoterm"] = customer.customer_incoterm_id.id
            if customer.customer_picking_policy and "picking_policy" not in vals:
                vals["picking_policy"] = customer.customer_picking_policy
        return super().create(vals_list)

    def write(self, vals):
        # Whatever confirms an order passes the credit control: the button, and a caller writing the state itself
        # (server code that writes it as superuser answers for itself, as core's own does).
        check_engine_fields_not_written(self, vals, ENGINE_ORDER_FIELDS)
        if vals.get("state") == "sale" and not self.env.su:
            self.filtered(lambda order: not is_credit_judged(order, CREDIT_JUDGED))._check_customer_credit()
        # A confirmed order growing (its lines, written here or on their own) is judged by the lines' create and write;
        # one moved to other customers is judged for them, as it now draws on their credit.
        moved = self.browse()
        if {"partner_id", "partner_invoice_id"} & vals.keys() and not self.env.su:
            moved = self.filtered(lambda order: order.state == "sale")
        result = super().write(vals)
        moved._refuse_credit_blocks(
            moved._get_credit_checks(with_amount=False, lock=True),
            lambda order: self.env._("The order %(order)s cannot move to this customer:", order=order.name),
        )
        return result

    def action_confirm(self):
        # No context key or argument skips the check: a caller over RPC sends any context it likes.
        self._check_customer_credit()
        with credit_judged(self, CREDIT_JUDGED):
            return super().action_confirm()

    def _confirm_without_credit_check(self):
        """Confirm as core does, without the credit control: for history recorded as it happened (the demo's past
        orders, a server-side import of old orders). Private, so that no RPC caller reaches it."""
        with credit_judged(self, CREDIT_JUDGED):
            return super().action_confirm()

    @contextlib.contextmanager
    def _check_confirmed_amount_raise(self):
        """Refuse, when the block ends, a raise of the total of these confirmed orders that their customer's credit
        cannot take (the order counts in its exposure already), unless a release covers the new total."""
        if self.env.su:  # server code answers for itself
            yield
            return
        totals = {order: order.amount_total for order in self}
        yield
        raised = self.filtered(lambda order: order.currency_id.compare_amounts(order.amount_total, totals[order]) > 0)
        if raised:
            raised._refuse_credit_blocks(
                raised._get_credit_checks(with_amount=False, lock=True),
                lambda order: self.env._("The order %(order)s cannot grow:", order=order.name),
            )

    def _action_confirm(self):
        self.sudo().credit_release_request_ids._withdraw()
        result = super()._action_confirm()
        self.env["res.partner"]._refresh_customer_behaviour(self.partner_id.commercial_partner_id)
        return result

    def _action_cancel(self):
        customers = self.filtered(lambda order: order.state == "sale").partner_id.commercial_partner_id
        self.sudo().credit_release_request_ids._withdraw()
        result = super()._action_cancel()
        self.env["res.partner"]._refresh_customer_behaviour(customers)
        return result

    def action_open_credit_release(self):
        """Open the wizard that releases this blocked order."""
        self._ensure_one_for_action()
        return self._get_dialog_action(
            "customer.credit.release.wizard", self.env._("Release Order"), {"default_order_id": self.id}
        )

    def action_open_credit_release_request(self):
        """Open the wizard that asks the credit managers to release this blocked quotation."""
        self._ensure_one_for_action()
        return self._get_dialog_action(
            "customer.credit.release.request.wizard", self.env._("Request Release"), {"default_order_id": self.id}
        )

    def _check_customer_credit(self):
        """Refuse to confirm the orders a customer's credit cannot take, unless a credit manager released them.

        The engine writes the customers' rows as it reads their exposure (see ``customer.exposure._get_lock_query``):
        two confirmations for the same customer cannot both pass on snapshots that miss each other's order.
        """
        # Every order not confirmed yet: a quotation, and a cancelled one whose state a caller writes.
        quotations = self.filtered(lambda order: order.state != "sale")
        self._refuse_credit_blocks(
            quotations._get_credit_checks(cumulate=True, lock=True),
            lambda order: self.env._("The order %(order)s cannot be confirmed:", order=order.name),
        )

    @api.model
    def _refuse_credit_blocks(self, checks, title):
        """Raise, under ``title(order)``, the blocking problems of the first order of ``checks`` not released."""
        for order, (_figures, problems) in checks.items():
            blocking, _warnings = self._split_credit_problems(problems)
            if blocking and not order._is_credit_released():
                raise CreditBlockedError("\n".join([title(order), *blocking, order._get_credit_releasers_message()]))

    def _get_credit_releasers_message(self):
        """Who can release this order's credit block: the credit managers of its company, by name."""
        self.ensure_one()
        managers = get_credit_managers(self.company_id)
        if not managers:
            return self.env._("No credit manager of %(company)s can release it yet.", company=self.company_id.name)
        return self.env._("A credit manager can release it: %(managers)s.", managers=", ".join(managers.mapped("name")))

    @api.model
    def _split_credit_problems(self, problems):
        """The messages of ``problems`` (``[(reason, message, blocking)]``): ``(blocking, warnings)``."""
        blocking = [message for _reason, message, is_blocking in problems if is_blocking]
        warnings = [message for _reason, message, is_blocking in problems if not is_blocking]
        return blocking, warnings

    def _get_credit_check(self):
        """The customer's exposure and the credit problems confirming this order would meet."""
        self.ensure_one()
        return self._get_credit_checks()[self]

    def _get_credit_checks(self, cumulate=False, with_amount=True, lock=False):
        """``{order: (exposure, problems)}``, with one engine query per company.

        With ``cumulate``, each order is checked as if the customer's previous orders in ``self`` were confirmed;
        with ``lock``, the customers' rows are written (for a check that adds to their exposure).
        Without ``with_amount``, the order's own amount is not added (it already counts in the exposure).
        """
        checks = {}
        for company, orders in self.grouped("company_id").items():
            customers = {order: order._get_credit_customers() for order in orders}
            credit_customers = self.env["res.partner"].union(*customers.values())._get_credit_records(company)
            exposures = self.env["customer.exposure"]._get_exposure(credit_customers, company, lock=lock)
            pending = defaultdict(float)
            for order in orders:
                problems = []
                order_customers = customers[order].with_env(credit_customers.env)
                amount = order._get_credit_amount() if with_amount else 0.0
                # A confirmed order counts in the exposure of each of its customers (see the engine's order_owner).
                for customer in order_customers:
                    problems += customer._get_credit_problems(
                        company, exposures.get(customer.id, EMPTY_EXPOSURE), pending[customer] + amount
                    )
                    if cumulate:
                        pending[customer] += amount
                if any(reason == "cash" for reason, _message, _blocking in problems) and order._is_paid_online():
                    problems = [problem for problem in problems if problem[0] != "cash"]
                checks[order] = (exposures.get(order_customers[0].id, EMPTY_EXPOSURE), problems)
        return checks

    def _get_credit_customers(self):
        """The customers whose credit the order draws on: its invoice address's commercial entity (whose exposure
        it counts in), then the order's customer's when it is another one (an order cannot escape its customer's
        limit by being invoiced to a customer without one)."""
        self.ensure_one()
        invoiced = (self.partner_invoice_id or self.partner_id).commercial_partner_id._origin
        return invoiced | self.partner_id.commercial_partner_id._origin

    def _get_credit_amount(self):
        """The order's total in the company's currency, at the order's rate; an order that credits the customer
        (a negative total) adds nothing, and makes no room for others."""
        self.ensure_one()
        return max(self.company_id.currency_id.round(self.amount_total / (self.currency_rate or 1.0)), 0.0)

    def _is_paid_online(self):
        """Whether the order's online payments (done or authorized) cover it: a cash order paid at checkout."""
        self.ensure_one()
        return (
            self.currency_id.compare_amounts(self.amount_paid, self.amount_total) >= 0 if self.amount_total else False
        )

    def _is_credit_released(self):
        """Whether a credit manager released this order for at least its current total."""
        self.ensure_one()
        if not self._origin:
            return False
        # sudo: the release log is readable by every user of the module, the check applies to everyone.
        releases = self.sudo()._origin.credit_release_ids
        amount = self._get_credit_amount()
        rounding = self.company_id.currency_id.rounding
        # A release is for the order's customers in its company at that time (its invoice address's and its own, see
        # _get_credit_customers): not for the same order moved to another customer.
        invoiced = (self.partner_invoice_id or self.partner_id).commercial_partner_id._origin
        customer = self.partner_id.commercial_partner_id._origin
        return any(
            release.partner_id == invoiced
            and (release.order_partner_id or release.partner_id) == customer
            and release.company_id == self.company_id
            and float_compare(release.order_amount, amount, precision_rounding=rounding) >= 0
            for release in releases
        )
