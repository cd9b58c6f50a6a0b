"""The sales analysis: what each customer bought, by product, category, salesperson, team, zone, channel, segment,
country and state, over time; the rankings by sales and by margin, and the trends by period, are its saved views."""

from odoo import api, fields, models
from odoo.tools import SQL

from .report_query import build_report_query


class CustomerSalesReport(models.Model):
    """One row per line of a confirmed sale order: its customer (the commercial entity, with its classification
    today), product and category, the order's salesperson, team and date, and its untaxed amount, margin and
    quantity in the company's currency and the product's unit.

    The margin percentage is the margin over the amount of the group, not an average of the lines' percentages."""

    _name = "customer.sales.report"
    _inherit = ["customer.analysis.report.mixin"]
    _description = "Sales Analysis by Customer"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", string="Order", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product Template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    date = fields.Datetime(string="Order Date", readonly=True)
    amount = fields.Monetary(string="Untaxed Amount", readonly=True, help="Untaxed, in the company's currency.")
    margin = fields.Monetary(readonly=True, help="The amount less the cost of the products, in the company's currency.")
    margin_percent = fields.Float(
        string="Margin (%)",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="The margin over the untaxed amount of the group.",
    )
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True, help="In the product's unit.")
    order_count = fields.Integer(
        string="Orders", readonly=True, aggregator="count_distinct", help="The confirmed orders, each counted once."
    )

    @property
    def _table_query(self):
        return self._query()

    @api.model
    def _query(self):
        """The lines of the confirmed orders, section and note lines and down payments left out.

        Amounts and margins are converted to the company's currency at the order's rate and quantities to the
        product's unit, as core's ``sale.report`` does; the customer is the order's commercial entity, with its
        zone, channel, segment, country and state as they are now.

        The tables a line only looks up (its customer, product, units, company) are left joins on their keys: a
        query that reads none of their columns (a ranking by customer) does not join them at all.
        """
        return build_report_query(self)

    @api.model
    def _select(self):
        return SQL(
            """line.id,
                   line.order_id,
                   partner.commercial_partner_id AS partner_id,
                   line.product_id,
                   template.id AS product_tmpl_id,
                   template.categ_id,
                   sale_order.user_id,
                   sale_order.team_id,
                   %(dimensions)s,
                   sale_order.company_id,
                   company.currency_id,
                   sale_order.date_order AS date,
                   (line.price_subtotal / COALESCE(NULLIF(sale_order.currency_rate, 0), 1))::float8 AS amount,
                   (COALESCE(line.margin, 0) / COALESCE(NULLIF(sale_order.currency_rate, 0), 1))::float8 AS margin,
                   (100 * COALESCE(line.margin, 0) / NULLIF(line.price_subtotal, 0))::float8 AS margin_percent,
                   (line.product_uom_qty / line_uom.factor * product_uom.factor)::float8 AS quantity,
                   line.order_id AS order_count""",
            dimensions=self._select_customer_dimensions(),
        )

    @api.model
    def _from(self):
        return SQL(
            """sale_order_line line
              JOIN sale_order ON sale_order.id = line.order_id
              JOIN res_partner partner ON partner.id = sale_order.partner_id
         LEFT JOIN res_partner customer ON customer.id = partner.commercial_partner_id
         LEFT JOIN product_product product ON product.id = line.product_id
         LEFT JOIN product_template template ON template.id = product.product_tmpl_id
         LEFT JOIN uom_uom line_uom ON line_uom.id = line.product_uom
         LEFT JOIN uom_uom product_uom ON product_uom.id = template.uom_id
         LEFT JOIN res_company company ON company.id = sale_order.company_id"""
        )

    @api.model
    def _where(self):
        return SQL(
            """sale_order.state = 'sale'
               AND line.display_type IS NULL
               AND line.is_downpayment IS NOT TRUE"""
        )

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        # The margin percentage of a group is its margin over its amount, as core's purchase report weighs its
        # average price, not the average of its lines' percentages.
        if aggregate_spec != "margin_percent:avg":
            return super()._read_group_select(aggregate_spec, query)
        return SQL(
            "100 * SUM(%(margin)s) / NULLIF(SUM(%(amount)s), 0)",
            margin=self._field_to_sql(self._table, "margin", query),
            amount=self._field_to_sql(self._table, "amount", query),
        )
