"""OTIF (on time, in full) of every customer, the figure the customers list sorts by."""

from odoo.tools import SQL

from ..framework import BaselineMismatch, case
from .credit import _customers


def otif_refresh(env, fixture):
    """The refresh, as a validation or the daily job runs it: one UPDATE for the batch of customers."""
    fixture["env"]["customer.otif"]._refresh(fixture["customers"])


def otif_sql(env, fixture):
    """One hand-written query: each order's first delivery in the period, on time (the days read in the delivery
    address's time zone, else its customer's, else its company's) and in full, per customer."""
    uenv = fixture["env"]
    env.cr.execute(
        SQL(
            """
            WITH first_delivery AS (
                SELECT partner.commercial_partner_id AS partner_id, picking.id, picking.date_done,
                       COALESCE(sale.commitment_date, picking.date_deadline, picking.scheduled_date) AS promised,
                       COALESCE(address.tz, customer.tz, company_partner.tz, 'UTC') AS tz, company.customer_otif_days,
                       ROW_NUMBER() OVER (PARTITION BY picking.sale_id ORDER BY picking.date_done, picking.id) AS rank
                  FROM stock_picking picking
                  JOIN stock_picking_type type ON type.id = picking.picking_type_id AND type.code = 'outgoing'
                  JOIN sale_order sale ON sale.id = picking.sale_id AND sale.state != 'cancel'
                  JOIN res_partner partner ON partner.id = sale.partner_id
                  JOIN res_partner customer ON customer.id = partner.commercial_partner_id
                  JOIN res_company company ON company.id = sale.company_id
                  JOIN res_partner company_partner ON company_partner.id = company.partner_id
             LEFT JOIN res_partner address ON address.id = picking.partner_id
                 WHERE picking.state = 'done' AND picking.backorder_id IS NULL AND sale.company_id = %(company)s
                   AND partner.commercial_partner_id IN %(customers)s
            ),
            measured AS (
                SELECT partner_id,
                       timezone(tz, date_done AT TIME ZONE 'UTC')::date
                       <= timezone(tz, promised AT TIME ZONE 'UTC')::date AS on_time,
                       NOT EXISTS (SELECT 1 FROM stock_move move WHERE move.picking_id = first_delivery.id
                                      AND (move.state = 'cancel' OR move.quantity < move.product_uom_qty))
                       AND NOT EXISTS (SELECT 1 FROM stock_picking backorder
                                        WHERE backorder.backorder_id = first_delivery.id
                                          AND backorder.state != 'cancel') AS in_full
                  FROM first_delivery
                 WHERE rank = 1 AND date_done >= NOW() AT TIME ZONE 'UTC' - make_interval(days => customer_otif_days)
            )
            SELECT partner_id, COUNT(*),
                   ROUND(100.0 * COUNT(*) FILTER (WHERE on_time AND in_full) / COUNT(*), 1)
              FROM measured
             GROUP BY partner_id
            """,
            company=uenv.company.id,
            customers=tuple(fixture["customers"].ids),
        )
    )
    return {partner_id: (count, float(rate)) for partner_id, count, rate in env.cr.fetchall()}


def verify_otif(env, fixture):
    """The refresh stores, for every customer, the count and the rate the SQL baseline gives."""
    otif_refresh(env, fixture)
    customers = fixture["customers"]
    customers.invalidate_recordset()
    ours = {
        row["id"]: (row["otif_delivery_count"], row["otif_rate"])
        for row in customers.read(["otif_delivery_count", "otif_rate"])
        if row["otif_delivery_count"]
    }
    sql = otif_sql(env, fixture)
    if not sql:
        raise BaselineMismatch("otif: the data set has no delivery to measure")
    if ours != sql:
        wrong = sorted(set(ours.items()) ^ set(sql.items()))[:5]
        raise BaselineMismatch(f"otif: {len(ours)} customers measured, the SQL {len(sql)}; e.g. {wrong}")


@case("otif_10k", baselines={"sql": otif_sql}, setup=_customers, verify=verify_otif)
def otif_10k(env, fixture):
    """OTIF of every customer (10,000 at the medium scale): one UPDATE of the refresh, nothing changed."""
    otif_refresh(env, fixture)
