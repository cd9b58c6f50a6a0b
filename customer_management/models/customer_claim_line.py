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
        domain="[('order_id.partner_id', 'child_of', partner_id), ('order_id.state', '=', 'sale')]",
    )
    order_id = fields.Many2one(related="sale_line_id.order_id", string="Order")
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

    @api.depends("sale_line_id")
    def _compute_product_id(self):
        for line in self:
            if line.sale_line_id:
                line.product_id = line.sale_line_id.product_id

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
