"""What a claim is about, line by line: the products, and the order lines and lots they came from."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerClaimLine(models.Model):
    """A product a claim is about, with the order line it was sold on (one claim may span several orders), the lot
    and the quantity concerned."""

    _name = "customer.claim.line"
    _inherit = ["customer.input.checked.mixin"]
    _description = "Customer Claim Line"
    _order = "claim_id, id"
    _check_company_auto = True

    claim_id = fields.Many2one("customer.claim", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="claim_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="claim_id.partner_id", string="Customer")
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Order Line",
        index="btree_not_null",
        check_company=True,
        compute="_compute_sale_line_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('order_id.partner_id', 'child_of', partner_id), ('order_id.state', '=', 'sale')]",
    )
    order_id = fields.Many2one(related="sale_line_id.order_id", string="Order")
    invoice_line_id = fields.Many2one(
        "account.move.line",
        string="Invoice Line",
        index="btree_not_null",
        check_company=True,
        domain="[('move_id.commercial_partner_id', '=', partner_id), ('move_id.move_type', '=', 'out_invoice'), "
        "('move_id.state', '=', 'posted'), ('display_type', '=', 'product')]",
        help="The line of the customer's invoice the product was billed on: its order line follows when it has one.",
    )
    move_id = fields.Many2one(
        "stock.move",
        string="Delivery Move",
        index="btree_not_null",
        check_company=True,
        domain="[('picking_id.partner_id', 'child_of', partner_id), ('state', '=', 'done'), "
        "('picking_code', '=', 'outgoing')]",
        help="The delivered move the product went out on: its order line follows when it has one.",
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        compute="_compute_product_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    lot_id = fields.Many2one(
        "stock.lot", string="Lot/Serial Number", check_company=True, domain="[('product_id', '=', product_id)]"
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    product_uom = fields.Many2one(related="product_id.uom_id", string="Unit")
    note = fields.Char(help="What is wrong with this product.")

    @api.depends("invoice_line_id", "move_id")
    def _compute_sale_line_id(self):
        for line in self:
            # sudo: the documents' order line, whatever the orders the user may read (the constraints judge it).
            move, invoice_line = line.sudo().move_id, line.sudo().invoice_line_id
            if move.sale_line_id:
                line.sale_line_id = move.sale_line_id
            elif len(invoice_line.sale_line_ids) == 1:
                line.sale_line_id = invoice_line.sale_line_ids

    @api.depends("sale_line_id", "invoice_line_id", "move_id")
    def _compute_product_id(self):
        for line in self:
            source = line.sale_line_id or line.invoice_line_id or line.move_id
            if source.product_id:
                line.product_id = source.product_id

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "The quantity of %(product)s on %(claim)s must be positive (%(quantity)s).",
                        product=line.product_id.display_name,
                        claim=line.claim_id.name,
                        quantity=line.quantity,
                    )
                )

    @api.constrains("sale_line_id", "product_id", "claim_id")
    def _check_sale_line(self):
        for line in self.filtered("sale_line_id"):
            # sudo: the order's customer binds the claim, whatever the orders the user may read.
            order = line.sudo().sale_line_id.order_id
            if order.state != "sale":
                raise ValidationError(
                    self.env._(
                        "The order %(order)s is not confirmed: a claim is about what was sold.", order=order.name
                    )
                )
            if order.partner_id.commercial_partner_id != line.claim_id.partner_id:
                raise ValidationError(
                    self.env._(
                        "The order %(order)s is not one of %(customer)s: a claim is about its own customer's orders.",
                        order=order.name,
                        customer=line.claim_id.partner_id.display_name,
                    )
                )
            if line.product_id != line.sale_line_id.product_id:
                raise ValidationError(
                    self.env._(
                        "%(product)s is not the product sold on the line of %(order)s (%(sold)s).",
                        product=line.product_id.display_name,
                        order=order.name,
                        sold=line.sale_line_id.product_id.display_name,
                    )
                )

    @api.constrains("invoice_line_id", "move_id", "sale_line_id", "product_id", "claim_id")
    def _check_documents(self):
        """An invoice line of a posted invoice, a move of a done delivery: the claim's customer's, of the line's
        product and order line."""
        for line in self.filtered(lambda line: line.invoice_line_id or line.move_id):
            # sudo: the documents bind the claim, whatever the user may read of them.
            invoice_line, move = line.sudo().invoice_line_id, line.sudo().move_id
            customer = line.claim_id.partner_id
            invoice = invoice_line.move_id
            if invoice_line and (
                invoice.move_type != "out_invoice"
                or invoice.state != "posted"
                or invoice.commercial_partner_id != customer
                or invoice_line.display_type != "product"
            ):
                raise ValidationError(
                    self.env._(
                        "%(invoice)s is not a posted invoice of %(customer)s: a claim is about its own customer's "
                        "invoices.",
                        invoice=invoice.display_name,
                        customer=customer.display_name,
                    )
                )
            delivered_to = (move.picking_id.partner_id or move.partner_id).commercial_partner_id
            if move and (move.state != "done" or move.picking_code != "outgoing" or delivered_to != customer):
                raise ValidationError(
                    self.env._(
                        "%(move)s is not a delivery done to %(customer)s: a claim is about what its customer "
                        "received.",
                        move=move.reference or move.display_name,
                        customer=customer.display_name,
                    )
                )
            for document in (invoice_line, move):
                if not document:
                    continue
                sale_lines = document.sale_line_ids if document._name == "account.move.line" else document.sale_line_id
                if document.product_id != line.product_id or (
                    line.sale_line_id and sale_lines and line.sale_line_id not in sale_lines
                ):
                    raise ValidationError(
                        self.env._(
                            "%(document)s is not about %(product)s of the claim's line: the invoice line, the "
                            "delivery and the order line are the same sale.",
                            document=document.display_name,
                            product=line.product_id.display_name,
                        )
                    )
