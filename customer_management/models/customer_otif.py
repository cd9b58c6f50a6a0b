"""OTIF (on time, in full) of the customers' deliveries, refreshed set-based in SQL."""

from odoo import api, fields, models, tools
from odoo.tools import SQL

from .customer_behaviour import refresh_scope

# The stored OTIF fields of res.partner (res_partner_delivery.py), written by customer.otif only.
OTIF_FIELDS = ("otif_rate", "otif_on_time_rate", "otif_in_full_rate", "otif_delivery_count")


class CustomerOtif(models.AbstractModel):
    """The refresh of the customers' OTIF: one UPDATE for a batch of customers and every company.

    An order counts once, by its first delivery: the first outgoing transfer of the order done (a backorder is
    never a first delivery) within the company's OTIF period. It is on time when it was done on or before the day
    promised (the order's delivery date, else the transfer's deadline, else its scheduled date), both read in the
    delivery address's time zone (its own, else its customer's, else its company's; UTC when none is set or the
    database does not know it); in full when it delivered every move's demand: none cancelled, none short, no
    backorder left.
    """

    _name = "customer.otif"
    _description = "Customer OTIF Refresh"

    @api.model
    def _refresh(self, customers=None):
        """Recompute the OTIF fields of ``customers`` (commercial partners; every customer by default). Returns the
        number of customers whose figures changed."""
        if customers is not None and not customers:
            return 0
        self.env["stock.picking"].flush_model(
            ["backorder_id", "date_deadline", "date_done", "partner_id", "picking_type_id", "sale_id", "state"]
        )
        self.env["stock.move"].flush_model(["picking_id", "product_uom_qty", "quantity", "state"])
        self.env["sale.order"].flush_model(["commitment_date", "company_id", "partner_id", "state"])
        self.env["res.partner"].flush_model(["commercial_partner_id", "tz"])
        self.env["res.company"].flush_model(["customer_otif_days", "partner_id"])
        self.env.cr.execute(self._get_refresh_query(customers and customers.ids))
        self.env["res.partner"].invalidate_model(list(OTIF_FIELDS))
        return self.env.cr.rowcount

    @api.model
    def _get_refresh_query(self, customer_ids=None, now=None):
        """The UPDATE behind :meth:`_refresh`, for ``customer_ids`` (all customers if None), with each company's
        period up to ``now`` (naive UTC; the current time by default)."""
        now = now or fields.Datetime.now()
        # The time zones the database knows, given to the query: reading them there from pg_timezone_names would
        # take longer than the rest of the query.
        zones = sorted(self._get_database_timezones())
        scope, target = refresh_scope(customer_ids, "otif_delivery_count")
        return SQL(
            """
            WITH first_delivery AS (
                -- The first delivery of each order: its earliest outgoing transfer done that is not a backorder,
                -- sorted on narrow columns; the time zones are read for the first deliveries only.
                SELECT DISTINCT ON (picking.sale_id)
                       partner.commercial_partner_id AS partner_id,
                       sale_order.company_id,
                       picking.id AS picking_id,
                       picking.partner_id AS address_id,
                       picking.date_done,
                       COALESCE(sale_order.commitment_date, picking.date_deadline, picking.scheduled_date) AS promised
                  FROM stock_picking picking
                  JOIN stock_picking_type picking_type
                    ON picking_type.id = picking.picking_type_id AND picking_type.code = 'outgoing'
                  JOIN sale_order ON sale_order.id = picking.sale_id AND sale_order.state != 'cancel'
                  JOIN res_partner partner ON partner.id = sale_order.partner_id
                 WHERE picking.state = 'done' AND picking.backorder_id IS NULL AND %(scope)s
                 ORDER BY picking.sale_id, picking.date_done, picking.id
            ),
            in_period AS (
                SELECT first_delivery.*,
                       COALESCE(address.tz, customer.tz, company_partner.tz) AS tz
                  FROM first_delivery
                  JOIN res_company company ON company.id = first_delivery.company_id
                  JOIN res_partner customer ON customer.id = first_delivery.partner_id
                  JOIN res_partner company_partner ON company_partner.id = company.partner_id
             LEFT JOIN res_partner address ON address.id = first_delivery.address_id
                 WHERE first_delivery.date_done >= %(now)s - make_interval(days => company.customer_otif_days)
            ),
            measured AS MATERIALIZED (
                SELECT in_period.partner_id,
                       in_period.company_id,
                       -- The days in the address's time zone (UTC for one the database does not know).
                       (timezone(zone.name, in_period.date_done AT TIME ZONE 'UTC')::date
                        <= timezone(zone.name, in_period.promised AT TIME ZONE 'UTC')::date
                       ) AS on_time,
                       NOT EXISTS (
                           SELECT 1 FROM stock_move move
                            WHERE move.picking_id = in_period.picking_id
                              AND (move.state = 'cancel' OR move.quantity < move.product_uom_qty)
                       ) AND NOT EXISTS (
                           SELECT 1 FROM stock_picking backorder
                            WHERE backorder.backorder_id = in_period.picking_id AND backorder.state != 'cancel'
                       ) AS in_full
                  FROM in_period
                 CROSS JOIN LATERAL (
                     SELECT CASE WHEN in_period.tz = ANY(%(zones)s) THEN in_period.tz ELSE 'UTC' END AS name
                 ) zone
            ),
            figures AS (
                SELECT partner_id,
                       company_id::text AS company_key,
                       COUNT(*) AS delivery_count,
                       ROUND(100.0 * COUNT(*) FILTER (WHERE on_time AND in_full) / COUNT(*), 1) AS otif,
                       ROUND(100.0 * COUNT(*) FILTER (WHERE on_time) / COUNT(*), 1) AS on_time,
                       ROUND(100.0 * COUNT(*) FILTER (WHERE in_full) / COUNT(*), 1) AS in_full
                  FROM measured
                 GROUP BY partner_id, company_id
            ),
            per_customer AS (
                SELECT partner_id,
                       json_object_agg(company_key, otif)::jsonb AS otif,
                       json_object_agg(company_key, on_time)::jsonb AS on_time,
                       json_object_agg(company_key, in_full)::jsonb AS in_full,
                       json_object_agg(company_key, delivery_count)::jsonb AS delivery_count
                  -- Sorted, so that the customers' figures are aggregated one customer at a time.
                  FROM (SELECT * FROM figures ORDER BY partner_id) figures
                 GROUP BY partner_id
            ),
            target AS (%(target)s)
            UPDATE res_partner
               SET otif_rate = per_customer.otif,
                   otif_on_time_rate = per_customer.on_time,
                   otif_in_full_rate = per_customer.in_full,
                   otif_delivery_count = per_customer.delivery_count
              FROM target
              LEFT JOIN per_customer ON per_customer.partner_id = target.id
             WHERE res_partner.id = target.id
               AND (res_partner.otif_rate, res_partner.otif_on_time_rate, res_partner.otif_in_full_rate,
                    res_partner.otif_delivery_count)
                   IS DISTINCT FROM
                   (per_customer.otif, per_customer.on_time, per_customer.in_full, per_customer.delivery_count)
            """,
            scope=scope,
            target=target,
            now=now,
            zones=zones,
        )

    @api.model
    @tools.ormcache()
    def _get_database_timezones(self):
        """The names of the time zones PostgreSQL knows, read once per process."""
        self.env.cr.execute("SELECT name FROM pg_timezone_names")
        return frozenset(name for (name,) in self.env.cr.fetchall())
