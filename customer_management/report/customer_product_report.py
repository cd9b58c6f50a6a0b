"""The products bought report: per customer and product, the quantities, amounts, orders and the last date."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.customer_exposure import round_sql
from .report_query import build_report_query


class CustomerProductReport(models.Model):
    """What each customer bought, by product and company: quantities, amounts and the last time, from its orders."""

    _name = "customer.product.report"
    _inherit = ["customer.input.mixin"]
    _description = "Products Bought by Customer"
    _auto = False
    _order = "amount desc, product_id"
    _rec_name = "product_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product Template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True)
    qty_delivered = fields.Float(string="Delivered", digits="Product Unit of Measure", readonly=True)
    qty_invoiced = fields.Float(string="Invoiced", digits="Product Unit of Measure", readonly=True)
    amount = fields.Monetary(readonly=True, help="Untaxed, in the company's currency.")
    order_count = fields.Integer(string="Orders", readonly=True)
    first_date = fields.Date(string="First Purchase", readonly=True, aggregator="min")
    last_date = fields.Date(string="Last Purchase", readonly=True, aggregator="max")

    @property
    def _table_query(self):
        return self._query()

    @api.model
    def _query(self):
        """The lines of the confirmed orders, by commercial partner, product and company.

        Quantities in the product's unit and amounts in the company's currency at the order's rate, as core's
        ``sale.report`` converts them; section and note lines and down payments are left out.
        """
        return build_report_query(self)

    @api.model
    def _select(self):
        return SQL(
            """MIN(line.id) AS id,
                   partner.commercial_partner_id AS partner_id,
                   line.product_id,
                   template.id AS product_tmpl_id,
                   template.categ_id,
                   template.uom_id,
                   sale_order.company_id,
                   company.currency_id,
                   customer.user_id,
                   SUM(line.product_uom_qty / line_uom.factor * product_uom.factor) AS quantity,
                   SUM(line.qty_delivered / line_uom.factor * product_uom.factor) AS qty_delivered,
                   SUM(line.qty_invoiced / line_uom.factor * product_uom.factor) AS qty_invoiced,
                   %s AS amount,
                   COUNT(DISTINCT sale_order.id) AS order_count,
                   MIN(sale_order.date_order)::date AS first_date,
                   MAX(sale_order.date_order)::date AS last_date""",
            round_sql(SQL("SUM(line.price_subtotal / COALESCE(NULLIF(sale_order.currency_rate, 0), 1))")),
        )

    @api.model
    def _from(self):
        return SQL(
            """sale_order_line line
              JOIN sale_order ON sale_order.id = line.order_id
              JOIN res_partner partner ON partner.id = sale_order.partner_id
              JOIN res_partner customer ON customer.id = partner.commercial_partner_id
              JOIN product_product product ON product.id = line.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
              JOIN uom_uom line_uom ON line_uom.id = line.product_uom
              JOIN uom_uom product_uom ON product_uom.id = template.uom_id
              JOIN res_company company ON company.id = sale_order.company_id
              JOIN res_currency currency ON currency.id = company.currency_id"""
        )

    @api.model
    def _where(self):
        return SQL(
            """sale_order.state = 'sale'
               AND line.display_type IS NULL
               AND line.is_downpayment IS NOT TRUE"""
        )

    @api.model
    def _group_by(self):
        return SQL(
            """partner.commercial_partner_id, line.product_id, template.id, template.categ_id, template.uom_id,
                      sale_order.company_id, company.currency_id, currency.rounding, customer.user_id"""
        )
