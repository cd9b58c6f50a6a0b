"""The return flow of a claim: the goods the customer sends back come in on core's return of their delivery, then
the credit note of what came back is core's reversal of their invoice, at its price; a replacement may go out."""

from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import clean_context, float_compare, float_is_zero, float_round

CREDIT_ACTIVITY_TYPE = "customer_management.mail_activity_type_claim_credit"


class CustomerClaim(models.Model):
    _inherit = "customer.claim"  # pylint: disable=consider-merging-classes-inherited

    picking_ids = fields.One2many(
        "stock.picking", "customer_claim_id", string="Transfers", help="The returns and replacements of the claim."
    )
    return_picking_count = fields.Integer(string="Returns", compute="_compute_return_documents")
    replacement_picking_count = fields.Integer(string="Replacements", compute="_compute_return_documents")
    credit_note_ids = fields.One2many(
        "account.move", "customer_claim_id", string="Credit Notes", help="The credit notes of what came back."
    )
    credit_note_count = fields.Integer(compute="_compute_return_documents")

    @api.depends("picking_ids.picking_type_code", "credit_note_ids")
    def _compute_return_documents(self):
        for claim in self:
            claim.return_picking_count = len(claim.picking_ids.filtered(lambda p: p.picking_type_code == "incoming"))
            claim.replacement_picking_count = len(claim.picking_ids) - claim.return_picking_count
            claim.credit_note_count = len(claim.credit_note_ids)

    @api.constrains("claim_type")
    def _check_return_lines(self):
        self.line_ids._check_return_quantity()

    def _check_returnable(self):
        for claim in self:
            if claim.claim_type != "return":
                raise UserError(self.env._("%(claim)s is not a return.", claim=claim.name))
            if claim.is_closed:
                raise UserError(self.env._("%(claim)s is closed.", claim=claim.name))

    def action_create_return(self):
        """Return, on core's return of each delivery, what the lines send back and has not come back on the claim
        yet; the transfers are the claim's."""
        return self._create_returns(replace=False)

    def action_create_return_and_replacement(self):
        """The return, and a replacement delivery of the same goods (core's exchange)."""
        return self._create_returns(replace=True)

    def _create_returns(self, replace):
        # A caller's defaults (default_to_refund, default_location_id...) never reach the documents the flow makes.
        self = self.with_context(clean_context(self.env.context))  # pylint: disable=context-overridden
        self._check_returnable()
        self.line_ids._check_return_quantity()
        pickings = self.env["stock.picking"]
        for claim in self:
            quantities = claim.line_ids._get_quantities_to_return()
            if not quantities:
                raise UserError(
                    self.env._(
                        "Nothing of %(claim)s is left to return: add the delivered products and their quantities.",
                        claim=claim.name,
                    )
                )
            by_picking = defaultdict(dict)
            for move, quantity in quantities.items():
                by_picking[move.picking_id][move] = quantity
            last_move = self.env["stock.move"].search([], order="id desc", limit=1).id
            for picking, moves in by_picking.items():
                wizard = (
                    self.env["stock.return.picking"]
                    .with_context(active_model="stock.picking", active_id=picking.id, active_ids=picking.ids)
                    .create({"picking_id": picking.id})
                )
                for line in wizard.product_return_moves:
                    line.write({"quantity": moves.get(line.move_id, 0.0), "to_refund": True})
                if replace:
                    action = wizard.action_create_exchanges()
                    returned = self.env["stock.picking"].browse(action["res_id"])
                else:
                    returned = wizard._create_return()
                pickings |= returned
            if replace:
                # Core's exchange is procured as the orders' own deliveries: the new outgoing moves of their lines.
                pickings |= (
                    self.env["stock.move"]
                    .search(
                        [
                            ("id", ">", last_move),
                            ("sale_line_id", "in", claim.line_ids.sale_line_id.ids),
                            ("picking_code", "=", "outgoing"),
                        ]
                    )
                    .picking_id
                )
            new = pickings.filtered(lambda p: not p.customer_claim_id)
            # sudo: the workflow's own link (refused from callers, see customer.workflow.mixin).
            new.sudo().customer_claim_id = claim
            claim.message_post(
                body=self.env._(
                    "Goods to come back on %(transfers)s.",
                    transfers=", ".join(new.mapped("name")),
                )
            )
        if len(pickings) == 1:
            return pickings.get_formview_action()
        return self.action_open_return_pickings()

    def action_create_credit_note(self):
        """The credit note of what came back and was not credited yet, at its invoice's price: core's reversal of
        each invoice, its lines cut down to the goods received."""
        # A caller's defaults (default_date, default_journal_id...) never reach the credit notes made in sudo.
        self = self.with_context(clean_context(self.env.context))  # pylint: disable=context-overridden
        self._check_returnable()
        credit_notes = self.env["account.move"]
        for claim in self:
            to_credit = claim.line_ids._get_quantities_to_credit()
            if not to_credit:
                raise UserError(
                    self.env._(
                        "Nothing of %(claim)s came back that is not credited yet: validate its return first.",
                        claim=claim.name,
                    )
                )
            for invoice, quantities in to_credit.items():
                # The user's rights on credit notes and on the invoice, then core's reversal in sudo: it copies the
                # invoice lines' links to their order lines, which the user may not all read (a salesperson's own
                # orders), and the order lines' invoiced quantities follow only with them.
                self.env["account.move"].check_access("create")
                invoice.check_access("read")
                # Links the user read are cached as the user may see them: the reversal reads them all.
                invoice.line_ids.invalidate_recordset(["sale_line_ids"])
                reversal = (
                    self.env["account.move.reversal"]
                    .sudo()
                    .with_context(active_model="account.move", active_ids=invoice.ids)
                    .create({"reason": claim.name, "journal_id": invoice.journal_id.id})
                )
                reversal.refund_moves()
                credit_note = reversal.new_move_ids
                keep = self.env["account.move.line"]
                updates = []
                for line in credit_note.invoice_line_ids.filtered(lambda line: line.display_type == "product"):
                    quantity = quantities.pop(line.sale_line_ids[:1], 0.0)
                    if float_is_zero(quantity, precision_rounding=line.product_uom_id.rounding or 0.01):
                        continue
                    keep |= line
                    updates.append(Command.update(line.id, {"quantity": quantity}))
                updates += [
                    Command.unlink(line.id)
                    for line in credit_note.invoice_line_ids.filtered(lambda line: line.display_type == "product")
                    - keep
                ]
                credit_note.write({"invoice_line_ids": updates, "customer_claim_id": claim.id})
                credit_notes |= credit_note.with_env(self.env)
            claim.message_post(
                body=self.env._(
                    "Credited on %(credit_notes)s.", credit_notes=", ".join(credit_notes.mapped("display_name"))
                )
            )
            # sudo: the responsible's activity is done by whoever credited.
            claim.sudo().with_context(mail_activity_automation_skip=False).activity_feedback([CREDIT_ACTIVITY_TYPE])
        return self.action_open_credit_notes() if len(credit_notes) > 1 else credit_notes.get_formview_action()

    def action_open_return_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action.update({"domain": [("customer_claim_id", "=", self.id)], "context": {"create": False}})
        return action

    def action_open_credit_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_refund_type")
        action.update({"domain": [("customer_claim_id", "=", self.id)], "context": {"create": False}})
        return action

    def _schedule_credit(self):
        """Goods of these return claims came back: an activity for each responsible, to credit them."""
        # sudo: the activity reaches the responsible, whoever received the goods; the context may not skip it.
        activity_type = self.env.ref(CREDIT_ACTIVITY_TYPE)
        for claim in self.sudo().with_context(mail_activity_automation_skip=False):
            if claim.is_closed or activity_type in claim.activity_ids.activity_type_id:
                continue
            user = claim.user_id or self.env.user
            summary = self.with_context(lang=user.lang).env._("Credit the goods of %(claim)s", claim=claim.name)
            claim.activity_schedule(CREDIT_ACTIVITY_TYPE, summary=summary, user_id=user.id)


class CustomerClaimLine(models.Model):
    _inherit = "customer.claim.line"  # pylint: disable=consider-merging-classes-inherited

    qty_delivered = fields.Float(
        string="Delivered",
        digits="Product Unit of Measure",
        compute="_compute_return_quantities",
        help="What the order line delivered to the customer, before any return.",
    )
    qty_returned = fields.Float(
        string="Received",
        digits="Product Unit of Measure",
        compute="_compute_return_quantities",
        help="What came back on the claim's returns, validated.",
    )
    qty_credited = fields.Float(
        string="Credited",
        digits="Product Unit of Measure",
        compute="_compute_return_quantities",
        help="What the claim's credit notes credit of the order line.",
    )

    @api.depends("sale_line_id", "claim_id.picking_ids.state", "claim_id.credit_note_ids.state")
    def _compute_return_quantities(self):
        for line in self:
            moves = line._get_return_moves()
            line.qty_delivered = line._sum_quantity(moves["delivered"])
            line.qty_returned = line._sum_quantity(moves["claim"].filtered(lambda m: m.state == "done"))
            line.qty_credited = line._get_credited_quantity()

    def _get_return_moves(self):
        """The moves of the line's order line, in the product's unit: ``delivered`` (done, to the customer),
        ``claim`` (back from the customer on this claim's returns) and ``other`` (back on any other return, not
        cancelled)."""
        self.ensure_one()
        empty = self.env["stock.move"]
        if not self.sale_line_id:
            return {"delivered": empty, "claim": empty, "other": empty}
        # sudo: what was delivered and returned binds the return, whatever the transfers the user may read.
        outgoing, incoming = self.sale_line_id.sudo()._get_outgoing_incoming_moves()
        claim_pickings = self.claim_id.sudo().picking_ids
        back = incoming.filtered(lambda m: m.product_id == self.product_id)
        return {
            "delivered": outgoing.filtered(lambda m: m.state == "done" and not m.origin_returned_move_id),
            "claim": back.filtered(lambda m: m.picking_id in claim_pickings),
            "other": back.filtered(lambda m: m.picking_id not in claim_pickings),
        }

    def _sum_quantity(self, moves):
        return sum(
            move.product_uom._compute_quantity(
                move.quantity if move.state == "done" else move.product_uom_qty, self.product_id.uom_id
            )
            for move in moves
        )

    def _get_credited_quantity(self):
        lines = (
            self.claim_id.sudo()
            .credit_note_ids.filtered(lambda move: move.state != "cancel")
            .invoice_line_ids.filtered(lambda line: self.sale_line_id in line.sale_line_ids)
        )
        return sum(line.product_uom_id._compute_quantity(line.quantity, self.product_id.uom_id) for line in lines)

    @api.constrains("quantity", "sale_line_id")
    def _check_return_quantity(self):
        """A return sends back at most what its order line delivered and no other return took back."""
        for line in self.filtered(lambda line: line.claim_id.claim_type == "return" and line.sale_line_id):
            moves = line._get_return_moves()
            returnable = line._sum_quantity(moves["delivered"]) - line._sum_quantity(moves["other"])
            returnable = float_round(max(returnable, 0.0), precision_rounding=line.product_id.uom_id.rounding)
            if float_compare(line.quantity, returnable, precision_rounding=line.product_id.uom_id.rounding) > 0:
                raise ValidationError(
                    self.env._(
                        "%(claim)s cannot return %(quantity)s %(unit)s of %(product)s from %(order)s: %(returnable)s "
                        "were delivered and not returned yet.",
                        claim=line.claim_id.name,
                        quantity=line.quantity,
                        unit=line.product_id.uom_id.name,
                        product=line.product_id.display_name,
                        order=line.sudo().sale_line_id.order_id.name,
                        returnable=returnable,
                    )
                )
        for claim in self.claim_id.filtered(lambda claim: claim.claim_type == "return"):
            sale_lines = claim.line_ids.sale_line_id
            if len(sale_lines) < len(claim.line_ids.filtered("sale_line_id")):
                raise ValidationError(
                    self.env._(
                        "%(claim)s returns an order line twice: one line per order line on a return.",
                        claim=claim.name,
                    )
                )

    def _get_quantities_to_return(self):
        """``{delivered move: quantity}`` of what the lines still send back, the oldest deliveries first."""
        result = {}
        for line in self.filtered("sale_line_id"):
            moves = line._get_return_moves()
            rounding = line.product_id.uom_id.rounding
            left = line.quantity - line._sum_quantity(moves["claim"])
            for move in moves["delivered"].sorted(lambda m: (m.date, m.id)):
                if float_compare(left, 0.0, precision_rounding=rounding) <= 0:
                    break
                # What this delivery has not sent back yet, on any return.
                taken = line._sum_quantity(move.returned_move_ids.filtered(lambda m: m.state != "cancel"))
                free = line._sum_quantity(move) - taken
                quantity = min(left, free)
                if float_compare(quantity, 0.0, precision_rounding=rounding) > 0:
                    result[move] = move.product_id.uom_id._compute_quantity(quantity, move.product_uom)
                    left -= quantity
        return result

    def _get_quantities_to_credit(self):
        """``{invoice: {order line: quantity}}`` of what came back and is not credited yet, on the order line's
        posted invoice."""
        result = defaultdict(dict)
        for line in self.filtered("sale_line_id"):
            quantity = line.qty_returned - line.qty_credited
            if float_compare(quantity, 0.0, precision_rounding=line.product_id.uom_id.rounding) <= 0:
                continue
            invoices = line.sale_line_id.invoice_lines.move_id.filtered(
                lambda move: move.move_type == "out_invoice" and move.state == "posted"
            )
            if not invoices:
                raise UserError(
                    self.env._(
                        "%(order)s has no posted invoice for %(product)s: there is no price to credit.",
                        order=line.sudo().sale_line_id.order_id.name,
                        product=line.product_id.display_name,
                    )
                )
            invoice = invoices.sorted(lambda move: (move.invoice_date, move.id))[0]
            result[invoice][line.sale_line_id] = line.product_id.uom_id._compute_quantity(
                quantity, line.sale_line_id.product_uom
            )
        return result
